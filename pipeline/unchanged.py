"""Before stage 1: a build with nothing changed, told without reading a single source.

A build that ends well records one digest of all it was made from, in the build folder's
`.senaste-bygget.json`:
- the bytes of every file in the sources folder (its build folder and hidden files aside), of the
  pipeline's code and of the templates, as a file system's clock ticks too coarsely to tell two
  quick edits of the same size apart by time;
- the fonts (15 MB, replaced rather than edited) by size, times and inode;
- the options, the day (the process's deadlines depend on it), the reproducible time stamp and
  which LibreOffice `auto` would find.

With the digest it records the size, times and inode of every file it left in the build folder, and
what it told the secretary (warnings, documents skipped).

When the next build finds the same digest and the same files, every document's own fingerprint
(documents.fingerprint) would match too. So it tells what the last build told and stops: nothing is
read, validated, rendered or rewritten, and none of pydantic, the models or a converter is loaded.
Anything else takes the full build, which decides document by document what to remake: a changed
byte in a source, an output edited or removed, a publishing that was killed midway.

The record is a cache. One that cannot be read or written costs a full build, never a wrong one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

from .errors import Problem
from .options import FONTS, PACKAGE
from .report import Report

RECORD = ".senaste-bygget.json"
_UNFINISHED = ".publicering.json"  # publish.JOURNAL: a publishing killed midway, for the full build to finish
_LIBREOFFICE = ("soffice", "libreoffice")
_SYSTEM_PYTHON = "/usr/bin/python3"  # libreoffice.SYSTEM_PYTHON, whose uno bridge LibreOffice's worker needs


def inputs_digest(sources: Path, out: Path, templates: Path, engine: str, formats: tuple[str, ...], strict: bool,
                  today: date | None) -> str | None:
    """One digest of everything a build is made from; None when a file cannot be read (the full build
    will say why)."""
    digest = hashlib.sha256()
    try:
        options = {"sources": str(sources.resolve()), "out": str(out.resolve()), "templates": str(templates.resolve()),
                   "engine": engine, "libreoffice": _libreoffice_found() if engine != "typst" else None,
                   "formats": list(formats), "strict": strict, "today": (today or date.today()).isoformat(),
                   "stamp": os.environ.get("SOURCE_DATE_EPOCH", ""), "python": sys.version}
        digest.update(json.dumps(options, sort_keys=True).encode("utf-8"))
        for path in _files(FONTS, skip=None):  # 15 MB, never edited in place: by size, times and inode
            found = path.stat()
            digest.update(f"{path}\0{found.st_size}\0{found.st_mtime_ns}\0{found.st_ctime_ns}\0{found.st_ino}\0"
                          .encode("utf-8", "surrogateescape"))
        for folder, skip in ((PACKAGE, None), (templates, None), (sources, out)):  # by content: 4 ms for the example
            for path in _files(folder, skip):
                digest.update(f"{path}\0".encode("utf-8", "surrogateescape"))
                digest.update(_content_digest(path))
    except OSError:
        return None
    return digest.hexdigest()


def last_build_stands(out: Path, digest: str | None) -> Report | None:
    """What the last build into `out` told, if it was made from exactly these inputs and its files are
    as it left them; otherwise None."""
    if digest is None or (out / _UNFINISHED).exists():
        return None
    try:
        record = json.loads((out / RECORD).read_bytes())
        if record["digest"] != digest or any(_state(out / name) != state for name, state in record["files"].items()):
            return None
        return Report(engine=record["engine"], unchanged=record["outputs"],
                      skipped=[(name, missing) for name, missing in record["skipped"]],
                      warnings=[Problem(**warning) for warning in record["warnings"]])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no record, or one from another version: the full build decides


def remember(out: Path, digest: str | None, report: Report, files: list[str]) -> None:
    """Record what this build was made from and left behind, for the next build to compare; `files` are
    every file of the build folder it answers for (its outputs and the build status)."""
    if digest is None:
        return
    try:
        record = {"digest": digest, "engine": report.engine, "outputs": [*report.built, *report.unchanged],
                  "skipped": report.skipped, "warnings": [asdict(warning) for warning in report.warnings],
                  "files": {name: _state(out / name) for name in files}}
        data = json.dumps(record, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
        if not (out / RECORD).is_file() or (out / RECORD).read_bytes() != data:
            temporary = out / f".{RECORD}.tmp"
            temporary.write_bytes(data)
            os.replace(temporary, out / RECORD)
    except OSError:
        (out / RECORD).unlink(missing_ok=True)  # an old record must not vouch for new files


def _state(path: Path) -> list[int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]


def _files(folder: Path, skip: Path | None) -> list[Path]:
    """Every file under `folder`, in a fixed order, leaving out hidden ones, compiled Python and `skip`."""
    skipped = skip.resolve() if skip is not None else None
    found = []
    for root, folders, names in os.walk(folder, onerror=_raise):
        here = Path(root)
        folders[:] = sorted(name for name in folders if not name.startswith(".") and name != "__pycache__"
                            and (here / name).resolve() != skipped)
        found += [here / name for name in sorted(names) if not name.startswith(".")]
    return found


def _content_digest(path: Path) -> bytes:
    """A regular file's hash, read in pieces; a FIFO or device is not opened (the full build names it)."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise OSError(f"{path} is not a regular file")
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").digest()


def _raise(error: OSError) -> None:
    raise error


def _libreoffice_found() -> list[object]:
    """What `auto` decides by: LibreOffice's program (and its time) and the Python with its bridge."""
    program = next((path for path in map(shutil.which, _LIBREOFFICE) if path), None)
    return [program, os.stat(program).st_mtime_ns if program else None, os.path.exists(_SYSTEM_PYTHON)]
