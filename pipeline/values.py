"""The value types the sources are made of, each parsing the secretary's text.

The loader hands every scalar over as a string; these types turn it into a
date, a month, an attendance, a content item, and say in Swedish what was
expected when they cannot.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from babel.numbers import format_decimal
from babel.dates import format_date, get_month_names
from pydantic import BeforeValidator, Field, GetCoreSchemaHandler, WithJsonSchema
from pydantic_core import PydanticCustomError, core_schema

LOCALE = "sv_SE"

TO_FILL_IN = "FYLL I"
"""How a skeleton of `beredning new` marks a text still to write: 'FYLL I: kommunens namn'."""


def month_name(month: int) -> str:
    """'februari': Babel's Swedish month name, as it stands alone."""
    return get_month_names("wide", context="stand-alone", locale=LOCALE)[month]


def shortened(text: str, most: int = 60) -> str:
    """A value as a message quotes it: whole, or its first 50 characters when it is longer than `most`."""
    return text if len(text) <= most else f"{text[:50]}…"


def _collapse(value: Any) -> Any:
    """Fold line breaks and runs of spaces: a one-line text stays one line in Word."""
    if isinstance(value, str):
        return " ".join(value.split())
    return value


Text = Annotated[
    str,
    BeforeValidator(_collapse),
    Field(min_length=1),
]
"""One line of plain text; line breaks in the YAML become spaces."""


