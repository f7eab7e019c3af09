"""The one door to pandoc: found once, called with an argument list and a timeout.

pandoc comes with the pypandoc-binary wheel, so no system install is needed.
Every call starts a process (about 0.15 s), which is why callers batch all
of a document's Markdown into one call.
"""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from .errors import ToolError

TIMEOUT_SECONDS = 120


@functools.cache
def pandoc_path() -> str:
    """The pandoc binary shipped with pypandoc-binary."""
    try:
        import pypandoc

        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        raise ToolError(f"pandoc hittades inte: {error}; kör 'make report' så installeras det") from error


def run_pandoc(arguments: list[str], text: str) -> bytes:
    """Run pandoc on `text` and return what it wrote to standard output."""
    command = [pandoc_path(), *arguments, "-o", "-"]
    try:
        result = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                timeout=TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as error:
        raise ToolError(f"pandoc svarade inte inom {TIMEOUT_SECONDS} s och avbröts") from error
    if result.returncode != 0:
        raise ToolError(f"pandoc misslyckades (kod {result.returncode}): {result.stderr.decode('utf-8', 'replace').strip()}")
    return result.stdout


def markdown_to_docx(markdown: str, reference_doc: Path) -> bytes:
    """Convert Markdown to a .docx that uses the styles of `reference_doc`."""
    return run_pandoc(["--from=markdown-auto_identifiers", "--to=docx", f"--reference-doc={reference_doc}"], markdown)
