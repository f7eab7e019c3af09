"""Stage 1: read YAML source files into plain data, remembering where each value stood.

The loader decides no types: every scalar comes back as a string (or None for
an empty value), and the typed model decides what it must be. That avoids
YAML 1.1 surprises (`no` read as false, `2018-02-30` raising a bare
ValueError) and lets every message point at a file, line and column.

The tree is built from libyaml's event stream without recursion, so no
nesting depth can crash the loader; it refuses aliases (no alias bombs),
merge keys, duplicate keys, several documents in one file, characters that
cannot stand in a Word document, files over 2 MiB, anything that is not a
regular file, and nesting over 40 levels. YAML tags are ignored: nothing in a
source can make the loader run code.

Before parsing, a quick scan of the text finds what a parser would misplace
or choke on: flow nesting deep enough to trip libyaml's own limit (which
differs between versions) or to make the pure-Python parser crawl, a
byte-order mark in the middle of a file, and a no-break space or other
invisible character where YAML needs a plain space. All text is read as NFC,
so a file saved by an editor that writes å as a + ring (NFD) means the same.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Any

import yaml

from .errors import Problem, ToolError, reason, shown_path

MAX_BYTES = 2 * 1024 * 1024  # a year of meetings is a few hundred kB
MAX_DEPTH = 40
# Flow nesting the quick scan refuses outright, before any parser sees it: far below libyaml's own
# limit (1,000, met in its look-ahead before a single event reaches us) and the depth at which the
# pure-Python parser, which words syntax errors, becomes slow.
SCAN_LIMIT = 200
NULLS = ("", "~", "null", "Null", "NULL")
# XML 1.0, and so Word, cannot hold these: C0 controls but tab and line breaks, surrogates, U+FFFE/U+FFFF;
# nor show these: DEL and the C1 controls, which XML allows but every format draws as nothing or a box.
NOT_IN_DOCUMENTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Sources are read by libyaml (ten times faster, and the two parsers do not accept quite the same
# YAML: pure PyYAML refuses `[Vad gör att man vill stanna?]`); the pure-Python parser only words errors.
_FAST_LOADER = getattr(yaml, "CSafeLoader", None)

Key = tuple[str | int, ...]


@dataclass
class Loaded:
    """One source file's data and the positions (1-based line, column) of its parts."""

    path: Path
    data: Any
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    # A model of part of the file (pipeline/salvage.py) numbers its list items anew: this gives their
    # places in the file.
    in_file: Callable[[Key], Key] | None = None

    @property
    def name(self) -> str:
        return shown_path(self.path)

    def position(self, loc: Key, *, at_key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of the nearest enclosing value that has one."""
        loc = self.in_file(loc) if self.in_file else loc
        if at_key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)

    def problem(self, loc: Key, message: str, *, at_key: bool = False, warning: bool = False) -> Problem:
        line, column = self.position(loc, at_key=at_key)
        return Problem(self.name, line, column, message, warning)

    def locate(self, loc: Key, piece: str) -> tuple[int, int]:
        """Where `piece` of the text at `loc` stands in the file (a value spans lines); else the value's place."""
        line, column = self.position(loc)
        found = self.text.find(piece, self._line_starts[line - 1] + column - 1)
        if found < 0:
            return line, column
        line = bisect.bisect_right(self._line_starts, found)
        return line, found - self._line_starts[line - 1] + 1

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        """Where each line of the text begins, counted once however many pieces are located."""
        return [0, *(found.end() for found in re.finditer("\n", self.text))]


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str):
        self.mark = mark
        self.message = message


def load_source(path: Path) -> tuple[Loaded | None, list[Problem]]:
    """Read one YAML file; return its data (None if it cannot be read) and every problem found in it."""
    name = shown_path(path)
    text, problem = _read_text(path, name)
    if problem:
        return None, [problem]
    text, problems = _invisible_in_structure(text, name)
    too_deep = _deep_flow(text)
    if too_deep:
        return None, [Problem(name, *too_deep, f"strukturen är nästlad djupare än {MAX_DEPTH} nivåer")]
    if _FAST_LOADER is None:
        raise ToolError("PyYAML är installerat utan libyaml, som källfilerna läses med; "
                        "kör 'make report', som installerar versionerna i requirements.lock")
    loaded = Loaded(path, None, text=text)
    try:
        loaded.data = _tree(yaml.parse(text, Loader=_FAST_LOADER), loaded)
    except _Refused as refused:
        return None, problems + [Problem(name, refused.mark.line + 1, refused.mark.column + 1, refused.message)]
    except yaml.YAMLError as error:
        return None, problems + [_syntax_problem(name, text, error)]
    if loaded.data is None:
        return None, problems + [Problem(name, 1, 1, "filen är tom; den ska innehålla nycklar och värden")]
    return loaded, problems + loaded.problems


