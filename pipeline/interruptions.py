"""Ctrl-C and termination: the build stops cleanly, except while the build folder is switched over.

The command line turns SIGINT, SIGTERM and SIGHUP into `Interrupted`, so the
ordinary clean-up runs (temporary folders, the LibreOffice process group)
and the secretary reads one Swedish line instead of a traceback. While
`publish` renames the new files into place, a signal is held back and acted
on only when every file is in place.
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Iterator

from .errors import Interrupted

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def stopping_cleanly_on_signals() -> Iterator[None]:
    """Within the block a signal raises `Interrupted` in the main thread."""
    earlier = {signum: signal.signal(signum, _raise_interrupted) for signum in SIGNALS}
    try:
        yield
    finally:
        _restore(earlier)


def _raise_interrupted(signum: int, frame: object) -> None:
    raise Interrupted(signum)


def _restore(earlier: dict) -> None:
    for signum, handler in earlier.items():
        signal.signal(signum, signal.SIG_DFL if handler is None else handler)


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Hold back signals until the block is done; then act on the first one that came."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread receives signals
        return
    came: list[int] = []
    earlier = {signum: signal.signal(signum, lambda signum, frame: came.append(signum)) for signum in SIGNALS}
    try:
        yield
    finally:
        _restore(earlier)
    if came:
        raise Interrupted(came[0], published=True)
