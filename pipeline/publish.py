"""Stage 6: put the built files into the build folder: one build at a time, all files or none.

A build folder holds `.byggstatus.json`: for each document, the fingerprint
of what it was made from and the hash of the file written. A document whose
fingerprint and file are unchanged is not rendered again.

Publishing is a small transaction. Every new file (and the new status) is
first written in full under a hidden temporary name beside its target, and
every file it replaces is kept under a hidden name as well; a journal then
lists the pairs, and only after that are the files renamed into place. If a
rename fails, the files already replaced are put back, so the folder holds
either every new file or none of them. If the build is killed while
renaming, the next build finds the journal and finishes the renames, whose
files were complete and on disk before the first rename. Ctrl-C and
termination signals wait until the renames are done.

While a build runs it holds a lock on the build folder; a second build
into the same folder waits for it.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .errors import BeredningError, reason, shown_path
from .interruptions import uninterrupted
from .load import read_regular_file

STATUS_FILE = ".byggstatus.json"
JOURNAL = ".publicering.json"
NOTHING_REPLACED = "inga filer i byggmappen har bytts ut"
LOCK_WAIT_SECONDS = 900.0
_STATUS_LIMIT = 16 * 1024 * 1024
_UMASK = os.umask(0)
os.umask(_UMASK)  # mkstemp makes files private; built documents get the usual permissions


class PublishError(BeredningError):
    """The build folder could not be brought up to date, and perhaps not back either."""

    def __init__(self, message: str, untouched: bool = True):
        super().__init__(message)
        self.untouched = untouched


class BuildStatus:
    """What the last build of a folder made, read before and written with the files of a build."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / STATUS_FILE
        self.entries = _read_status(self.path)

    def is_current(self, output: str, fingerprint: str) -> bool:
        entry = self.entries.get(output)
        target = self.folder / output
        if not entry or entry["fingerprint"] != fingerprint or not target.is_file():
            return False
        return entry["sha256"] == _sha256(target.read_bytes())

    def record(self, output: str, fingerprint: str, data: bytes) -> None:
        self.entries[output] = {"fingerprint": fingerprint, "sha256": _sha256(data)}

    def as_bytes(self) -> bytes:
        return json.dumps(self.entries, indent=2, sort_keys=True).encode("utf-8")


def _read_status(path: Path) -> dict[str, dict[str, str]]:
    """The entries of a status file; a missing, broken or foreign one means "rebuild everything"."""
    try:
        entries = json.loads(read_regular_file(path, _STATUS_LIMIT))
    except (OSError, ValueError):  # a folder, a FIFO, too large, not JSON, not UTF-8, not there
        return {}
    if not isinstance(entries, dict):
        return {}
    return {name: entry for name, entry in entries.items()
            if isinstance(entry, dict) and all(isinstance(entry.get(key), str) for key in ("fingerprint", "sha256"))}


# --- one build at a time ----------------------------------------------------------------------------