_KINDS = {stat.S_IFDIR: "en mapp", stat.S_IFIFO: "en namngiven pipe (FIFO)", stat.S_IFSOCK: "en socket",
          stat.S_IFCHR: "en enhetsfil", stat.S_IFBLK: "en enhetsfil"}


def _read_text(path: Path, name: str) -> tuple[str, Problem | None]:
    try:
        raw = read_regular_file(path)
    except _NotAFile as kind:
        return "", Problem(name, 0, 0, f"är ingen vanlig fil utan {kind}; en källfil ska vara en textfil")
    except _TooLarge as size:
        return "", Problem(name, 0, 0, f"filen är för stor ({size} kB); högst {MAX_BYTES // 1024} kB tillåts")
    except OSError as error:
        return "", Problem(name, 0, 0, f"filen kan inte läsas ({reason(error)})")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", Problem(name, 0, 0, "filen är sparad som UTF-16 ('Unicode'); spara den som UTF-8 i textredigeraren")
    try:
        return unicodedata.normalize("NFC", raw.decode("utf-8-sig")), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Problem(name, line, 0, "filen är inte sparad som UTF-8; spara den som UTF-8 i textredigeraren")


class _NotAFile(OSError):
    """Not a regular file; the argument says what it is."""


class _TooLarge(OSError):
    """Larger than allowed; the argument is its size in kB."""


