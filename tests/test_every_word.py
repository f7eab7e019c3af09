"""Every word arrives: no format loses, moves or reinterprets a word of the sources.

Each case of issue 8 built with both PDF engines, read back as the reader gets
it (pymupdf's text and positions of the PDF, the Word file's XML, the web page),
and the build's own proof (pipeline/proof.py) shown stopping a build that loses
a word.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import docx
import pymupdf
import pytest
import yaml
from docx.oxml.ns import qn

from pipeline.options import FONTS
from pipeline.errors import shown_path
from pipeline.proof import Fault, Outputs, Places, Printed, ProofError, pdf_words, prove, words
from support import SOURCES, copy_sources, page_faults, require, run_cli

def edited(tmp_path: Path, name: str, change) -> Path:
    """The example sources with `change(data)` applied to one file."""
    folder = copy_sources(SOURCES, tmp_path / "sources")
    path = folder / name
    data = yaml.safe_load(path.read_text("utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")
    return folder


def built(sources: Path, out: Path, engine: str, formats: str = "docx,pdf,html") -> Path:
    result = run_cli("build", "--sources", sources, "--build", out, "--pdf-engine", engine, "--formats", formats)
    assert result.code == 0, result.err
    return out


def pdf_text(path: Path) -> str:
    """The PDF's text as one line: words broken at a line's end joined, spaces collapsed."""
    with pymupdf.open(path) as pdf:
        return flowing(" ".join(page.get_text() for page in pdf))


def flowing(text: str) -> str:
    return " ".join(re.sub(r"\xad\s*", "", text).split())


def items(data, texts: list[str]) -> None:
    """The first meeting with a content item per text."""
    data["perioder"][0]["sammankomster"][1]["innehåll"] = texts


# --- nothing clipped -----------------------------------------------------------------

def test_forty_items_in_one_meeting_all_reach_the_pdf(tmp_path, engine):
    sources = edited(tmp_path, "sammankomster.yaml", lambda d: items(d, [f"Punkt{n} om integration" for n in range(1, 41)]))
    out = built(sources, tmp_path / "build", engine, "pdf")
    text = pdf_text(out / "sammanstallning.pdf")
    assert sorted(int(n) for n in re.findall(r"Punkt(\d+)", text)) == list(range(1, 41))
    assert page_faults(out / "sammanstallning.pdf") == []


def test_fifty_nine_items_all_reach_the_pdf(tmp_path, engine):
    sources = edited(tmp_path, "sammankomster.yaml", lambda d: items(d, [f"Punkt{n}: kort text" for n in range(1, 60)]))
    out = built(sources, tmp_path / "build", engine, "pdf")
    for name in ("sammanstallning.pdf", "overlamnande.pdf"):
        assert set(re.findall(r"Punkt(\d+)", pdf_text(out / name))) == {str(n) for n in range(1, 60)}, name


def test_an_item_of_eight_hundred_words_is_whole_in_every_format(tmp_path, engine):
    long_item = " ".join(f"ord{n}" for n in range(800))
    sources = edited(tmp_path, "sammankomster.yaml", lambda d: items(d, [long_item]))
    out = built(sources, tmp_path / "build", engine)
    expected = words(long_item)
    with pymupdf.open(out / "sammanstallning.pdf") as pdf:
        found = words(" ".join(page.get_text() for page in pdf))
        pages = [n for n, page in enumerate(pdf) if "ord" in page.get_text()]
    assert len(pages) > 1  # the row breaks across pages instead of running off one
    assert [w for w in found if w.startswith("ord")] == expected
    assert page_faults(out / "sammanstallning.pdf") == []
    assert long_item in flowing((out / "sammanstallning.html").read_text("utf-8"))


def test_a_short_meeting_row_is_still_kept_on_one_page(tmp_path):
    sources = edited(tmp_path, "sammankomster.yaml", lambda d: items(d, [" ".join(["ord"] * 1000), "kort"]))
    document = docx.Document(built(sources, tmp_path / "build", "typst", "docx") / "sammanstallning.docx")
    rows = [row for table in document.tables for row in table.rows[1:]]
    kept = {row.cells[0].text: row._tr.trPr.find(qn("w:cantSplit")) is not None for row in rows}
    assert kept["16/11"] is False  # taller than half a page: may break
    assert kept["2/11"] is True and kept["7/12"] is True


ITEMS_PER_MEETING = [1, 2, 3, 4, 6, 8, 10, 12, 14, 16, 20, 26]  # from a line to past half a page


def long_items(data) -> None:
    """Meetings of 1 to 26 items, each with emphasis, a 28-letter and a 48-letter word: some rows
    surely fit half a page, others are near or past it."""
    every = [meeting for period in data["perioder"] for meeting in period["sammankomster"]]
    for meeting, count in zip(every, ITEMS_PER_MEETING):
        meeting["innehåll"] = [{"Genomgång": f"Punkt {n}: *Ärendeförteckningsbilagan* och **Överlämnandet**, "
                                             f"{'W' * 28} samt {'Långordsexemplet' * 3}"} for n in range(count)]


def test_rows_the_pipeline_keeps_whole_are_those_typst_measuring_keeps_whole(tmp_path, monkeypatch):
    """pipeline/whole_rows.py spares Typst measuring the rows it can show to fit half a page. Its bound
    must never keep a row whole that Typst would break: the PDF is the same, page by page and block by
    block, as when Typst measures every row (long words, emphasis, rows near the threshold)."""
    require("typst")
    from pipeline import whole_rows

    sources = edited(tmp_path, "sammankomster.yaml", long_items)
    kept_rows, real = [], whole_rows.mark_rows_that_fit

    def marking(body, width):
        found = real(body, width)
        kept_rows.append((sum(style.get(qn("w:val")) == whole_rows.ROW_STYLE for style in body.iter(qn("w:pStyle"))),
                          sum(1 for table in body.iterchildren(qn("w:tbl")) for _ in table.iterchildren(qn("w:tr")))))
        return found

    monkeypatch.setattr(whole_rows, "mark_rows_that_fit", marking)
    kept = built(sources, tmp_path / "kept", "typst", "pdf")
    monkeypatch.setattr(whole_rows, "mark_rows_that_fit", lambda body, width: False)
    measured = built(sources, tmp_path / "measured", "typst", "pdf")
    marked, rows = sum(marked for marked, _ in kept_rows), sum(rows for _, rows in kept_rows)
    assert 0 < marked < rows  # some rows shown to fit, the others (near or past the threshold) left to Typst
    for name in ("sammanstallning.pdf", "overlamnande.pdf"):
        with pymupdf.open(kept / name) as left, pymupdf.open(measured / name) as right:
            assert [page.get_text("blocks") for page in left] == [page.get_text("blocks") for page in right], name


def test_the_web_page_is_the_same_with_or_without_a_typst_pdf(tmp_path):
    """With Typst, pandoc reads each Word file once for the PDF's Typst and the web page, from a copy
    marked for Typst (rows kept whole, the landscape appendix): the web pages are byte for byte those
    made from the Word files alone."""
    require("typst")
    sources = edited(tmp_path, "sammankomster.yaml", long_items)
    alone = built(sources, tmp_path / "html", "typst", "docx,html")
    beside_pdf = built(sources, tmp_path / "all", "typst")
    pages = sorted(page.relative_to(alone) for page in alone.rglob("*.html"))
    assert len(pages) == 8
    for page in pages:
        assert (beside_pdf / page).read_bytes() == (alone / page).read_bytes(), page


def test_a_meeting_with_many_items_is_cut_into_rows_that_read_as_one(tmp_path):
    """Forty items: rows of about a quarter page each, every one kept on a page, the date and the
    documents in the first, no line between them, and every item once, in order."""
    texts = [f"Punkt{n} om integration" for n in range(1, 41)]
    sources = edited(tmp_path, "sammankomster.yaml", lambda d: items(d, texts))
    document = docx.Document(built(sources, tmp_path / "build", "typst", "docx") / "sammanstallning.docx")
    rows = document.tables[0].rows
    start = next(n for n, row in enumerate(rows) if row.cells[0].text == "16/11")
    meeting = [rows[start]] + [row for row in rows[start + 1:start + 10] if row.cells[0].text == ""]
    assert len(meeting) > 2
    assert [p.text for row in meeting for p in row.cells[2].paragraphs if p.text] == texts
    assert [p.text for row in meeting for p in row.cells[3].paragraphs if p.text] == \
        ["Handlingsplan för Trivsel- och trygghetsberedningen"]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in meeting)
    for upper, lower in zip(meeting, meeting[1:]):
        for cell in (*upper.cells, *lower.cells):
            assert cell._tc.tcPr is not None
        assert all(c._tc.tcPr.find(f"{qn('w:tcBorders')}/{qn('w:bottom')}").get(qn("w:val")) == "nil" for c in upper.cells)
        assert all(c._tc.tcPr.find(f"{qn('w:tcBorders')}/{qn('w:top')}").get(qn("w:val")) == "nil" for c in lower.cells)


def test_a_word_lost_after_rendering_stops_the_build():
    """The proof counts the rendered body's words and finds each in the finished Word file."""
    finished = Path(__file__).resolve().parent.parent / "templates" / "foljebrev.docx"
    printed = Printed([], [], Counter({"försvunnet": 1}))
    with pytest.raises(ProofError) as stopped:
        prove([Outputs("foljebrev.docx", finished.read_bytes(), printed, _facts(), "typst")])
    assert "foljebrev.docx: 'försvunnet' (ur mallen) saknas i Word-filen" in str(stopped.value)


