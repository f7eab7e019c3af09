"""The embedded PDF engine: a built .docx → pandoc → Typst → PDF/A-2b, tagged for PDF/UA-1.

Needs nothing but pip packages. The fonts are the project's own (fonts/),
never the machine's, so every machine makes the same PDF.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import typst

from .documents import FONTS, Facts
from .errors import ToolError, reason
from .layout import for_pandoc
from .look import word_look
from .pandoc import docx_to_typst
from .pdf_streams import unambiguous_stream_ends
from .scratch import scratch_folder

NAME = "Typst"
STANDARDS = ["a-2b", "ua-1"]


def typst_pdf(docx: bytes, facts: Facts, when: datetime, pdf_templates: Path) -> bytes:
    """Typeset one document: the Word file's look (pipeline/look.py) and margins, `facts` for the PDF's
    metadata."""
    marked, first_page = for_pandoc(docx)
    source = docx_to_typst(marked, pdf_templates)
    # The Word file's margins, so the PDF's body, header and footer stand where Word puts them.
    margins = {f"margin-{side}": f"{points:g}" for side, points in first_page.margins_in_points().items()}
    with scratch_folder("typst") as root:
        try:
            _unpack_media(docx, root)
            (root / "dokument.typ").write_text(source, "utf-8")
        except OSError as error:
            raise ToolError(f"kunde inte förbereda Typst i {root.parent} ({reason(error)})") from error
        try:
            pdf = typst.compile(str(root / "dokument.typ"), root=str(root), font_paths=[str(FONTS)],
                                ignore_system_fonts=True, pdf_standards=STANDARDS,
                                sys_inputs={**facts.as_inputs(), **word_look(docx), **margins},
                                timestamp=int(when.timestamp()))
        except typst.TypstError as error:
            raise ToolError(_in_swedish(str(error), facts.title)) from error
    return unambiguous_stream_ends(pdf)


def _unpack_media(docx: bytes, root: Path) -> None:
    """The pictures of the .docx where pandoc's Typst refers to them (media/imageN.png); Typst reads
    nothing outside `root`."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if name.startswith("word/media/") and "/" not in name.removeprefix("word/media/"):
                target = root / "media" / name.removeprefix("word/media/")
                target.parent.mkdir(exist_ok=True)
                target.write_bytes(archive.read(name))


def _in_swedish(message: str, title: str) -> str:
    missing = re.search(r'the text `"(.+?)"` could not be displayed', message)
    if missing:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in dict.fromkeys(missing[1]))
        return (f"PDF av {title}: tecknet {shown} finns inte i något typsnitt i fonts/, och en PDF/A får inte "
                "sakna tecken; lägg till ett Noto-typsnitt för den skriften i fonts/ eller välj PDF_ENGINE=libreoffice")
    return f"Typst kunde inte göra PDF av {title}: {message}"