class Markdown(str):
    """Free text in Markdown: paragraphs, lists, **fetstil**, *kursiv*, [länkar](https://...)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_after_validator_function(
            cls._checked, core_schema.str_schema(),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict:
        return {"type": "string", "minLength": 1, "contentMediaType": "text/markdown"}

    @classmethod
    def _checked(cls, value: str) -> "Markdown":
        if not value.strip():
            raise PydanticCustomError("tom_text", "texten får inte vara tom")
        return cls(value.strip("\n"))

    def headings(self) -> list[tuple[str, int]]:
        """Each heading line (`## Bakgrund`, or a line underlined with `===` or `---`) outside code
        blocks, with its level within the text (relative_levels)."""
        found: list[tuple[str, int]] = []
        fence = None
        previous = ""
        for line in self.splitlines():
            opening = re.match(r" {0,3}(`{3,}|~{3,})", line)
            if opening and (fence is None or opening[1].startswith(fence)):
                fence = None if fence else opening[1]
            elif fence is None:
                written = _heading_level(line, previous)
                if written:
                    found.append((line if written > 2 or line.lstrip().startswith("#") else previous, written))
            previous = line if fence is None else ""
        return list(zip((line for line, _ in found), relative_levels([level for _, level in found])))


def relative_levels(written: list[int]) -> list[int]:
    """Heading levels as a text's own outline: the first heading is 1 and none is more than one below
    the one it follows, so '### Bakgrund' alone is 1, and '# A' then '### B' is 1 then 2. This is
    how pipeline/render.py places a Markdown text's headings under its section's own heading."""
    stack: list[tuple[int, int]] = []  # (level written, level within the text)
    levels = []
    for level in written:
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, stack[-1][1] + 1 if stack else 1))
        levels.append(stack[-1][1])
    return levels


def _heading_level(line: str, previous: str) -> int:
    atx = re.match(r" {0,3}(#{1,6})(\s|$)", line)
    if atx:
        return len(atx[1])
    underlined = previous.strip() and not re.match(r" {0,3}([-*+>#]|\d+[.)])(\s|$)", previous)
    if underlined and re.fullmatch(r" {0,3}(=+|-+) *", line):
        return 1 if "=" in line else 2
    return 0


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not match:
        raise PydanticCustomError("datum", "förväntade ett datum skrivet ÅÅÅÅ-MM-DD, till exempel 2017-11-02; fick '{text}'", {"text": text})
    year, month, day = (int(part) for part in match.groups())
    _check_year(year, text)
    if not 1 <= month <= 12:
        raise PydanticCustomError("datum", "'{text}' är inget riktigt datum: månaden ska vara 01–12", {"text": text})
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise PydanticCustomError(
            "datum", "'{text}' är inget riktigt datum: {month} {year} har {days} dagar",
            {"text": text, "month": month_name(month), "year": year, "days": days},
        )
    return date(year, month, day)


YEARS = range(1900, 2200)  # a committee's dates; 0218 or 20018 is a typing slip


def _check_year(year: int, text: str) -> None:
    if year not in YEARS:
        raise PydanticCustomError("datum", "'{text}' är inget rimligt datum: året ska vara mellan {first} och {last}",
                                  {"text": text, "first": YEARS.start, "last": YEARS.stop - 1})


Datum = Annotated[
    date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}),
]
"""A calendar date, written 2017-11-02."""


@dataclass(frozen=True)
class Tidpunkt:
    """A month ('2018-03') or a day ('2018-03-14'), as milestones are planned."""

    år: int
    månad: int
    dag: int | None = None

    def __str__(self) -> str:
        if self.dag is None:
            return f"{month_name(self.månad)} {self.år}"
        return swedish_date(date(self.år, self.månad, self.dag))

    @property
    def första_dag(self) -> date:
        return date(self.år, self.månad, self.dag or 1)

    @property
    def sista_dag(self) -> date:
        return date(self.år, self.månad, self.dag or calendar.monthrange(self.år, self.månad)[1])


def _parse_tidpunkt(value: Any) -> Tidpunkt:
    if isinstance(value, Tidpunkt):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match:
        year, month = int(match[1]), int(match[2])
        _check_year(year, text)
        if not 1 <= month <= 12:
            raise PydanticCustomError("tidpunkt", "'{text}' är ingen riktig månad: månaden ska vara 01–12", {"text": text})
        return Tidpunkt(year, month)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = _parse_date(text)
        return Tidpunkt(day.year, day.month, day.day)
    raise PydanticCustomError("tidpunkt", "förväntade en månad (2018-03) eller ett datum (2018-03-14); fick '{text}'", {"text": text})


MånadEllerDatum = Annotated[
    Tidpunkt,
    BeforeValidator(_parse_tidpunkt),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$"}),
]


MOST_PEOPLE = 1_000_000


@dataclass(frozen=True)
class Deltagare:
    """How many took part: '45', or 'ca 80' when counted roughly."""

    antal: int
    ungefärligt: bool = False

    def __str__(self) -> str:
        return f"{'ca ' if self.ungefärligt else ''}{self.antal} personer"


def _parse_deltagare(value: Any) -> Deltagare:
    if isinstance(value, Deltagare):
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(ca\.?\s+)?(\d+)", text, re.IGNORECASE)
    if not match:
        raise PydanticCustomError("deltagare", "förväntade ett antal personer, till exempel 45 eller 'ca 80'; fick '{text}'",
                                  {"text": shortened(text)})
    # The length first: Python refuses to read a number of over 4,300 digits.
    if len(match[2]) > len(str(MOST_PEOPLE)) or int(match[2]) > MOST_PEOPLE:
        raise PydanticCustomError("deltagare", "{text} personer är fler än någon kommun har; stämmer antalet?",
                                  {"text": shortened(match[2])})
    return Deltagare(int(match[2]), bool(match[1]))


Antal = Annotated[
    Deltagare,
    BeforeValidator(_parse_deltagare),
    WithJsonSchema({"anyOf": [{"type": "integer", "minimum": 0, "maximum": MOST_PEOPLE},
                              {"type": "string", "pattern": r"^(ca\.? +)?\d{1,7}$"}]}),
]


@dataclass(frozen=True)
class Punkt:
    """One content item of a meeting: a text, a labelled text, or a label over a list."""

    text: str | None = None
    etikett: str | None = None
    punkter: tuple[str, ...] = ()


def _parse_punkt(value: Any) -> Punkt:
    if isinstance(value, Punkt):
        return value
    if isinstance(value, str) and value.strip():
        return Punkt(text=_collapse(value))
    if isinstance(value, dict) and len(value) == 1 and _collapse(next(iter(value))):
        (label, content), = value.items()
        if isinstance(content, str) and content.strip():
            return Punkt(text=_collapse(content), etikett=_collapse(label))
        if isinstance(content, list) and content and all(isinstance(c, str) and c.strip() for c in content):
            return Punkt(etikett=_collapse(label), punkter=tuple(_collapse(c) for c in content))
    raise PydanticCustomError(
        "punkt",
        "förväntade en punkt: en text ('- Nuläget'), en etikett med text ('- Besök: Arbetsförmedlingen') "
        "eller en etikett med en lista under sig",
    )


InnehållsPunkt = Annotated[
    Punkt,
    BeforeValidator(_parse_punkt),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object", "minProperties": 1, "maxProperties": 1,
                "additionalProperties": {"anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                ]},
            },
        ],
        "description": "En punkt: text, 'Etikett: text' eller 'Etikett:' med en lista under.",
    }),
]


Id = Annotated[
    str,
    Field(pattern=r"^[a-z0-9åäö][a-z0-9åäö-]*$"),
]
"""A short name other sources refer to: lower-case letters, digits and hyphens."""


def swedish_date(day: date) -> str:
    """'2 november 2017', as dates are written in Swedish prose."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def short_date(day: date) -> str:
    """'23/3', as in the compilation table."""
    return format_date(day, "d/M", locale=LOCALE)


