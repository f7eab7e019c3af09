"""Table rows that surely fit half a page, marked so the Typst PDF keeps them whole without measuring.

templates/pdf/dokument.typ keeps a table row on one page when it is less than half a page tall, and
lets a taller one break across pages (a row taller than a page would otherwise be cut off). It
tells by measuring every cell: each cell is laid out twice. For a compilation of 2,000 meetings
that took Typst 7.3 of its 2.8 seconds and 1,000 of its 1,860 MiB.

Most rows are a meeting of a few short lines, and can be shown to fit without Typst: an upper
bound of the row's height, from the widest glyph of each character in the four Noto Sans styles,
lines filled word by word as Typst fills them (never more than it fits on a line), and more than
Typst's line and paragraph spacing. A row whose bound is below the threshold is marked with a
paragraph in ROW_STYLE, which templates/pdf/rensa.lua turns into `table.cell(breakable: false)`
and removes. For such a row the measuring would have decided the same, so the PDF is as before.
Everything else (a picture, a heading or a table in a cell, merged cells, a character outside
Noto Sans's Latin, Greek and Cyrillic) is left to Typst's measuring.
"""

from __future__ import annotations

import math
import re
import threading
from functools import cache

from docx.oxml.ns import qn
from lxml import etree

from .options import FONTS

ROW_STYLE = "BeredningHelRad"

# As templates/pdf/dokument.typ sets them: table text at most 9.5 pt, 4 pt cell inset, A4 pages,
# a row kept whole below half of (the page's smaller side - 5 cm). Typst's own line pitch (cap height
# 0.714 em + leading 0.65 em) and paragraph spacing (1.2 em) are taken larger.
_SIZE = 9.5
_INSET = 4.0
_THRESHOLD = 0.5 * (595.28 - 5 / 2.54 * 72)
_MARGIN = 0.9  # of the threshold: a bound this close to it is left to Typst
_PITCH, _GAP = 1.5 * _SIZE, 1.3 * _SIZE
_LIST_INDENT = 2.5 * _SIZE  # a list level's marker and indent, per level
_LONG_WORD, _BREAK_EVERY = 30, 15  # rensa.lua breaks a longer word every 15 characters

_PLAIN_STYLES = re.compile(r"(Compact|BodyText|FirstParagraph|Normal|ListParagraph|List(Bullet|Number|Continue)?)\d?")
_RUN_PARTS = {qn("w:rPr"), qn("w:t"), qn("w:br"), qn("w:tab"), qn("w:lastRenderedPageBreak")}
_PARAGRAPH_PARTS = {qn("w:pPr"), qn("w:r"), qn("w:hyperlink"), qn("w:bookmarkStart"), qn("w:bookmarkEnd"),
                    qn("w:proofErr")}
_SCRIPTS = [(0x20, 0x7E), (0xA0, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x2010, 0x2027), (0x20AC, 0x20AC)]
_lock = threading.Lock()


