"""What a build did, file by file, for the command line to tell (and `make bench` to time)."""

from __future__ import annotations

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
    seconds: dict[str, float] = field(default_factory=dict)  # wall time by stage, for `make bench`

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started
