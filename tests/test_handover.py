"""The handover report: its chapters, tables, Markdown turned into Word formatting, header, footer and contents."""

from __future__ import annotations

import re

import pytest

from support import docx_xml, is_bullet, read_docx, written


@pytest.fixture(scope="module")
def handover(example_build):
    return read_docx(example_build / "overlamnande.docx")


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def after(document, text: str, count: int):
    """The `count` non-empty paragraphs that follow the paragraph reading `text`."""
    paragraphs = written(document)
    start = next(i for i, p in enumerate(paragraphs) if p.text == text)
    return paragraphs[start + 1:start + 1 + count]


def test_chapters_in_order(handover):
    assert headings(handover, 1) == [
        "Sammanfattning", "Uppdraget", "Beredningens ledamöter", "Så har beredningen arbetat",
        "Utvärdering av policyns strategiska områden", "Goda exempel från andra kommuner",
        "Medborgardialoger och vad som kom fram", "Förslag till övergripande mål", "Förslag till beslut",
        "Förankring i partigrupperna",
        "Bilaga: Sammanställning av Trivsel- och trygghetsberedningens arbete 2017–2018",
    ]


def test_title_page(handover):
    texts = [p.text for p in handover.paragraphs[:8]]
    assert texts[:7] == [
        "EXEMPELDATA – dokumentet bygger på påhittade exempeluppgifter, inte på beredningens verkliga arbete.",
        "Tranemo kommun", "Trivsel- och trygghetsberedningen", "Översyn av Policy för integrationsarbetet",
        "Beredningens förslag till kommunfullmäktige", "11 juni 2018", "Diarienummer: –",
    ]
    assert handover.paragraphs[3].style.name == "Title"


def test_members_table(handover):
    rows = [[c.text for c in row.cells] for row in handover.tables[0].rows]
    assert rows[0] == ["Namn", "Parti", "Roll"]
    assert rows[1] == ["Exempel Ordförandesson", "C", "Ordförande"]
    assert rows[3] == ["Exempel Ledamotsdotter", "M", "Ledamot"]
    assert len(rows) == 6


def test_goals_with_their_grounds_resolved_to_titles(handover):
    assert headings(handover, 2)[-5:-3] == [
        "Mål 1: Alla som bor i Tranemo ska ha naturliga platser att mötas på",
        "Mål 2: Svenska språket ska kunna läras i vardagen, nära arbete och praktik",
    ]
    grounds = [p.text for p in handover.paragraphs if p.text.startswith(("Policyområden:", "Underlag:"))]
    assert grounds[:2] == [
        "Policyområden: Delaktighet och fritid",
        "Underlag: Dialogcafé – att trivas och stanna i Tranemo; Fler naturliga mötesplatser; Fritid och transporter",
    ]


def test_dialogue_facts_with_swedish_dates(handover):
    facts = after(handover, "Dialogcafé – att trivas och stanna i Tranemo", 4)
    assert [p.text for p in facts] == [
        "När och var: 8 februari 2018, Biblioteket i Tranemo", "Metod: dialogcafé",
        "Målgrupper: Nyanlända kommuninvånare, Föreningar och trossamfund, Övriga intresserade",
        "Antal deltagare: ca 40 personer",
    ]
    assert "20 april 2018: Brev till dem som lämnat adress och en artikel på kommunens webbplats" in \
        [p.text for p in handover.paragraphs]


def test_markdown_list_becomes_a_word_list_with_italics(handover):
    intro, *items = after(handover, "Språk och arbete hör ihop", 4)
    assert intro.text == "Många lyfte att svenskan lärs bäst i vardagen:"
    assert [p.text for p in items] == ["praktik nära hemorten,", "språkvänner,", "språkcafé på biblioteket."]
    assert all(is_bullet(p) for p in items) and not is_bullet(intro)
    assert [r.text for r in items[2].runs if r.italic] == ["språkcafé"]
    assert "".join(r.text for r in items[2].runs if not r.italic) == " på biblioteket."


def test_markdown_numbered_list_and_bold(handover):
    lead, first, second = after(handover, "Förslag till beslut", 3)
    assert lead.text == "Trivsel- och trygghetsberedningen föreslår att kommunfullmäktige"
    assert first.text.startswith("antar de två") and is_bullet(first) and is_bullet(second)
    summary = after(handover, "Sammanfattning", 1)[0]
    assert ("två övergripande mål", True) in [(r.text, bool(r.bold)) for r in summary.runs]


def test_markdown_lists_point_at_numbering_the_document_has(example_build):
    numbering = docx_xml(example_build / "overlamnande.docx", "word/numbering.xml")
    document = docx_xml(example_build / "overlamnande.docx")
    used = set(re.findall(r'<w:numId w:val="(\d+)"/>', document))
    defined = set(re.findall(r'<w:num w:numId="(\d+)"', numbering))
    assert used and used <= defined


def test_markdown_paragraphs_use_the_templates_styles(handover):
    paragraph = after(handover, "Sammanfattning", 1)[0]
    assert paragraph.style.name == "Body Text"
    assert paragraph.style.base_style.name == "Normal"


def test_header_footer_and_contents(handover, example_build):
    section = handover.sections[0]
    assert section.header.paragraphs[0].text == "Trivsel- och trygghetsberedningen – Överlämnande"
    assert section.footer.paragraphs[0].text.startswith("11 juni 2018\tSida ")
    footer_xml = section.footer._element.xml
    assert " PAGE " in footer_xml and " NUMPAGES " in footer_xml
    assert 'TOC \\o "1-2"' in docx_xml(example_build / "overlamnande.docx")
    assert '<w:updateFields w:val="true"/>' in docx_xml(example_build / "overlamnande.docx", "word/settings.xml")


def test_appendix_holds_the_compilation(handover):
    appendix_tables = handover.tables[-3:]
    assert [c.text for c in appendix_tables[0].rows[0].cells] == ["Datum", "Sammankomst", "Innehåll", "Dokument som utarbetas"]
    dates = [row.cells[0].text for t in appendix_tables for row in t.rows[1:]]
    assert dates == ["2/11", "16/11", "7/12", "18/1", "25/1", "8/2", "22/2", "1/3", "26/3", "12/4", "26/4", "17/5"]
    assert "Beredningen har haft 12 sammankomster och 2 medborgardialoger. Alla sammankomster finns i bilagan." in \
        [p.text for p in handover.paragraphs]


def test_example_data_is_marked_in_every_document_built_from_it(example_build):
    for name in ("sammanstallning.docx", "overlamnande.docx"):
        assert read_docx(example_build / name).paragraphs[0].text.startswith("EXEMPELDATA"), name
    assert not read_docx(example_build / "uppdrag.docx").paragraphs[0].text.startswith("EXEMPELDATA")
