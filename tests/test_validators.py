"""Every PDF of both engines, checked by validators rather than claimed.

- `page` (PyPI page-validation, Rust; passes veraPDF's corpus and the Isartor suite): PDF/A-2b and
  PDF/UA-1, machine-checkable rules.
- `outloud` (PyPI): PDF/UA-1's Matterhorn checkpoints and WCAG 2.2 A/AA's machine-checkable
  criteria, conformance layer.

What neither can check (a person must: reading order's sense, whether alternative text is apt,
colour) is listed in README.md, "Validated, not claimed".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import SOURCES, copy_sources, run_cli, validator_failures
from test_safety import png, with_logo

OUTLOUD = Path(sys.executable).parent / "outloud"
DOCUMENTS = ["uppdrag", "sammanstallning", "overlamnande", "tierp", "handlingsplan", "underlag-vagledningsdebatt",
             "aterkoppling"]


def outloud_findings(pdf: Path) -> list[str]:
    shown = subprocess.run([str(OUTLOUD), "--layer", "conformance", "--json", "-", "--fail-on", "never", str(pdf)],
                           capture_output=True, text=True, check=False)
    report = json.loads(shown.stdout)
    return [f"{f['rule']} {f['severity']}, sida {f.get('page')}: {f['message']}" for result in report["results"]
            for f in result["findings"] if f["severity"] in ("error", "warning")] + \
        [f"outloud: {result['error']}" for result in report["results"] if result.get("error")]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_pdf_passes_pdf_a_2b_and_pdf_ua_1(pdfs, name):
    assert validator_failures(pdfs[name]) == []


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_pdf_passes_outloud_without_warnings(pdfs, name):
    assert outloud_findings(pdfs[name]) == []


def test_a_pdf_with_a_logo_passes_both(engine, tmp_path, monkeypatch):
    copy_sources(SOURCES, tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sources" / "bilder").mkdir()
    (tmp_path / "sources" / "bilder" / "logotyp.png").write_bytes(png())
    with_logo(tmp_path, "bilder/logotyp.png")
    result = run_cli("build", "--formats", "pdf", "--pdf-engine", engine)
    assert result.code == 0, result.err
    assert validator_failures(tmp_path / "build" / "uppdrag.pdf") == []
    assert outloud_findings(tmp_path / "build" / "uppdrag.pdf") == []


def test_the_validators_find_what_is_wrong(pdfs, tmp_path):
    """Both checks can fail: a PDF without its tags, language and PDF/UA claim."""
    import pikepdf

    broken = tmp_path / "utan-taggar.pdf"
    with pikepdf.open(pdfs["uppdrag"]) as pdf:
        del pdf.Root["/StructTreeRoot"]
        del pdf.Root["/Lang"]
        pdf.save(broken)
    assert any("ua1" in failure for failure in validator_failures(broken))
    assert outloud_findings(broken)