def section_of(element, document) -> "docx.section.Section":
    """The section a body element stands in: the first one whose break comes after it."""
    breaks = [p for p in document.element.body.iterchildren() if p.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None]
    index = list(document.element.body.iterchildren()).index(element)
    for number, paragraph in enumerate(breaks):
        if list(document.element.body.iterchildren()).index(paragraph) >= index:
            return document.sections[number]
    return document.sections[-1]


def test_every_table_fits_its_section_in_the_word_file(example_build):
    for name in ("uppdrag.docx", "sammanstallning.docx", "overlamnande.docx"):
        document = docx.Document(example_build / name)
        for table in document.tables:
            section = section_of(table._tbl, document)
            width = section.page_width - section.left_margin - section.right_margin
            grid = sum(int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iterchildren(qn("w:gridCol")))
            assert grid * 635 <= width, (name, grid * 635, width)  # twips to EMU


def test_the_handovers_appendix_is_a_landscape_section(example_build):
    document = docx.Document(example_build / "overlamnande.docx")
    first, appendix = document.sections
    assert first.page_width < first.page_height and appendix.page_width > appendix.page_height
    appendix_table = document.tables[-1]
    assert section_of(appendix_table._tbl, document) is not None
    assert appendix_table.rows[0].cells[3].text == "Dokument som utarbetas"


