"""Scratch folders for the external programs, which none but a dead build leaves behind.

LibreOffice needs a profile and files on disk, Typst a folder of pictures.
Each gets a folder `beredning-*` in the system's temporary folder, holding a
lock file that its build keeps locked while it lives. A build killed with
SIGKILL cannot remove its folder, but its lock dies with it: every build
first removes the folders whose lock nobody holds, and no other: a live
build's folder, of this checkout or another, is never touched. A build
killed in the moment between making a folder and locking it is known by the
process number in the folder's name.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import ToolError, reason

PREFIX = "beredning-"
LOCK = ".i-bruk"


@contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A new, locked scratch folder for `kind` (e.g. 'lo'), removed afterwards."""
    remove_abandoned()
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))  # the maker, till it is locked
        holder = _locked(folder)
    except OSError as error:
        raise ToolError(f"kunde inte skapa en tillfällig mapp i {tempfile.gettempdir()} ({reason(error)})") from error
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        holder.close()


def _locked(folder: Path):
    """Lock a file under a passing name, then give it its name: nobody sees the lock file unlocked."""
    passing = folder / f"{LOCK}.ny"
    holder = open(passing, "wb")
    fcntl.flock(holder, fcntl.LOCK_EX)
    os.rename(passing, folder / LOCK)
    return holder


def remove_abandoned() -> None:
    """Remove the scratch folders of builds that died; a folder whose lock is held is in use, and one
    without a lock yet is being made, unless the process that made it is gone (killed in between)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            with open(folder / LOCK, "rb") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(folder, ignore_errors=True)
        except FileNotFoundError:
            if _maker_is_gone(folder):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:  # a live build holds the lock
            continue


def _maker_is_gone(folder: Path) -> bool:
    """Whether the process named in the folder's name (scratch_folder) has ended; not for a folder of
    another kind, or of a process still running (of this checkout or another)."""
    maker = re.fullmatch(rf"{PREFIX}[a-z]+-(\d+)-.+", folder.name)
    if maker is None:
        return False
    try:
        os.kill(int(maker[1]), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it runs under another user
        return False
    return False
