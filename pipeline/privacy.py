"""Personal data never reaches a built document.

Fields marked with `PERSONUPPGIFT` in the models (the contact list of a
dialogue's participants) are emptied before anything is rendered: the
templates, and so the Word, PDF and HTML files, the packages and their
manifests, never see them. A template that asks for them gets an empty list.

Personal data can also be typed into the wrong field: a participant's
phone number in a theme's description. `check` warns, at the file and line,
of anything in the text that will be distributed that looks like an e-mail
address, a Swedish phone number (libphonenumber's rules) or a personnummer
(its date and check digit); values listed under `offentliga_kontaktuppgifter`
(the switchboard) are meant to be there.
"""

from __future__ import annotations

import functools
import re
import typing
from typing import Any, Iterator

from personnummer import personnummer
import phonenumbers
from pydantic import BaseModel

from .errors import Problem
from .load import Key
from .model import PERSONUPPGIFT, texts


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


# --- personal data typed into text that is distributed --------------------------------------------

ALLOWED = "offentliga_kontaktuppgifter"
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_PERSONNUMMER = re.compile(r"(?<![\d-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\d-])")
_SEVEN_DIGITS = re.compile(r"(?:\d[^\d\n]{0,3}){7}")  # fewer digits than this is no phone number: skip the matcher


def personal_data_warnings(sources) -> list[Problem]:
    """A warning for each e-mail address, phone number or personnummer in text that will be distributed."""
    allowed = {_normal(kind, value) for model in sources.models.values()
               for value in getattr(model, ALLOWED) for kind in (EMAIL, PERSONNUMMER, PHONE)}
    warnings = []
    for name, model in sources.models.items():
        loaded = sources.loaded[name]
        for loc, text in distributed_texts(model):
            for kind, found in _looks_personal(text):
                if _normal(kind, found) not in allowed:
                    line, column = loaded.locate(loc, found)
                    warnings.append(Problem(loaded.name, line, column, _advice(kind, found), warning=True))
    return warnings


def _advice(kind: str, found: str) -> str:
    return (f"'{found}' ser ut som {kind}, i en text som skickas ut; personuppgifter hör hemma i deltagarlistan "
            f"och kommer aldrig med i dokumenten. Ska den stå där (som kommunens växel), skriv den under {ALLOWED}")


def distributed_texts(model: BaseModel) -> Iterator[tuple[Key, str]]:
    """Every text of a source that a document may show, with where it stands: all but personal fields."""
    return texts(model, keep=lambda owner, name: name != ALLOWED and not is_personal(owner, name))


EMAIL, PERSONNUMMER, PHONE = "en e-postadress", "ett personnummer", "ett telefonnummer"


def _looks_personal(text: str) -> Iterator[tuple[str, str]]:
    taken: list[range] = []
    for found in _EMAIL.finditer(text):
        taken.append(range(*found.span()))
        yield EMAIL, found[0]
    for found in _PERSONNUMMER.finditer(text):
        if personnummer.valid(found[0]):
            taken.append(range(*found.span()))
            yield PERSONNUMMER, found[0]
    if _SEVEN_DIGITS.search(text):
        for match in phonenumbers.PhoneNumberMatcher(text, "SE"):
            if not any(match.start in span for span in taken):
                yield PHONE, match.raw_string


def _normal(kind: str, value: str) -> str:
    """The form two ways of writing the same address or number share."""
    if kind == PHONE:
        try:
            number = phonenumbers.parse(value, "SE")
            return f"tel:{phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)}"
        except phonenumbers.NumberParseException:
            return ""
    if kind == PERSONNUMMER:
        return "pnr:" + re.sub(r"\D", "", value)[-10:]
    return f"mail:{value.strip().lower()}"