def test_the_appendix_is_turned_and_shows_its_fourth_column_in_the_pdf(tmp_path, engine):
    out = built(SOURCES, tmp_path / "build", engine, "pdf")
    text = pdf_text(out / "overlamnande.pdf")
    with pymupdf.open(out / "overlamnande.pdf") as pdf:
        appendix = next(page for _, title, page in pdf.get_toc() if title.startswith("Bilaga:"))
        turned = [page.rect.width > page.rect.height for page in pdf]
    assert turned == [False] * (appendix - 1) + [True] * (len(turned) - appendix + 1)  # the appendix turned, as in Word
    assert "Dokument som utarbetas" in text
    assert "Handlingsplan för Trivsel- och trygghetsberedningen" in text
    assert page_faults(out / "overlamnande.pdf") == []


@pytest.mark.parametrize("name", ["uppdrag.docx", "sammanstallning.docx", "overlamnande.docx"])
def test_header_and_footer_tab_stops_are_at_the_sections_right_margin(example_build, name):
    for section in docx.Document(example_build / name).sections:
        width = section.page_width - section.left_margin - section.right_margin
        for part in (section.header, section.footer):
            stops = part.paragraphs[0]._p.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
            assert [(s.get(qn("w:val")), int(s.get(qn("w:pos"))) * 635) for s in stops] == [("right", width)]


