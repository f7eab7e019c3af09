"""Stage 6: prove, before anything is published, that every format shows every word.

Words are compared as letters and digits, case-folded (NFKC): punctuation,
line breaks and hyphenation do not count, and a word is looked for in the
format's words run together, so it is found when a line's end broke it, when
its pieces were drawn apart (a row broken across two pages) or when the
template glued text to it.

1. sources → Word: every value the template printed (recorded as it was
   printed, pipeline/render.py) stands in the Word body where it was printed,
   and cutting tall rows (pipeline/layout.py) keeps every word.
2. Word → PDF and web page: every paragraph and table row of the Word file
   stands in the other format, in order; the cells of one row may interleave,
   right-to-left words come in the order of the eye, and a PDF page's header,
   footer and repeated table header row are left out of its body.

The PDF is also read for what a reader cannot see in the Word file: no text
outside the page's printable area, no missing glyph, no font but the
project's own. Any shortfall stops the build before publishing, with the
source file and line, the document, the format and the page.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Iterator

from docx.oxml.ns import qn
from lxml import etree, html

from .documents import Facts
from .options import FONTS, without_outlines
from .errors import BeredningError
from .model import texts
from .layout import Page, body_of, page_parts, pages

if TYPE_CHECKING:
    from .rules import Checked

_WORD = re.compile(r"[^\W_]+")
# Printers cannot print the page's outermost edge; nothing is drawn nearer it than this (points).
PRINTABLE_EDGE = 14
# Styles whose paragraphs the PDF or the web page draws in a place of its own, from the sources
# (templates/pdf/rensa.lua): their words must be there, but not in the Word file's order.
_TITLE_AND_CONTENTS = {"Title", "Subtitle", "Innehållsförteckning", "TOC1", "TOC2"}
# A table's header row stands where its table begins and again on every page the table runs onto,
# where the PDF's words leave it out (pdf_words): it may stand anywhere.
REPEATED_ROW = "(rubrikrad)"
REDRAWN = {"typst": {"Innehållsförteckning", "TOC1", "TOC2", REPEATED_ROW}, "html": _TITLE_AND_CONTENTS | {REPEATED_ROW},
           "libreoffice": {REPEATED_ROW}}
MOST_SHORTFALLS = 10


class ProofError(BeredningError):
    """A format shows less than the sources: nothing is published."""


def words(text: str) -> list[str]:
    """The words a reader reads, compared the same way in every format."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


# --- words, and the same words run together -------------------------------------

PIECES_WITHIN = 60  # how many words apart the pieces of one broken word may be drawn
NEAR = 40  # how many words a word may be drawn before where the reading is, or after it without a jump


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
        """The end of `word`'s first place at or after offset `at`, or -1: whole, or in pieces not
        far apart (a word broken at a line's end, drawn with other words between its pieces, as
        right-to-left words in the same line are)."""
        place = self.joined.find(word, at)
        whole = place + len(word) if place >= 0 else -1
        first = bisect.bisect_left(self.starts, at)
        if len(word) >= 4:
            last = self.word_at(place) if place >= 0 else len(self.words)
            pieced = self._in_pieces(word, first, min(last, first + PIECES_WITHIN))
            whole = pieced if pieced >= 0 and (whole < 0 or pieced < whole) else whole
        if whole >= 0 and self.word_at(whole - 1) - first <= NEAR:
            return whole
        # Drawn a little before where the reading got to (a right-to-left word the extraction put
        # ahead of its neighbours): found, and the reading goes on from where it was.
        behind = self.starts[max(first - NEAR, 0)]
        return at if self.joined.find(word, behind, at + len(word)) >= 0 else whole

    def _in_pieces(self, word: str, first: int, last: int) -> int:
        """The end of `word` drawn as pieces, the first one a whole word from index `first` to `last`."""
        for start in range(first, last):
            piece = self.words[start]
            if not piece or len(piece) >= len(word) or not word.startswith(piece):
                continue
            rest, at = word[len(piece):], start
            for n in range(start + 1, min(start + PIECES_WITHIN, len(self.words))):
                if rest.startswith(self.words[n]) and self.words[n]:
                    rest, at = rest[len(self.words[n]):], n
                    if not rest:
                        return self.starts[at] + len(self.words[at])
        return -1

    def in_order(self, expected: list[str], at: int) -> tuple[int, int]:
        """(end, -1) when every word of `expected` stands here in order from offset `at`, gaps
        allowed; else (the offset searched from, the index of the first missing word).

        Right-to-left words are drawn in the order of the eye, not of the text: within a run of them
        (or a whole paragraph that starts right-to-left) they may stand in any order after `at`."""
        n = 0
        for run in _direction_runs(expected):
            ends = [self.find(word, at) for word in run.words] if run.any_order else []
            for word in () if run.any_order else run.words:
                ends.append(self.find(word, ends[-1] if ends else at))
                if ends[-1] < 0:
                    break
            if -1 in ends:
                return at, n + ends.index(-1)
            at, n = max(ends), n + len(ends)
        return at, -1

    def word_at(self, offset: int) -> int:
        """The index of the word an offset falls in."""
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)


