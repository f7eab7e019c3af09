"""Stage 6: prove, before anything is published, that every format shows every word.

Two comparisons, both on words (letters and digits; case, punctuation, line
breaks and hyphenation do not count):

1. sources → Word: every value the template printed (recorded as it was
   printed, pipeline/render.py) stands in the Word file, in the order printed.
2. Word → PDF and web page: every paragraph and table row of the Word file
   stands in the other format, in order; the cells of one row may interleave,
   as a row broken across two pages puts part of each cell on each page.

The PDF is also read for what a reader cannot see in the Word file: no text
outside the page's printable area, no missing glyph (.notdef), no font but
the project's own. Any shortfall stops the build before publishing, with the
source file and line, the document, the format and the page.
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

from docx.oxml.ns import qn
from lxml import etree, html

from .documents import FONTS, Facts, without_outlines
from .errors import BeredningError
from .model import texts

if TYPE_CHECKING:
    from .rules import Checked

_WORD = re.compile(r"[^\W_]+")
# Printers cannot print the page's outermost edge; nothing is drawn nearer it than this (points).
PRINTABLE_EDGE = 14
# Styles whose paragraphs the PDF or the web page draws in a place of its own, from the sources
# (templates/pdf/rensa.lua): their words must be there, but not in the Word file's order.
_TITLE_AND_CONTENTS = {"Title", "Subtitle", "Innehållsförteckning"}
REDRAWN = {"typst": _TITLE_AND_CONTENTS | {"Titelsida"}, "html": _TITLE_AND_CONTENTS, "libreoffice": set()}
MOST_SHORTFALLS = 10


class ProofError(BeredningError):
    """A format shows less than the sources: nothing is published."""


def words(text: str) -> list[str]:
    """The words a reader reads, compared the same way in every format."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


# --- words, and the same words run together -------------------------------------

class Text:
    """A format's words in reading order, also run together into one string.

    A word is looked for in the run-together string, so it is found whole when
    a line's end broke it in two ("in-" "tegrationsarbetet"), when a long word
    was wrapped, and when the template glued text to a value
    ("{{ uppdrag.beredning }}s dokument").
    """

    def __init__(self, found: list[str]):
        self.words = found
        self.starts = list(itertools.accumulate((len(w) for w in found), initial=0))
        self.joined = "".join(found)

    def find(self, word: str, at: int) -> int:
        """The end of `word`'s first place at or after offset `at`, or -1."""
        place = self.joined.find(word, at)
        return place + len(word) if place >= 0 else -1

    def in_order(self, expected: list[str], at: int) -> tuple[int, int]:
        """(end, -1) when every word of `expected` stands here in order from offset `at`, gaps
        allowed; else (the offset searched from, the index of the first missing word)."""
        for n, word in enumerate(expected):
            end = self.find(word, at)
            if end < 0:
                return at, n
            at = end
        return at, -1

    def word_at(self, offset: int) -> int:
        """The index of the word an offset falls in."""
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)


# --- the Word file as blocks of words -------------------------------------------

@dataclass
class Blocks:
    """The words of a Word body in reading order, and its paragraphs and rows as ranges of them."""

    words: list[str] = field(default_factory=list)
    # Each block: the paragraph's style, and one range of words (a paragraph) or one per cell (a row).
    blocks: list[tuple[str, list[range]]] = field(default_factory=list)

    def add(self, text: str) -> range:
        start = len(self.words)
        self.words += words(text)
        return range(start, len(self.words))

    @functools.cached_property
    def text(self) -> Text:
        return Text(self.words)


def docx_blocks(docx: bytes) -> Blocks:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        body = etree.fromstring(archive.read("word/document.xml")).find(qn("w:body"))
    found = Blocks()
    for element in body:
        if element.tag == qn("w:p"):
            found.blocks.append((_style(element), [found.add(shown_text(element))]))
        elif element.tag == qn("w:tbl"):
            for row in element.iter(qn("w:tr")):
                cells = [found.add(_all_text(cell)) for cell in row.findall(qn("w:tc"))]
                found.blocks.append(("", cells))
        elif element.tag != qn("w:sectPr"):
            found.blocks.append(("", [found.add(_all_text(element))]))
    return found


def _all_text(element: etree._Element) -> str:
    return " ".join(shown_text(p) for p in element.iter(qn("w:p")))


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val"), "") if style is not None else ""


def shown_text(paragraph: etree._Element) -> str:
    """The text a paragraph shows: not what fields compute (page numbers, contents), not hidden text."""
    parts: list[str] = []
    depth = 0
    for element in paragraph.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:fldChar"), qn("w:fldSimple")):
        if element.tag == qn("w:fldChar"):
            kind = element.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" and depth else 0
        elif not depth and not _hidden(element) and not any(
                parent.tag == qn("w:fldSimple") for parent in element.iterancestors()):
            parts.append((element.text or "") if element.tag == qn("w:t") else " ")
    return "".join(parts)


_OFF = {"0", "false", "off"}


