"""Stage 5: put the rendered documents into the build folder, safely and only when changed.

A build folder holds `.byggstatus.json`: for each document, the fingerprint
of what it was made from and the hash of the file written. A document whose
fingerprint and file are unchanged is not rendered again; a file is written
under a temporary name and renamed into place, so a failed or killed build
never leaves a half-written document.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .errors import BeredningError, shown_path

STATUS_FILE = ".byggstatus.json"
_UMASK = os.umask(0)
os.umask(_UMASK)  # mkstemp makes files private; built documents get the usual permissions


class BuildStatus:
    """What the last build of a folder made, read before and written after a build."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / STATUS_FILE
        try:
            self.entries: dict[str, dict[str, str]] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def is_current(self, output: str, fingerprint: str) -> bool:
        entry = self.entries.get(output)
        target = self.folder / output
        if not entry or entry.get("fingerprint") != fingerprint or not target.is_file():
            return False
        return entry.get("sha256") == _sha256(target.read_bytes())

    def record(self, output: str, fingerprint: str, data: bytes) -> None:
        self.entries[output] = {"fingerprint": fingerprint, "sha256": _sha256(data)}

    def save(self) -> None:
        write_atomically(self.path, json.dumps(self.entries, indent=2, sort_keys=True).encode("utf-8"))


def publish(folder: Path, files: dict[str, bytes]) -> None:
    """Write every file into `folder`: all under temporary names first, then all renamed into place,
    so a failure while writing (a full disk) replaces nothing. A file whose bytes are unchanged is
    not touched at all."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.rglob(".*.tmp"):  # from a build that was killed while writing
            leftover.unlink(missing_ok=True)
        changed = {name: data for name, data in files.items() if not holds(folder / name, data)}
        written: list[tuple[str, Path]] = []
        try:
            for name, data in changed.items():
                (folder / name).parent.mkdir(parents=True, exist_ok=True)
                written.append((_write_temporary(folder / name, data), folder / name))
        except BaseException:
            for temporary, _ in written:
                Path(temporary).unlink(missing_ok=True)
            raise
        for temporary, target in written:
            os.replace(temporary, target)
    except OSError as error:
        raise BeredningError(f"{shown_path(folder)}: kunde inte skriva i byggmappen: {error.strerror}") from error


def write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same folder, then rename into place."""
    os.replace(_write_temporary(path, data), path)


def _write_temporary(path: Path, data: bytes) -> str:
    """Write `data` beside `path` under a hidden temporary name; return that name."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def holds(path: Path, data: bytes) -> bool:
    """True when `path` already has exactly these bytes, so writing it again would change nothing."""
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
