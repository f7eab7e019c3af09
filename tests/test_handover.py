"""The handover report: its chapters, tables, Markdown turned into Word formatting, header, footer and contents."""

from __future__ import annotations

import re

import pytest

from docx.oxml.ns import qn

from support import docx_xml, is_bullet, read_docx, written


@pytest.fixture(scope="module")
def handover(example_build):
    return read_docx(example_build / "overlamnande.docx")


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def after(document, text: str, count: int):
    """The `count` non-empty paragraphs that follow the paragraph reading `text` (not its contents line)."""
    paragraphs = [p for p in written(document) if not p.style.name.startswith("toc ")]
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
    assert '<w:updateFields w:val="true"/>' in docx_xml(example_build / "overlamnande.docx", "word/settings.xml")


def contents_lines(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("toc ")]


def test_contents_in_word_holds_the_headings_not_a_placeholder(handover):
    """Word and LibreOffice show the contents as the file holds it: the headings of level 1 and 2,
    each a link to its heading, in a field Word still updates on opening. Built without a PDF, no
    engine has laid out pages, so no page numbers."""
    expected = [(f"toc {p.style.name[-1]}", p.text) for p in handover.paragraphs
                if p.style.name in ("Heading 1", "Heading 2")]
    assert contents_lines(handover) == expected
    assert len(expected) == 24
    body = handover.element.body
    anchors = [link.get(qn("w:anchor")) for link in body.iter(qn("w:hyperlink"))]
    marked = {mark.get(qn("w:name")): mark.getparent() for mark in body.iter(qn("w:bookmarkStart"))}
    assert [marked[anchor].xpath("string(.)") for anchor in anchors] == [text for _, text in expected]
    instructions = [t.text for t in body.iter(qn("w:instrText"))]
    assert instructions[0] == ' TOC \\o "1-2" \\h \\z \\u ' and instructions[1:] == [
        f" PAGEREF {anchor} \\h " for anchor in anchors]
    assert "uppdateras" not in handover.element.xml


def test_contents_in_word_gives_the_pdfs_pages(pdfs):
    """Where a PDF engine laid the pages out, each contents line of the Word file built with it names
    the page that PDF shows its heading on."""
    import pymupdf

    lines = contents_lines(read_docx(pdfs["overlamnande"].with_suffix(".docx")))
    with pymupdf.open(pdfs["overlamnande"]) as pdf:
        shown = [page.get_text() for page in pdf]
    for _, line in lines:
        heading, page = line.split("\t")
        assert heading.split()[0] in shown[int(page) - 1], f"{heading!r} not on page {page}"
    assert [int(line.split("\t")[1]) for _, line in lines] == sorted(int(line.split("\t")[1]) for _, line in lines)


def test_appendix_holds_the_compilation(handover):
    appendix_tables = handover.tables[-3:]
    assert [c.text for c in appendix_tables[0].rows[0].cells] == ["Datum", "Sammankomst", "Innehåll", "Dokument som utarbetas"]
    dates = [row.cells[0].text for t in appendix_tables for row in t.rows[1:]]
    assert dates == ["2/11", "16/11", "7/12", "18/1", "25/1", "8/2", "22/2", "1/3", "26/3", "12/4", "26/4", "17/5"]
    assert "Beredningen har haft 12 sammankomster och 3 medborgardialoger mellan 2 november 2017 och 17 maj 2018. " \
        "Alla sammankomster finns i bilagan." in \
        [p.text for p in handover.paragraphs]


def test_example_data_is_marked_in_every_document_built_from_it(example_build):
    for name in ("sammanstallning.docx", "overlamnande.docx"):
        assert read_docx(example_build / name).paragraphs[0].text.startswith("EXEMPELDATA"), name
    assert not read_docx(example_build / "uppdrag.docx").paragraphs[0].text.startswith("EXEMPELDATA")


def test_every_text_that_acts_as_a_heading_is_one(example_build):
    """A screen reader navigates by headings (WCAG 1.3.1): no paragraph is a heading by bold type alone."""
    for name in ("uppdrag", "sammanstallning", "overlamnande"):
        document = read_docx(example_build / f"{name}.docx")
        bold_alone = [p.text for p in written(document) if p.style.name in ("Normal", "Body Text")
                      and all(r.bold for r in p.runs if r.text.strip())]
        assert bold_alone == [], name


