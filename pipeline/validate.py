"""Stage 2: check each loaded file against its model and say, in Swedish, what is wrong where."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, SourceErrors, shown_path
from .load import Key, Loaded, load_source
from .model import SOURCES, Källa
from .salvage import Salvaged, loose_id, salvage
from .values import shortened


@dataclass
class Sources:
    """Every source file of a folder that was found, validated, with its positions."""

    folder: Path
    models: dict[str, Källa] = field(default_factory=dict)
    loaded: dict[str, Loaded] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)
    # Files with mistakes whose other parts still take part in the cross-file checks (salvage.py),
    # and the ids of the items left out of them, which count as known.
    salvaged: set[str] = field(default_factory=set)
    left_out_ids: set[str] = field(default_factory=set)

    def left_out(self, ident: str) -> bool:
        """True if a reference to `ident` may mean an item left out of the cross-file checks: its id
        exactly, or, when the id itself was the mistake ('Dialog Café'), loosely ('dialogcafe')."""
        return ident in self.left_out_ids or loose_id(ident) in self.left_out_ids

    def get(self, model: type[Källa]) -> Any:
        return self.models.get(model.fil)

    def unreadable(self, *models: type[Källa]) -> bool:
        """True if any of these files exists but could not be read even in part, so checks that span
        it must wait."""
        return any(model.fil in self.invalid and model.fil not in self.salvaged for model in models)


def read_sources(folder: Path) -> Sources:
    """Load and validate every source file in `folder`, collecting every problem."""
    if not folder.is_dir():
        raise SourceErrors([Problem(shown_path(folder), 0, 0, "mappen med källfiler finns inte")])
    sources = Sources(folder)
    problems = _unknown_files(folder)
    for model in SOURCES:
        path = folder / model.fil
        if not path.exists():
            continue
        loaded, found = load_source(path)
        problems += found
        if loaded is None:
            sources.invalid.add(model.fil)
            continue
        sources.loaded[model.fil] = loaded
        try:
            sources.models[model.fil] = model.model_validate(loaded.data)
        except ValidationError as error:
            sources.invalid.add(model.fil)
            problems += [_problem(model, loaded, e) for e in error.errors()]
            _take_part(sources, model, loaded, salvage(model, loaded.data, error.errors()))
    if not problems and not sources.models:
        known = ", ".join(m.fil for m in SOURCES)
        problems.append(Problem(shown_path(folder), 0, 0, f"inga källfiler hittades; väntade någon av {known}"))
    sources.problems = problems
    return sources


def _take_part(sources: Sources, model: type[Källa], loaded: Loaded, salvaged: Salvaged | None) -> None:
    """What was right in a file with mistakes, for the cross-file checks only."""
    if salvaged is None:
        return
    sources.models[model.fil] = salvaged.model
    sources.salvaged.add(model.fil)
    sources.left_out_ids |= salvaged.left_out_ids
    loaded.in_file = salvaged.in_file


def _unknown_files(folder: Path) -> list[Problem]:
    known = [m.fil for m in SOURCES]
    problems = []
    for path in sorted(folder.glob("*.y*ml")):
        if path.name not in known:
            problems.append(Problem(shown_path(path), 0, 0, f"okänd källfil{did_you_mean(path.name, known)}; kända filer är {', '.join(known)}"))
    return problems


def _problem(model: type[BaseModel], loaded: Loaded, error: dict) -> Problem:
    loc: Key = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return loaded.problem(loc[:-1], f"nyckeln '{loc[-1]}' saknas: {_description(model, loc)}")
    if kind == "extra_forbidden":
        allowed = _field_names(model, loc[:-1])
        return loaded.problem(loc, f"okänd nyckel '{loc[-1]}'{did_you_mean(str(loc[-1]), allowed)}", at_key=True)
    return loaded.problem(loc, _message(kind, error, _description(model, loc)))


def _message(kind: str, error: dict, description: str) -> str:
    """The Swedish words for a pydantic error, saying what was expected."""
    value = error.get("input")
    ctx = error.get("ctx") or {}
    got = _shown(value)
    if kind in ("string_type",):
        return f"förväntade en text, fick {got}"
    if kind in ("int_parsing", "int_type", "int_from_float", "int_parsing_size"):
        return f"förväntade ett heltal, fick {got}"
    if kind in ("bool_parsing", "bool_type"):
        return f"förväntade true eller false, fick {got}"
    if kind in ("list_type", "tuple_type"):
        return f"förväntade en lista (rader som börjar med '- '), fick {got}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"förväntade nycklar med värden (nyckel: värde), fick {got}"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        suggestion = did_you_mean(str(value), re.findall(r"'([^']*)'", expected)) if isinstance(value, str) else ""
        return f"förväntade ett av {expected}, fick {got}".replace(" or ", ", ") + suggestion
    if kind == "too_short" and isinstance(value, str):
        return "får inte vara tom"
    if kind == "too_short":
        return f"listan måste ha minst {ctx.get('min_length')} {'post' if ctx.get('min_length') == 1 else 'poster'}"
    if kind == "string_too_short":
        return "får inte vara tom"
    if kind == "string_pattern_mismatch":
        return f"förväntade ett id av små bokstäver, siffror och bindestreck (t.ex. 'dialogcafe-2018'), fick {got}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"måste vara minst {_number(ctx.get('ge', ctx.get('gt')))}, fick {got}"
    if kind in ("less_than_equal", "less_than"):
        return f"får vara högst {_number(ctx.get('le', ctx.get('lt')))}, fick {got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("datum", "tidpunkt", "deltagare", "punkt", "tom_text", "fil"):
        return error["msg"]
    return f"ogiltigt värde {got} ({description or error['msg']})"


def _shown(value: Any) -> str:
    if value is None:
        return "ett tomt värde"
    if isinstance(value, dict):
        return "nycklar med värden"
    if isinstance(value, list):
        return "en lista"
    text = str(value)
    short = shortened(text)
    return f"'{short}'" if short == text else f"'{short}' ({len(text)} tecken)"


def _number(value: Any) -> str:
    """10000000 as '10 000 000'."""
    return f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value)


def did_you_mean(word: str, candidates: list[str]) -> str:
    close = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" – menade du '{close[0]}'?" if close else ""


def _model_at(model: type[BaseModel], loc: Key) -> type[BaseModel] | None:
    """Follow a location through the model classes to the model that holds its last part."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or part not in current.model_fields:
            return None
        current = _inner_model(current.model_fields[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """The model class inside `list[X]`, `X | None` and the like, else the annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def _field_names(model: type[BaseModel], loc: Key) -> list[str]:
    holder = _model_at(model, loc)
    return list(holder.model_fields) if holder else []


def _description(model: type[BaseModel], loc: Key) -> str:
    holder = _model_at(model, tuple(p for p in loc[:-1]))
    name = loc[-1] if loc else None
    if holder and isinstance(name, str) and name in holder.model_fields:
        return holder.model_fields[name].description or ""
    return ""