@dataclass(frozen=True)
class _Run:
    words: list[str]
    any_order: bool


def _direction_runs(expected: list[str]) -> list[_Run]:
    """The words as runs: left-to-right ones in order, right-to-left ones (with the numbers between
    them) in any order; all in any order when the first letter is right-to-left."""
    kinds = [_direction(word) for word in expected]
    if next((kind for kind in kinds if kind != "neutral"), "") == "rtl":
        return [_Run(expected, True)]
    runs: list[_Run] = []
    for word, kind in zip(expected, kinds):
        rtl = kind == "rtl" or kind == "neutral" and bool(runs) and runs[-1].any_order
        if runs and runs[-1].any_order == rtl:
            runs[-1].words.append(word)
        else:
            runs.append(_Run([word], rtl))
    return runs


def _direction(word: str) -> str:
    for character in word:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "neutral"


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


def body_blocks(body: etree._Element) -> Blocks:
    found = Blocks()
    for element in body:
        if element.tag == qn("w:p"):
            found.blocks.append((style_of(element), [found.add(shown_text(element))]))
        elif element.tag == qn("w:tbl"):
            for row in element.findall(qn("w:tr")):
                cells = [found.add(_all_text(cell)) for cell in row.findall(qn("w:tc"))]
                found.blocks.append((REPEATED_ROW if _repeated(row) else "", cells))
        elif element.tag != qn("w:sectPr"):
            found.blocks.append(("", [found.add(_all_text(element))]))
    return found


def _repeated(row: etree._Element) -> bool:
    """Whether a row is a header row, repeated at the top of every page its table runs onto."""
    header = row.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}")
    return header is not None and header.get(qn("w:val"), "true") not in _OFF


def header_rows(blocks: Blocks) -> list[list[str]]:
    return [blocks.words[cells[0].start:cells[-1].stop] for style, cells in blocks.blocks if style == REPEATED_ROW]


def _all_text(element: etree._Element) -> str:
    return " ".join(shown_text(p) for p in element.iter(qn("w:p")))


