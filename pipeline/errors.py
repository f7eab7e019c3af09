"""The one family of errors the CLI prints as a message instead of a traceback.

Anything that is not a `BeredningError` is a bug in the pipeline and is
allowed to show its traceback.
"""

from __future__ import annotations

import errno
import signal
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place, printed as `file:line:column: message`; a warning does not stop a build
    (unless the build is strict)."""

    file: str
    line: int = 0
    column: int = 0
    message: str = ""
    warning: bool = False

    def __str__(self) -> str:
        message = f"varning: {self.message}" if self.warning else self.message
        if not self.line:
            return f"{self.file}: {message}"
        if not self.column:
            return f"{self.file}:{self.line}: {message}"
        return f"{self.file}:{self.line}:{self.column}: {message}"


def shown_path(path: Path) -> str:
    """The path as the secretary typed it: relative to the working folder where possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


class BeredningError(Exception):
    """A failure the user can act on; its text is the whole message. `untouched`: the build folder is as
    it was before the command (so the command line may say so)."""

    untouched = True


class SourceErrors(BeredningError):
    """Every problem found in the sources, reported together."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(BeredningError):
    """A Word template that cannot be rendered with the sources."""


class ToolError(BeredningError):
    """An external program (pandoc) failed or is missing."""


class Interrupted(Exception):
    """The build was stopped by Ctrl-C or a signal; `published` says whether the build folder was
    already brought up to date when it came."""

    def __init__(self, signum: int, published: bool = False):
        self.signum = signum
        self.published = published
        super().__init__(signal.Signals(signum).name)


# What a failing file operation means, in the secretary's words (strerror is English).
_REASONS = {
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EFBIG: "filen blir större än systemet tillåter",
    errno.EACCES: "behörighet saknas",
    errno.EPERM: "åtgärden är inte tillåten; filen kan vara låst eller skrivskyddad",
    errno.EROFS: "disken är skrivskyddad",
    errno.ENOENT: "filen eller mappen finns inte",
    errno.EEXIST: "det finns redan en fil med det namnet",
    errno.EISDIR: "det är en mapp, inte en fil",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.ELOOP: "symboliska länkar pekar i en ring",
    errno.EIO: "läsfel på disken",
    errno.EBUSY: "filen används av ett annat program",
    errno.ETXTBSY: "filen används av ett annat program",
    errno.EMFILE: "för många öppna filer",
    errno.ENOTEMPTY: "mappen är inte tom",
}


def reason(error: OSError) -> str:
    """Why a file operation failed, in Swedish."""
    return _REASONS.get(error.errno, error.strerror or str(error))
