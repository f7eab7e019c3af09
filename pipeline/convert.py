"""Stage 5: turn the rendered Word files into PDF and accessible HTML.

Two PDF engines sit behind `make_pdfs`: Typst (pip only, the default when
LibreOffice is missing) and LibreOffice (faithful to the Word template's own
layout, one process for all documents of a build). `auto` takes LibreOffice
when it is installed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING

from . import libreoffice
from .documents import Facts
from .errors import BeredningError
from .options import ENGINES
from .pandoc import docx_to_html
from .values import swedish_date

if TYPE_CHECKING:
    from .proof import Printed

TYPST = "Typst"



@dataclass
class Rendered:
    """One document rendered to Word in memory, with what the other formats need."""

    key: str
    facts: Facts
    when: datetime
    docx: bytes
    pdf_templates: Path
    printed: Printed  # the values printed into the body


def choose_engine(requested: str) -> str:
    """'typst' or 'libreoffice'; `auto` means LibreOffice when it is installed."""
    if requested not in ENGINES:
        raise BeredningError(f"okänd PDF-motor '{requested}'; välj en av {', '.join(ENGINES)}")
    if requested == "auto":
        return "libreoffice" if libreoffice.is_available() else "typst"
    if requested == "libreoffice" and not libreoffice.is_available():
        raise BeredningError("PDF-motorn libreoffice är vald men LibreOffice är inte installerat "
                             "(Debians libreoffice-writer-nogui); välj PDF_ENGINE=typst eller auto")
    return requested


def engine_name(engine: str) -> str:
    return libreoffice.NAME if engine == "libreoffice" else TYPST


def make_pdfs(rendered: list[Rendered], engine: str) -> dict[str, bytes]:
    """A PDF/A-2b, tagged, for every rendered document, by key; LibreOffice converts them all in one process."""
    # Imported here, as the PDF engines are needed only when something is built (pikepdf, Typst's door).
    from . import typesetting
    from .libreoffice_pdf import put_right
    from .pdf_streams import unambiguous_stream_ends
    from .reproducible import stable_pdf

    if engine == "typst":
        pdfs = typesetting.typst_pdfs([(r.docx, r.facts, r.when, r.pdf_templates) for r in rendered])
        return {r.key: pdf for r, pdf in zip(rendered, pdfs)}
    # One flat name per document in LibreOffice's folders: a key may hold a folder ('aterkoppling/<dialog>').
    pdfs = libreoffice.libreoffice_pdfs({f"{i:04d}.docx": r.docx for i, r in enumerate(rendered)})
    return {r.key: unambiguous_stream_ends(stable_pdf(pdfs[f"{i:04d}.docx"], r.when,
                                                      functools.partial(put_right, keywords=r.facts.committee)))
            for i, r in enumerate(rendered)}


def make_html(item: Rendered) -> bytes:
    """A standalone web page: lang="sv", a title, real headings, tables with header cells."""
    facts = item.facts
    metadata = {"lang": "sv", "pagetitle": facts.title, "author": facts.author, "date": swedish_date(facts.date),
                "description": facts.subject}
    if facts.titlepage:
        metadata.update(title=facts.title, subtitle=facts.subtitle)
    if facts.toc:
        metadata["toc-title"] = "Innehåll"
    return docx_to_html(item.docx, metadata, facts.toc, item.pdf_templates)
