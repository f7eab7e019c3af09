"""Stage 4b: make a rendered Word file's tables fit the pages they stand on.

A template sets column widths and may ask that a table row is kept on one
page (`cantSplit`). Neither can hold for every source: a template's table can
be wider than the section it ends up in, and a meeting with sixty items is
taller than a page, which Word squeezes and LibreOffice cuts off. So, after
rendering, every table is narrowed to its section's text width, and a row is
kept on one page only when it surely fits: estimated at most half a page
tall. A taller row is cut into rows that fit, because LibreOffice, breaking a
row across pages, now and then loses a line at the break; only a single
paragraph taller than that is left to break. The estimate errs on the tall
side; the build's proof (pipeline/proof.py) stops a build whose PDF lost a
word anyway.
"""

from __future__ import annotations

import copy
import io
import math
import zipfile
from dataclasses import dataclass
from typing import Iterator

from docx.oxml.ns import qn
from lxml import etree


# Noto Sans at 11 pt: an average character is about 0.55 em wide and a line 1.2 em high, plus
# 6 pt after each paragraph (the templates' Normal style); in twips (1/20 pt).
_CHARACTER = 0.55 * 11 * 20
_LINE = 1.2 * 11 * 20
_PARAGRAPH = 6 * 20
_CELL_MARGINS = 2 * 108  # Word's default left and right cell margins


@dataclass(frozen=True)
class Page:
    """The text area of a section and its margins, in twips."""

    width: int
    height: int
    turned: bool = False  # landscape
    margins: tuple[int, int, int, int] = (1247, 1247, 1247, 1247)  # top, right, bottom, left

    def margins_in_points(self) -> dict[str, float]:
        return dict(zip(("top", "right", "bottom", "left"), (twips / 20 for twips in self.margins)))


def fit_tables(body: etree._Element) -> None:
    """Narrow every table to its section's text width; cut rows too tall to keep on one page."""
    for page, elements in _sections(body):
        for element in elements:
            if element.tag == qn("w:tbl"):
                _narrow(element, page.width)  # a table inside a cell is as wide as its cell lets it be
            for table in element.iter(qn("w:tbl")):
                _tall_rows_may_break(table, page)


def _sections(body: etree._Element) -> Iterator[tuple[Page, list[etree._Element]]]:
    """Each section's page and its top-level elements; a section ends with a paragraph holding its
    sectPr, the last one with the body's own."""
    elements: list[etree._Element] = []
    for element in body:
        if element.tag == qn("w:sectPr"):
            yield _page(element), elements
            return
        elements.append(element)
        properties = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if properties is not None:
            yield _page(properties), elements
            elements = []
    if elements:
        yield Page(9412, 13890), elements  # no sectPr at all: Word's A4 with 2.2 cm margins (Page's own)


# templates/pdf/rensa.lua starts a new page, upright or turned, where a paragraph in one of these stands.
SECTION_STYLES = {False: "BeredningSektionStaende", True: "BeredningSektionLiggande"}


def mark_for_typst(body: etree._Element) -> tuple[Page, list[str]]:
    """Mark the body for pandoc's Typst, and give its first page and the styles of the marks made: a
    paragraph in a SECTION_STYLES style where each section after the first begins (pandoc drops
    sections, so the PDF would lose a landscape appendix), and a paragraph in whole_rows.ROW_STYLE in
    each table row that surely fits half a page."""
    from .whole_rows import ROW_STYLE, mark_rows_that_fit

    sections = list(_sections(body))
    first = sections[0][0] if sections else Page(9412, 13890)
    used = set()
    if len({page.turned for page, _ in sections}) > 1:
        for page, elements in sections[1:]:
            if elements:
                elements[0].addprevious(_mark(SECTION_STYLES[page.turned]))
                used.add(SECTION_STYLES[page.turned])
    if mark_rows_that_fit(body, typst_text_width(first)):
        used.add(ROW_STYLE)
    return first, [style for style in (*SECTION_STYLES.values(), ROW_STYLE) if style in used]


def typst_text_width(first: Page) -> float:
    """The width in points of the Typst PDF's text on an upright page: A4 (templates/pdf/dokument.typ),
    whatever the Word file's paper, less the first page's margins (pipeline/typesetting.py)."""
    return 595.28 - (first.margins[1] + first.margins[3]) / 20