def _hidden(element: etree._Element) -> bool:
    """Whether Word hides the run holding `element` (hidden text, w:vanish)."""
    run = element.getparent()
    vanish = run.find(f"{qn('w:rPr')}/{qn('w:vanish')}") if run is not None else None
    return vanish is not None and vanish.get(qn("w:val"), "true") not in _OFF


# --- what the other formats show --------------------------------------------------

@dataclass(frozen=True)
class Fault:
    """Something drawn wrong on a PDF page: which text, and what is wrong with it."""

    page: int
    text: str  # the word, or the characters, concerned
    shown: str  # how the message names it
    problem: str


def pdf_words(pdf: bytes) -> tuple[Text, list[int], list[Fault]]:
    """A PDF's words, the page of each word, and what is wrong with how they are drawn."""
    import pymupdf  # only a build that makes a PDF pays for loading it

    found: list[str] = []
    pages: list[int] = []
    faults: list[Fault] = []
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        for number, page in enumerate(document, start=1):
            area = page.rect + (PRINTABLE_EDGE, PRINTABLE_EDGE, -PRINTABLE_EDGE, -PRINTABLE_EDGE)
            # Everything drawn, also off the page: a clipped row must show up as text outside it.
            drawn = page.get_text("words", flags=pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_MEDIABOX_CLIP,
                                  clip=pymupdf.INFINITE_RECT(), sort=False)
            for x0, y0, x1, y1, text, *_ in drawn:
                new = words(text)
                found += new
                pages += [number] * len(new)
                if new and not area.contains(pymupdf.Rect(x0, y0, x1, y1)):
                    faults.append(Fault(number, text, f"'{text}'", "står utanför sidans tryckbara yta"))
            faults += _glyph_faults(page, number)
    return Text(found), pages, faults


def _glyph_faults(page, number: int) -> list[Fault]:
    """Characters drawn in a font outside fonts/, or with a font's empty box because it lacks them."""
    faults = []
    for span in page.get_texttrace():
        font = span["font"].split("+")[-1]
        drawn = "".join(sorted({chr(c[0]) for c in span["chars"] if _visible(chr(c[0]))}))
        holds = shipped_fonts().get(_base_name(font))
        if holds is None and drawn:
            faults.append(Fault(number, drawn, _characters(drawn), f"ritades med typsnittet {font}, som inte finns "
                                "i fonts/; lägg till ett typsnitt som har tecknet i fonts/"))
        missing = "".join(c for c in drawn if holds is not None and ord(c) not in holds)
        if missing:
            faults.append(Fault(number, missing, _characters(missing),
                                f"finns inte i typsnittet {font} och syns som en tom ruta; {_remedy(missing)}"))
    return list(dict.fromkeys(faults))


def _remedy(missing: str) -> str:
    if all(ord(c) in _in_colour_fonts() for c in missing):
        # In fonts/, but in a font of pictures, which LibreOffice cannot draw with (pipeline/libreoffice.py).
        return "LibreOffice kan inte rita färgemoji; välj PDF_ENGINE=typst eller ta bort tecknet"
    return "lägg till ett typsnitt som har tecknet i fonts/"


def _visible(character: str) -> bool:
    """Whether a character needs a glyph: not a space, a control or an invisible format mark."""
    return not character.isspace() and unicodedata.category(character) not in ("Cc", "Cf", "Zs")


def _characters(characters: str) -> str:
    shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in characters[:5])
    return f"tecknet {shown}" if len(characters) == 1 else f"tecknen {shown}" + (" …" if len(characters) > 5 else "")


def _base_name(font: str) -> str:
    return re.sub(r"[^a-z0-9]", "", font.casefold())


@functools.cache
def _in_colour_fonts() -> frozenset[int]:
    return frozenset().union(*(shipped_fonts()[_base_name(path.stem)] for path in without_outlines()))


@functools.cache
def shipped_fonts() -> dict[str, frozenset[int]]:
    """The characters of each font in fonts/, by every name a PDF may give it: the Noto files are
    named by their PostScript names (NotoSans-Bold.ttf), and a regular face may go by its family's."""
    from fontTools.ttLib import TTFont  # only a build that makes a PDF pays for loading it

    fonts: dict[str, frozenset[int]] = {}
    for path in FONTS.glob("*.ttf"):
        characters = frozenset(TTFont(path, lazy=True).getBestCmap())
        for name in (path.stem, path.stem.removesuffix("-Regular")):
            fonts[_base_name(name)] = characters
    return fonts


def html_words(page: bytes) -> Text:
    tree = html.document_fromstring(page)
    for hidden in tree.xpath("//script|//style|//head"):
        hidden.drop_tree()
    return Text(words(" ".join(tree.itertext())))


# --- matching ------------------------------------------------------------------------

@dataclass(frozen=True)
class Shortfall:
    word: str
    docx_index: int  # the missing word's place among the Word file's words
    place: int  # the offset in the other format it was looked for from