def read_regular_file(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A regular file of at most `limit` bytes. Opening does not wait (a FIFO would hang a plain
    open), and what is opened is what is checked, so nothing can swap the file in between."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile(_KINDS.get(stat.S_IFMT(info.st_mode), "något annat än en fil"))
        if info.st_size > limit:
            raise _TooLarge(info.st_size // 1024)
        os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            raw = handle.read(limit + 1)
        if len(raw) > limit:  # grew while being read
            raise _TooLarge(len(raw) // 1024)
        return raw
    finally:
        os.close(descriptor)


# --- the quick scan before parsing ---------------------------------------------------------------

_SPACE_LOOKALIKES = "\u00a0\u1680\u2000-\u200b\u202f\u205f\u2060\u3000"
_LOOKALIKE = re.compile(f"[{_SPACE_LOOKALIKES}\ufeff]")
# Where YAML needs a plain space: in the indentation, after a list's '-', after a key's ':'.
_IN_INDENT = re.compile(f"^[ \t]*([{_SPACE_LOOKALIKES}])")
_AFTER_DASH = re.compile(f"^[ \t]*(?:-[ \t]+)*-([{_SPACE_LOOKALIKES}])")
_AFTER_COLON = re.compile(f"^[ \t]*(?:-[ \t]+)*[^\\s:#'\"\\[\\]{{}},][^:#]*?:([{_SPACE_LOOKALIKES}])")
_BEFORE_COLON = re.compile(f"^[ \t]*(?:-[ \t]+)*[^\\s:#'\"\\[\\]{{}},][^:#]*?([{_SPACE_LOOKALIKES}]+):(?:[ \t]|$)")


def _lookalike_name(character: str) -> str:
    names = {"\u00a0": "ett hårt mellanslag", "\u202f": "ett smalt hårt mellanslag", "\u200b": "ett nollbreddsmellanslag",
             "\u2060": "ett osynligt ordbindetecken", "\u3000": "ett brett mellanslag"}
    return f"{names.get(character, 'ett typografiskt mellanslag')} (U+{ord(character):04X})"


def _invisible_in_structure(text: str, name: str) -> tuple[str, list[Problem]]:
    """Name each invisible character where YAML needs a plain space, and each byte-order mark inside
    the file, at its own line and column; return the text with them made plain, so the rest of the
    file is still read and its other mistakes reported too."""
    if not _LOOKALIKE.search(text):
        return text, []
    problems, lines = [], text.split("\n")
    for number, line in enumerate(lines, 1):
        for mark in re.finditer("\ufeff", line):
            problems.append(Problem(name, number, mark.start() + 1, "ett byte-order mark (U+FEFF) står mitt i filen, "
                                    "ofta där två filer har klistrats ihop; ta bort det osynliga tecknet"))
        line = line.replace("\ufeff", "")
        for pattern, where in ((_IN_INDENT, "i indraget"), (_AFTER_DASH, "efter '-'"),
                               (_AFTER_COLON, "efter kolonet"), (_BEFORE_COLON, "före kolonet")):
            found = pattern.search(line)
            if found:
                problems.append(Problem(name, number, found.start(1) + 1,
                                        f"{_lookalike_name(found[1][0])} står {where}, där YAML kräver ett vanligt "
                                        "mellanslag; skriv om mellanslaget"))
                line = line[:found.start(1)] + " " * len(found[1]) + line[found.end(1):]
        lines[number - 1] = line
    return "\n".join(lines), problems


_FLOW_TOKEN = re.compile(r"""[\[\]{}'"#]""")
# Where a line's value begins: after list dashes and a key with its colon.
_VALUE_START = re.compile(r"""((?:-(?:[ \t]+|$))*)([^\[{'"#][^#]*?:(?:[ \t]+|$))?""")


def _deep_flow(text: str) -> tuple[int, int] | None:
    """Where flow nesting ([ ], { }) first goes past MAX_DEPTH, if it goes on past SCAN_LIMIT.

    A cheap estimate, not a parser: block levels are counted by indentation, and brackets outside
    quotes and comments by depth. Nesting under SCAN_LIMIT is left to the loader, which refuses
    anything past MAX_DEPTH at its exact place.
    """
    flow, base, first_deep = 0, 0, None
    indents: list[int] = []
    quote = ""
    for number, line in enumerate(text.split("\n"), 1):
        start = 0
        if not flow and not quote:
            content = line.lstrip(" ")
            if not content or content.startswith("#"):
                continue
            indent = len(line) - len(content)
            while indents and indents[-1] > indent:
                indents.pop()
            value = _VALUE_START.match(content)
            if value.end() and (not indents or indents[-1] < indent):  # a list item or a key: a new level
                indents.append(indent)
            # '- - key: [' holds a list in a list item and a mapping in that: a level for each.
            dashes = value[1].count("-")
            base = len(indents) + max(dashes - 1, 0) + (1 if dashes and value[2] else 0)
            start = indent + value.end()
            if start >= len(line) or line[start] not in "[{'\"":
                continue
        position = start
        while True:
            token = _FLOW_TOKEN.search(line, position)
            if token is None:
                break
            char, position = token[0], token.end()
            if quote:
                if char == quote and not (quote == '"' and _escaped(line, token.start())):
                    if quote == "'" and line.startswith("'", position):
                        position += 1
                        continue
                    quote = ""
                continue
            if char == "#" and (token.start() == 0 or line[token.start() - 1] in " \t"):
                break
            if char in "'\"" and (token.start() == start or line[token.start() - 1] in " \t[{,:"):
                quote = char
            elif char in "[{":
                flow += 1
                if base + flow > MAX_DEPTH and first_deep is None:
                    first_deep = (number, token.start() + 1)
                if flow > SCAN_LIMIT:
                    return first_deep
            elif char in "]}":
                flow = max(flow - 1, 0)
                if not flow:
                    break
    return None


def _escaped(line: str, at: int) -> bool:
    backslashes = len(line[:at]) - len(line[:at].rstrip("\\"))
    return backslashes % 2 == 1


@dataclass
class _Open:
    """A mapping or list being filled, with where it stands and the key waiting for its value."""

    container: dict | list
    loc: Key
    key: str | None = None


def _tree(events, loaded: Loaded) -> Any:
    """Build dicts, lists and strings from parser events, recording positions."""
    builder = _Builder(loaded)
    documents = 0
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(event.start_mark, "filen innehåller flera YAML-dokument (---); en källfil är ett dokument")
        elif isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark, "YAML-alias (*namn) används inte i källfilerna; skriv ut värdet")
        elif isinstance(event, yaml.ScalarEvent):
            builder.place(_scalar(event), event)
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if len(builder.stack) >= MAX_DEPTH:
                raise _Refused(event.start_mark, f"strukturen är nästlad djupare än {MAX_DEPTH} nivåer")
            container: dict | list = {} if isinstance(event, yaml.MappingStartEvent) else []
            builder.stack.append(_Open(container, builder.place(container, event)))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            builder.stack.pop()
    return builder.root


def _scalar(event: yaml.ScalarEvent) -> str | None:
    if not event.style and event.value in NULLS:  # plain: libyaml says '', PyYAML None
        return None
    bad = NOT_IN_DOCUMENTS.search(event.value)
    if bad:
        raise _Refused(event.start_mark, f"texten innehåller tecknet U+{ord(bad[0]):04X}, ett osynligt "
                                         "styrtecken som inte kan stå i ett dokument; ta bort det")
    return event.value


class _Builder:
    """Puts each value where the parser is: the root, a list item, a mapping key, or a key's value."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.root: Any = None
        self.stack: list[_Open] = []

    def place(self, value: Any, event: yaml.Event) -> Key:
        """Place `value` and return its location (for a key, the location its value will get)."""
        mark = event.start_mark
        if not self.stack:
            self.root, loc = value, ()
        else:
            top = self.stack[-1]
            if isinstance(top.container, list):
                loc = top.loc + (len(top.container),)
                top.container.append(value)
            elif top.key is None:
                top.key = _key(value, event, top, self.loaded)
                return top.loc + (top.key,)
            else:
                loc = top.loc + (top.key,)
                if isinstance(top.key, _Duplicate):
                    top.key = None
                    return loc  # reported in _key; the first value stands
                top.container[top.key] = value
                top.key = None
        self.loaded.values[loc] = (mark.line + 1, mark.column + 1)
        return loc


class _Duplicate(str):
    """A key met a second time in one mapping: its value is read (for positions) but not kept."""


def _key(value: Any, event: yaml.Event, top: _Open, loaded: Loaded) -> str:
    if isinstance(value, (dict, list)):
        raise _Refused(event.start_mark, "en nyckel ska vara ett ord, inte en lista eller mappning")
    if value == "<<" and not getattr(event, "style", None):
        raise _Refused(event.start_mark, "sammanslagning med '<<' används inte i källfilerna; skriv ut nycklarna")
    key = value or ""
    if not key:
        raise _Refused(event.start_mark, "en nyckel saknas före kolonet")
    line, column = event.start_mark.line + 1, event.start_mark.column + 1
    if key in top.container:
        first = loaded.keys[top.loc + (key,)][0]
        loaded.problems.append(Problem(loaded.name, line, column,
                                       f"nyckeln '{key}' står två gånger i samma avsnitt (första gången på rad {first})"))
        return _Duplicate(f"{key}\0{line}")
    loaded.keys[top.loc + (key,)] = (line, column)
    return key


# PyYAML's and libyaml's wording of the common mistakes, and what they mean to a secretary.
_SYNTAX_HINTS = [
    (r"found character '\\t'|tab character that violat", "tabbtecken kan inte användas för indrag; använd mellanslag"),
    (r"mapping values are not allowed (here|in this context)", "ett kolon står där det inte kan stå; kontrollera indraget, eller sätt texten inom citattecken om den innehåller ': '"),
    (r"expected <block end>, but found|did not find expected key|did not find expected '-' indicator", "raden har fel indrag jämfört med raderna ovanför"),
    (r"could not find expected ':'", "en nyckel saknar kolon, eller raden har fel indrag"),
    (r"found unexpected end of stream|while scanning a quoted scalar", "ett citattecken öppnas men stängs aldrig"),
    (r"found unknown escape character", "okänd kod efter '\\' i text inom dubbla citattecken; använd enkla citattecken"),
    (r"expected ',' or '[\]}]'|while parsing a flow", "en lista eller mappning inom [ ] eller { } stängs aldrig"),
    (r"found character '[@`]' that cannot start any token", "en text kan inte börja med @ eller `; sätt den inom citattecken"),
]


def _syntax_problem(name: str, text: str, first: yaml.YAMLError) -> Problem:
    """Parse again with the pure-Python parser, whose wording the hints above know; where it reads
    what libyaml refused, libyaml's own place and words stand."""
    try:
        for _ in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        column = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        return Problem(name, line, column, f"syntaxfel: tecknet U+{error.character:04X} är ett osynligt styrtecken "
                                           "som inte kan stå i en källfil; ta bort det")
    except yaml.MarkedYAMLError as error:
        return _marked_problem(name, error)
    except yaml.YAMLError as error:
        return Problem(name, 0, 0, f"syntaxfel: {error}")
    if isinstance(first, yaml.MarkedYAMLError):
        return _marked_problem(name, first)
    return Problem(name, 0, 0, "syntaxfel: filen kan inte läsas som YAML")


def _marked_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    hints = (hint for wording in (error.problem or "", error.context or "")  # what went wrong, then where
             for pattern, hint in _SYNTAX_HINTS if re.search(pattern, wording))
    message = next(hints, None)
    if message is None:
        message = ("här kan filen inte läsas som YAML; sätt texten inom citattecken om den innehåller "
                   "tecken som ! & * [ ] { } : #")
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(name, line, column, f"syntaxfel: {message}")