def test_the_handovers_sections_at_their_levels(handover, example_build):
    assert headings(handover, 3)[:4] == [
        "Det här har fungerat", "Det här har inte fungerat", "Det här har fungerat", "Det här har inte fungerat"]
    assert "Röster från dialogen" in headings(handover, 4) and "Språk och arbete hör ihop" in headings(handover, 4)
    page = (example_build / "overlamnande.html").read_text("utf-8")
    assert re.search(r"<h3[^>]*>Det här har fungerat</h3>", page)
    assert re.search(r"<h4[^>]*>Röster från dialogen</h4>", page)


def test_the_pdfs_headings_are_the_word_files(pdfs):
    """Each engine's PDF tags as many headings of level 3 and 4 as the Word file has."""
    import pikepdf

    document = read_docx(pdfs["overlamnande"].with_suffix(".docx"))
    tags: list[str] = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            tags.append(str(node.get("/S", "")))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    with pikepdf.open(pdfs["overlamnande"]) as pdf:
        walk(pdf.Root.StructTreeRoot)
    for level in (3, 4):
        assert tags.count(f"/H{level}") == len(headings(document, level)) > 0


def test_the_handover_carries_the_assignment(handover):
    """Milestones with the organ that holds them, the budget and the presidium that signed, every date
    in words."""
    facts = after(handover, "Vägledningsdebatt: Kommunfullmäktige i mars 2018", 6)
    assert [p.text for p in facts] == [
        "Överlämnande av uppdrag: juni 2018", "Överlämningsdebatt: Kommunfullmäktige i september 2018",
        "Budget exklusive arvoden: 10\u00a0000\u00a0kr.", "Sakkunnig: Ingela Karlsson.",
        "Processekreterare: Anne Steine.",
        "Uppdraget undertecknades av kommunfullmäktiges presidium: Lars-Åke Larsson (Ordförande), "
        "Lena Eksberg (1:e vice ordf.), Karin Ljungdahl (2:e vice ordf.)."]
    assert all(is_bullet(p) for p in facts[:2])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", " ".join(p.text for p in handover.paragraphs))


def test_the_scan_of_other_municipalities_shows_the_study_visits_of_the_record(handover):
    assert after(handover, "Beredningens studiebesök:", 1)[0].text == \
        "18 januari 2018: Studiebesök i Exempelstads kommun"
    assert "Omvärldsbevakningen har inte redovisats." not in [p.text for p in handover.paragraphs]


def test_without_good_examples_or_study_visits_the_section_is_left_out(tmp_path):
    """No section saying there is nothing to say."""
    import yaml

    from support import SOURCES, copy_sources, run_cli

    sources = copy_sources(SOURCES, tmp_path / "sources")
    handover_yaml = yaml.safe_load((sources / "overlamnande.yaml").read_text("utf-8"))
    handover_yaml.pop("goda_exempel", None)
    (sources / "overlamnande.yaml").write_text(yaml.safe_dump(handover_yaml, allow_unicode=True, sort_keys=False), "utf-8")
    proposal = yaml.safe_load((sources / "forslag.yaml").read_text("utf-8"))
    for goal in proposal["mål"]:
        goal["underlag"] = [ground for ground in goal["underlag"] if ground != "språkvänner-exempelstad"]
    (sources / "forslag.yaml").write_text(yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False), "utf-8")
    meetings = sources / "sammankomster.yaml"
    meetings.write_text(meetings.read_text("utf-8").replace("typ: studiebesök", "typ: övrigt"), "utf-8")
    result = run_cli("build", "--sources", sources, "--build", tmp_path / "build", "--formats", "docx")
    assert result.code == 0, result.err
    document = read_docx(tmp_path / "build" / "overlamnande.docx")
    assert "Goda exempel från andra kommuner" not in headings(document, 1)
    assert not [p.text for p in document.paragraphs if "Omvärldsbevakningen" in p.text or "studiebesök:" in p.text]