@contextmanager
def claim(folder: Path, waiting: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Hold the build folder for this build; `waiting` is called once if another build holds it.

    Also finishes the publishing of a build that was killed midway and removes what killed builds
    left behind: with the folder held, no other build's files can be among them.
    """
    made = not folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise PublishError(f"{shown_path(folder)}: kunde inte skriva i byggmappen ({reason(error)})") from error
    try:
        _wait_for(handle, folder, waiting)
        _finish_killed_publishing(folder)
        for leftover in folder.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)
        yield
    finally:
        if made and not any(folder.iterdir()):
            folder.rmdir()  # a build that made nothing leaves no trace, not even an empty folder
        os.close(handle)  # and with it the lock


def _wait_for(handle: int, folder: Path, waiting: Callable[[], None]) -> None:
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    told = False
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if not told:
                waiting()
                told = True
            if time.monotonic() > deadline:
                raise PublishError(f"{shown_path(folder)}: en annan byggning har använt byggmappen i över "
                                   f"{LOCK_WAIT_SECONDS / 60:g} minuter; försök igen när den är klar") from None
            time.sleep(0.1)


# --- all files or none --------------------------------------------------------------------------------

@dataclass
class _Swap:
    """One file of a build: where it goes, its new bytes on disk, and the file it replaces (kept)."""

    target: Path
    new: Path
    old: Path | None


def publish(folder: Path, files: dict[str, bytes], status: BuildStatus | None = None) -> None:
    """Replace every file of `files` that changed, and the build status with them: all or none.
    A file whose bytes are unchanged is not touched at all."""
    changed = {name: data for name, data in files.items() if not holds(folder / name, data)}
    status_bytes = status.as_bytes() if status is not None else None
    if status_bytes is not None and (changed or not holds(status.path, status_bytes)):
        changed[STATUS_FILE] = status_bytes  # last: a disk that fills up fails on it before any rename
    if not changed:
        return
    swaps = _prepare(folder, changed)
    with uninterrupted():
        _switch(folder, swaps)


def _prepare(folder: Path, changed: dict[str, bytes]) -> list[_Swap]:
    """Write every new file beside its target, keep every old one, and journal the pairs."""
    swaps: list[_Swap] = []
    try:
        for name, data in changed.items():
            swaps.append(_prepared(folder / name, data))
        _written(folder / JOURNAL, lambda: write_atomically(folder / JOURNAL, _journal(folder, swaps)))
    except BaseException:
        _discard(swaps)
        raise
    return swaps


def _prepared(target: Path, data: bytes) -> _Swap:
    new = _written(target, lambda: _new_file(target, data))
    try:
        return _Swap(target, new, _keep(target))
    except BaseException as error:
        new.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise PublishError(f"{shown_path(target)}: kunde inte ersättas ({reason(error)}); {NOTHING_REPLACED}") from error
        raise


def _new_file(target: Path, data: bytes) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return _write_temporary(target, data)


def _written(target: Path, write):
    """Run `write`; a failure (a full disk) becomes a message naming `target`."""
    try:
        return write()
    except OSError as error:
        raise PublishError(f"{shown_path(target)}: kunde inte skrivas ({reason(error)}); {NOTHING_REPLACED}") from error


def _switch(folder: Path, swaps: list[_Swap]) -> None:
    """Rename every new file into place; if one cannot be, put back the ones already renamed."""
    done: list[_Swap] = []
    for swap in swaps:
        try:
            os.replace(swap.new, swap.target)
        except OSError as error:
            stuck = _put_back(done)
            _discard(swaps)
            (folder / JOURNAL).unlink(missing_ok=True)
            raise _switch_failed(swap, error, stuck) from error
        done.append(swap)
    _sync(folder, swaps)
    (folder / JOURNAL).unlink(missing_ok=True)
    _discard(swaps)


def _switch_failed(swap: _Swap, error: OSError, stuck: list[_Swap]) -> PublishError:
    what = f"{shown_path(swap.target)}: kunde inte ersättas ({reason(error)})"
    if not stuck:
        return PublishError(f"{what}; {NOTHING_REPLACED}")
    names = ", ".join(shown_path(s.target) for s in stuck)
    return PublishError(f"{what}, och byggmappen kunde inte återställas helt: de här filerna är redan nya, "
                        f"de andra är som förut: {names}; bygg igen när felet är åtgärdat", untouched=False)


def _put_back(done: list[_Swap]) -> list[_Swap]:
    """Undo renames, newest first; return those that could not be undone."""
    stuck = []
    for swap in reversed(done):
        try:
            if swap.old is not None:
                os.replace(swap.old, swap.target)
            else:
                swap.target.unlink()
        except OSError:
            stuck.append(swap)
    return stuck


def _keep(target: Path) -> Path | None:
    """A hidden second name for the file `target` holds now, so it can be put back."""
    if not target.exists() and not target.is_symlink():
        return None
    kept = target.with_name(f".{target.name}.{secrets.token_hex(6)}.old.tmp")
    try:
        os.link(target, kept, follow_symlinks=False)
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        shutil.copy2(target, kept, follow_symlinks=False)  # a file system without hard links (FAT, some shares)
    return kept


def _discard(swaps: list[_Swap]) -> None:
    for swap in swaps:
        for path in (swap.new, swap.old):
            if path is not None:
                path.unlink(missing_ok=True)


def _journal(folder: Path, swaps: list[_Swap]) -> bytes:
    pairs = [{"target": str(s.target.relative_to(folder)), "new": str(s.new.relative_to(folder)),
              "old": str(s.old.relative_to(folder)) if s.old else None} for s in swaps]
    return json.dumps(pairs, indent=1).encode("utf-8")


def _finish_killed_publishing(folder: Path) -> None:
    """Finish the renames of a build killed while publishing: its new files were complete before the
    first rename, so going forward gives the folder that build meant to leave."""
    journal = folder / JOURNAL
    if not journal.exists():
        return
    try:
        pairs = json.loads(read_regular_file(journal, _STATUS_LIMIT))
    except (OSError, ValueError):
        pairs = []
    for pair in pairs if isinstance(pairs, list) else []:
        target, new, old = (_inside(folder, pair.get(key)) if isinstance(pair, dict) else None
                            for key in ("target", "new", "old"))
        if target and new and new.name.endswith(".tmp") and new.is_file():
            os.replace(new, target)
        if old and old.name.endswith(".tmp"):
            old.unlink(missing_ok=True)
    journal.unlink()


def _inside(folder: Path, name: object) -> Path | None:
    """A path the journal names, only if it lies inside the build folder."""
    if not isinstance(name, str) or not name or Path(name).is_absolute() or ".." in Path(name).parts:
        return None
    return folder / name


def _sync(folder: Path, swaps: list[_Swap]) -> None:
    """Make the renames durable: the folders that hold them are written to disk."""
    for parent in sorted({swap.target.parent for swap in swaps} | {folder}):
        try:
            handle = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            continue
        try:
            os.fsync(handle)
        except OSError:
            pass  # some file systems cannot sync a folder; the files themselves are synced
        finally:
            os.close(handle)


def write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name in the same folder, then rename into place."""
    os.replace(_write_temporary(path, data), path)


def _write_temporary(path: Path, data: bytes) -> Path:
    """Write `data` beside `path` under a hidden temporary name, on disk; return that name."""
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
    return path.with_name(Path(temporary).name)


def holds(path: Path, data: bytes) -> bool:
    """True when `path` already has exactly these bytes, so writing it again would change nothing."""
    return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
