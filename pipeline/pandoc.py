"""The one door to pandoc: found once, started once per build, every call with a timeout.

pandoc comes with the pypandoc-binary wheel, so no system install is needed.
A start costs 0.15-0.25 s, so a build starts one `pandoc lua` process
(`PandocServer`, pipeline/lua/server.lua) and sends it every conversion:
the Markdown fields of each document, each document's Typst and web page.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import json
import os
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from .child import Child, ChildEnded, timeout_seconds, tool_environment
from .errors import ToolError, reason
from .lean_styles import lean_reference


@functools.cache
def pandoc_path() -> str:
    """The pandoc binary shipped with pypandoc-binary: this one, whatever else the machine has, so every
    machine converts alike. Found without importing pypandoc, whose search runs each pandoc it finds
    (0.09 s of every build); pypandoc's search only where the wheel's binary is missing."""
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        if os.access(binary := Path(folder) / "files" / "pandoc", os.X_OK):
            return str(binary)
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        raise ToolError(f"pandoc hittades inte: {error}; kör 'make report' så installeras det") from error


def run_pandoc(arguments: list[str], given: str | bytes) -> bytes:
    """Run pandoc on `given` (text, or a .docx's bytes) and return what it wrote to standard output."""
    # --sandbox: pandoc reads only what is named here: no network, no files a text points at.
    command = [pandoc_path(), "--sandbox", *arguments, "-o", "-"]
    data = given.encode("utf-8") if isinstance(given, str) else given
    try:
        result = subprocess.run(command, input=data, capture_output=True, timeout=timeout_seconds(120), check=False,
                                env=tool_environment())
    except subprocess.TimeoutExpired as error:
        raise ToolError(f"pandoc blev inte klart inom {timeout_seconds(120):g} s och avbröts") from error
    if result.returncode != 0:
        raise ToolError(f"pandoc misslyckades (kod {result.returncode}): {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout


LUA = Path(__file__).resolve().parent / "lua"
FIELD_READER = LUA / "fields.lua"
FIELD_BOUNDARY = "BeredningFaltgrans"  # the paragraph style fields.lua puts before each field


# pandoc keeps the heap it grew for the largest document it read (520 MiB for a handover of 2,000
# meetings) for as long as it lives, beside Typst typesetting that document; past this it ends
# after its answer, and the next conversion starts a fresh one (pipeline/child.py).
SERVER_MIB = 300


class PandocServer:
    """One `pandoc lua` process (pipeline/lua/server.lua) that does every conversion asked of it, in
    turn: a build starts pandoc once, not three times per document (again only after a document so
    large that pandoc grew past SERVER_MIB). Started at the first request."""

    def __init__(self) -> None:
        self._child: Child | None = None
        self._lock = threading.Lock()
        self._stopped = False
        self._turn = threading.Condition()
        self._first: int | None = None  # the thread whose conversions go first (`first`)

    @contextmanager
    def first(self) -> Iterator[None]:
        """Within the block, this thread's conversions go before any other thread's: the Markdown
        fields, which the rendering waits for, do not queue behind a large document's web page."""
        with self._turn:
            self._first = threading.get_ident()
        try:
            yield
        finally:
            with self._turn:
                self._first = None
                self._turn.notify_all()

    def convert(self, job: str, given: bytes, reference: Path | None = None, **options: Any) -> bytes:
        """The output of one job of server.lua on `given`; `reference`: a Word template whose styles the
        output takes (the Markdown fields)."""
        limit = timeout_seconds(120)
        with self._turn:
            self._turn.wait_for(lambda: self._first in (None, threading.get_ident()))
        with self._lock:
            if self._stopped:
                raise ToolError("pandoc har stoppats")
            child = self._pandoc()
            if reference is not None:  # in pandoc's scratch folder, which goes when pandoc ends
                options["reference"] = str(self._lean_reference(child, reference))
            try:
                done, body = child.request({"job": job, **options}, given, limit)
            except TimeoutError:
                raise ToolError(f"pandoc blev inte klart inom {limit:g} s och avbröts") from None
            except ChildEnded as ended:
                raise ToolError(f"pandoc misslyckades (kod {ended.code}): {ended.said}") from None
        if not done:
            raise ToolError(f"pandoc misslyckades: {body.decode('utf-8', 'replace').strip()}")
        return body

    @staticmethod
    def _lean_reference(child: Child, template: Path) -> Path:
        """The template as pandoc's reference for the Markdown fields, lean (pipeline/lean_styles.py),
        in the scratch folder of the pandoc now running."""
        child.running()
        reference = child.scratch / f"{template.stem}.referens.docx"
        if not reference.exists():
            try:
                reference.write_bytes(lean_reference(template.read_bytes()))
            except OSError as error:
                raise ToolError(f"kunde inte förbereda pandoc i {child.scratch.parent} ({reason(error)})") from error
        return reference

    def open(self) -> None:
        """Convert again after a build that was stopped (see `close`)."""
        self._stopped = False

    def close(self, at_once: bool = False) -> None:
        """End pandoc; `at_once`: now, not after the conversion under way, and refuse every one still
        to come until `open`."""
        if at_once:
            self._stopped = True
            if self._child:
                self._child.stop(at_once=True)
            return
        with self._lock:
            if self._child:
                self._child.stop()

    def _pandoc(self) -> Child:
        if self._child is None:
            self._child = Child([pandoc_path(), "lua", str(LUA / "server.lua"), str(FIELD_READER), str(SERVER_MIB)],
                                tool_environment(), "pandoc")
        return self._child


SERVER = PandocServer()
atexit.register(SERVER.close)


@contextmanager
def one_pandoc() -> Iterator[PandocServer]:
    """Every conversion within the block goes to one pandoc process, which ends with the block."""
    SERVER.open()
    try:
        yield SERVER
    except BaseException:
        SERVER.close(at_once=True)  # a failure or a signal: no thread of this build starts pandoc again
        raise
    finally:
        SERVER.close()


def markdown_to_docx(texts: list[str], reference_doc: Path) -> bytes:
    """Convert Markdown texts to one .docx in the styles of `reference_doc`, each text after a
    paragraph in the style FIELD_BOUNDARY (pipeline/lua/fields.lua says how they are read).

    The cover letters of a distribution share one template and the same
    Markdown, so the same conversion is asked for once per group: keep it.
    """
    stat = reference_doc.stat()
    return _markdown_to_docx(json.dumps(texts, ensure_ascii=False), reference_doc, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _markdown_to_docx(texts: str, reference_doc: Path, mtime_ns: int, size: int) -> bytes:
    return SERVER.convert("markdown-docx", texts.encode("utf-8"), reference=reference_doc)


def typst_and_page(docx: bytes, pdf_templates: Path, page: dict[str, Any] | None) -> tuple[str, bytes | None]:
    """From one reading of pandoc's copy of a built .docx (lean_styles.PandocCopies): its body as Typst
    markup in templates/pdf/dokument.typ, its own title page and contents dropped by rensa.lua; and,
    when `page` asks for one, its web page (as `web_page` makes it)."""
    asked = {"typst": {"template": str(pdf_templates / "dokument.typ")}, **_page_asked(pdf_templates, page)}
    source, *web = _docx_job(docx, pdf_templates, asked)
    return source.decode("utf-8"), web[0] if web else None


def web_page(docx: bytes, pdf_templates: Path, page: dict[str, Any]) -> bytes:
    """pandoc's copy of a built .docx as a standalone, accessible web page in the project's own page
    template and stylesheet (templates/pdf/webbsida.html, webbsida.css), through rensa.lua: landmarks,
    a skip link, tables with rules; `page`: {"metadata": ..., "contents": whether to draw contents}."""
    return _docx_job(docx, pdf_templates, _page_asked(pdf_templates, page))[0]


def _page_asked(pdf_templates: Path, page: dict[str, Any] | None) -> dict[str, Any]:
    if page is None:
        return {}
    return {"html": {"template": str(pdf_templates / "webbsida.html"), "metadata": page["metadata"],
                     "toc": page["contents"]}}


def _docx_job(docx: bytes, pdf_templates: Path, asked: dict[str, Any]) -> list[bytes]:
    """server.lua's `docx` job: the outputs asked for, Typst first."""
    return _outputs(SERVER.convert("docx", docx, filter=str(pdf_templates / "rensa.lua"), **asked))


def _outputs(answer: bytes) -> list[bytes]:
    """The outputs of server.lua's `docx` job, each after a line with its length."""
    outputs, at = [], 0
    while at < len(answer):
        line_end = answer.index(b"\n", at)
        size = int(answer[at:line_end])
        outputs.append(answer[line_end + 1:line_end + 1 + size])
        at = line_end + 1 + size
    return outputs
