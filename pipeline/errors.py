"""The one family of errors the CLI prints as a message instead of a traceback.

Anything that is not a `BeredningError` is a bug in the pipeline and is
allowed to show its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place, printed as `file:line:column: message`."""

    file: str
    line: int = 0
    column: int = 0
    message: str = ""

    def __str__(self) -> str:
        if not self.line:
            return f"{self.file}: {self.message}"
        if not self.column:
            return f"{self.file}:{self.line}: {self.message}"
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def shown_path(path: Path) -> str:
    """The path as the secretary typed it: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class BeredningError(Exception):
    """A failure the user can act on; its text is the whole message."""


class SourceErrors(BeredningError):
    """Every problem found in the sources, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(BeredningError):
    """A Word template that cannot be rendered with the sources."""


class ToolError(BeredningError):
    """An external program (pandoc) failed or is missing."""
