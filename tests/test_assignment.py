"""The assignment built from sources/uppdrag.yaml reads as seed 000, line for line."""

from __future__ import annotations

import pytest
from docx.table import Table

from support import SEEDS, body_items, docx_xml, is_bullet, one_line, read_docx


# The one line written otherwise than in the seed: its dateline's date in words, as every other date
# in the documents (issue 10).
DATELINE = {"Tranemo 2017-11-02": "Tranemo 2 november 2017"}


def seed_lines() -> list[tuple[str, bool]]:
    """(text, is a bullet) for every non-empty line of the seed."""
    lines = []
    for raw in (SEEDS / "uppdrag-tranemo.txt").read_text("utf-8").splitlines():
        text = DATELINE.get(one_line(raw), one_line(raw))
        if text:
            bullet = text.startswith("· ")
            lines.append((text.removeprefix("· "), bullet))
    return lines


def document_lines(document) -> list[tuple[str, bool]]:
    """(text, is a bullet) for every non-empty paragraph and every table row, in order."""
    lines = []
    for item in body_items(document):
        if isinstance(item, Table):
            lines += [(one_line(" ".join(c.text for c in row.cells)), False) for row in item.rows]
        elif item.text.strip():
            lines.append((one_line(item.text), is_bullet(item)))
    return lines


@pytest.fixture(scope="module")
def assignment(example_build):
    return read_docx(example_build / "uppdrag.docx")


def test_every_line_of_the_seed_in_order(assignment):
    assert document_lines(assignment) == seed_lines()


def test_title_is_a_heading(assignment):
    first = assignment.paragraphs[0]
    assert (first.text, first.style.name) == ("Uppdrag Trivsel och trygghetsberedningen", "Heading 1")


def test_presidium_signs_side_by_side(assignment):
    names, roles = assignment.tables[0].rows
    assert [c.text for c in names.cells] == ["Lars-Åke Larsson", "Lena Eksberg", "Karin Ljungdahl"]
    assert [c.text for c in roles.cells] == ["Ordförande", "1:e vice ordf.", "2:e vice ordf."]


def test_labels_are_bold(assignment):
    subject = next(p for p in assignment.paragraphs if p.text.startswith("Ämne:"))
    assert subject.runs[0].bold and subject.runs[0].text == "Ämne: "


def test_budget_is_written_the_swedish_way(assignment):
    assert "Budget exklusive arvoden: 10\u00a0000\u00a0kr" in [p.text for p in assignment.paragraphs]


def test_footer_names_committee_and_page(assignment):
    footer = assignment.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Trivsel- och trygghetsberedningen\tSida ")
    assert "PAGE" in docx_xml_footer(assignment)


def docx_xml_footer(document) -> str:
    return document.sections[0].footer._element.xml


def test_document_language_is_swedish(example_build):
    assert 'w:lang w:val="sv-SE"' in docx_xml(example_build / "uppdrag.docx", "word/styles.xml")


def test_core_properties_come_from_the_sources(assignment):
    props = assignment.core_properties
    assert (props.title, props.subject, props.author) == (
        "Uppdrag Trivsel och trygghetsberedningen", "Översyn av Policy för integrationsarbetet",
        "Trivsel- och trygghetsberedningen")
