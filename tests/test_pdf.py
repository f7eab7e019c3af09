"""The PDFs, from both engines: archivable (PDF/A-2b), accessible (tagged, language, title),
every meeting of the compilation in the text, and a table of contents that points at the right pages.

LibreOffice is optional on a secretary's machine but required in CI: there a
missing `soffice` fails these tests instead of skipping them.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from support import SOURCES, TIERP, processes_naming, require, run_cli
from test_compilation_tierp import SEED_PERIODS


def canonical(text: str) -> str:
    """Text with spaces, line breaks and hyphens dropped: engines break and hyphenate lines differently."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text.replace("<i>", "").replace("</i>", ""))


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


TITLES = {
    "uppdrag": "Uppdrag Trivsel och trygghetsberedningen",
    "sammanstallning": "Sammanställning av Trivsel- och trygghetsberedningens arbete 2017–2018",
    "overlamnande": "Översyn av Policy för integrationsarbetet",
    "tierp": "Sammanställning av integrationsberedningens arbete 2015- 2016",
}


@pytest.mark.parametrize("name", list(TITLES))
def test_pdf_a_2b_tagged_swedish_with_title(pdfs, name):
    with pikepdf.open(pdfs[name]) as pdf:
        meta = pdf.open_metadata()
        assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B")
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang).startswith("sv")
        assert str(pdf.docinfo.Title) == TITLES[name]
        assert meta.get("dc:title") == TITLES[name]


@pytest.mark.parametrize("name", list(TITLES))
def test_both_engines_declare_pdf_ua_1(pdfs, name):
    with pikepdf.open(pdfs[name]) as pdf:
        assert pdf.open_metadata().get("pdfuaid:part") == "1"


def test_every_meeting_of_the_tierp_compilation_is_in_the_pdf(pdfs):
    text = canonical("".join(pages_text(pdfs["tierp"])))
    position = 0
    for period in SEED_PERIODS:
        assert canonical(period.heading) in text
        assert canonical(period.narrative) in text
        for date, meeting, content, documents in period.rows:
            row_start = canonical(date + meeting)[:20]
            found = text.find(row_start, position)
            assert found >= 0, f"row {date} {meeting!r} missing or out of order"
            position = found
            for piece in re.split(r"•", content + "•" + documents):
                assert canonical(piece) in text, piece


def test_table_of_contents_points_at_the_right_pages(pdfs):
    pages = pages_text(pdfs["overlamnande"])
    contents_page = next(i for i, page in enumerate(pages) if "Innehåll" in page.splitlines()[:3] or
                         re.search(r"^Innehåll$", page, re.MULTILINE))
    entries = []
    for line in pages[contents_page].splitlines():
        match = re.match(r"^(.+?)[\s.]*?(?:\s?\.){3,}\s*(\d+)$", line.strip())
        if match:
            entries.append((match[1].strip(), int(match[2])))
    assert len(entries) >= 10, pages[contents_page]
    for heading, page in entries:
        assert canonical(heading) in canonical(pages[page - 1]), f"{heading!r} is not on page {page}"


def test_header_and_page_numbers_on_every_page(pdfs):
    pages = pages_text(pdfs["overlamnande"])
    for number, page in enumerate(pages[1:], start=2):
        assert "Trivsel- och trygghetsberedningen – Överlämnande" in page
        assert re.search(rf"Sida\s*{number}\s*av\s*{len(pages)}", page), page[-200:]


def test_dates_written_the_swedish_way(pdfs):
    text = "".join(pages_text(pdfs["overlamnande"]))
    assert "11 juni 2018" in text and "8 februari 2018" in text


def test_the_same_sources_give_the_same_pdf(pdfs, engine, tmp_path):
    result = run_cli("build", "--sources", TIERP, "--build", tmp_path, "--formats", "pdf", "--pdf-engine", engine)
    assert result.code == 0
    assert (tmp_path / "sammanstallning.pdf").read_bytes() == pdfs["tierp"].read_bytes()


def test_pdf_dates_come_from_the_sources(pdfs):
    with pikepdf.open(pdfs["uppdrag"]) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20171102")
        assert pdf.open_metadata().get("xmp:CreateDate").startswith("2017-11-02")