def genitive(name: str) -> str:
    """'Tranemo kommuns', 'Borås': Swedish adds -s, except to a name that ends in s, x or z."""
    return name if name[-1:].casefold() in ("s", "x", "z") else f"{name}s"


def folder_name(text: str) -> str:
    """A name for files and folders: 'Miljöpartiet de gröna' → 'miljopartiet-de-grona'."""
    plain = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "grupp"


class Bildfil(str):
    """A picture in the sources folder (a logo), given as a path relative to that folder."""

    SUFFIXES = (".png", ".jpg", ".jpeg")

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_after_validator_function(cls._checked, core_schema.str_schema())

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict:
        return {"type": "string", "pattern": r"^[^/\\].*\.(png|jpe?g)$"}

    @classmethod
    def _checked(cls, value: str) -> "Bildfil":
        path = value.strip().replace("\\", "/")
        if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in path.split("/"):
            raise PydanticCustomError("fil", "'{path}' ska vara en sökväg inuti källmappen, som 'bilder/logotyp.png' "
                                             "(inte börja med / och inte innehålla ..)", {"path": value})
        if not path.lower().endswith(cls.SUFFIXES):
            raise PydanticCustomError("fil", "'{path}' ska vara en bild i PNG- eller JPEG-format (.png, .jpg)",
                                      {"path": value})
        return cls(path)


# --- Swedish typography -----------------------------------------------------------

NO_BREAK = "\u00a0"  # between a number and its unit, so "10 000 kr" never breaks at a line's end
QUOTATION_MARKS = "\"'”“„«»‘’›‹"


def kronor(amount: int) -> str:
    """'10 000 kr': Babel's Swedish digit groups, and a no-break space before the unit."""
    return f"{format_decimal(amount, locale=LOCALE)}{NO_BREAK}kr"


def quoted(text: str) -> str:
    """A quotation in Swedish quotation marks (”…”): added where the text has none, put right where
    it is typed with its own ("…" or “…”), never doubled."""
    text = text.strip()
    if len(text) > 1 and text[0] in QUOTATION_MARKS and text[-1] in QUOTATION_MARKS:
        text = text[1:-1].strip()
    return f"”{text}”"
