"""The one door to pandoc: found once, called with an argument list and a timeout.

pandoc comes with the pypandoc-binary wheel, so no system install is needed.
Every call starts a process (about 0.15 s), which is why callers batch all
of a document's Markdown into one call.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
from pathlib import Path

from .errors import ToolError


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


FIELD_READER = Path(__file__).resolve().parent / "lua" / "fields.lua"
FIELD_BOUNDARY = "BeredningFaltgrans"  # the paragraph style fields.lua puts before each field


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
    return run_pandoc([f"--from={FIELD_READER}", "--to=docx", f"--reference-doc={reference_doc}"], texts)


def _reading_docx(metadata: dict[str, str], pdf_templates: Path) -> list[str]:
    """Read a built .docx with its style names, drop its own title page and contents."""
    arguments = ["--from=docx+styles", f"--lua-filter={pdf_templates / 'rensa.lua'}"]
    return arguments + [f"--metadata={key}={value}" for key, value in metadata.items()]


def docx_to_typst(docx: bytes, pdf_templates: Path) -> str:
    """The body of a built .docx as Typst markup, wrapped in templates/pdf/dokument.typ."""
    # --wrap=none: pandoc wraps a list item inside a table cell so that Typst ends the item early.
    arguments = [*_reading_docx({}, pdf_templates), "--to=typst", "--wrap=none", "--standalone",
                 f"--template={pdf_templates / 'dokument.typ'}"]
    return run_pandoc(arguments, docx).decode("utf-8")


def docx_to_html(docx: bytes, metadata: dict[str, str], contents: bool, pdf_templates: Path) -> bytes:
    """A standalone, accessible web page of a built .docx: the project's own page template and
    stylesheet (templates/pdf/webbsida.html, webbsida.css): landmarks, a skip link, tables with rules."""
    # --embed-resources: a picture (the logo) travels inside the page, as the page is published alone.
    arguments = [*_reading_docx(metadata, pdf_templates), "--to=html5", "--standalone", "--embed-resources",
                 f"--template={pdf_templates / 'webbsida.html'}"]
    return run_pandoc(arguments + (["--toc", "--toc-depth=2"] if contents else []), docx)
