"""Whatever text a secretary pastes into a one-line field comes back exactly, in Word (as
python-docx and pandoc read it) and in the PDF (from both engines); it is never evaluated as a
template and never breaks the file.

The rule for line breaks, as documented in the README: in a one-line field every run of
whitespace, line breaks included, becomes one space, and the ends are trimmed.
Examples are derandomized, so CI tries the same cases every run.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

import docx
import yaml
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from pipeline.options import FONTS
from pipeline.load import NOT_IN_DOCUMENTS
from pipeline.child import tool_environment
from pipeline.pandoc import FIELD_READER, pandoc_path, run_pandoc
from support import require, run_cli
from test_pdf import canonical

NASTY = [
    "& < > \" '", "AT&T <b>fet</b>", "{{ uppdrag.kommun }}", "{% for x in y %}{% endfor %}", "{{ 7*7 }}",
    "</w:t></w:r>", "]]>", "مرحبا بكم في ترانemo", "ሰላም ትግርኛ", "שלום", "Привет, мир", "👍🏽 😀 ✅",
    "a" * 300, "rad ett\nrad två\r\nrad tre", "  luft  runt  ", "\t tabb", "100 %", "C:\\Mina dokument",
    "\u200f\u200e", "e\u0301 (sammansatt)", "Ωμέγα",
]


def allowed(character: str) -> bool:
    return not NOT_IN_DOCUMENTS.search(character) and unicodedata.category(character) not in ("Cs", "Co", "Cn")


ANY_TEXT = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(codec="utf-8").filter(allowed), min_size=1, max_size=40),
).filter(lambda text: text.split())


@cache
def covered_by_fonts() -> str:
    """Every character some shipped font has a glyph for (what the Typst engine can put in a PDF/A)."""
    characters = set()
    for font in FONTS.glob("*.ttf"):
        characters |= {chr(code) for code in TTFont(font, lazy=True).getBestCmap()}
    # Left-to-right scripts whose extracted text keeps its order (Arabic and Hebrew are shaped and mirrored).
    return "".join(sorted(c for c in characters if allowed(c) and not c.isspace() and not "\u0590" <= c <= "\u08ff"
                          and unicodedata.category(c)[0] in "LNPS"))


PRINTABLE_TEXT = st.text(st.sampled_from(covered_by_fonts()), min_size=1, max_size=25)


def one_line(text: str) -> str:
    return " ".join(text.split())


def sources_with(folder: Path, texts: list[str], label: str, markdown: str = "Perioden.") -> None:
    """A compilation whose every one-line field holds the generated text."""
    # 'övrigt': the one kind the compilation never names beside the place, so the cell holds only the texts
    meetings = [{"datum": f"2018-01-{n + 10:02d}", "typ": "övrigt", "rubrik": text, "plats": text,
                 "innehåll": [text, {label: text}], "dokument": [text]} for n, text in enumerate(texts)]
    data = {"rubrik": texts[0], "perioder": [{"rubrik": texts[-1], "beskrivning": markdown, "sammankomster": meetings}]}
    folder.mkdir()
    (folder / "sammankomster.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")


def build(texts: list[str], label: str, *arguments: str, markdown: str = "Perioden.") -> tuple[Path, tempfile.TemporaryDirectory]:
    work = tempfile.TemporaryDirectory()
    sources_with(Path(work.name) / "sources", texts, label, markdown)
    result = run_cli("build", "--sources", Path(work.name) / "sources", "--build", Path(work.name) / "build", *arguments)
    assert result.code == 0, result.err
    return Path(work.name) / "build", work


MARKDOWN_SAMPLES = [
    "```\nkod som aldrig stängs", "<!-- en kommentar som aldrig stängs", "```{=openxml}\n<w:p><w:r><w:t>XML</w:t></w:r></w:p>\n```",
    "- lista\n- med *kursiv* och **fet**\n\n1. numrerad", "> citat\n\nstycke", "::: {.ruta}\ninnehåll utan slut",
]
MARKDOWN = st.one_of(ANY_TEXT, st.sampled_from(MARKDOWN_SAMPLES))


@settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=4), label=ANY_TEXT, markdown=MARKDOWN)
def test_any_text_comes_back_exactly_in_word(texts, label, markdown):
    out, work = build(texts, label, "--formats", "docx", markdown=markdown)
    with work:
        document = docx.Document(str(out / "sammanstallning.docx"))
        assert document.paragraphs[0].text == one_line(unicodedata.normalize("NFC", texts[0]))  # sources are read as NFC
        rows = document.tables[0].rows[1:]
        for row, text in zip(rows, texts, strict=True):
            meeting, content, documents = (cell.paragraphs for cell in row.cells[1:])
            expected = one_line(unicodedata.normalize("NFC", text))
            assert [p.text for p in meeting if p.text] == [expected, expected]
            assert [p.text for p in content if p.text] == [expected, f"{one_line(unicodedata.normalize('NFC', label))}: {expected}"]
            assert [p.text for p in documents if p.text] == [expected]
        plain = run_pandoc(["--from=docx", "--to=plain", "--wrap=none"], (out / "sammanstallning.docx").read_bytes())
        assert all(one_line(unicodedata.normalize("NFC", text)) in one_line(plain.decode("utf-8")) for text in texts)


def pdf_text(path: Path) -> str:
    return unicodedata.normalize("NFKC", "".join(page.extract_text() for page in PdfReader(str(path)).pages))


@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(PRINTABLE_TEXT, min_size=1, max_size=3))
def test_printable_text_reaches_the_typst_pdf(texts):
    out, work = build(texts, "Besök", "--formats", "pdf", "--pdf-engine", "typst")
    with work:
        text = canonical(pdf_text(out / "sammanstallning.pdf"))
        for value in texts:
            assert canonical(unicodedata.normalize("NFKC", value)) in text


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(ANY_TEXT, min_size=2, max_size=3))
def test_libreoffice_draws_any_text_or_names_the_character_it_cannot(texts):
    """A character no shipped font has (or a colour emoji, which LibreOffice 7.4 cannot draw) never
    vanishes from the PDF in silence: the build stops and names it."""
    require("libreoffice")
    with tempfile.TemporaryDirectory() as work:
        sources_with(Path(work) / "sources", texts, "Besök")
        result = run_cli("build", "--sources", Path(work) / "sources", "--build", Path(work) / "build",
                         "--formats", "docx,pdf", "--pdf-engine", "libreoffice")
        if result.code:
            problems = result.err.splitlines()[1:-1]
            assert problems and all(re.fullmatch(r"(sammanstallning|overlamnande)\.pdf \(LibreOffice\), sida \d+: "
                                                 r"teckne[nt] .* finns inte i typsnittet .* och syns som en tom ruta; .*",
                                                 line) for line in problems), result.err
            return
        text = canonical(pdf_text(Path(work) / "build" / "sammanstallning.pdf"))
        for value in texts:
            for latin in re.findall(r"[A-Za-zÅÄÖåäö0-9]+", value):
                assert latin in text


# Markdown's marks and what surrounds them, to make texts that pandoc's extensions might act on.
MARKS = [*"ab åÖ*_`~^[]()!:.-+=|>\n\t 1234\"'@&%/\\<{}$#", "ሰላም", "שלום", "👍🏽", "\r\n", "\n\n", "1. ", "- ", "---", "==="]
COMPARE_READINGS = """
local fields = setmetatable({}, {__index = _G})
loadfile(arg[1], "t", fields)()
local checked, differ = 0, {}
for _, text in ipairs(pandoc.json.decode(io.read("a"), false)) do
  if fields.without_marks(text) then
    checked = checked + 1
    if pandoc.read(text, "markdown") ~= pandoc.read(text, fields.MARKDOWN) then table.insert(differ, text) end
  end
end
io.write(pandoc.json.encode({checked = checked, differ = differ}))
"""


def test_a_field_read_the_cheap_way_reads_as_with_every_extension_named(tmp_path):
    """pipeline/lua/fields.lua reads a text without the marks of the extensions it turns off as plain
    markdown (40 times cheaper): for any such text, that must give what the named format gives.
    3,000 texts of Markdown's marks at random (the same every run), and the nasty ones above."""
    chance = random.Random(12)
    texts = [*NASTY, *MARKDOWN_SAMPLES, *("".join(chance.choices(MARKS, k=chance.randint(1, 40))) for _ in range(3000))]
    script = tmp_path / "compare.lua"
    script.write_text(COMPARE_READINGS, "utf-8")
    answer = subprocess.run([pandoc_path(), "lua", str(script), str(FIELD_READER)], input=json.dumps(texts),
                            capture_output=True, text=True, check=True, env=tool_environment())
    result = json.loads(answer.stdout)
    assert not result["differ"]  # (an empty list comes back as {})
    assert result["checked"] >= 500  # many are read the cheap way: the comparison is not idle
