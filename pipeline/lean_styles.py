"""Word files as pandoc reads them: without the styles pandoc has no use for.

A Word template carries every style its authors ever made (the example's:
170 styles, 100 of them table styles, 350 kB of styles.xml), and pandoc
spends most of its time on them: reading a feedback letter for its PDF took
80 ms of 85, reading a template as the reference for the Markdown fields
190 ms of 200. The Word files we write keep every style; only pandoc's
copies are lean:
- a built document, read for Typst and the web page, keeps the styles its
  paragraphs, runs, tables and lists name, and those they build on;
- a template, as the reference for the Markdown fields, keeps all but the
  table styles: pandoc writes a field's tables in its own style 'Table'.
The PDFs, web pages and Word files come out byte for byte as before (tested
when this was written, on the example and 200 meetings).
"""

from __future__ import annotations

import functools
import io
import zipfile
from typing import TYPE_CHECKING, Callable

from lxml import etree

from .reproducible import write_zip

if TYPE_CHECKING:
    from .layout import Page

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMED = {f"{{{W}}}{tag}" for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")}
_FOLLOWED = (f"{{{W}}}basedOn", f"{{{W}}}link")
STYLES = "word/styles.xml"
DOCUMENT = "word/document.xml"


class PandocCopies:
    """A built Word file, read once for all that its web page and its Typst PDF take from it: pandoc's
    lean copies (stored, not compressed: pandoc unpacks them at once), the look of its styles
    (pipeline/look.py), its pictures. Made and used by one conversion thread (pipeline/convert.py)."""

    def __init__(self, docx: bytes):
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            self.members = {name: archive.read(name) for name in archive.namelist()}
        self.root = etree.fromstring(self.members[DOCUMENT])
        self._named = {element.get(f"{{{W}}}val") for element in self.root.iter(*_NAMED)}
        self._named.update(element.get(f"{{{W}}}val") for name, data in self.members.items()
                           if name.startswith("word/") and name.endswith(".xml") and name not in (STYLES, DOCUMENT)
                           for element in etree.fromstring(data).iter(*_NAMED))
        styles = self.members.get(STYLES, b"")
        self.style_look = _style_look(styles)
        self._lean_styles = _lean_of(styles, frozenset(self._named))
        self.for_html = self._copy({STYLES: self._lean_styles})

    @property
    def body(self) -> etree._Element:
        return self.root.find(f"{{{W}}}body")

    def for_typst(self) -> tuple[bytes, "Page"]:
        """The copy for pandoc's Typst, with layout's marks in its body (pipeline/layout.py), and the
        first page; once only."""
        from .layout import mark_for_typst, mark_style

        first, marks = mark_for_typst(self.body)
        if not marks:
            return self.for_html, first
        styles = etree.fromstring(self._lean_styles)
        styles.extend(mark_style(name) for name in marks)
        return self._copy({DOCUMENT: _xml(self.root), STYLES: _xml(styles)}), first

    def _copy(self, changed: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        write_zip(out, [(name, changed.get(name, data)) for name, data in self.members.items()],
                  compression=zipfile.ZIP_STORED)
        return out.getvalue()


def _with_styles(docx: bytes, change: Callable[[etree._Element, list[tuple[str, bytes]]], bytes],
                 leave_out: tuple[str, ...] = ()) -> bytes:
    """`docx` with its styles.xml as `change` writes it, given the parsed styles and every member;
    the parts `leave_out` and the relationships to them left out."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        members = [(name, _without_links(archive.read(name), leave_out) if name.endswith(".rels") else archive.read(name))
                   for name in archive.namelist() if name not in leave_out]
    parts = dict(members)
    if STYLES not in parts:
        return docx
    styles = etree.fromstring(parts[STYLES])
    lean = change(styles, members)
    out = io.BytesIO()
    write_zip(out, [(name, lean if name == STYLES else data) for name, data in members])
    return out.getvalue()


# Parts of a Word template that pandoc's docx writer never reads from its reference document.
_UNREAD = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg")


def lean_reference(template: bytes) -> bytes:
    """The template without the table styles pandoc never writes (it keeps 'Table' and the default),
    and without the parts it never reads."""
    return _with_styles(template, _without_table_styles, leave_out=_UNREAD)


def _without_table_styles(styles: etree._Element, members: list[tuple[str, bytes]]) -> bytes:
    for style in styles.findall(f"{{{W}}}style"):
        if (style.get(f"{{{W}}}type") == "table" and style.get(f"{{{W}}}default") not in ("1", "true")
                and style.get(f"{{{W}}}styleId") != "Table"):
            styles.remove(style)
    return etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


# The documents of one template share its styles.xml (a build's 300 feedback letters, 350 kB each):
# it is parsed, looked at and made lean once, not once per document.
@functools.lru_cache(maxsize=8)
def _style_look(styles: bytes) -> dict[str, str]:
    from .look import style_look

    return style_look(_parsed(styles))


@functools.lru_cache(maxsize=32)
def _lean_of(styles: bytes, named: frozenset[str | None]) -> bytes:
    return _lean(_parsed(styles), named)


def _parsed(styles: bytes) -> etree._Element:
    return etree.fromstring(styles) if styles else etree.Element(f"{{{W}}}styles")


def _lean(styles: etree._Element, named: set[str | None] | frozenset[str | None]) -> bytes:
    by_id = {style.get(f"{{{W}}}styleId"): style for style in styles.iterfind(f"{{{W}}}style")}
    wanted = {style_id for style_id, style in by_id.items() if style.get(f"{{{W}}}default") in ("1", "true")}
    todo = [style_id for style_id in named | wanted if style_id in by_id]
    while todo:
        style_id = todo.pop()
        wanted.add(style_id)
        for tag in _FOLLOWED:
            link = by_id[style_id].find(tag)
            target = link.get(f"{{{W}}}val") if link is not None else None
            if target in by_id and target not in wanted:
                todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in wanted:
            styles.remove(style)
    latent = styles.find(f"{{{W}}}latentStyles")
    if latent is not None:
        styles.remove(latent)
    return _xml(styles)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_links(rels: bytes, leave_out: tuple[str, ...]) -> bytes:
    if not leave_out:
        return rels
    root = etree.fromstring(rels)
    for link in list(root):
        if any(part.endswith(link.get("Target", "").lstrip("/")) for part in leave_out):
            root.remove(link)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
