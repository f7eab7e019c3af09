"""Stage 2b: a file with mistakes still takes part in the checks that span files.

A wrong date in one dialogue must not hide, until it is mended, that a goal
refers to a dialogue that does not exist: the secretary is told every mistake
in one run. So a file that fails its model is validated again without the
list items that hold its mistakes (and without its unknown keys), for at most
MOST_ROUNDS rounds. The rest of the file then takes part in the cross-file
rules (pipeline/rules.py): places are still those of the file, however many
items were left out before them, and the ids of the items left out count as
known, so nothing is said to refer to them in vain. Nothing is built from such
a model: the file's own mistakes stop the build.

A list that may not be empty (a dialogue's themes) loses the item that holds
it when all its items are left out; a file whose own list would be left
empty, or whose mistake is in a value of its own (not inside a list item),
stays out of the cross-file checks until it is mended, as before.
"""

from __future__ import annotations

import copy
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from .load import Key

MOST_ROUNDS = 3


@dataclass
class Salvaged:
    """The model of what in a file was right, and how to find its items' places in the file."""

    model: BaseModel
    data: Any  # what was validated: the file's data without the items left out
    kept: dict[int, list[int]]  # for each list (by identity) in `data`, its items' indices in the file
    left_out_ids: set[str] = field(default_factory=set)

    def in_file(self, loc: Key) -> Key:
        """The place in the file of the model's `loc`."""
        found: list[str | int] = []
        node = self.data
        for part in loc:
            if isinstance(part, int) and isinstance(node, list):
                indices = self.kept.get(id(node), [])
                found.append(indices[part] if part < len(indices) else part)
                node = node[part] if part < len(node) else None
            else:
                found.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        return tuple(found)


def salvage(model: type[BaseModel], data: Any, errors: list[dict]) -> Salvaged | None:
    """The model of `data` without what `errors` found wrong, or None when a mistake is not inside a
    list item (a wrong value of the file's own, say), or the rounds run out."""
    data = copy.deepcopy(data)
    kept: dict[int, list[int]] = {}
    _number_lists(data, kept)
    left_out: set[str] = set()
    for _ in range(MOST_ROUNDS):
        cuts = _cuts(errors)
        if cuts is None:
            return None
        for loc in cuts:
            _cut(data, loc, kept, left_out)
        try:
            return Salvaged(model.model_validate(data), data, kept, left_out)
        except ValidationError as error:
            errors = error.errors()
    return None


def _number_lists(node: Any, kept: dict[int, list[int]]) -> None:
    if isinstance(node, list):
        kept[id(node)] = list(range(len(node)))
    for child in node.values() if isinstance(node, dict) else node if isinstance(node, list) else ():
        _number_lists(child, kept)


def _cuts(errors: list[dict]) -> list[Key] | None:
    """What to take out: an unknown key, else the innermost list item holding the mistake; the cuts
    inside another cut dropped, the later items of a list first (so the earlier keep their indices)."""
    cuts = set()
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            cuts.add(loc)
            continue
        items = [i for i, part in enumerate(loc) if isinstance(part, int)]
        if not items:
            return None
        cuts.add(loc[:items[-1] + 1])
    outermost = [c for c in cuts if not any(other != c and c[:len(other)] == other for other in cuts)]
    return sorted(outermost, key=lambda loc: [(0, p, "") if isinstance(p, int) else (1, 0, p) for p in loc],
                  reverse=True)


def _cut(data: Any, loc: Key, kept: dict[int, list[int]], left_out: set[str]) -> None:
    parent = data
    for part in loc[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = loc[-1]
    if isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        left_out.update(_ids_in(parent.pop(last)))
        indices = kept.get(id(parent))
        if indices is not None and last < len(indices):
            del indices[last]
    elif isinstance(parent, dict):
        parent.pop(last, None)


def loose_id(text: str) -> str:
    """An id without case, accents, spaces and dashes: 'Dialog Café' and 'dialogcafe' are one."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isalnum() and c.isascii())


def _ids_in(node: Any) -> set[str]:
    found = set()
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            found |= {node["id"], loose_id(node["id"])}
        for child in node.values():
            found |= _ids_in(child)
    elif isinstance(node, list):
        for child in node:
            found |= _ids_in(child)
    return found
