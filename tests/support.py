"""How the tests read a built document: as the reader of the Word file sees it."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import time
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import docx
import pikepdf
import pymupdf
import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from pipeline import libreoffice
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"
TIERP = ROOT / "examples" / "tierp-2015"
SEEDS = Path(__file__).resolve().parent / "seeds"
WORD = ("--formats", "docx")  # for tests that read only the Word files: no PDF engine started


def require(engine: str) -> None:
    """Skip a test of the LibreOffice engine where it is not installed; in CI, fail it."""
    if engine == "libreoffice" and not libreoffice.is_available():
        message = "LibreOffice (soffice + python3-uno) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must install libreoffice-writer-nogui")
        pytest.skip(message)


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
    return list(running_naming(path).values())


def running_naming(path: Path) -> dict[int, str]:
    """`processes_naming`, by process id."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # ended while we looked
        if str(path) in command and state != "Z":
            found[int(entry.name)] = command.strip()
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


# --- pages as a reader sees them ---------------------------------------------------------

def page_lines(page) -> list[tuple[pymupdf.Rect, str]]:
    """Each line of text drawn on a PDF page, with its box."""
    lines = []
    for block in page.get_text("dict", clip=pymupdf.INFINITE_RECT())["blocks"]:
        for line in block.get("lines", []):
            text = "".join(span["text"] for span in line["spans"]).strip()
            if text:
                lines.append((pymupdf.Rect(line["bbox"]), text))
    return lines


def _core(box: pymupdf.Rect) -> pymupdf.Rect:
    """A line's box without the room above and below its letters that lines may share."""
    return pymupdf.Rect(box.x0 + 1, box.y0 + box.height / 4, box.x1 - 1, box.y1 - box.height / 4)


def overlapping_lines(page) -> list[tuple[str, str]]:
    """Pairs of lines drawn over each other: body into footer, a name into the page number."""
    lines = sorted(((_core(box), text) for box, text in page_lines(page)), key=lambda line: line[0].y0)
    found = []
    for n, (box, text) in enumerate(lines):
        for other, other_text in lines[n + 1:]:
            if other.y0 >= box.y1:
                break
            if box.intersects(other):
                found.append((text, other_text))
    return found


def page_faults(pdf_path: Path) -> list[str]:
    """What a reader would find wrong on any page: a page number that is not its own ("Sida n av N"),
    text outside the page, lines drawn over each other."""
    faults = []
    with pymupdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf, start=1):
            lines = page_lines(page)
            if not any(text.endswith(f"Sida {number} av {pdf.page_count}") for _, text in lines):
                faults.append(f"page {number}: no 'Sida {number} av {pdf.page_count}'")
            faults += [f"page {number}: '{text}' off the page" for box, text in lines if not page.rect.contains(box)]
            faults += [f"page {number}: '{a}' over '{b}'" for a, b in overlapping_lines(page)]
    return faults


def table_header_faults(pdf_path: Path, docx_path: Path) -> list[str]:
    """Every page showing a table's header row shows all its columns, side by side, on the page: each
    header cell's first line at the row's top, left to right."""
    headers = [[one_line(cell.text) for cell in table.rows[0].cells] for table in docx.Document(docx_path).tables]
    faults = []
    with pymupdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf, start=1):
            lines = [(box, one_line(text.replace("\xad", ""))) for box, text in page_lines(page)]
            for top in {round(box.y0) for box, text in lines if any(h[0].startswith(text) for h in headers)}:
                row = [(box, text) for box, text in lines if abs(box.y0 - top) < 3]
                found = max((_header_cells(header, row) for header in headers), key=lambda cells: sum(map(bool, cells)))
                shown = [box for box in found if box is not None]
                if len(shown) < 2:
                    continue  # a paragraph that happens to read like a first header cell
                outside = sum(not page.rect.contains(box) for box in shown)
                if len(shown) < len(found) or [b.x0 for b in shown] != sorted(b.x0 for b in shown) or outside:
                    faults.append(f"page {number}: the table header at {top} pt has {len(shown)} of {len(found)} "
                                  f"columns, {outside} of them off the page")
    return faults


def _header_cells(header: list[str], row: list[tuple[pymupdf.Rect, str]]) -> list[pymupdf.Rect | None]:
    """Where each cell of `header` begins in a row of lines, or None."""
    return [next((box for box, text in row if cell.startswith(text.rstrip("-"))), None) for cell in header]


def validator_failures(pdf: Path) -> list[str]:
    """What `page` (a PDF/A and PDF/UA-1 validator that passes veraPDF's test corpus) finds wrong
    with a PDF against PDF/A-2b and PDF/UA-1: each failed rule with its message."""
    import page

    failures = []
    for profile in (page.ValidationProfile.PDF_A_2B, page.ValidationProfile.PDF_UA_1):
        report = page.validate_pdf(pdf, profile=profile)
        failures += sorted({f"{profile.value} {f.rule_id}: {f.message}" for f in report.failures})
        if not report.is_compliant and not report.failures:
            failures.append(f"{profile.value}: not compliant")
    return failures


def figures(pdf_path: Path) -> list[tuple[str, bool]]:
    """(alternative text, has content) of every Figure in a PDF's structure tree."""
    found = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                found.append((str(node.get("/Alt", "")), "/K" in node))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    with pikepdf.open(pdf_path) as pdf:
        walk(pdf.Root.StructTreeRoot)
    return found