def test_a_long_committee_name_does_not_run_into_the_page_number(tmp_path, engine):
    name = "Demokrati- & delaktighetsberedningen för långsiktig hållbar samhällsutveckling i hela kommunen"
    sources = edited(tmp_path, "uppdrag.yaml", lambda d: d.update(beredning=name))
    out = built(sources, tmp_path / "build", engine, "pdf")
    with pymupdf.open(out / "uppdrag.pdf") as pdf:
        page = pdf[0]
        footer = [w for w in page.get_text("words", sort=True) if w[1] > page.rect.height * 0.85]
        start = max(n for n, w in enumerate(footer) if w[4] == "Sida")
        page_number = pymupdf.Rect(footer[start][:4]) | footer[-1][:4]  # "Sida 1 av 2"
        name_words = [pymupdf.Rect(w[:4]) for w in footer[:start]]
        assert " ".join(w[4] for w in footer[start:]) == f"Sida 1 av {pdf.page_count}"
        assert name_words and not any(r.intersects(page_number) for r in name_words)
        assert page_number.x1 > page.rect.width - 2.2 * 72 / 2.54 - 2  # flush with the right margin, not mid-page


# --- text is text ----------------------------------------------------------------------

MARKUP_ITEMS = ["= inte en rubrik", "+ x som inte är en lista", "/ term: ingen termlista", "1. ingen numrering",
                "#set text(red) $x$ <etikett> @ref // kommentar /* c */ `kod` *a* _b_ \\ ~ -- ... 'q' \"r\""]


def test_typst_prints_source_text_as_it_is(tmp_path):
    def change(data):
        for member in data["ledamöter"]:
            member["namn"] = "- " + member["namn"]
        data["partigrupper"][0]["parti"] = "= KD"
    sources = edited(tmp_path, "overlamnande.yaml", change)
    meetings = sources / "sammankomster.yaml"
    data = yaml.safe_load(meetings.read_text("utf-8"))
    items(data, MARKUP_ITEMS)
    meetings.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = built(sources, tmp_path / "build", "typst", "pdf")
    with pymupdf.open(out / "sammanstallning.pdf") as pdf:
        lines = [" ".join(line.split()) for page in pdf for line in page.get_text().splitlines()]
        titles = [title for _, title, _ in pdf.get_toc()]
    assert titles == [data["rubrik"], *(period["rubrik"] for period in data["perioder"])]  # nothing else
    text = " ".join(lines).replace("\xad ", "")  # a word hyphenated at a line's end, read whole
    for item in MARKUP_ITEMS:
        assert " ".join(item.split()) in text
    assert not any(line.startswith("1.") for line in lines)
    with pymupdf.open(out / "overlamnande.pdf") as pdf:
        titles = [title for _, title, _ in pdf.get_toc()]
        text = " ".join(" ".join(page.get_text() for page in pdf).split())
    assert "KD" not in titles and "= KD" not in titles
    assert "= KD:" in text and "- Exempel Ledamot" in text


