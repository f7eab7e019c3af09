"""Stage 5: turn the rendered Word files into PDF and accessible HTML.

Two PDF engines sit behind `Conversions`: Typst (pip only, the default when
LibreOffice is missing) and LibreOffice (faithful to the Word template's own
layout, one process for all documents of a build). `auto` takes LibreOffice
when it is installed.
"""

from __future__ import annotations

import functools
import itertools
import queue
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from typing import TYPE_CHECKING, Any, Callable

from . import libreoffice
from .contents import number_contents
from .documents import Facts
from .errors import BeredningError
from .lean_styles import PandocCopies
from .options import ENGINES
from .pandoc import typst_and_page, web_page
from .values import swedish_date

if TYPE_CHECKING:
    from .proof import Printed
    from .report import Report

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


class Conversions:
    """Every document's PDF and web page, made while the next document is rendered (build.make).

    Threads take each rendered document to pandoc, to a Typst worker or to the build's one
    LibreOffice. They spend their time waiting on those processes, so the main thread renders
    meanwhile. With Typst, pandoc reads the Word file once for both the Typst source and the web
    page; with LibreOffice, the web page is made beside the PDF. Either way the web page is made
    from the Word file before its contents get their page numbers from the PDF: it draws contents
    of its own (rensa.lua leaves Word's out).
    """

    def __init__(self, engine: str, report: Report,
                 made: Callable[[Rendered, dict[str, bytes]], None] = lambda item, files: None):
        """`made`: given each document and its files by format once they are made, in the main thread,
        between renderings (the build's proof of it)."""
        # Imported here, as the PDF engines are needed only when something is built (pikepdf, Typst's door).
        from . import typesetting

        self._engine, self._report, self._typesetting = engine, report, typesetting
        typesetting.WORKERS.open()
        if engine == "typst":
            typesetting.WORKERS.start()
        self._libreoffice = None
        if engine == "libreoffice":  # started while the build read its sources (cli), else now
            self._libreoffice = libreoffice.take_started() or libreoffice.LibreOffice().started()
        self._pool = ThreadPoolExecutor(typesetting.WORKER_COUNT + 1)
        self._made = made
        # The documents started and not yet handed over, by the place they were started in; each of
        # their futures gives files by format, and puts the place in `_ready` when it is done, so that
        # handing over looks only at documents that may be ready, never at all still converting.
        self._places = itertools.count()
        self._converting: dict[int, tuple[Rendered, list[Future]]] = {}
        self._ready: queue.SimpleQueue[int] = queue.SimpleQueue()
        self._files: dict[str, dict[str, bytes]] = {}

    def start(self, item: Rendered, formats: tuple[str, ...]) -> None:
        """Begin making `item` in `formats` ('pdf', 'html')."""
        rendered = item.docx  # the web page's source: the PDF's thread numbers `item`'s contents meanwhile
        making = []
        if "pdf" in formats and self._engine == "typst":  # the web page from the same reading by pandoc
            making.append(lambda: self._typst(item, "html" in formats))
        else:
            if "html" in formats:
                making.append(lambda: self._html(item, rendered))
            if "pdf" in formats:
                making.append(lambda: self._by_libreoffice(item))
        place, futures = next(self._places), [self._pool.submit(make) for make in making]
        self._converting[place] = (item, futures)
        for future in futures:
            future.add_done_callback(lambda _, place=place: self._ready.put(place))
        if not futures:
            self._ready.put(place)
        self._hand_over(wait_for_all=False)

    def finish(self) -> dict[str, dict[str, bytes]]:
        """Each document's files by key and format, once every one is made; its `docx` then has the
        page numbers of its contents."""
        try:
            self._hand_over(wait_for_all=True)
            return self._files
        except BaseException:
            self.stop()
            raise
        finally:
            self._pool.shutdown()
            self._typesetting.WORKERS.close()
            if self._libreoffice:
                self._libreoffice.close()

    def _hand_over(self, wait_for_all: bool) -> None:
        """Each document whose files are made to `made`, as they come: those made by now, or all; of
        those ready together, in the order started (so a failure names the first document it hit)."""
        while self._converting:
            try:
                places = {self._ready.get(block=wait_for_all)}
            except queue.Empty:
                return
            while not self._ready.empty():
                places.add(self._ready.get())
            for place in sorted(places):
                if place not in self._converting or not all(f.done() for f in self._converting[place][1]):
                    continue  # handed over already, or another of its conversions is still under way
                item, futures = self._converting.pop(place)
                self._files[item.key] = {suffix: data for future in futures
                                         for suffix, data in future.result().items()}
                self._made(item, self._files[item.key])

    def stop(self) -> None:
        """A failed document or a signal: no further conversion starts, the PDF engines stop at once."""
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._typesetting.WORKERS.close(at_once=True)
        if self._libreoffice:
            self._libreoffice.close(at_once=True)

    def _html(self, item: Rendered, docx: bytes) -> dict[str, bytes]:
        with self._report.stage("html"):
            return {"html": make_html(item, PandocCopies(docx).for_html)}

    def _typst(self, item: Rendered, html: bool) -> dict[str, bytes]:
        """The PDF by Typst, and when `html` the web page, from one reading of the Word file by pandoc (its
        seconds are the PDF's). The Word file is read in this thread (lxml and zlib let the renderer run
        meanwhile), before its contents are numbered."""
        with self._report.stage("pdf"):
            copies = PandocCopies(item.docx)
            marked, first_page = copies.for_typst()
            source, page = typst_and_page(marked, item.pdf_templates, page_request(item.facts) if html else None)
            pdf = self._typesetting.typst_pdf(source, copies, first_page, item.facts, item.when)
            item.docx = number_contents(item.docx, pdf)  # the pages this PDF shows
        return {"pdf": pdf, **({"html": page} if html else {})}

    def _by_libreoffice(self, item: Rendered) -> dict[str, bytes]:
        with self._report.stage("pdf"):
            pdf = self._libreoffice_pdf(item)
            item.docx = number_contents(item.docx, pdf)  # the pages this PDF shows
        return {"pdf": pdf}

    def _libreoffice_pdf(self, item: Rendered) -> bytes:
        """A PDF/A-2b, tagged, put right for PDF/UA and made reproducible."""
        from .libreoffice_pdf import put_right
        from .pdf_streams import unambiguous_stream_ends
        from .reproducible import stable_pdf

        return unambiguous_stream_ends(stable_pdf(self._libreoffice.pdf(item.docx), item.when,
                                                  functools.partial(put_right, keywords=item.facts.committee)))


def make_html(item: Rendered, lean_copy: bytes) -> bytes:
    """A standalone web page: lang="sv", a title, real headings, tables with header cells; `lean_copy`:
    pandoc's copy of `item.docx` (lean_styles.PandocCopies)."""
    return web_page(lean_copy, item.pdf_templates, page_request(item.facts))


def page_request(facts: Facts) -> dict[str, Any]:
    """What pandoc's web page of a document needs beyond the Word file: its metadata, and whether it has
    contents."""
    metadata = {"lang": "sv", "pagetitle": facts.title, "author": facts.author, "date": swedish_date(facts.date),
                "description": facts.subject}
    if facts.titlepage:
        metadata.update(title=facts.title, subtitle=facts.subtitle)
    if facts.toc:
        metadata["toc-title"] = "Innehåll"
    return {"metadata": metadata, "contents": facts.toc}
