"""`beredning import-survey FILE --sources DIR [--dialog ID]`: a form export becomes a dialogue's
survey results in medborgardialoger.yaml.

A form export (Microsoft Forms, Google Forms, Netigate, Survey & Report) has one
row per respondent and one column per question, as CSV or XLSX. The columns
that say who answered (name, e-mail, respondent id, IP address, start and end
time, ...) are dropped as the file is read and never written anywhere; only
the earliest date of a time column is kept, as a new dialogue's date. Closed
questions are counted; the answers to open questions are kept as anonymous
voices. The result replaces the dialogue's `resultat.enkät` as a whole, so
importing the same file twice changes nothing. The rest of the file, with the
secretary's comments, stays as it was (ruamel.yaml's round trip).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .errors import BeredningError, SourceErrors, shown_path
from .model import Medborgardialoger
from .publish import write_atomically
from .values import TO_FILL_IN

# Header words of the columns that identify a respondent, as the common form tools write them
# (Swedish and English). Matched against the whole header, lower-cased, without punctuation.
PERSONAL = re.compile(
    r"(id|svars ?id|respondent( ?id| ?nummer)?|response ?id|namn|name|för ?namn|efter ?namn|full ?name|first ?name|"
    r"last ?name|e ?post( ?adress)?|e ?mail( ?address)?|email|mail|ip|ip ?adress|ip ?address|start ?tid|slut ?tid|"
    r"start ?time|end ?time|start ?date|end ?date|completion ?time|tid för slutförande|tid ?stämpel|tidsstämpel|"
    r"timestamp|submitted( ?at)?|submission ?date|senast ändrad|tidpunkt för senaste ändring|last ?modified( ?time)?|"
    r"telefon( ?nummer)?|phone( ?number)?|mobil( ?nummer)?|personnummer|adress|address|svarsdatum|datum för svar|"
    r"user ?agent|referer|token|språk|language|status|källa|source)")
TIME_COLUMNS = re.compile(r"tid|time|date|datum|stämpel")
MOST_CLOSED_ANSWERS = 12  # more different answers than this is an open question
LONGEST_CLOSED_ANSWER = 60


@dataclass
class Imported:
    """What an import did, for the CLI to tell."""

    dialogue: str
    created: bool
    respondents: int
    closed: int
    open: int
    dropped: list[str]
    changed: bool = True


def import_survey(export: Path, sources: Path, dialogue: str | None = None) -> Imported:
    if not sources.is_dir():
        raise BeredningError(f"{shown_path(sources)}: mappen med källfiler finns inte")
    headers, rows = read_export(export)
    questions = [i for i, header in enumerate(headers) if not is_personal(header)]
    dropped = [headers[i] for i in range(len(headers)) if i not in questions]
    if not questions:
        raise BeredningError(f"{shown_path(export)}: filen har inga frågor, bara kolumner om vem som svarade "
                             f"({', '.join(dropped)})")
    asked = [_question(headers[i], [row[i] if i < len(row) else "" for row in rows]) for i in questions]
    # A question nobody answered says nothing in a document: left out.
    survey = {"fil": export.name, "antal_svar": len(rows), "frågor": [q for q in asked if q.get("svar") or q.get("röster")]}
    ident = dialogue or _slug(export.stem)
    created, changed = _write(sources / Medborgardialoger.fil, ident, survey, _first_day(headers, rows, dropped))
    kinds = [question for question in survey["frågor"] if "svar" in question]
    return Imported(ident, created, len(rows), len(kinds), len(survey["frågor"]) - len(kinds), dropped, changed)


# --- reading the export ---------------------------------------------------------

def read_export(path: Path) -> tuple[list[str], list[list[object]]]:
    """The header row and the answer rows of a CSV or XLSX file."""
    if not path.is_file():
        raise BeredningError(f"{shown_path(path)}: filen finns inte")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        table = _xlsx(path)
    elif path.suffix.lower() in (".csv", ".txt"):
        text = _decoded(path.read_bytes())
        table = list(csv.reader(io.StringIO(text), _dialect(text)))
    else:
        raise BeredningError(f"{shown_path(path)}: okänt filformat; väntade en CSV- eller XLSX-fil från enkätverktyget")
    table = [row for row in table if any(_text(cell) for cell in row)]
    if len(table) < 1:
        raise BeredningError(f"{shown_path(path)}: filen är tom")
    headers = [" ".join(_text(cell).split()) or f"Kolumn {i + 1}" for i, cell in enumerate(table[0])]
    return headers, table[1:]


def _xlsx(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook  # only an XLSX import needs it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise BeredningError(f"{shown_path(path)}: filen kunde inte läsas som XLSX ({error})") from error
    try:
        return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    finally:
        book.close()


def _decoded(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark, as Excel and Forms write it), UTF-16 with one, else
    Windows-1252, as older Swedish Excel saves 'CSV (semikolonavgränsad)'."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """Semicolons (Swedish Excel), commas or tabs, whichever the header line is cut by."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        first = text.splitlines()[0] if text else ""
        delimiter = max(";,\t", key=first.count)
        return type("Found", (csv.excel,), {"delimiter": delimiter})


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return unicodedata.normalize("NFC", str(cell)).strip()


