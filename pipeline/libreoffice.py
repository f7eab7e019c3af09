"""The one door to LibreOffice: all documents of a build converted by one process, each as it comes.

LibreOffice lays the pages out as Word would, with the template's own fonts
and logos. Its Python bridge (Debian's python3-uno) belongs to the system
Python, so a separate worker (soffice_worker.py) run by /usr/bin/python3 does
the converting; this module starts it, gives it a profile of its own with the
project's fonts, a timeout per document, and leaves no process behind.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import signal
import subprocess
import threading
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Iterable, Iterator

from .child import Child, ChildEnded, timeout_seconds, tool_environment
from .options import FONTS, without_outlines
from .errors import ToolError, reason

NAME = "LibreOffice"
# fontconfig with fonts/ as its only folder: a character the document's font lacks is drawn from
# another of the project's fonts (Noto Sans Arabic for Arabic), never from the machine's (DejaVu),
# so every machine makes the same PDF and the build's proof can tell a missing glyph. Fonts with
# pictures instead of outlines (Noto Color Emoji) are left out: LibreOffice 7.4 draws nothing with
# them, and the proof is to name such a character, not to let it vanish.
_FONTS_ONLY = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
  <selectfont><rejectfont>{rejected}</rejectfont></selectfont>
</fontconfig>
"""


def _fonts_config(cache: Path) -> str:
    rejected = "".join(f"<glob>{escape(str(path), quote=False)}</glob>" for path in without_outlines())
    return _FONTS_ONLY.format(fonts=escape(str(FONTS), quote=False), cache=escape(str(cache), quote=False),
                              rejected=rejected)


SYSTEM_PYTHON = "/usr/bin/python3"
WORKER = Path(__file__).resolve().parent / "soffice_worker.py"
TIMEOUT_SECONDS = 300.0


@functools.cache
def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@functools.cache
def is_available() -> bool:
    """True when soffice and the system Python's uno bridge are both installed."""
    if not soffice_path() or not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, check=False)
    return probe.returncode == 0


class LibreOffice:
    """One LibreOffice for a build, started by `start` (or the first document) and converting each
    document as it comes (convert.Conversions sends them while the next ones render). Its own profile,
    the project's fonts only, a timeout per document, and no process left behind however the build ends."""

    def __init__(self) -> None:
        self._worker = _Worker([SYSTEM_PYTHON, str(WORKER)], tool_environment(), "lo")
        self._lock = threading.Lock()
        self._count = 0
        self._stopped = False

    def started(self) -> LibreOffice:
        """This LibreOffice, starting now (see `started_ahead`): it takes a second or two to come up."""
        with self._lock:
            if not self._stopped and is_available():
                self._worker.running()
        return self

    def pdf(self, docx: bytes) -> bytes:
        """The PDF/A-2b, tagged, of one Word file."""
        if not is_available():
            raise ToolError("LibreOffice hittades inte (soffice och python3-uno behövs); "
                            "installera Debians libreoffice-writer-nogui eller välj PDF_ENGINE=typst")
        limit = timeout_seconds(TIMEOUT_SECONDS)
        with self._lock:
            if self._stopped:
                raise ToolError("LibreOffice har stoppats")
            self._worker.running()
            self._count += 1
            source = self._worker.scratch / "in" / f"{self._count:04d}.docx"
            try:
                source.write_bytes(docx)
            except OSError as error:
                raise ToolError(f"kunde inte förbereda LibreOffice i {self._worker.scratch.parent} "
                                f"({reason(error)})") from error
            try:
                done, body = self._worker.request({"input": str(source)}, b"", limit)
            except TimeoutError:
                self._stopped = True  # the build fails: no thread of it starts LibreOffice again
                raise ToolError(f"LibreOffice blev inte klart inom {limit:g} s och avbröts") from None
            except ChildEnded as ended:
                self._stopped = True
                raise ToolError(f"LibreOffice misslyckades: {(ended.said.splitlines() or ['okänt fel'])[-1]}") from None
            finally:
                source.unlink(missing_ok=True)
                if self._stopped:  # stopped while this document was converted: nothing of it is left
                    self._worker.stop(at_once=True)
        if not done:
            raise ToolError(f"LibreOffice misslyckades: {body.decode('utf-8', 'replace').strip() or 'okänt fel'}")
        return body

    def __enter__(self) -> LibreOffice:
        return self

    def __exit__(self, kind, *_) -> None:
        self.close(at_once=kind is not None)

    def close(self, at_once: bool = False) -> None:
        """End LibreOffice: when its work is done, or at once (a failure, a signal)."""
        if at_once:
            self._stopped = True  # no thread of the stopped build starts LibreOffice again
            self._worker.stop(at_once=True)  # not waiting for a conversion under way to finish
            return
        with self._lock:
            self._worker.stop()


