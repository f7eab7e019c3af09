"""Stage 1: read YAML source files into plain data, remembering where each value stood.

The loader decides no types: every scalar comes back as a string (or None for
an empty value), and the typed model decides what it must be. That avoids
YAML 1.1 surprises (`no` read as false, `2018-02-30` raising a bare
ValueError) and lets every message point at a file, line and column.

The tree is built from libyaml's event stream without recursion, so no
nesting depth can crash the loader; it refuses aliases (no alias bombs),
merge keys, duplicate keys, several documents in one file, characters that
cannot stand in a Word document, files over 2 MiB and nesting over 40 levels.
YAML tags are ignored: nothing in a source can make the loader run code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, shown_path

MAX_BYTES = 2 * 1024 * 1024  # a year of meetings is a few hundred kB
MAX_DEPTH = 40
NULLS = ("", "~", "null", "Null", "NULL")
# XML 1.0, and so Word, cannot hold these: C0 controls but tab and line breaks, surrogates, U+FFFE/U+FFFF.
NOT_IN_DOCUMENTS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

# libyaml parses ten times faster; the pure-Python parser is used only to word an error.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Key = tuple[str | int, ...]


@dataclass
class Loaded:
    """One source file's data and the positions (1-based line, column) of its parts."""

    path: Path
    data: Any
    values: dict[Key, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Key, tuple[int, int]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return shown_path(self.path)

    def position(self, loc: Key, *, at_key: bool = False) -> tuple[int, int]:
        """The position of `loc`, or of the nearest enclosing value that has one."""
        if at_key and loc in self.keys:
            return self.keys[loc]
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.values:
                return self.values[loc[:end]]
        return (1, 1)

    def problem(self, loc: Key, message: str, *, at_key: bool = False) -> Problem:
        line, column = self.position(loc, at_key=at_key)
        return Problem(self.name, line, column, message)


class _Refused(Exception):
    def __init__(self, mark: yaml.Mark, message: str):
        self.mark = mark
        self.message = message


def load_source(path: Path) -> tuple[Loaded | None, list[Problem]]:
    """Read one YAML file; return its data, or the problems that stop it being read."""
    name = shown_path(path)
    text, problem = _read_text(path, name)
    if problem:
        return None, [problem]
    loaded = Loaded(path, None)
    try:
        loaded.data = _tree(yaml.parse(text, Loader=_FAST_LOADER), loaded)
    except _Refused as refused:
        return None, [Problem(name, refused.mark.line + 1, refused.mark.column + 1, refused.message)]
    except yaml.YAMLError:
        return None, [_syntax_problem(name, text)]
    if loaded.data is None:
        return None, [Problem(name, 1, 1, "filen är tom; den ska innehålla nycklar och värden")]
    return loaded, []


def _read_text(path: Path, name: str) -> tuple[str, Problem | None]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        return "", Problem(name, 0, 0, f"filen kan inte läsas ({error.strerror})")
    if len(raw) > MAX_BYTES:
        return "", Problem(name, 0, 0, f"filen är för stor ({len(raw) // 1024} kB); högst {MAX_BYTES // 1024} kB tillåts")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", Problem(name, 0, 0, "filen är sparad som UTF-16 ('Unicode'); spara den som UTF-8 i textredigeraren")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return "", Problem(name, line, 0, "filen är inte sparad som UTF-8; spara den som UTF-8 i textredigeraren")


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
                top.container[top.key] = value
                top.key = None
        self.loaded.values[loc] = (mark.line + 1, mark.column + 1)
        return loc


def _key(value: Any, event: yaml.Event, top: _Open, loaded: Loaded) -> str:
    if isinstance(value, (dict, list)):
        raise _Refused(event.start_mark, "en nyckel ska vara ett ord, inte en lista eller mappning")
    if value == "<<" and not getattr(event, "style", None):
        raise _Refused(event.start_mark, "sammanslagning med '<<' används inte i källfilerna; skriv ut nycklarna")
    key = unicodedata.normalize("NFC", value or "")
    if not key:
        raise _Refused(event.start_mark, "en nyckel saknas före kolonet")
    if key in top.container:
        first = loaded.keys[top.loc + (key,)][0]
        raise _Refused(event.start_mark, f"nyckeln '{key}' står två gånger i samma avsnitt (första gången på rad {first})")
    loaded.keys[top.loc + (key,)] = (event.start_mark.line + 1, event.start_mark.column + 1)
    return key


# PyYAML's wording of the common mistakes, and what they mean to a secretary.
_SYNTAX_HINTS = [
    (r"found character '\\t'", "tabbtecken kan inte användas för indrag; använd mellanslag"),
    (r"mapping values are not allowed here", "ett kolon står där det inte kan stå; kontrollera indraget, eller sätt texten inom citattecken om den innehåller ': '"),
    (r"expected <block end>, but found", "raden har fel indrag jämfört med raderna ovanför"),
    (r"could not find expected ':'", "en nyckel saknar kolon, eller raden har fel indrag"),
    (r"found unexpected end of stream|while scanning a quoted scalar", "ett citattecken öppnas men stängs aldrig"),
    (r"found unknown escape character", "okänd kod efter '\\' i text inom dubbla citattecken; använd enkla citattecken"),
    (r"expected ',' or '[\]}]'|while parsing a flow", "en lista eller mappning inom [ ] eller { } stängs aldrig"),
    (r"found character '[@`]' that cannot start any token", "en text kan inte börja med @ eller `; sätt den inom citattecken"),
]


def _syntax_problem(name: str, text: str) -> Problem:
    """Parse again with the pure-Python parser, whose wording the hints above know."""
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
    return Problem(name, 0, 0, "syntaxfel: filen kan inte läsas som YAML")


def _marked_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    wording = f"{error.context or ''} {error.problem or ''}"
    for pattern, hint in _SYNTAX_HINTS:
        if re.search(pattern, wording):
            message = hint
            break
    else:
        message = f"kan inte läsas som YAML ({(error.problem or '').strip()})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    return Problem(name, line, column, f"syntaxfel: {message}")
