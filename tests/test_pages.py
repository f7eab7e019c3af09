"""Pages looked at, automatically: every page of every PDF of the shipped examples, from both
engines, as geometry: numbered as the reader counts them, nothing off the page, no line drawn over
another (body, header, footer), every table's columns side by side on every page its header is on.

The LibreOffice engine's PDF is the Word file as a party group opening it in LibreOffice sees it:
both engines' builds write the same .docx but for the contents' page numbers, which the first test
checks.
"""

from __future__ import annotations

import re

import pymupdf
import pytest

from support import docx_xml, page_faults, table_header_faults

DOCUMENTS = ["uppdrag", "sammanstallning", "overlamnande", "tierp"]


def test_both_engines_write_the_same_word_files(pdfs, example_build, tierp_build):
    """The same Word file whichever engine makes the PDF, or none; only the handover's contents
    gives the pages the engine laid out (pipeline/contents.py)."""
    for name in ("uppdrag", "sammanstallning"):
        assert pdfs[name].with_suffix(".docx").read_bytes() == (example_build / f"{name}.docx").read_bytes()
    assert pdfs["tierp"].with_suffix(".docx").read_bytes() == (tierp_build / "sammanstallning.docx").read_bytes()
    with_pages = docx_xml(pdfs["overlamnande"].with_suffix(".docx"))
    assert without_page_numbers(with_pages) == docx_xml(example_build / "overlamnande.docx") != with_pages


def without_page_numbers(document_xml: str) -> str:
    """The contents lines without the tab and page number a PDF engine's layout gave them."""
    return re.sub(r'<w:r><w:tab/></w:r>(<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                  r'xml:space="preserve"> PAGEREF [^<]*</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                  r'</w:r><w:r><w:t xml:space="preserve")>\d+</w:t>', r"\1></w:t>", document_xml)


PHASE_DOCUMENTS = ["handlingsplan", "underlag-vagledningsdebatt", "aterkoppling"]


@pytest.mark.parametrize("name", DOCUMENTS + PHASE_DOCUMENTS)
def test_every_page_is_numbered_inside_the_page_and_nothing_overlaps(pdfs, name):
    assert page_faults(pdfs[name]) == []


@pytest.mark.parametrize("name", DOCUMENTS + PHASE_DOCUMENTS)
def test_every_table_shows_all_its_columns_wherever_its_header_is(pdfs, name):
    pdf = pdfs[name]
    assert table_header_faults(pdf, pdf.with_suffix(".docx")) == []
    with pymupdf.open(pdf) as document:
        headers = sum(len(page.search_for("Dokument som utarbetas")) for page in document)
    assert headers >= (1 if name in ("sammanstallning", "overlamnande", "tierp") else 0)


EXPECTED_PAGES = {  # the shipped examples; a change here is a change a reader sees
    "typst": {"uppdrag": 2, "sammanstallning": 2, "overlamnande": 9, "tierp": 4},
    "libreoffice": {"uppdrag": 2, "sammanstallning": 3, "overlamnande": 11, "tierp": 5},
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_page_count(pdfs, engine, name):
    with pymupdf.open(pdfs[name]) as pdf:
        assert pdf.page_count == EXPECTED_PAGES[engine][name]
