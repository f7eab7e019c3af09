"""The web pages for the municipality's site: Swedish, titled, with real headings and table header cells."""

from __future__ import annotations

import pytest
from lxml import html

XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def pages(example_build, tierp_build):
    return {
        "uppdrag": html.fromstring((example_build / "uppdrag.html").read_bytes()),
        "overlamnande": html.fromstring((example_build / "overlamnande.html").read_bytes()),
        "tierp": html.fromstring((tierp_build / "sammanstallning.html").read_bytes()),
    }


def texts(page, xpath: str) -> list[str]:
    return [" ".join(element.text_content().split()) for element in page.xpath(xpath)]


@pytest.mark.parametrize("name, title", [
    ("uppdrag", "Uppdrag Trivsel och trygghetsberedningen"),
    ("overlamnande", "Översyn av Policy för integrationsarbetet"),
    ("tierp", "Sammanställning av integrationsberedningens arbete 2015- 2016"),
])
def test_language_and_title(pages, name, title):
    page = pages[name]
    assert page.get("lang") == "sv"
    assert texts(page, "//title") == [title]


def test_real_headings_in_order(pages):
    assert texts(pages["tierp"], "//h1") == ["Sammanställning av integrationsberedningens arbete 2015- 2016"]
    assert texts(pages["tierp"], "//h2") == [
        "Våren 2015 (feb-juni)", "Hösten/vintern 2015 (sept-dec)", "Vår 2016 (jan-juni)", "Höst 2016 (sept-okt)"]
    assert texts(pages["overlamnande"], "//main//h1 | //body/h1[not(@class)]")[:3] == [
        "Sammanfattning", "Uppdraget", "Beredningens ledamöter"]


def test_tables_have_header_cells(pages):
    tables = pages["tierp"].xpath("//table")
    assert len(tables) == 4
    for table in tables:
        assert [" ".join(th.text_content().split()) for th in table.xpath("./thead//th")][0] == "Datum"
    first_rows = [texts(row, "./td")[:2] for row in tables[0].xpath("./tbody/tr")]
    assert first_rows[0] == ["17/2", "Kommunfullmäktige beslutar att inrätta en beredning för integrationsfrågor"]


def test_lists_and_italic_labels_survive(pages):
    cell = pages["tierp"].xpath("//table")[0].xpath("./tbody/tr")[2].xpath("./td")[2]
    assert [" ".join(li.text_content().split()) for li in cell.xpath(".//li")] == [
        "Besök: Unoleo – Kronobergsmodellen", "Genomgång: Utredning- Globalt till lokalt integrationsarbete"]
    assert [em.text_content() for em in cell.xpath(".//em")] == ["Besök", "Genomgång"]


def test_handover_page_has_its_title_and_contents_but_not_the_word_title_page(pages):
    page = pages["overlamnande"]
    assert texts(page, "//header//h1") == ["Översyn av Policy för integrationsarbetet"]
    assert "Sammanfattning" in texts(page, "//nav[@id='TOC']//a")
    body = " ".join(page.xpath("//body")[0].text_content().split())
    assert "Innehållsförteckningen uppdateras" not in body