def mark_style(name: str) -> etree._Element:
    """A paragraph style for a mark: pandoc names a paragraph's style only when styles.xml defines it."""
    style = etree.Element(qn("w:style"), {qn("w:type"): "paragraph", qn("w:styleId"): name})
    etree.SubElement(style, qn("w:name")).set(qn("w:val"), name)
    return style


def _mark(style: str) -> etree._Element:
    paragraph = etree.Element(qn("w:p"))
    etree.SubElement(etree.SubElement(paragraph, qn("w:pPr")), qn("w:pStyle")).set(qn("w:val"), style)
    etree.SubElement(etree.SubElement(paragraph, qn("w:r")), qn("w:t")).text = "-"  # pandoc drops empty ones
    return paragraph


def _twips(element: etree._Element | None, name: str, default: int) -> int:
    value = element.get(qn(name)) if element is not None else None
    try:
        return int(float(value)) if value is not None else default
    except ValueError:
        return default


def _page(properties: etree._Element) -> Page:
    size, margins = properties.find(qn("w:pgSz")), properties.find(qn("w:pgMar"))
    top, right, bottom, left = (abs(_twips(margins, f"w:{side}", 1247)) for side in ("top", "right", "bottom", "left"))
    width = _twips(size, "w:w", 11906) - left - right
    height = _twips(size, "w:h", 16838) - top - bottom
    turned = _twips(size, "w:w", 11906) > _twips(size, "w:h", 16838)
    return Page(max(width, 1), max(height, 1), turned, (top, right, bottom, left))


def pages(body: etree._Element) -> dict[bool, Page]:
    """The page of the document's first section, and of its first turned (landscape) one if any, by
    whether it is turned: what a PDF needs to know of where a page's header, body and footer are."""
    found: dict[bool, Page] = {}
    for page, _ in _sections(body):
        found.setdefault(page.turned, page)
    return found


