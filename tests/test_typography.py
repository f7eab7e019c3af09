"""Swedish typography: quotation marks added only where a voice has none, and no line break between
a number and its unit."""

from __future__ import annotations

import pytest
import yaml

from support import SOURCES, copy_sources, read_docx, run_cli

VOICES = ["Jag visste inte var jag skulle börja.", '"Jag visste", sa hon.', "”Jag kom hit 2015.”",
          '"Här trivs jag."', "“Bibliotek är bra.”", "«Fler bussar!»"]
SHOWN = ["”Jag visste inte var jag skulle börja.”", '”"Jag visste", sa hon.”', "”Jag kom hit 2015.”",
         "”Här trivs jag.”", "”Bibliotek är bra.”", "”Fler bussar!”"]


@pytest.fixture(scope="module")
def handover(tmp_path_factory):
    sources = copy_sources(SOURCES, tmp_path_factory.mktemp("typografi") / "sources")
    path = sources / "medborgardialoger.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["dialoger"][0]["resultat"]["röster"] = VOICES
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = sources.parent / "build"
    result = run_cli("build", "--sources", sources, "--build", out, "--formats", "docx")
    assert result.code == 0, result.err
    return read_docx(out / "overlamnande.docx")


def test_a_voice_gets_swedish_quotation_marks_once(handover):
    paragraphs = [p.text for p in handover.paragraphs]
    start = paragraphs.index("Röster från dialogen")
    assert paragraphs[start + 1:start + 1 + len(VOICES)] == SHOWN


def test_no_line_break_between_an_amount_and_kr(example_build):
    texts = [p.text for p in read_docx(example_build / "uppdrag.docx").paragraphs]
    assert "Budget exklusive arvoden: 10\u00a0000\u00a0kr" in texts
