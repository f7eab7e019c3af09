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

import io
import zipfile
from typing import Callable

from lxml import etree

from .reproducible import write_zip

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMED = {f"{{{W}}}{tag}" for tag in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink")}
_FOLLOWED = (f"{{{W}}}basedOn", f"{{{W}}}link")
STYLES = "word/styles.xml"


def only_styles_in_use(docx: bytes) -> bytes:
    """`docx` with a styles.xml of the styles its parts name (and the styles those build on)."""
    def in_use(styles: etree._Element, members: list[tuple[str, bytes]]) -> bytes:
        named = {element.get(f"{{{W}}}val") for name, data in members
                 if name.startswith("word/") and name.endswith(".xml") and name != STYLES
                 for element in etree.fromstring(data).iter(*_NAMED)}
        return _lean(styles, named)

    return _with_styles(docx, in_use)


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


def _lean(styles: etree._Element, named: set[str | None]) -> bytes:
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
    return etree.tostring(styles, xml_declaration=True, encoding="UTF-8", standalone=True)


def _without_links(rels: bytes, leave_out: tuple[str, ...]) -> bytes:
    if not leave_out:
        return rels
    root = etree.fromstring(rels)
    for link in list(root):
        if any(part.endswith(link.get("Target", "").lstrip("/")) for part in leave_out):
            root.remove(link)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
