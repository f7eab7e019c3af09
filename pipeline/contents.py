"""Stage 4c: the Word file's table of contents holds the real headings, never a placeholder.

Word fills a TOC field only when it opens the file and updates fields, and
LibreOffice never does for the reader who opens the .docx. So the field's
result is written here, as Word writes it: one paragraph per heading
(styles "toc 1", "toc 2"), each a link to a bookmark on its heading. The
field stays a field, marked dirty, so Word still updates it on opening.

Page numbers come from a PDF engine: once a build has laid the document out
(pipeline/convert.py), `number_contents` writes the page of each heading as
that PDF shows it. A build without PDF leaves the numbers to Word.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .reproducible import write_zip

_TOC = re.compile(r"^\s*TOC\b(.*)$")
_LEVELS = re.compile(r'\\o\s+"(\d)-(\d)"')
_HEADING = re.compile(r"Heading([1-9])")
BOOKMARK = "_Toc{:09d}"  # Word's own naming: a hidden bookmark, not listed under Insert > Bookmark
_ENTRY_STYLE = "TOC{}"


def write_contents(body: etree._Element) -> None:
    """Give the body's TOC field (if any) one entry per heading it covers, linked to the heading."""
    found = _toc_field(body)
    if found is None:
        return
    paragraph, levels = found
    entries = [(level, heading) for heading in body.iter(qn("w:p"))
               if (level := _heading_level(heading)) and level in levels]
    begin_runs = _runs_before_result(paragraph)
    end_runs = _runs_from_end(paragraph)
    new_paragraphs = []
    for number, (level, heading) in enumerate(entries, start=1):
        name = BOOKMARK.format(number)
        _bookmark(heading, name, number)
        entry = _entry(level, _plain_text(heading), name)
        if number == 1:
            for run in reversed(begin_runs):
                entry.insert(1, run)
        new_paragraphs.append(entry)
    if not new_paragraphs:
        return
    # The field's end stays in the template's paragraph, with whatever follows it (the page break).
    for run in list(paragraph):
        if run.tag != qn("w:pPr") and run not in end_runs:
            paragraph.remove(run)
    for entry in new_paragraphs:
        paragraph.addprevious(entry)


def _toc_field(body: etree._Element) -> tuple[etree._Element, set[int]] | None:
    for instruction in body.iter(qn("w:instrText")):
        match = _TOC.match(instruction.text or "")
        if match:
            levels = _LEVELS.search(match[1])
            low, high = (int(levels[1]), int(levels[2])) if levels else (1, 3)
            paragraph = next(instruction.iterancestors(qn("w:p")))
            return paragraph, set(range(low, high + 1))
    return None


def _heading_level(paragraph: etree._Element) -> int:
    style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    match = _HEADING.fullmatch(style.get(qn("w:val"), "")) if style is not None else None
    return int(match[1]) if match else 0


def _runs_before_result(paragraph: etree._Element) -> list[etree._Element]:
    """The field's begin, instruction and separate runs."""
    runs = []
    for run in paragraph.iterchildren(qn("w:r")):
        runs.append(run)
        char = run.find(qn("w:fldChar"))
        if char is not None and char.get(qn("w:fldCharType")) == "separate":
            return runs
    return runs


def _runs_from_end(paragraph: etree._Element) -> list[etree._Element]:
    """The field's end run and every run after it."""
    runs = list(paragraph.iterchildren(qn("w:r")))
    for index, run in enumerate(runs):
        char = run.find(qn("w:fldChar"))
        if char is not None and char.get(qn("w:fldCharType")) == "end":
            return runs[index:]
    return []


def _plain_text(paragraph: etree._Element) -> str:
    return "".join(t.text or "" for t in paragraph.iter(qn("w:t")))


def _bookmark(heading: etree._Element, name: str, number: int) -> None:
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(90000 + number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(90000 + number))
    properties = heading.find(qn("w:pPr"))
    if properties is not None:
        properties.addnext(start)
    else:
        heading.insert(0, start)
    heading.append(end)


def _entry(level: int, text: str, bookmark: str) -> etree._Element:
    """A contents line as Word writes it: a link holding the heading's text and a PAGEREF field, whose
    page number (and the tab before it) `number_contents` writes."""
    paragraph = OxmlElement("w:p")
    properties = OxmlElement("w:pPr")
    style = OxmlElement("w:pStyle")
    style.set(qn("w:val"), _ENTRY_STYLE.format(level))
    properties.append(style)
    paragraph.append(properties)
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(_text_run(text))
    link.append(_field_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" PAGEREF {bookmark} \\h "
    link.append(_run(instruction))
    link.append(_field_char("separate"))
    number = _text_run("")  # the page, once a PDF engine has laid the pages out
    link.append(number)
    link.append(_field_char("end"))
    paragraph.append(link)
    return paragraph


def _run(child: etree._Element) -> etree._Element:
    run = OxmlElement("w:r")
    run.append(child)
    return run


def _text_run(text: str) -> etree._Element:
    element = OxmlElement("w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    return _run(element)


def _field_char(kind: str) -> etree._Element:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return _run(char)


def number_contents(docx: bytes, pdf: bytes) -> bytes:
    """The Word file with each contents line's page number as `pdf` shows its heading (from the
    PDF's bookmarks, which both engines make from the headings); unchanged when it has no contents."""
    import pymupdf  # only a build that makes a PDF pays for loading it

    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        document = package.read("word/document.xml")
        if b"_Toc" not in document:  # no contents line (a feedback letter): not even parsed
            return docx
        names = package.namelist()
        others = {name: package.read(name) for name in names if name != "word/document.xml"}
    root = etree.fromstring(document)
    lines = [link for link in root.iter(qn("w:hyperlink")) if (link.get(qn("w:anchor")) or "").startswith("_Toc")]
    if not lines:
        return docx
    with pymupdf.open(stream=pdf, filetype="pdf") as laid_out:
        bookmarks = [(_comparable(title), page) for _, title, page in laid_out.get_toc(simple=True)]
    at = 0
    for link in lines:
        title = _comparable(_link_title(link))
        page = next((i for i in range(at, len(bookmarks)) if bookmarks[i][0] == title), None)
        if page is None:
            continue
        number = _page_number_run(link)
        number.text = str(bookmarks[page][1])
        _first_field_char(link).addprevious(_run(OxmlElement("w:tab")))  # to the right margin, dotted
        at = page + 1
    written = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    write_zip(out, [(name, others.get(name, written)) for name in names])
    return out.getvalue()


def _comparable(title: str) -> str:
    """A heading's words as both engines' bookmarks and the Word file give them."""
    return " ".join(title.replace("\u200b", "").split()).casefold()


def _link_title(link: etree._Element) -> str:
    """The link's text before its page number's field."""
    runs = itertools.takewhile(lambda run: run.find(qn("w:fldChar")) is None, link.iterchildren(qn("w:r")))
    return "".join(t.text or "" for run in runs for t in run.iter(qn("w:t")))


def _page_number_run(link: etree._Element) -> etree._Element:
    """The w:t of the PAGEREF field's result."""
    after_separate = False
    for run in link.iterchildren(qn("w:r")):
        char = run.find(qn("w:fldChar"))
        if char is not None:
            after_separate = char.get(qn("w:fldCharType")) == "separate"
        elif after_separate and run.find(qn("w:t")) is not None:
            return run.find(qn("w:t"))
    raise ValueError("contents line without a page number")


def _first_field_char(link: etree._Element) -> etree._Element:
    return next(run for run in link.iterchildren(qn("w:r")) if run.find(qn("w:fldChar")) is not None)