def is_personal(header: str) -> bool:
    """A column that says who answered, by its header, as the common form tools name it."""
    words = " ".join(re.sub(r"[^\w ]+", " ", header.lower()).split())
    return bool(PERSONAL.fullmatch(words))


# --- counting ------------------------------------------------------------------

def _question(header: str, cells: list[object]) -> dict:
    answers = [" ".join(_text(cell).split()) for cell in cells]
    answers = [answer for answer in answers if answer]
    if _closed(answers):
        counts = Counter(part for answer in answers for part in _choices(answer, answers))
        return {"fråga": header, "svar": [{"svar": answer, "antal": count} for answer, count in _ordered(counts)]}
    return {"fråga": header, "röster": answers}


def _closed(answers: list[str]) -> bool:
    """Few different, short answers, each given more than once on average: a closed question."""
    different = set(answers)
    return (bool(answers) and len(different) <= MOST_CLOSED_ANSWERS
            and all(len(answer) <= LONGEST_CLOSED_ANSWER for answer in different)
            and (len(different) < len(answers) or len(answers) <= 2))


def _choices(answer: str, answers: list[str]) -> list[str]:
    """Microsoft Forms writes a multiple-choice answer as 'A;B;'."""
    if all(a.endswith(";") for a in answers):
        return [part.strip() for part in answer.split(";") if part.strip()]
    return [answer]


def _ordered(counts: Counter) -> list[tuple[str, int]]:
    """A scale (1–5) in its own order; other answers the most common first."""
    if all(re.fullmatch(r"-?\d+([.,]\d+)?", answer) for answer in counts):
        return sorted(counts.items(), key=lambda item: float(item[0].replace(",", ".")))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _first_day(headers: list[str], rows: list[list[object]], dropped: list[str]) -> date:
    """The earliest day in a time column: a new dialogue's date; the export's time columns are not kept."""
    days = []
    for i, header in enumerate(headers):
        if header in dropped and TIME_COLUMNS.search(header.lower()):
            for row in rows:
                cell = row[i] if i < len(row) else None
                if isinstance(cell, datetime):
                    days.append(cell.date())
                elif match := re.search(r"(\d{4})-(\d{2})-(\d{2})", _text(cell)):
                    try:
                        days.append(date(*map(int, match.groups())))
                    except ValueError:
                        pass
    return min(days, default=date.today())


def _slug(text: str) -> str:
    """An id from the file name: 'Enkät unga 2027.csv' → 'enkät-unga-2027'."""
    slug = re.sub(r"[^\w]+", "-", unicodedata.normalize("NFC", text).lower()).strip("-_")
    return re.sub(r"_", "-", slug) or "enkat"


# --- writing medborgardialoger.yaml ----------------------------------------------

def _write(path: Path, ident: str, survey: dict, first_day: date) -> tuple[bool, bool]:
    """Put the survey into the dialogue `ident` (a new one if there is none); check the whole file as
    `beredning check` would before it replaces the old one. Whether the dialogue is new, and whether
    the file changed."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    old = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
    if old is not None:  # a file with mistakes is mended first: nothing is written into it until then
        _check(path, old)
    data = yaml.load(old) if old is not None else None
    if data is None:
        data = CommentedMap()
        data.yaml_set_start_comment(f"yaml-language-server: $schema=schema/{Medborgardialoger.fil.replace('.yaml', '.schema.json')}")
    if not isinstance(data, dict):
        raise BeredningError(f"{shown_path(path)}: filen ska bestå av nycklar och värden (dialoger: ...)")
    dialogues = data.get("dialoger")
    if not isinstance(dialogues, list) or not dialogues:
        dialogues = CommentedSeq()
        data["dialoger"] = dialogues
    found = next((d for d in dialogues if isinstance(d, dict) and str(d.get("id")) == ident), None)
    created = found is None
    if created:
        found = CommentedMap([("id", ident), ("rubrik", f"{TO_FILL_IN}: enkätens rubrik"),
                              ("datum", first_day.isoformat()), ("metod", "enkät")])
        dialogues.append(found)
    if found.get("antal_deltagare") in (None, ""):
        found["antal_deltagare"] = survey["antal_svar"]
    results = found.get("resultat")
    if not isinstance(results, dict):
        results = found["resultat"] = CommentedMap()
    if not created and _plain(results.get("enkät")) == _plain(survey):
        return False, False  # the same answers again: the file is left exactly as it is
    results["enkät"] = survey
    text = io.StringIO()
    yaml.dump(data, text)
    _check(path, text.getvalue())
    write_atomically(path, text.getvalue().encode("utf-8"))
    return created, True


def _plain(value: object) -> object:
    """ruamel's commented containers as plain data, for comparing."""
    return json.loads(json.dumps(value, default=str))


def _check(path: Path, text: str) -> None:
    """The new file, read and validated as the build reads it; the old file stays if it has a mistake."""
    from .validate import read_sources

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / path.name).write_text(text, encoding="utf-8")
        sources = read_sources(Path(folder))
    if sources.problems:
        raise SourceErrors([dataclasses.replace(problem, file=shown_path(path)) for problem in sources.problems])