def test_a_marker_like_paragraph_stays_where_it_was_written(tmp_path, engine):
    def change(data):
        data["perioder"][0]["beskrivning"] = "Början av perioden.\n\nBEREDNINGSFRAGMENT2\n\nSlutet av perioden.\n"
    sources = edited(tmp_path, "sammankomster.yaml", change)
    assignment = sources / "uppdrag.yaml"
    data = yaml.safe_load(assignment.read_text("utf-8"))
    data["uppdragsbeskrivning"] = "BEREDNINGSFRAGMENT1\n\n" + data["uppdragsbeskrivning"]
    assignment.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = built(sources, tmp_path / "build", engine)
    document = docx.Document(out / "overlamnande.docx")
    texts = [p.text for p in document.paragraphs]
    start = texts.index("Början av perioden.")
    assert texts[start:start + 3] == ["Början av perioden.", "BEREDNINGSFRAGMENT2", "Slutet av perioden."]
    assert "BEREDNINGSFRAGMENT1" in texts
    pdf = pdf_text(out / "overlamnande.pdf")
    assert "Början av perioden. BEREDNINGSFRAGMENT2 Slutet av perioden." in pdf


def test_raw_html_and_tex_in_markdown_are_shown_as_written(tmp_path, engine):
    text = "Före <div>inuti</div> efter, \\newcommand{\\x}{y} och $5 + $6 {.klass} [a]{b=c}."
    sources = edited(tmp_path, "overlamnande.yaml", lambda d: d.update(sammanfattning=text))
    out = built(sources, tmp_path / "build", engine)
    paragraphs = [p.text for p in docx.Document(out / "overlamnande.docx").paragraphs]
    assert text in paragraphs
    assert text in pdf_text(out / "overlamnande.pdf")
    assert "&lt;div&gt;inuti&lt;/div&gt;" in (out / "overlamnande.html").read_text("utf-8")


def heading_levels(path: Path) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(path).paragraphs if p.style.name.startswith("Heading")]


def test_headings_in_markdown_go_below_their_section(tmp_path, engine):
    summary = "### Bakgrund\n\nText.\n\n# Vad vi fann\n\nMer.\n\n### Detaljer\n\nSist."
    sources = edited(tmp_path, "overlamnande.yaml", lambda d: d.update(sammanfattning=summary))
    out = built(sources, tmp_path / "build", engine)
    levels = heading_levels(out / "overlamnande.docx")
    start = levels.index(("Heading 1", "Sammanfattning"))
    assert levels[start:start + 4] == [("Heading 1", "Sammanfattning"), ("Heading 2", "Bakgrund"),
                                       ("Heading 2", "Vad vi fann"), ("Heading 3", "Detaljer")]
    html = (out / "overlamnande.html").read_text("utf-8")
    assert re.search(r"<h2[^>]*>Bakgrund</h2>", html) and re.search(r"<h3[^>]*>Detaljer</h3>", html)
    with pymupdf.open(out / "overlamnande.pdf") as pdf:
        toc = [(level, title) for level, title, _ in pdf.get_toc()]
    assert (1, "Vad vi fann") not in toc


def test_too_many_heading_levels_in_a_text_are_refused_at_their_line(tmp_path):
    summary = "# Ett\n\n## Två\n\n### Tre\n\n#### Fyra\n\nText."
    sources = edited(tmp_path, "overlamnande.yaml", lambda d: d.update(sammanfattning=summary))
    result = run_cli("check", "--sources", sources)
    line = next(n for n, text in enumerate((sources / "overlamnande.yaml").read_text("utf-8").splitlines(), 1)
                if "#### Fyra" in text)
    assert result.code == 1
    assert (f"overlamnande.yaml:{line}:3: rubriken '#### Fyra' är textens 4:e rubriknivå; en text får ha högst "
            "3 nivåer (#, ##, ###), som hamnar under avsnittets egen rubrik") in result.err


# --- the build's proof -----------------------------------------------------------------------

