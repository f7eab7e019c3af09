"""The embedded PDF engine: a built .docx → pandoc → Typst → PDF/A-2b, tagged for PDF/UA-1.

Needs nothing but pip packages. The fonts are the project's own (fonts/),
never the machine's, so every machine makes the same PDF.
"""

from __future__ import annotations

import atexit
import os
import queue
import re
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

from .child import Child, ChildEnded, timeout_seconds, tool_environment
from .documents import Facts
from .options import FONTS
from .errors import ToolError, reason
from .layout import Page
from .lean_styles import PandocCopies
from .look import furniture
from .scratch import scratch_folder

STANDARDS = ["a-2b", "ua-1"]


def typst_pdf(source: str, copies: PandocCopies, first_page: Page, facts: Facts, when: datetime) -> bytes:
    """Typeset one document: `source`, its Typst markup (pandoc.typst_and_page), with the Word
    file's look (pipeline/look.py), pictures and first page's margins, read into `copies`; `facts` for the
    PDF's metadata. Its streams' ends are put right by the worker (pipeline/pdf_streams.py)."""
    look = {**furniture(copies.members, copies.body), **copies.style_look}
    # The Word file's margins, so the PDF's body, header and footer stand where Word puts them.
    margins = {f"margin-{side}": f"{points:g}" for side, points in first_page.margins_in_points().items()}
    with scratch_folder("typst") as root:
        try:
            _unpack_media(copies.members, root)
            (root / "dokument.typ").write_text(source, "utf-8")
        except OSError as error:
            raise ToolError(f"kunde inte förbereda Typst i {root.parent} ({reason(error)})") from error
        return WORKERS.compile({"input": str(root / "dokument.typ"), "root": str(root), "standards": STANDARDS,
                                "inputs": {**facts.as_inputs(), **look, **margins},
                                "timestamp": int(when.timestamp())}, facts.title)


class TypstWorkers:
    """Typst in worker processes (pipeline/typst_worker.py), one per core: documents are typeset side by
    side, and a worker that has grown large ends itself, so Typst's memory does not pile up from one
    document to the next (one large document still takes what Typst needs for it: docs/benchmarks.md)."""

    def __init__(self) -> None:
        self._idle: queue.SimpleQueue[Child] = queue.SimpleQueue()
        self._all: list[Child] = []
        self._lock = threading.Lock()
        self._stopped = False

    def compile(self, request: dict[str, Any], title: str) -> bytes:
        child = self._take()
        limit = timeout_seconds(300)
        try:
            done, body = child.request(request, b"", limit)
        except TimeoutError:
            raise ToolError(f"Typst blev inte klart inom {limit:g} s med PDF av {title} och avbröts") from None
        except ChildEnded as ended:
            raise ToolError(f"Typst kunde inte göra PDF av {title}: Typst avslutades (kod {ended.code}): "
                            f"{ended.said}") from None
        finally:
            self._idle.put(child)
        if not done:
            raise ToolError(_in_swedish(body.decode("utf-8", "replace"), title))
        return body

    def open(self) -> None:
        """Take documents again after a build that was stopped (see `close`)."""
        self._stopped = False

    def start(self) -> None:
        """Start a worker now: it loads Typst and reads the fonts while the build renders its first
        document."""
        with self._lock:
            if self._stopped:
                return
            if not self._all:
                self._idle.put(self._new())
            self._all[0].running()

    def close(self, at_once: bool = False) -> None:
        """End the workers; `at_once` (a failure, a signal): also refuse every document still to come,
        so that no thread of the stopped build starts a worker again."""
        with self._lock:
            self._stopped = self._stopped or at_once
            for child in self._all:
                child.stop(at_once)

    def _take(self) -> Child:
        with self._lock:
            if self._stopped:
                raise ToolError("Typst har stoppats")
            if self._idle.empty() and len(self._all) < WORKER_COUNT:
                return self._new()
        return self._idle.get()

    def _new(self) -> Child:
        child = Child([sys.executable, "-I", str(WORKER), str(WORKER_MIB), str(FONTS)], tool_environment(), None)
        self._all.append(child)
        return child


WORKER = Path(__file__).resolve().parent / "typst_worker.py"
WORKER_COUNT = max(1, min(os.cpu_count() or 1, 4))  # each may hold a few hundred MiB: no more than four
WORKER_MIB = 250  # a worker larger than this after a document ends itself
WORKERS = TypstWorkers()
atexit.register(WORKERS.close)


def _unpack_media(members: dict[str, bytes], root: Path) -> None:
    """The pictures of the .docx where pandoc's Typst refers to them (media/imageN.png); Typst reads
    nothing outside `root`."""
    for name, data in members.items():
        if name.startswith("word/media/") and "/" not in name.removeprefix("word/media/"):
            target = root / "media" / name.removeprefix("word/media/")
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(data)


def _in_swedish(message: str, title: str) -> str:
    missing = re.search(r'the text `"(.+?)"` could not be displayed', message)
    if missing:
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in dict.fromkeys(missing[1]))
        return (f"PDF av {title}: tecknet {shown} finns inte i något typsnitt i fonts/, och en PDF/A får inte "
                "sakna tecken; lägg till ett Noto-typsnitt för den skriften i fonts/ eller välj PDF_ENGINE=libreoffice")
    return f"Typst kunde inte göra PDF av {title}: {message}"
