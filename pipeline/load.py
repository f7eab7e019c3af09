"""Stage 1: read YAML source files into plain data, remembering where each value stood.

The loader decides no types: every scalar comes back as a string (or None for
an empty value), and the typed model decides what it must be. That avoids
YAML 1.1 surprises (`no` read as false, `2018-02-30` raising a bare
ValueError) and lets every message point at a file, line and column.
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

Key = tuple[str | int, ...]

# libyaml composes ten times faster; the pure-Python loader is used only to word an error.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        self.message = message


def load_source(path: Path) -> tuple[Loaded | None, list[Problem]]:
    """Read one YAML file; return its data, or the problems that stop it being read."""
    name = shown_path(path)
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        return None, [Problem(name, 0, 0, f"filen är för stor ({len(raw) // 1024} kB); högst {MAX_BYTES // 1024} kB tillåts")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, [Problem(name, line, 0, "filen är inte sparad som UTF-8; spara den som UTF-8 i textredigeraren")]
    try:
        root = yaml.compose(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return None, [_syntax_problem(name, text)]
    loaded = Loaded(path, None)
    if root is None:
        return None, [Problem(name, 1, 1, "filen är tom; den ska innehålla nycklar och värden")]
    try:
        loaded.data = _plain(root, (), loaded, set(), 0)
    except _Refused as refused:
        mark = refused.node.start_mark
        return None, [Problem(name, mark.line + 1, mark.column + 1, refused.message)]
    return loaded, []


def _plain(node: yaml.Node, loc: Key, loaded: Loaded, seen: set[int], depth: int) -> Any:
    """Turn a composed node into dicts, lists and strings, recording positions."""
    if id(node) in seen:
        raise _Refused(node, "YAML-alias (*namn) används inte i källfilerna; skriv ut värdet")
    if depth > MAX_DEPTH:
        raise _Refused(node, f"strukturen är nästlad djupare än {MAX_DEPTH} nivåer")
    seen.add(id(node))
    loaded.values[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, loc, loaded, seen, depth)
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, loc + (i,), loaded, seen, depth + 1) for i, item in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:null" and node.style is None:
        return None
    return node.value


def _mapping(node: yaml.MappingNode, loc: Key, loaded: Loaded, seen: set[int], depth: int) -> dict:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused(key_node, "sammanslagning med '<<' används inte i källfilerna; skriv ut nycklarna")
        if not isinstance(key_node, yaml.ScalarNode):
            raise _Refused(key_node, "en nyckel ska vara ett ord, inte en lista eller mappning")
        key = unicodedata.normalize("NFC", key_node.value)
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key in result:
            first = loaded.keys[loc + (key,)][0]
            raise _Refused(key_node, f"nyckeln '{key}' står två gånger i samma avsnitt (första gången på rad {first})")
        loaded.keys[loc + (key,)] = where
        result[key] = _plain(value_node, loc + (key,), loaded, seen, depth + 1)
    return result


# PyYAML's wording of the common mistakes, and what they mean to a secretary.
_SYNTAX_HINTS = [
    (r"found character '\\t'", "tabbtecken kan inte användas för indrag; använd mellanslag"),
    (r"mapping values are not allowed here", "ett kolon står där det inte kan stå; kontrollera indraget, eller sätt texten inom citattecken om den innehåller ': '"),
    (r"expected <block end>, but found", "raden har fel indrag jämfört med raderna ovanför"),
    (r"could not find expected ':'", "en nyckel saknar kolon, eller raden har fel indrag"),
    (r"found undefined alias", "YAML-alias (*namn) används inte i källfilerna; skriv ut värdet"),
    (r"found unexpected end of stream|while scanning a quoted scalar", "ett citattecken öppnas men stängs aldrig"),
    (r"found unknown escape character", "okänd kod efter '\\' i text inom dubbla citattecken; använd enkla citattecken"),
]


def _syntax_problem(name: str, text: str) -> Problem:
    """Parse again with the pure-Python loader, whose wording the hints above know."""
    try:
        yaml.compose(text, Loader=yaml.SafeLoader)
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
