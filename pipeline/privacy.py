"""Personal data never reaches a built document.

Fields marked with `PERSONUPPGIFT` in the models (the contact list of a
dialogue's participants) are emptied before anything is rendered: the
templates, and so the Word, PDF and HTML files, the packages and their
manifests, never see them. A template that asks for them gets an empty list.
"""

from __future__ import annotations

import functools
import typing
from typing import Any

from pydantic import BaseModel

from .model import PERSONUPPGIFT


def is_personal(model: type[BaseModel], name: str) -> bool:
    extra = model.model_fields[name].json_schema_extra
    return isinstance(extra, dict) and bool(extra.get(PERSONUPPGIFT))


def publishable(value: Any) -> Any:
    """The value with every personal field emptied, copying only what holds one."""
    if isinstance(value, BaseModel):
        if not _holds_personal_data(type(value)):
            return value
        changes = {}
        for name in type(value).model_fields:
            field_value = getattr(value, name)
            changes[name] = _empty(field_value) if is_personal(type(value), name) else publishable(field_value)
        return value.model_copy(update=changes)
    if isinstance(value, list):
        return [publishable(item) for item in value]
    return value


def _empty(value: Any) -> Any:
    return [] if isinstance(value, list) else None


@functools.cache
def _holds_personal_data(model: type[BaseModel]) -> bool:
    for name, info in model.model_fields.items():
        if is_personal(model, name):
            return True
        if any(_holds_personal_data(inner) for inner in _models_in(info.annotation)):
            return True
    return False


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models_in(arg)]


def personal_fields(model: type[BaseModel], path: str = "") -> list[str]:
    """Every personal field reachable from `model`, as 'dialoger.deltagarlista'."""
    found = []
    for name, info in model.model_fields.items():
        where = f"{path}{name}"
        if is_personal(model, name):
            found.append(where)
        for inner in _models_in(info.annotation):
            if inner is not model:
                found += personal_fields(inner, f"{where}.")
    return found
