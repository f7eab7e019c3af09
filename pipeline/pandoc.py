"""The one door to pandoc: found once, started once per build, every call with a timeout.

pandoc comes with the pypandoc-binary wheel, so no system install is needed.
A start costs 0.15-0.25 s, so a build starts one `pandoc lua` process
(`PandocServer`, pipeline/lua/server.lua) and sends it every conversion:
the Markdown fields of each document, each document's Typst and web page.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import select
import subprocess
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from .errors import ToolError, reason
from .lean_styles import lean_reference, only_styles_in_use
from .scratch import scratch_folder


def timeout_seconds(default: float) -> float:
    """How long an external program may run: BEREDNING_TIMEOUT (seconds) when set, for slow machines."""
    try:
        return float(os.environ.get("BEREDNING_TIMEOUT", default))
    except ValueError:
        return default


def tool_environment() -> dict[str, str]:
    """The environment for an external program: ours, with a UTF-8 locale whatever ours is.

    Under `LC_ALL=C`, or with no locale installed, pandoc would read and write
    Swedish letters wrongly; C.UTF-8 exists on every system.
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    environment.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
    environment.pop("LANGUAGE", None)
    return environment


@functools.cache
def pandoc_path() -> str:
    """The pandoc binary shipped with pypandoc-binary."""
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


class PandocServer:
    """One `pandoc lua` process (pipeline/lua/server.lua) that does every conversion asked of it, in
    turn: a build starts pandoc once, not three times per document. Started at the first request."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._folder = ExitStack()  # pandoc's own scratch folder while it runs (pipeline/scratch.py)
        self.scratch: Path | None = None
        self._errors: IO[bytes] | None = None
        self._buffer = b""
        self._lock = threading.Lock()
        self.started = 0  # how many pandoc processes this server has started (tests count them)

    def convert(self, job: str, given: bytes, **options: Any) -> bytes:
        """The output of one job of server.lua on `given`."""
        header = json.dumps({"job": job, "size": len(given), **options}, ensure_ascii=False).encode("utf-8")
        with self._lock:
            process = self._running()
            limit = timeout_seconds(120)
            try:
                process.stdin.write(header + b"\n" + given)
                process.stdin.flush()
                status, body = self._answer(time.monotonic() + limit)
            except TimeoutError:
                self._stop()
                raise ToolError(f"pandoc blev inte klart inom {limit:g} s och avbröts") from None
            except (OSError, ValueError) as error:
                raise self._ended(error) from error
        if status != b"ok":
            raise ToolError(f"pandoc misslyckades: {body.decode('utf-8', 'replace').strip()}")
        return body

    def lean_reference(self, template: Path) -> Path:
        """The template as pandoc's reference for the Markdown fields, lean (pipeline/lean_styles.py),
        in pandoc's scratch folder."""
        with self._lock:
            self._running()
            reference = self.scratch / f"{template.stem}.referens.docx"
            if not reference.exists():
                try:
                    reference.write_bytes(lean_reference(template.read_bytes()))
                except OSError as error:
                    raise ToolError(f"kunde inte förbereda pandoc i {self.scratch.parent} ({reason(error)})") from error
            return reference

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _running(self) -> subprocess.Popen:
        if self._process is None or self._process.poll() is not None:
            self._stop()
            self.scratch = self._folder.enter_context(scratch_folder("pandoc"))
            self._errors = self._folder.enter_context(tempfile.TemporaryFile())
            # Its temporary files (the Lua console's history) go into its scratch folder, removed with it.
            self._process = subprocess.Popen([pandoc_path(), "lua", str(LUA / "server.lua"), str(FIELD_READER)],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
                                             env={**tool_environment(), "TMPDIR": str(self.scratch)})
            self.started += 1
        return self._process

    def _answer(self, deadline: float) -> tuple[bytes, bytes]:
        status, size = self._read_until_newline(deadline).split(b" ")
        return status, self._read_exactly(int(size), deadline)

    def _read_until_newline(self, deadline: float) -> bytes:
        while b"\n" not in self._buffer:
            self._read_more(deadline)
        line, self._buffer = self._buffer.split(b"\n", 1)
        return line

    def _read_exactly(self, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._read_more(deadline)
        body, self._buffer = self._buffer[:size], self._buffer[size:]
        return body

    def _read_more(self, deadline: float) -> None:
        stdout = self._process.stdout
        ready, _, _ = select.select([stdout], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise TimeoutError
        chunk = os.read(stdout.fileno(), 1 << 20)
        if not chunk:
            raise EOFError("pandoc ended")
        self._buffer += chunk

    def _ended(self, error: Exception) -> ToolError:
        """pandoc itself ended (not a job's error, which it answers): say so with its own words."""
        code = self._process.wait() if self._process else None
        said = b""
        if self._errors:
            self._errors.seek(0)
            said = self._errors.read()
        self._stop()
        return ToolError(f"pandoc misslyckades (kod {code}): {said.decode('utf-8', 'replace').strip() or error}")

    def _stop(self) -> None:
        """End pandoc: at the end of its input it stops by itself; one that hangs is killed."""
        if self._process is not None:
            for stream in (self._process.stdin, self._process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._folder.close()
        self._process, self._errors, self.scratch, self._buffer = None, None, None, b""


SERVER = PandocServer()
atexit.register(SERVER.close)


@contextmanager
def one_pandoc() -> Iterator[PandocServer]:
    """Every conversion within the block goes to one pandoc process, which ends with the block."""
    try:
        yield SERVER
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
    return SERVER.convert("markdown-docx", texts.encode("utf-8"), reference=str(SERVER.lean_reference(reference_doc)))


def docx_to_typst(docx: bytes, pdf_templates: Path) -> str:
    """The body of a built .docx (its own title page and contents dropped by rensa.lua) as Typst
    markup, wrapped in templates/pdf/dokument.typ."""
    return SERVER.convert("typst", only_styles_in_use(docx), filter=str(pdf_templates / "rensa.lua"),
                          template=str(pdf_templates / "dokument.typ")).decode("utf-8")


def docx_to_html(docx: bytes, metadata: dict[str, str], contents: bool, pdf_templates: Path) -> bytes:
    """A standalone, accessible web page of a built .docx: the project's own page template and
    stylesheet (templates/pdf/webbsida.html, webbsida.css): landmarks, a skip link, tables with rules."""
    return SERVER.convert("html", only_styles_in_use(docx), filter=str(pdf_templates / "rensa.lua"),
                          template=str(pdf_templates / "webbsida.html"), metadata=metadata, toc=contents)