def page_parts(docx: bytes) -> dict[str, bytes]:
    """The parts of a Word file that say what its pages show: the document, its relationships, its
    headers and footers."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name in ("word/document.xml", "word/_rels/document.xml.rels")
                or name.startswith(("word/header", "word/footer"))}


def body_of(parts: dict[str, bytes]) -> etree._Element:
    """The body of the Word file whose `page_parts` these are."""
    return etree.fromstring(parts["word/document.xml"]).find(qn("w:body"))


def _narrow(table: etree._Element, width: int) -> None:
    grid = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    total = sum(_twips(column, "w:w", 0) for column in grid)
    if not total or total <= width:
        return
    scale = width / total
    for column in grid:
        column.set(qn("w:w"), str(int(_twips(column, "w:w", 0) * scale)))
    for cell_width in table.iter(qn("w:tcW")):
        if cell_width.get(qn("w:type"), "dxa") == "dxa":
            cell_width.set(qn("w:w"), str(int(_twips(cell_width, "w:w", 0) * scale)))
    table_width = table.find(f"{qn('w:tblPr')}/{qn('w:tblW')}")
    if table_width is not None and table_width.get(qn("w:type"), "dxa") == "dxa":
        table_width.set(qn("w:w"), str(width))


def _tall_rows_may_break(table: etree._Element, page: Page) -> None:
    """Rows kept on one page stay so only when they fit half a page; a taller row is cut into smaller
    rows (each cell's paragraphs shared out in order), with no border between them, and only a row
    still taller than half a page may break."""
    columns = [_twips(column, "w:w", 0) for column in table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    for row in table.findall(qn("w:tr")):
        keep = row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
        if keep is None or _row_height(row, columns, page.width) <= page.height / 2:
            continue
        for part in _cut(row, columns, page):
            if _row_height(part, columns, page.width) > page.height / 2:
                keep = part.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
                keep.getparent().remove(keep)


# How tall (estimated) the rows a tall row is cut into may be: a row moves to the next page whole,
# so the smaller, the less of a page is left empty before it.
PART_OF_PAGE = 0.25


def _cut(row: etree._Element, columns: list[int], page: Page) -> list[etree._Element]:
    """The row as rows of at most PART_OF_PAGE each, by its cells' paragraphs; a paragraph taller
    than that keeps a row of its own. LibreOffice loses a line now and then where it breaks a row
    across two pages; rows that fit a page it never breaks. Only plain rows (each cell one column,
    holding paragraphs) are cut; others are returned whole."""
    cells = row.findall(qn("w:tc"))
    if any(_spans(cell) or cell.find(qn("w:tbl")) is not None for cell in cells):
        return [row]
    shares = [_shares(cell, _width(columns, n, page), page.height * PART_OF_PAGE) for n, cell in enumerate(cells)]
    count = max(len(share) for share in shares)
    if count == 1:
        return [row]
    parts = [row] + [_empty_row(row) for _ in range(count - 1)]
    for n, share in enumerate(shares):
        for at, part in enumerate(parts):
            cell = part.findall(qn("w:tc"))[n]
            for paragraph in share[at] if at < len(share) else ():
                cell.append(paragraph)  # moves it out of the first row's cell
            if cell.find(qn("w:p")) is None:
                cell.append(etree.Element(qn("w:p")))  # a cell holds at least one paragraph
            _borders(cell, top=at == 0, bottom=at == count - 1)
    for part in reversed(parts[1:]):
        row.addnext(part)
    return parts


def _spans(cell: etree._Element) -> bool:
    properties = cell.find(qn("w:tcPr"))
    return properties is not None and (properties.find(qn("w:gridSpan")) is not None
                                       or properties.find(qn("w:vMerge")) is not None)


def _width(columns: list[int], n: int, page: Page) -> int:
    return columns[n] if n < len(columns) and columns[n] else page.width // max(len(columns), 1)


def _shares(cell: etree._Element, width: int, most: float) -> list[list[etree._Element]]:
    """A cell's paragraphs in runs that each fit `most`."""
    shares: list[list[etree._Element]] = [[]]
    height = 0.0
    for paragraph in cell.findall(qn("w:p")):
        tall = _paragraph_height(paragraph, width)
        if shares[-1] and height + tall > most:
            shares.append([])
            height = 0.0
        shares[-1].append(paragraph)
        height += tall
    return shares


def _empty_row(row: etree._Element) -> etree._Element:
    """A row like `row` (its properties, its cells' properties), holding nothing, never a header."""
    empty = etree.Element(qn("w:tr"))
    for child in row:
        if child.tag == qn("w:trPr"):
            properties = copy.deepcopy(child)
            for header in properties.findall(qn("w:tblHeader")):
                properties.remove(header)
            empty.append(properties)
        elif child.tag == qn("w:tc"):
            cell = etree.SubElement(empty, qn("w:tc"))
            if child.find(qn("w:tcPr")) is not None:
                cell.append(copy.deepcopy(child.find(qn("w:tcPr"))))
    return empty


def _borders(cell: etree._Element, top: bool, bottom: bool) -> None:
    """No line where a row was cut: the rows of one meeting read as one."""
    if top and bottom:
        return
    properties = cell.find(qn("w:tcPr"))
    if properties is None:
        properties = etree.Element(qn("w:tcPr"))
        cell.insert(0, properties)
    borders = properties.find(qn("w:tcBorders"))
    if borders is None:
        borders = etree.Element(qn("w:tcBorders"))
        # tcW and gridSpan come before tcBorders in a cell's properties; shading and the rest after.
        before = [e for e in properties if e.tag in (qn("w:cnfStyle"), qn("w:tcW"), qn("w:gridSpan"),
                                                       qn("w:hMerge"), qn("w:vMerge"))]
        before[-1].addnext(borders) if before else properties.insert(0, borders)
    for side, open_ in (("top", not top), ("bottom", not bottom)):
        if open_:
            line = etree.SubElement(borders, qn(f"w:{side}"))
            line.set(qn("w:val"), "nil")
    borders[:] = sorted(borders, key=lambda e: ("top", "start", "left", "bottom", "end", "right", "insideH",
                                                "insideV", "tl2br", "tr2bl").index(etree.QName(e).localname))


def _row_height(row: etree._Element, columns: list[int], page_width: int) -> float:
    """A generous estimate of the row's height in twips: its tallest cell."""
    tallest = 0.0
    for n, cell in enumerate(row.findall(qn("w:tc"))):
        width = columns[n] if n < len(columns) and columns[n] else page_width // max(len(columns), 1)
        tallest = max(tallest, sum(_paragraph_height(paragraph, width) for paragraph in cell.iter(qn("w:p"))))
    return tallest


def _paragraph_height(paragraph: etree._Element, width: int) -> float:
    """A generous estimate of a paragraph's height in twips at `width`."""
    per_line = max((width - _CELL_MARGINS) / _CHARACTER, 1)
    # Not itertext(): python-docx's elements answer it with their `text` property as well.
    characters = sum(len(text.text or "") for text in paragraph.iter(qn("w:t")))
    return max(1, math.ceil(characters / per_line)) * _LINE + _PARAGRAPH