def test_libreoffice_converts_every_document_in_one_process_and_leaves_none_behind(tmp_path, monkeypatch):
    require("libreoffice")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # so this build's processes name this test's folder
    started = []
    real_popen = subprocess.Popen

    def counting_popen(args, *rest, **kwargs):
        if any(str(a).endswith("soffice_worker.py") for a in args):
            started.append(args)
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    result = run_cli("build", "--sources", SOURCES, "--build", tmp_path, "--formats", "pdf", "--pdf-engine", "libreoffice")
    assert result.code == 0
    assert len(started) == 1  # one LibreOffice, sent each document as it was rendered
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.pdf")) == sorted(
        f"{name}.pdf" for name in ("uppdrag", "sammanstallning", "overlamnande", "handlingsplan",
                                   "underlag-vagledningsdebatt", "aterkoppling/dialogcafe-tranemo",
                                   "aterkoppling/fokusgrupp-unga", "aterkoppling/enkat-trygghet"))
    assert not processes_naming(scratch)
    assert not list(scratch.iterdir())


# --- one look: both engines draw what the Word file defines -----------------------------------------

def spans(pdf: Path, page_number: int) -> list[dict]:
    import pymupdf

    with pymupdf.open(pdf) as document:
        page = document[page_number - 1]
        height = page.rect.height
        return [{**span, "page_height": height} for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", []) for span in line["spans"] if span["text"].strip()]


def test_the_title_page_and_its_notice_stand_on_page_one_without_a_header(pdfs):
    """As in the Word file: the example-data notice and the title page on page 1, no header there."""
    first = " ".join(span["text"] for span in spans(pdfs["overlamnande"], 1))
    assert first.startswith("EXEMPELDATA") and "Översyn av Policy för" in first and "Diarienummer: –" in first
    assert "Överlämnande" not in first


def test_header_and_footer_say_what_the_word_file_says(pdfs):
    """The header is the Word file's header text and nothing more (no date the Word file lacks)."""
    for number in (2, 5):
        shown = spans(pdfs["overlamnande"], number)
        top = " ".join(s["text"].strip() for s in shown if s["bbox"][3] < 62)
        bottom = " ".join(s["text"].strip() for s in shown if s["bbox"][1] > s["page_height"] - 62)
        assert top == "Trivsel- och trygghetsberedningen – Överlämnande"
        assert re.fullmatch(r"11 juni 2018 Sida \d+ av \d+", " ".join(bottom.split()))


@pytest.mark.parametrize("text, size, colour", [
    ("Översyn av Policy för", 26, 0x17365D),  # Title
    ("Sammanfattning", 14, 0x365F91),  # Heading 1
    ("Arbete och egen försörjning", 13, 0x4774AA),  # Heading 2
    ("EXEMPELDATA", 9, 0x000000),  # the notice
])
def test_title_headings_and_notice_in_the_word_styles_type(pdfs, text, size, colour):
    """Size and colour as the Word template's styles set them, in both engines."""
    import pymupdf

    with pymupdf.open(pdfs["overlamnande"]) as document:
        found = [span for page in document for block in page.get_text("dict")["blocks"]
                 for line in block.get("lines", []) for span in line["spans"] if span["text"].startswith(text)]
    assert (size, colour) in [(round(span["size"]), span["color"]) for span in found], text


def test_a_stream_ending_in_cr_is_put_right_where_typst_workers_load_it():
    """A compressed stream whose last byte is CR reads as one byte short to a PDF/A validator. The Typst
    workers put such PDFs right with pipeline/pdf_streams.py, loaded from beside typst_worker.py."""
    import importlib.util
    import io
    import zlib

    from pipeline import typesetting

    # Drawing instructions whose compressed form ends in CR (the checksum's last byte; found by trying).
    drawn = zlib.compress(b"0 0 m 10 0 l S" + b" " * 22500 + b"\n", 9)
    assert drawn.endswith(b"\r")
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(drawn, Filter=pikepdf.Name.FlateDecode)
    written = io.BytesIO()
    pdf.save(written, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    assert b"\r\nendstream" in written.getvalue()
    spec = importlib.util.spec_from_file_location("worker", Path(typesetting.WORKER))
    worker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(worker)
    fixed = worker._pdf_streams().unambiguous_stream_ends(written.getvalue())
    assert b"\r\nendstream" not in fixed
    with pikepdf.open(io.BytesIO(fixed)) as reopened:
        assert reopened.pages[0].obj.Contents.read_bytes().rstrip() == zlib.decompress(drawn).rstrip()