def test_a_template_that_hides_a_field_stops_the_build_and_says_where(tmp_path):
    """Hidden text (Word's 'Dold') is in the file but not on the page: a template that hides a field
    shows the reader less than the sources say, and nothing is published."""
    templates = tmp_path / "templates"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", templates)
    document = docx.Document(templates / "uppdrag.docx")
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Beredning: "))
    for run in paragraph.runs:
        run.font.hidden = True
    document.save(templates / "uppdrag.docx")
    out = tmp_path / "build"
    result = run_cli("build", "--sources", SOURCES, "--build", out, "--templates", templates, "--pdf-engine", "typst")
    line = next(n for n, text in enumerate((SOURCES / "uppdrag.yaml").read_text("utf-8").splitlines(), 1)
                if text.startswith("beredning:"))
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        "bygget stoppades: ett format visar inte allt som källorna säger",
        f"uppdrag.docx: 'trivsel' (från {shown_path(SOURCES / 'uppdrag.yaml')}:{line}) saknas i Word-filen"]
    assert not out.exists() or not any(out.iterdir())


def test_the_proof_names_the_source_line_document_format_and_page(tmp_path):
    out = built(SOURCES, tmp_path / "build", "typst")
    blank = pymupdf.open()
    blank.new_page()
    with pytest.raises(ProofError) as stopped:
        prove([Outputs("sammanstallning.docx", (out / "sammanstallning.docx").read_bytes(),
                       Printed(["Kommunfullmäktiges presidium lämnar uppdraget till beredningen"], [], Counter()),
                       _facts(), "typst", blank.tobytes(), None)],
              OnePlace("Kommunfullmäktiges", "sources/sammankomster.yaml:18"))
    message = str(stopped.value)
    assert message.startswith("bygget stoppades: ett format visar inte allt som källorna säger\n")
    assert "sammanstallning.pdf (Typst), sida 1: 'exempeldata' (ur mallen) saknas" in message
    assert "sammanstallning.pdf (Typst), sida 1: 'kommunfullmäktiges' (från sources/sammankomster.yaml:18) saknas" in message


class OnePlace(Places):
    """Sources where one text, starting with `start`, stands at `where`."""

    def __init__(self, start: str, where: str):
        super().__init__()
        self.start, self.where = start, where

    def of(self, text: str) -> str:
        return self.where if text.startswith(self.start) else ""


def _facts():
    from datetime import date

    from pipeline.documents import Facts

    return Facts(title="t", author="a", subject="s", date=date(2018, 1, 1))


def test_a_character_no_shipped_font_has_stops_the_libreoffice_build(tmp_path):
    require("libreoffice")
    sources = edited(tmp_path, "sammankomster.yaml", lambda d: items(d, ["Kinesiska: 漢字"]))
    result = run_cli("build", "--sources", sources, "--build", tmp_path / "build", "--pdf-engine", "libreoffice",
                     "--formats", "pdf")
    line = next(n for n, text in enumerate((sources / "sammankomster.yaml").read_text("utf-8").splitlines(), 1)
                if "漢字" in text)
    assert result.code == 1
    # The characters a font lacks are told together, in the order drawn, with the line they stand on.
    assert (f"sammanstallning.pdf (LibreOffice), sida 1: tecknen '漢' (U+6F22), '字' (U+5B57) "
            f"(från {sources}/sammankomster.yaml:{line}) "
            "finns inte i typsnittet NotoSans-Regular och syns som en tom ruta; lägg till ett typsnitt som har tecknet "
            "i fonts/") in result.err


def test_pdf_words_reports_text_drawn_off_the_page():
    document = pymupdf.open()
    page = document.new_page()
    font = str(FONTS / "NotoSans-Regular.ttf")
    page.insert_text((50, 100), "synlig", fontname="noto", fontfile=font)
    page.insert_text((50, page.rect.height + 30), "osynlig", fontname="noto", fontfile=font)
    shown = pdf_words(document.tobytes())
    assert shown.body.words == ["synlig", "osynlig"] and shown.pages == [1, 1]
    assert shown.faults == [Fault(1, "osynlig", "'osynlig'", "står utanför sidans tryckbara yta")]
