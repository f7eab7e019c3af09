"""The one door to LibreOffice: all documents of a build converted by one process.

LibreOffice lays the pages out as Word would, with the template's own fonts
and logos. Its Python bridge (Debian's python3-uno) belongs to the system
Python, so a separate worker (soffice_worker.py) run by /usr/bin/python3 does
the converting; this module starts it with a timeout, gives it a profile of
its own with the project's fonts, and leaves no process behind.
"""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
from pathlib import Path
from xml.sax.saxutils import escape

from .documents import without_outlines
from .options import FONTS
from .errors import ToolError, reason
from .pandoc import timeout_seconds, tool_environment
from .scratch import scratch_folder

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
    rejected = "".join(f"<glob>{escape(str(path))}</glob>" for path in without_outlines())
    return _FONTS_ONLY.format(fonts=escape(str(FONTS)), cache=escape(str(cache)), rejected=rejected)
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


def libreoffice_pdfs(documents: dict[str, bytes]) -> dict[str, bytes]:
    """Convert {name.docx: bytes} to {name.pdf: bytes} in a single LibreOffice process."""
    if not is_available():
        raise ToolError("LibreOffice hittades inte (soffice och python3-uno behövs); "
                        "installera Debians libreoffice-writer-nogui eller välj PDF_ENGINE=typst")
    with scratch_folder("lo") as folder:
        inputs, outputs, profile, scratch = folder / "in", folder / "out", folder / "profile", folder / "tmp"
        try:
            for path in (inputs, outputs, profile, scratch):
                path.mkdir(parents=True)
            (folder / "fonts.conf").write_text(_fonts_config(folder / "fontcache"), "utf-8")
            for name, data in documents.items():
                (inputs / name).write_bytes(data)
        except OSError as error:
            raise ToolError(f"kunde inte förbereda LibreOffice i {folder.parent} ({reason(error)})") from error
        # LibreOffice's own files go with the folder, and it sees no font but the project's.
        environment = {**tool_environment(), "TMPDIR": str(scratch), "FONTCONFIG_FILE": str(folder / "fonts.conf")}
        _run_worker([soffice_path(), str(profile), str(outputs), *[str(inputs / name) for name in documents]],
                    environment)
        return {name: _read_pdf(outputs, name) for name in documents}


def _run_worker(arguments: list[str], environment: dict[str, str]) -> None:
    """Run the worker in a process group of its own, tied to this process by a lifeline: a pipe whose
    writing end only this process holds. When this process dies, however it dies (SIGKILL too), the
    worker reads the end of the pipe and ends its group: LibreOffice never outlives its build."""
    lifeline, held = os.pipe()
    try:
        worker = subprocess.Popen([SYSTEM_PYTHON, str(WORKER), str(lifeline), *arguments], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, start_new_session=True, pass_fds=(lifeline,),
                                  env=environment)
    finally:
        os.close(lifeline)
    try:
        _, errors = worker.communicate(timeout=timeout_seconds(TIMEOUT_SECONDS))
    except subprocess.TimeoutExpired as error:
        raise ToolError(f"LibreOffice blev inte klart inom {timeout_seconds(TIMEOUT_SECONDS):g} s och avbröts") from error
    finally:
        _end_group(worker)
        os.close(held)
    if worker.returncode != 0:
        last = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["okänt fel"]
        raise ToolError(f"LibreOffice misslyckades: {last[0]}")


def _end_group(worker: subprocess.Popen) -> None:
    """Kill whatever is left of the worker's process group: soffice and its children."""
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    worker.wait()


def _read_pdf(outputs: Path, docx_name: str) -> bytes:
    pdf = outputs / docx_name.replace(".docx", ".pdf")
    if not pdf.is_file():
        raise ToolError(f"LibreOffice gjorde ingen PDF av {docx_name}")
    return pdf.read_bytes()
