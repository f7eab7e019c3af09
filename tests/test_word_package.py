"""Word opens every built file as its own: valid against the OOXML schema (openxml-audit, the
Microsoft 365 rules), not in compatibility mode, with no part that says something untrue (app.xml's
"Microsoft Macintosh Word", one page, no words; a blank thumbnail; a stale stylesWithEffects)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from support import SOURCES, copy_sources, run_cli

AUDIT = Path(sys.executable).parent / "openxml-audit"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def word_files(example_build, tierp_build, tmp_path_factory) -> list[Path]:
    """Every kind of Word file the pipeline writes: the three documents, the Tierp compilation, a
    cover letter, and the handover of a summary with a numbered list and a heading."""
    sources = copy_sources(SOURCES, tmp_path_factory.mktemp("lists") / "sources")
    path = sources / "overlamnande.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "sammanfattning: |", "sammanfattning: |\n  ## Kort\n\n  1. ett\n  2. två\n\n  - a\n  - b\n", 1), "utf-8")
    out = tmp_path_factory.mktemp("utskick")
    result = run_cli("distribute", "--sources", sources, "--build", out, "--pdf-engine", "typst")
    assert result.code == 0, result.err
    return [*(example_build / f"{name}.docx" for name in ("uppdrag", "sammanstallning", "overlamnande")),
            tierp_build / "sammanstallning.docx", out / "overlamnande.docx",
            out / "utskick" / "centerpartiet" / "foljebrev.docx"]


def audit(path: Path) -> dict:
    result = subprocess.run([str(AUDIT), "--format", "microsoft365", "--output", "json", "--max-errors", "0", str(path)],
                            capture_output=True, text=True, check=False)
    return json.loads(result.stdout)[0]


def test_openxml_audit_finds_nothing_in_any_word_file(word_files):
    reports = [audit(path) for path in word_files]
    findings = {report["file"]: [e.get("description", e) for e in report["errors"]]
                for report in reports if report["error_count"] or report["warning_count"]}
    assert findings == {}
    assert all(report["verdict"]["prediction"] == "opens-clean" for report in reports)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_word_opens_them_in_its_own_mode_with_no_untrue_parts(word_files):
    for path in word_files:
        files = parts(path)
        settings = etree.fromstring(files["word/settings.xml"])
        modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting") if s.get(f"{W}name") == "compatibilityMode"]
        assert modes == ["15"], path
        assert not {"docProps/app.xml", "docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"} & set(files), path
        assert b"thumbnail" not in files["_rels/.rels"] and b"stylesWithEffects" not in files["word/_rels/document.xml.rels"]


def test_the_style_that_cut_markdown_apart_is_not_left_in_the_styles(word_files):
    for path in word_files:
        styles = etree.fromstring(parts(path)["word/styles.xml"])
        assert [s.get(f"{W}styleId") for s in styles.iter(f"{W}style") if s.get(f"{W}styleId", "").startswith("Beredning")] == []


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2.1's contrast ratio of a colour against white."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 1.05 / (0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b) + 0.05)


def test_every_text_style_is_readable_on_white(word_files):
    """WCAG 1.4.3: 4.5:1 for text; given as a colour of its own, since Word takes a theme colour
    (the default theme's #4F81BD, 4.0:1) over the colour written beside it."""
    for path in word_files:
        styles = etree.fromstring(parts(path)["word/styles.xml"])
        for style in styles.iter(f"{W}style"):
            if style.get(f"{W}type") not in ("paragraph", "character"):
                continue
            for colour in style.iter(f"{W}color"):
                value = colour.get(f"{W}val")
                assert colour.get(f"{W}themeColor") is None, (path.name, style.get(f"{W}styleId"))
                if value and value != "auto":
                    assert contrast_on_white(value) >= 4.5, (path.name, style.get(f"{W}styleId"), value)