def mark_rows_that_fit(body: etree._Element, text_width_pt: float) -> bool:
    """Mark every row of every top-level table that surely fits; True when one was marked."""
    marked = False
    for table in body.iterchildren(qn("w:tbl")):
        columns = [_number(column.get(qn("w:w"))) for column in table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")]
        if not columns or not all(columns):
            continue
        widths = [text_width_pt * column / sum(columns) - 2 * _INSET for column in columns]
        advance = _advances()
        for row in table.iterchildren(qn("w:tr")):
            if _fits(row, widths, advance):
                first = row.find(qn("w:tc"))
                first.insert(_after_properties(first), _marker())
                marked = True
    return marked


def _fits(row: etree._Element, widths: list[float], advance: dict[str, float]) -> bool:
    if row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None:
        return False  # the header row repeats on every page: Typst's own
    cells = row.findall(qn("w:tc"))
    if len(cells) != len(widths) or any(cell.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None
                                        or cell.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is not None for cell in cells):
        return False
    return all(_cell_height(cell, width, advance) <= _MARGIN * _THRESHOLD for cell, width in zip(cells, widths))


def _cell_height(cell: etree._Element, width: float, advance: dict[str, float]) -> float:
    paragraphs = [child for child in cell if child.tag != qn("w:tcPr")]
    if any(child.tag != qn("w:p") for child in paragraphs):
        return math.inf  # a table in the cell, or content in a control
    heights = [_paragraph_height(paragraph, width, advance) for paragraph in paragraphs]
    return sum(heights) + _GAP * (len(heights) - 1)


def _paragraph_height(paragraph: etree._Element, width: float, advance: dict[str, float]) -> float:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    style_id = style.get(qn("w:val")) if style is not None else "Normal"
    if not _PLAIN_STYLES.fullmatch(style_id) or any(child.tag not in _PARAGRAPH_PARTS for child in paragraph):
        return math.inf  # a heading, a title, a field: another size, or content not measured here
    level = paragraph.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:ilvl')}")
    depth = (int(_number(level.get(qn("w:val")))) + 1 if level is not None
             else int(style_id[-1]) if style_id[-1].isdigit() else 1 if style_id.startswith("List") else 0)
    lines = 0
    for text in _lines_of(paragraph):
        if text is None:
            return math.inf
        lines += _lines_needed(text, width - depth * _LIST_INDENT, advance)
    return max(lines, 1) * _PITCH


def _lines_of(paragraph: etree._Element) -> list[str | None]:
    """The paragraph's text, split where it has a line break; None for content not measured here."""
    lines = [""]
    for run in paragraph.iter(qn("w:r")):
        for part in run:
            if part.tag not in _RUN_PARTS or (part.tag == qn("w:rPr") and _capitals(part)):
                return [None]
            if part.tag == qn("w:t"):
                lines[-1] += part.text or ""
            elif part.tag == qn("w:tab"):
                lines[-1] += " "
            elif part.tag == qn("w:br"):
                lines.append("")
    return lines


def _capitals(properties: etree._Element) -> bool:
    """Capitals drawn for small letters are wider than the letters written."""
    return any(properties.find(qn(name)) is not None for name in ("w:caps", "w:smallCaps"))


def _lines_needed(text: str, width: float, advance: dict[str, float]) -> int:
    """How many lines `text` takes at most at `width`, filled word by word (Typst fills as many
    words into a line as fit, and breaks at more places than spaces)."""
    if width <= 0 or any(character not in advance for character in text):
        return 10**6
    lines, used = 1, 0.0
    space = advance[" "] * _SIZE
    for word in text.split(" "):
        for piece in _pieces(word):
            wide = sum(advance[character] for character in piece) * _SIZE
            if used and used + space + wide > width:
                lines, used = lines + 1, 0.0
            if wide > width:  # alone on its line and still too wide: hyphenated over several
                lines += math.ceil(wide / width)
                continue
            used += (space if used else 0.0) + wide
    return lines


def _pieces(word: str) -> list[str]:
    if len(word) <= _LONG_WORD:
        return [word]
    return [word[at:at + _BREAK_EVERY] for at in range(0, len(word), _BREAK_EVERY)]


@cache
def _advances_once() -> dict[str, float]:
    from fontTools.ttLib import TTFont  # the fonts' own units: a sixth of the time pymupdf took, and exact

    fonts = []
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        font = TTFont(FONTS / f"NotoSans-{style}.ttf", lazy=True)
        fonts.append((font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm))
    widths = {}
    for first, last in _SCRIPTS:
        for code in range(first, last + 1):
            if all(code in glyphs for glyphs, _, _ in fonts):
                widths[chr(code)] = max(metrics[glyphs[code]][0] / units for glyphs, metrics, units in fonts)
    return widths


def _advances() -> dict[str, float]:
    """Each character's widest advance in the four Noto Sans styles, in em (read once per run)."""
    with _lock:  # PDFs are typeset in threads: the first reads the fonts, the others wait for it
        return _advances_once()


def _marker() -> etree._Element:
    paragraph = etree.Element(qn("w:p"))
    etree.SubElement(etree.SubElement(paragraph, qn("w:pPr")), qn("w:pStyle")).set(qn("w:val"), ROW_STYLE)
    etree.SubElement(etree.SubElement(paragraph, qn("w:r")), qn("w:t")).text = "-"  # pandoc drops empty ones
    return paragraph


def _after_properties(cell: etree._Element) -> int:
    return 1 if len(cell) and cell[0].tag == qn("w:tcPr") else 0


def _number(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0