_ahead: tuple[threading.Thread, list[LibreOffice]] | None = None


@contextmanager
def started_ahead(engine: str, formats: Iterable[str]) -> Iterator[None]:
    """Within the block, a build that makes PDFs with LibreOffice (`engine` 'libreoffice', or 'auto' with
    LibreOffice installed) finds it started already: LibreOffice takes a second or more to start, which it
    now spends while the build loads its modules and reads its sources (the build's first PDF waited for
    it). The build takes it (`take_started`); if it never does (its sources are wrong, nothing needed
    a PDF), LibreOffice is ended at the block's end."""
    global _ahead
    if "pdf" in formats and engine in ("auto", "libreoffice"):
        started: list[LibreOffice] = []

        def start() -> None:  # in a thread: asking the system Python whether it has uno takes a tenth of a second
            office = None
            try:
                if is_available():
                    office = LibreOffice()
                    started.append(office.started())
            except Exception:  # only a head start: the build's own start meets the fault again and tells it
                if office is not None:
                    office.close(at_once=True)

        thread = threading.Thread(target=start, name="libreoffice", daemon=True)
        thread.start()
        _ahead = (thread, started)
    try:
        yield
    finally:
        unused = take_started()
        if unused is not None:
            unused.close(at_once=True)


def take_started() -> LibreOffice | None:
    """The LibreOffice `started_ahead` started, the caller's own from now on; None when none was."""
    global _ahead
    if _ahead is None:
        return None
    (thread, started), _ahead = _ahead, None
    thread.join()
    return started[0] if started else None


class _Worker(Child):
    """soffice_worker.py, run by the system Python in a process group of its own, tied to the build by
    a lifeline: a pipe whose writing end only the build holds. When the build dies, however it dies
    (SIGKILL too), the worker reads the end of the pipe and ends its group: LibreOffice never
    outlives its build. Its scratch folder holds LibreOffice's profile and files, and a fonts.conf
    that lets it see only the project's fonts."""

    _held: int | None = None
    _sockets: tuple[Path, ...] = ()

    def _start(self, environment: dict[str, str]) -> subprocess.Popen:
        folder = self.scratch
        try:
            for name in ("in", "out", "profile", "tmp"):
                (folder / name).mkdir()
            (folder / "fonts.conf").write_text(_fonts_config(folder / "fontcache"), "utf-8")
        except OSError as error:
            raise ToolError(f"kunde inte förbereda LibreOffice i {folder.parent} ({reason(error)})") from error
        environment.update(TMPDIR=str(folder / "tmp"), FONTCONFIG_FILE=str(folder / "fonts.conf"))
        profile, pipe = (folder / "profile").as_uri(), folder.name
        self._sockets = sockets_of(profile, pipe)
        lifeline, self._held = os.pipe()
        try:
            return subprocess.Popen([*self._command, str(lifeline), soffice_path(), profile, str(folder / "out"),
                                     pipe, *map(str, self._sockets)], stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=self._errors, start_new_session=True,
                                    pass_fds=(lifeline,), env=environment)
        finally:
            os.close(lifeline)

    def stop(self, at_once: bool = False) -> None:
        """Let the worker end LibreOffice (at the end of its input), then end whatever is left of its group."""
        process = self._process
        if process is not None and not at_once:
            try:
                process.stdin.close()
                process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            for socket in self._sockets:  # a LibreOffice killed cannot remove its own
                socket.unlink(missing_ok=True)
        super().stop(at_once=True)
        if self._held is not None:
            os.close(self._held)
            self._held = None


def sockets_of(profile: str, pipe: str) -> tuple[Path, ...]:
    """The sockets a LibreOffice with this profile (a file URL) makes: the pipe the worker talks to it
    over, and the one it uses to find itself already running (named by the MD5 of the profile's URL in
    UTF-16, each byte in hex without its leading zero). LibreOffice puts them in /tmp whatever TMPDIR
    says, and removes them when it quits, but not when it is killed: then whoever killed it does."""
    md5 = hashlib.md5(profile.encode("utf-16-le"), usedforsecurity=False).digest()
    digest = "".join(f"{byte:x}" for byte in md5)
    return tuple(Path("/tmp") / f"OSL_PIPE_{os.getuid()}_{name}" for name in (pipe, f"SingleOfficeIPC_{digest}"))
