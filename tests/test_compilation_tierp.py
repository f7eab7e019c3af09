"""The Tierp compilation built from examples/tierp-2015 reproduces seed 002, row by row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from docx.table import Table

from support import SEEDS, body_items, cell_as_seed, is_bullet, normalise_cell, one_line, read_docx, written


@dataclass
class SeedPeriod:
    heading: str
    narrative: str
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)


def parse_seed() -> tuple[str, list[SeedPeriod]]:
    """Read the Word export of the Tierp compilation: title, then per period heading, narrative, table."""
    lines = [line for line in (SEEDS / "sammanstallning-tierp.txt").read_text("utf-8").splitlines() if line.strip()]
    title = one_line(lines[0])
    periods: list[SeedPeriod] = []
    pending: list[str] = []
    for line in lines[1:]:
        if line.startswith("Datum\t"):
            periods.append(SeedPeriod(one_line(pending[0]), one_line(pending[1]), [one_line(c) for c in line.split("\t")]))
            pending = []
        elif re.match(r"\d{1,2}/\d{1,2}\t", line):
            cells = (line.split("\t") + ["", "", ""])[:4]
            periods[-1].rows.append([normalise_cell(c) for c in cells])
        else:
            pending.append(line)
    return title, periods


SEED_TITLE, SEED_PERIODS = parse_seed()


@pytest.fixture(scope="module")
def compilation(tierp_build):
    return read_docx(tierp_build / "sammanstallning.docx")


def periods_of(document) -> list[tuple[str, str, Table]]:
    """(heading, narrative, table) for each period, read in body order."""
    found, heading, narrative = [], None, []
    for item in body_items(document):
        if isinstance(item, Table):
            found.append((heading, one_line(" ".join(narrative)), item))
            heading, narrative = None, []
        elif item.style.name == "Heading 2":
            heading = item.text
        elif heading is not None and item.text.strip():
            narrative.append(item.text)
    return found


def test_the_seed_holds_four_periods_and_seventeen_meetings():
    assert [len(p.rows) for p in SEED_PERIODS] == [5, 5, 6, 1]


def test_title_is_the_seeds(compilation):
    assert compilation.paragraphs[0].style.name == "Heading 1"
    assert compilation.paragraphs[0].text == SEED_TITLE


def test_periods_headings_and_narratives_are_verbatim(compilation):
    built = periods_of(compilation)
    assert [(h, n) for h, n, _ in built] == [(p.heading, p.narrative) for p in SEED_PERIODS]


@pytest.mark.parametrize("index", range(4))
def test_table_header_is_the_seeds(compilation, index):
    table = periods_of(compilation)[index][2]
    assert [one_line(c.text) for c in table.rows[0].cells] == SEED_PERIODS[index].header


@pytest.mark.parametrize("index", range(4))
def test_every_row_matches_the_seed(compilation, index):
    table = periods_of(compilation)[index][2]
    built_rows = [[cell_as_seed(cell) for cell in row.cells] for row in table.rows[1:]]
    assert built_rows == SEED_PERIODS[index].rows


def _meeting_row(compilation, date: str):
    for _, _, table in periods_of(compilation):
        for row in table.rows[1:]:
            if row.cells[0].text == date:
                return row.cells
    raise AssertionError(f"no row for {date}")


def test_each_content_item_is_its_own_bullet_paragraph_with_its_label_in_italics(compilation):
    content = _meeting_row(compilation, "23/4")[2]
    paragraphs = written(content)
    assert [p.text for p in paragraphs] == [
        "Besök: Unoleo – Kronobergsmodellen",
        "Genomgång: Utredning- Globalt till lokalt integrationsarbete",
    ]
    assert all(is_bullet(p) for p in paragraphs)
    assert [[(r.text, bool(r.italic)) for r in p.runs if r.text] for p in paragraphs] == [
        [("Besök", True), (": Unoleo – Kronobergsmodellen", False)],
        [("Genomgång", True), (": Utredning- Globalt till lokalt integrationsarbete", False)],
    ]


def test_a_label_over_a_list_stands_alone_with_the_list_below(compilation):
    content = _meeting_row(compilation, "17/11")[2]
    paragraphs = written(content)
    assert paragraphs[0].text == "Genomgång:" and not is_bullet(paragraphs[0])
    assert paragraphs[0].runs[0].italic
    assert [p.text for p in paragraphs[1:]] == [
        "Synpunkter föreställning", "Nuläget", "Nyckelbegrepp", "Ramverk för strategin", "Andra kommuner",
        "Några ledamöter besöker en förberedelseklass på Aspenskolan.",
    ]
    assert all(is_bullet(p) for p in paragraphs[1:])


def test_place_and_attendance_stand_in_italics_under_the_meeting(compilation):
    meeting = _meeting_row(compilation, "10/11")[1]
    paragraphs = written(meeting)
    assert paragraphs[0].text == "Föreställning: ”Tänk om du måste fly till TadzMbeKistan!” – Kjell Kampe"
    assert paragraphs[1].text == "Kommunhuset, A-salen, ca 80 personer"
    assert all(run.italic for run in paragraphs[1].runs if run.text)


def test_documents_produced_are_bullets(compilation):
    documents = _meeting_row(compilation, "23/3")[3]
    paragraphs = written(documents)
    assert [p.text for p in paragraphs] == [
        "Utredning - Globalt till lokalt integrationsarbete",
        "Karläggning - Tierps kommuns arbete med integration våren 2015",
        "Statistik integration Tierps kommun",
    ]
    assert all(is_bullet(p) for p in paragraphs)


def test_every_cell_has_a_paragraph_so_word_opens_the_file(compilation):
    for _, _, table in periods_of(compilation):
        for row in table.rows:
            for cell in row.cells:
                assert cell.paragraphs, "Word refuses a table cell without a paragraph"


def test_the_header_row_repeats_on_every_page(compilation):
    for _, _, table in periods_of(compilation):
        assert table.rows[0]._tr.trPr is not None
        assert table.rows[0]._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None


def test_real_data_carries_no_example_notice(compilation):
    assert not any("EXEMPELDATA" in p.text for p in compilation.paragraphs)


def test_a_meeting_row_is_never_split_between_pages(compilation):
    for _, _, table in periods_of(compilation):
        for row in table.rows[1:]:
            assert row._tr.trPr.find(
                "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None


def test_footer_names_the_committee_and_the_page(compilation):
    footer = compilation.sections[0].footer
    assert footer.paragraphs[0].text.startswith("Integrationsberedningen\tSida ")
    assert " PAGE " in footer._element.xml and " NUMPAGES " in footer._element.xml