def shortfalls_against(blocks: Blocks, found: Text, redrawn: Iterable[str] = ()) -> Iterator[Shortfall]:
    """Every paragraph and row of the Word file missing from `found`: in order, except paragraphs in
    `redrawn` styles, which may stand anywhere; the cells of one row may interleave, as a row broken
    across two pages puts part of each cell on each page."""
    at = 0
    for style, ranges in blocks.blocks:
        ends = []
        for cell in ranges:
            expected = blocks.words[cell.start:cell.stop]
            if style in redrawn:
                end, missing = at, found.in_order(expected, 0)[1]
            else:
                end, missing = found.in_order(expected, at)
            if missing >= 0:
                yield Shortfall(expected[missing], cell.start + missing, end)
                end = at
            ends.append(end)
        at = max(ends, default=at)


def printed_shortfalls(shown: list[str], blocks: Blocks) -> Iterator[tuple[str, str]]:
    """Each printed value missing from the Word file (the value, its first missing word)."""
    at = 0
    for value in shown:
        expected = words(value)
        end, missing = blocks.text.in_order(expected, at)
        if missing >= 0:
            yield value, expected[missing]
        else:
            at = end


def values_of_words(shown: list[str], blocks: Blocks) -> list[str]:
    """For each word of the Word file, the printed value it belongs to ('' for the template's own text)."""
    value_of = [""] * len(blocks.words)
    text, at = blocks.text, 0
    for value in shown:
        expected = words(value)
        end, missing = text.in_order(expected, at)
        if missing >= 0 or not expected:
            continue
        first = text.word_at(text.joined.find(expected[0], at))
        value_of[first:text.word_at(end - 1) + 1] = [value] * (text.word_at(end - 1) + 1 - first)
        at = end
    return value_of


# --- the proof of a build ---------------------------------------------------------------

@dataclass
class Outputs:
    """One document as built: its Word file, what the template printed, and the other formats."""

    docx_name: str  # 'sammanstallning.docx'
    docx: bytes
    shown: list[str]
    facts: Facts
    engine: str  # 'typst' or 'libreoffice'
    pdf: bytes | None = None
    page: bytes | None = None  # the web page


class Places:
    """Where a text stands in the sources ('sources/x.yaml:12'), or '' when no source holds it."""

    def __init__(self, checked: "Checked | None" = None):
        self.checked = checked

    @functools.cached_property
    def _texts(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for name, model in self.checked.sources.models.items() if self.checked else ():
            loaded = self.checked.sources.loaded[name]
            for loc, text in texts(model):
                found.setdefault(text, f"{loaded.name}:{loaded.position(loc)[0]}")
        return found

    def of(self, text: str) -> str:
        return self._texts.get(text, "")

    def holding(self, piece: str) -> str:
        """Where the first text holding `piece` (a word as a format drew it, a character) stands."""
        folded = words(piece)
        return next((where for text, where in self._texts.items()
                     if piece in text or folded and all(w in words(text) for w in folded)), "")


def prove(documents: Iterable[Outputs], places: Places = Places()) -> None:
    """Raise ProofError naming the shortfalls of every document."""
    messages: list[str] = []
    for document in documents:
        messages += _document_shortfalls(document, places)
    if messages:
        raise ProofError("\n".join(["bygget stoppades: ett format visar inte allt som källorna säger", *messages]))


def _document_shortfalls(document: Outputs, places: Places) -> list[str]:
    blocks = docx_blocks(document.docx)
    name = document.docx_name.removesuffix(".docx")
    messages = [f"{document.docx_name}: '{word}' {_source(value, places)}saknas i Word-filen"
                for value, word in itertools.islice(printed_shortfalls(document.shown, blocks), MOST_SHORTFALLS)]

    @functools.cache
    def value_of() -> list[str]:  # only a document that falls short needs it
        return values_of_words(document.shown, blocks)

    def source_of(docx_index: int) -> str:
        return _source(value_of()[docx_index], places)

    if document.pdf is not None:
        found, pages, faults = pdf_words(document.pdf)
        pdf = f"{name}.pdf ({'Typst' if document.engine == 'typst' else 'LibreOffice'})"
        messages += [f"{pdf}, sida {fault.page}: {fault.shown} {_from(places.holding(fault.text))}{fault.problem}"
                     for fault in faults[:MOST_SHORTFALLS]]
        for shortfall in itertools.islice(shortfalls_against(blocks, found, REDRAWN.get(document.engine, ())),
                                          MOST_SHORTFALLS):
            page = pages[found.word_at(shortfall.place)] if pages else 1
            messages.append(f"{pdf}, sida {page}: '{shortfall.word}' {source_of(shortfall.docx_index)}saknas")
        for text in (document.facts.header, document.facts.footer):
            if found.in_order(words(text), 0)[1] >= 0:
                messages.append(f"{pdf}: sidhuvudet eller sidfoten '{text}' saknas")
    if document.page is not None:
        for shortfall in itertools.islice(shortfalls_against(blocks, html_words(document.page), REDRAWN["html"]),
                                          MOST_SHORTFALLS):
            messages.append(f"{name}.html: '{shortfall.word}' {source_of(shortfall.docx_index)}saknas")
    return messages


def _source(value: str, places: Places) -> str:
    """Where a word of the Word file came from: a source's line, or the template."""
    return _from(places.of(value)) if value else "(ur mallen) "


def _from(where: str) -> str:
    return f"(från {where}) " if where else ""
