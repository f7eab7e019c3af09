"""What a build did, file by file, for the command line to tell (and `make bench` to time)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from .errors import Problem


@dataclass
class Report:
    """What a build did, file by file, for the CLI to tell."""

    engine: str = ""
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    # Time spent in each stage, for `make bench`: summed over the documents, which are converted
    # while others render (convert.Conversions), so the stages together may take longer than the build.
    seconds: dict[str, float] = field(default_factory=dict)
    _adding: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            with self._adding:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
