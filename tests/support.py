"""How the tests read a built document: as the reader of the Word file sees it."""

from __future__ import annotations

import hashlib
import io
import shutil
import time
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
TIERP = ROOT / "examples" / "tierp-2015"
SEEDS = Path(__file__).resolve().parent / "seeds"
WORD = ("--formats", "docx")  # for tests that read only the Word files: no PDF engine started


@dataclass
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str | Path) -> Run:
    """Run `beredning` in-process and capture what the user reads."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return Run(code, out.getvalue(), err.getvalue())


def copy_sources(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target


def one_line(text: str) -> str:
    """Whitespace as a reader sees it: any run of spaces, tabs or no-break spaces is one space."""
    return " ".join(text.split())


def is_bullet(paragraph: Paragraph) -> bool:
    """A paragraph shown with a list marker: by its own numbering or its style's."""
    if paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None:
        return True
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return True
        style = style.base_style
    return False


def written(container) -> list[Paragraph]:
    """The paragraphs of a cell or document that hold text (Word keeps empty ones for layout)."""
    return [p for p in container.paragraphs if p.text.strip()]


def marked(paragraph: Paragraph) -> str:
    """The paragraph's text with italic runs in <i></i>, as the seed export shows them."""
    parts = []
    for run in paragraph.runs:
        if not run.text:
            continue
        parts.append(f"<i>{run.text}</i>" if run.italic else run.text)
    return "".join(parts)


def cell_as_seed(cell) -> str:
    """A table cell in the seed's notation: '• ' before each bullet, italics marked."""
    pieces = []
    for paragraph in cell.paragraphs:
        text = marked(paragraph)
        if not text.strip():
            continue
        pieces.append(f"• {text}" if is_bullet(paragraph) else text)
    return normalise_cell(" ".join(pieces))


def normalise_cell(text: str) -> str:
    """Drop the HTML export's list wrappers and spacing so two renderings of one cell compare equal."""
    for wrapper in ('<ul style="list-style-type: none">', "</ul>", "<p>", "</p>"):
        text = text.replace(wrapper, " ")
    text = one_line(text).replace(" :", ":").replace("•", " • ")
    return one_line(text)


def body_items(document) -> list[Paragraph | Table]:
    """Paragraphs and tables of the body, in reading order."""
    items = []
    for element in document.element.body:
        if element.tag == qn("w:p"):
            items.append(Paragraph(element, document))
        elif element.tag == qn("w:tbl"):
            items.append(Table(element, document))
    return items


def read_docx(path: Path):
    return docx.Document(str(path))


def docx_xml(path: Path, member: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(member).decode("utf-8")


def snapshot(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file below `folder` with its modification time and bytes."""
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- what a build leaves behind: only ever the test's own processes and folders ----------------------

def processes_naming(path: Path) -> list[str]:
    """The command lines of running processes that name `path`: with a folder of the test's own, these
    are the test's processes only, never those of another checkout building on the same machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # ended while we looked
        if str(path) in command and state != "Z":
            found.append(command.strip())
    return found


def eventually(check, seconds: float = 10.0):
    """`check()` once it is true, or its last value after `seconds`: for what a dying process leaves."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def hashes(folder: Path) -> dict[str, str]:
    """Every visible file below `folder` by its path, with the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def each_old_or_new(folder: Path, old: dict[str, str], new: dict[str, str]) -> list[str]:
    """The files of `folder` that are neither the old build's nor a whole new one's (should be none)."""
    return [name for name, digest in hashes(folder).items() if digest not in (old.get(name), new.get(name))]


def leftovers(folder: Path) -> list[str]:
    """Temporary files a build has left in the build folder."""
    return [str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp")
            or p.name == ".publicering.json"]