def style_of(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style.get(qn("w:val"), "") if style is not None else ""


_T, _TAB, _BR, _FIELD_CHAR, _SIMPLE_FIELD = (qn(tag) for tag in ("w:t", "w:tab", "w:br", "w:fldChar", "w:fldSimple"))


def shown_text(paragraph: etree._Element) -> str:
    """The text a paragraph shows: not what fields compute (page numbers, contents), not hidden text."""
    parts: list[str] = []
    depth = 0
    computed = {id(e) for field in paragraph.iter(_SIMPLE_FIELD) for e in field.iter()}
    for element in paragraph.iter(_T, _TAB, _BR, _FIELD_CHAR):
        if element.tag == _FIELD_CHAR:
            kind = element.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" and depth else 0
        elif not depth and id(element) not in computed and not _hidden(element):
            parts.append((element.text or "") if element.tag == _T else " ")
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


@dataclass
class PdfWords:
    """What a PDF shows: the words of its body, in reading order (the header and footer of each page
    and a table's header row repeated at a page's top left out, so a word broken at a page's end
    runs on into the next page's), the page of each, all words as drawn, and what is wrong with
    how they are drawn."""

    body: Text
    pages: list[int]
    drawn: Text  # every word, in the order drawn: the headers and footers are among them
    faults: list[Fault]


def pdf_words(pdf: bytes, word_pages: dict[bool, Page] | None = None,
              repeated_rows: Iterable[list[str]] = ()) -> PdfWords:
    """The words of a PDF; `word_pages` are the Word file's pages, upright and turned, whose margins
    hold the headers and footers; `repeated_rows` the words of its tables' header rows."""
    import pymupdf  # only a build that makes a PDF pays for loading it

    rows = ["".join(row) for row in repeated_rows if row]
    seen: set[str] = set()
    found: list[str] = []
    numbers: list[int] = []
    everything: list[str] = []
    faults: list[Fault] = []
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        for number, page in enumerate(document, start=1):
            area = page.rect + (PRINTABLE_EDGE, PRINTABLE_EDGE, -PRINTABLE_EDGE, -PRINTABLE_EDGE)
            # Everything drawn, also off the page (a clipped row must show up as text outside it), each
            # word's box that of its letters' ink, not of its font's tallest letter.
            # One reading of the page gives both its words and the fonts each character is drawn in.
            flags = pymupdf.TEXTFLAGS_WORDS & ~pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_ACCURATE_BBOXES
            reading = page.get_textpage(flags=flags, clip=pymupdf.INFINITE_RECT())
            drawn = page.get_text("words", textpage=reading, sort=False)
            faults += [Fault(number, w[4], f"'{w[4]}'", "står utanför sidans tryckbara yta")
                       for w in drawn if not _inside(w, area) and words(w[4])]
            body = _without_repeated_row(_body(drawn, page.rect, _margins(word_pages, page.rect)), rows, seen)
            found += body
            numbers += [number] * len(body)
            everything += words("\n".join(w[4] for w in drawn))
            faults += _glyph_faults(reading, number)
    return PdfWords(Text(found), numbers, Text(everything), faults)


def _inside(word: tuple, area) -> bool:
    """Whether a word's box (x0, y0, x1, y1, …) lies within the rectangle `area`."""
    return area.x0 <= word[0] <= word[2] <= area.x1 and area.y0 <= word[1] <= word[3] <= area.y1


def _margins(word_pages: dict[bool, Page] | None, rect) -> tuple[float, float]:
    """The top and bottom margins (points) of the Word file's page of the same orientation."""
    if not word_pages:
        return 0.0, 0.0
    page = word_pages.get(rect.width > rect.height) or next(iter(word_pages.values()))
    margins = page.margins_in_points()
    return margins["top"], margins["bottom"]


def _body(drawn: list[tuple], rect, margins: tuple[float, float]) -> list[str]:
    """A page's words without its header and footer: the lines whose middle lies in the top or
    bottom margin (a line drawn off the page is the body's, and a fault of its own)."""
    top, bottom = margins
    lines: dict[tuple[int, int], list[tuple]] = {}
    for word in drawn:
        lines.setdefault((word[5], word[6]), []).append(word)

    def in_margin(line: list[tuple]) -> bool:
        middle = (min(w[1] for w in line) + max(w[3] for w in line)) / 2 - rect.y0
        return 0 <= middle < top or rect.height - bottom < middle <= rect.height

    return words("\n".join(w[4] for line in lines.values() if not in_margin(line) for w in line))


def _without_repeated_row(body: list[str], rows: list[str], seen: set[str]) -> list[str]:
    """A page's body without a table header row at its top that an earlier page already showed;
    notes in `seen` the header rows this page shows."""
    for row in rows:
        taken, joined = 0, ""
        while taken < len(body) and len(joined) < len(row):
            joined += body[taken]
            taken += 1
        if joined == row and row in seen:
            return body[taken:]
    page = "".join(body)
    seen.update(row for row in rows if row in page)
    return body


def _glyph_faults(reading, number: int) -> list[Fault]:
    """Characters drawn in a font outside fonts/, or with a font's empty box because it lacks them;
    `reading`: the page's pymupdf TextPage. A run of text in one font is told once, its characters in
    the order drawn, so that the message can name the source line they stand on."""
    faults = []
    for span in (span for block in reading.extractDICT()["blocks"] for line in block.get("lines", ())
                 for span in line["spans"]):
        font = span["font"].split("+")[-1]
        holds = _holds(font)
        if holds is not None and holds.issuperset(map(ord, span["text"])):
            continue  # a shipped font that has every character: most runs of text
        drawn = "".join(character for character in dict.fromkeys(span["text"]) if _visible(character))
        if holds is None and drawn:
            faults.append(Fault(number, drawn, _characters(drawn), f"ritades med typsnittet {font}, som inte finns "
                                "i fonts/; lägg till ett typsnitt som har tecknet i fonts/"))
        missing = "".join(c for c in drawn if holds is not None and ord(c) not in holds)
        if missing:
            faults.append(Fault(number, missing, _characters(missing),
                                f"finns inte i typsnittet {font} och syns som en tom ruta; {_remedy(missing)}"))
    return list(dict.fromkeys(faults))


@functools.lru_cache(maxsize=64)
def _holds(font: str) -> frozenset[int] | None:
    """The characters of the shipped font a PDF names `font`, None when it is not one of fonts/."""
    return shipped_fonts().get(_base_name(font))


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


@dataclass
class Printed:
    """The values a template printed into a Word body, in order; those of them the body as rendered
    does not show (the value, its first missing word); and the body's words, counted. Both are taken
    before pipeline/layout.py cuts tall rows (which puts a meeting's documents before the rest of
    its items); the proof then finds every counted word in the finished Word file."""

    values: list[str]
    missing: list[tuple[str, str]]
    counted: Counter

    @classmethod
    def of(cls, values: list[str], body: etree._Element) -> "Printed":
        blocks = body_blocks(body)
        missing = list(itertools.islice(printed_shortfalls(values, blocks), MOST_SHORTFALLS))
        return cls(values, missing, Counter(blocks.words))

    def lost(self, blocks: Blocks) -> list[str]:
        """The words the rendered body had and the finished one has not."""
        return list(self.counted - Counter(blocks.words))[:MOST_SHORTFALLS]


def printed_shortfalls(shown: list[str], blocks: Blocks) -> Iterator[tuple[str, str]]:
    """Each printed value the Word file does not show where it was printed (the value, its first word).

    A value stands whole in the Word file's run-together words, after the value printed before it.
    One found only beyond where the value after it stands is not where it was printed (a hidden
    field whose words stand further on too): it is named, and the next is looked for from where the
    one before it ended.
    """
    joined = blocks.text.joined
    keys = ["".join(words(value)) for value in shown]
    after, following = [], ""
    for key in reversed(keys):  # the next value with words, for each value
        after.append(following)
        following = key or following
    at = 0
    for value, key, following in zip(shown, keys, reversed(after)):
        if not key:
            continue
        place = joined.find(key, at)
        jumped = place >= 0 and following and joined.find(following, place + len(key)) < 0 <= joined.find(following, at)
        if place < 0 or jumped:
            yield value, words(value)[0]
        else:
            at = place + len(key)


def values_of_words(shown: list[str], blocks: Blocks) -> list[str]:
    """For each word of the Word file, the printed value it belongs to ('' for the template's own text)."""
    value_of = [""] * len(blocks.words)
    text, at = blocks.text, 0
    for value in shown:
        key = "".join(words(value))
        place = text.joined.find(key, at) if key else -1
        if place < 0:
            continue
        first, last = text.word_at(place), text.word_at(place + len(key) - 1)
        value_of[first:last + 1] = [value] * (last + 1 - first)
        at = place + len(key)
    return value_of


# --- the proof of a build ---------------------------------------------------------------

@dataclass
class Outputs:
    """One document as built: its Word file, what the template printed, and the other formats."""

    docx_name: str  # 'sammanstallning.docx'
    docx: bytes
    printed: Printed
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
    proof = Proof(places)
    for document in documents:
        proof.check(document)
    proof.conclude()


class Proof:
    """The proof of a build, document by document as each is made (pipeline/build.py), while others are
    still being converted; the shortfalls of all are told together, in the order the documents were
    planned."""

    def __init__(self, places: Places):
        self._places = places
        self._messages: dict[str, list[str]] = {}

    def check(self, document: Outputs) -> None:
        self._messages[document.docx_name] = _document_shortfalls(document, self._places)

    def conclude(self, order: Iterable[str] | None = None) -> None:
        """Raise ProofError naming every shortfall found; `order`: the documents' Word file names."""
        messages = [message for name in (self._messages if order is None else order)
                    for message in self._messages.get(name, [])]
        if messages:
            raise ProofError("\n".join(["bygget stoppades: ett format visar inte allt som källorna säger", *messages]))


def _document_shortfalls(document: Outputs, places: Places) -> list[str]:
    parts = page_parts(document.docx)
    body = body_of(parts)
    blocks = body_blocks(body)
    name = document.docx_name.removesuffix(".docx")
    missing = [*document.printed.missing, *(("", word) for word in document.printed.lost(blocks))]
    messages = [f"{document.docx_name}: '{word}' {_source(value, word, places)}saknas i Word-filen"
                for value, word in missing]

    @functools.cache
    def value_of() -> list[str]:  # only a document that falls short needs it
        return values_of_words(document.printed.values, blocks)

    def source_of(docx_index: int) -> str:
        return _source(value_of()[docx_index], blocks.words[docx_index], places)

    if document.pdf is not None:
        shown = pdf_words(document.pdf, pages(body), header_rows(blocks))
        pdf = f"{name}.pdf ({'Typst' if document.engine == 'typst' else 'LibreOffice'})"
        messages += [f"{pdf}, sida {fault.page}: {fault.shown} {_from(places.holding(fault.text))}{fault.problem}"
                     for fault in shown.faults[:MOST_SHORTFALLS]]
        for shortfall in itertools.islice(shortfalls_against(blocks, shown.body, REDRAWN.get(document.engine, ())),
                                          MOST_SHORTFALLS):
            page = shown.pages[shown.body.word_at(shortfall.place)] if shown.pages else 1
            messages.append(f"{pdf}, sida {page}: '{shortfall.word}' {source_of(shortfall.docx_index)}saknas")
        for text in _furniture(parts, body):
            if shown.drawn.in_order(words(text), 0)[1] >= 0:
                messages.append(f"{pdf}: sidhuvudet eller sidfoten '{text}' saknas")
    if document.page is not None:
        for shortfall in itertools.islice(shortfalls_against(blocks, html_words(document.page), REDRAWN["html"]),
                                          MOST_SHORTFALLS):
            messages.append(f"{name}.html: '{shortfall.word}' {source_of(shortfall.docx_index)}saknas")
    return messages


def _furniture(parts: dict[str, bytes], body: etree._Element) -> list[str]:
    """The texts of the Word file's header and footer, which every PDF page shows; `parts`: its page_parts."""
    from .look import furniture  # it reads the Word file with this module's shown_text

    return list(furniture(parts, body).values())


def _source(value: str, word: str, places: Places) -> str:
    """Where a word of the Word file came from: the line of the value it belongs to, else of the first
    source text holding it, else the template."""
    where = (places.of(value) if value else "") or places.holding(word)
    return _from(where) if where else "(ur mallen) "


def _from(where: str) -> str:
    return f"(från {where}) " if where else ""
