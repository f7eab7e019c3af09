"""Stage 4b: make a rendered Word file's tables fit the pages they stand on.

A template sets column widths and may ask that a table row is kept on one
page (`cantSplit`). Neither can hold for every source: a template's table can
be wider than the section it ends up in, and a meeting with sixty items is
taller than a page, which Word squeezes and LibreOffice cuts off. So, after
rendering, every table is narrowed to its section's text width, and a row is
kept on one page only when it surely fits: estimated at most half a page
tall. The estimate errs on the tall side; the build's proof (pipeline/proof.py)
would stop a build whose PDF lost a word anyway.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass
from typing import Iterator

from docx.oxml.ns import qn
from lxml import etree

from .reproducible import write_zip

# Noto Sans at 11 pt: an average character is about 0.55 em wide and a line 1.2 em high, plus
# 6 pt after each paragraph (the templates' Normal style); in twips (1/20 pt).
_CHARACTER = 0.55 * 11 * 20
_LINE = 1.2 * 11 * 20
_PARAGRAPH = 6 * 20
_CELL_MARGINS = 2 * 108  # Word's default left and right cell margins


@dataclass(frozen=True)
class Page:
    """The text area of a section, in twips."""

    width: int
    height: int
    turned: bool = False  # landscape


def fit_tables(body: etree._Element) -> None:
    """Narrow every table to its section's text width; let rows too tall for a page break."""
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
        yield Page(9412, 13890), elements  # no sectPr at all: Word's A4 with 2.2 cm margins


# templates/pdf/rensa.lua starts a new page, upright or turned, where a paragraph in one of these stands.
SECTION_STYLES = {False: "BeredningSektionStaende", True: "BeredningSektionLiggande"}


def marked_sections(docx: bytes) -> bytes:
    """The .docx with a paragraph in a SECTION_STYLES style where each section after the first begins:
    pandoc drops sections, so the PDF would lose a landscape appendix."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        members = [(name, archive.read(name)) for name in archive.namelist()]
    body = (root := etree.fromstring(dict(members)["word/document.xml"])).find(qn("w:body"))
    sections = list(_sections(body))
    if len({page.turned for page, _ in sections}) < 2:
        return docx
    for page, elements in sections[1:]:
        if elements:
            elements[0].addprevious(_mark(SECTION_STYLES[page.turned]))
    changed = {"word/document.xml": _xml(root), "word/styles.xml": _with_section_style(dict(members)["word/styles.xml"])}
    out = io.BytesIO()
    write_zip(out, [(name, changed.get(name, data)) for name, data in members])
    return out.getvalue()


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _with_section_style(styles: bytes) -> bytes:
    """pandoc names a paragraph's style only when styles.xml defines it."""
    root = etree.fromstring(styles)
    for name in SECTION_STYLES.values():
        style = etree.SubElement(root, qn("w:style"), {qn("w:type"): "paragraph", qn("w:styleId"): name})
        etree.SubElement(style, qn("w:name")).set(qn("w:val"), name)
    return _xml(root)


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
    width = _twips(size, "w:w", 11906) - _twips(margins, "w:left", 1247) - _twips(margins, "w:right", 1247)
    height = _twips(size, "w:h", 16838) - _twips(margins, "w:top", 1247) - _twips(margins, "w:bottom", 1247)
    turned = _twips(size, "w:w", 11906) > _twips(size, "w:h", 16838)
    return Page(max(width, 1), max(height, 1), turned)


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
    columns = [_twips(column, "w:w", 0) for column in table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
    for row in table.findall(qn("w:tr")):
        keep = row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}")
        if keep is not None and _row_height(row, columns, page.width) > page.height / 2:
            keep.getparent().remove(keep)


def _row_height(row: etree._Element, columns: list[int], page_width: int) -> float:
    """A generous estimate of the row's height in twips: its tallest cell."""
    tallest = 0.0
    for n, cell in enumerate(row.findall(qn("w:tc"))):
        width = columns[n] if n < len(columns) and columns[n] else page_width // max(len(columns), 1)
        per_line = max((width - _CELL_MARGINS) / _CHARACTER, 1)
        height = 0.0
        for paragraph in cell.iter(qn("w:p")):
            # Not itertext(): python-docx's elements answer it with their `text` property as well.
            characters = sum(len(text.text or "") for text in paragraph.iter(qn("w:t")))
            height += max(1, math.ceil(characters / per_line)) * _LINE + _PARAGRAPH
        tallest = max(tallest, height)
    return tallest
