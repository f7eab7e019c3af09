"""Stage 3: the checks that span files; the assignment's process rules are pipeline/process.py.

Ids are unique across all sources, references resolve, meetings stand in date
order, every party group gets a package of its own, and pictures lie inside
the sources folder.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


from .errors import Problem, SourceErrors
from .load import Key
from .documents import DOCUMENTS
from .model import Forslag, Medborgardialoger, Overlamnande, Sammankomster, texts
from .pictures import PictureProblem, checked_picture
from .privacy import personal_data_warnings
from .process import meetings, process_warnings
from .validate import Sources, did_you_mean
from .values import TO_FILL_IN, Bildfil, Markdown, folder_name, shortened

MOST_HEADING_LEVELS = 3


@dataclass
class Checked:
    """The validated sources with everything the rules worked out: the titles of every id."""

    sources: Sources
    titles: dict[str, str] = field(default_factory=dict)
    pictures: dict[str, Path] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)


def check_rules(sources: Sources, strict: bool = False, today: date | None = None) -> Checked:
    """Run every cross-file rule on the files that are valid, and the assignment's process rules as of
    `today`; raise with all problems at once. A strict check counts every warning as a problem."""
    checked = Checked(sources)
    problems: list[Problem] = list(sources.problems)
    problems += _collect_ids(sources, checked.titles)
    problems += _meeting_references(sources)
    problems += _goal_references(sources, checked.titles)
    problems += _meetings_in_date_order(sources)
    problems += _distribution(sources)
    problems += _pictures_inside_the_sources(sources, checked.pictures)
    problems += _headings_in_markdown(sources)
    checked.warnings += [problem for problem in problems if problem.warning]
    problems = [problem for problem in problems if not problem.warning]
    checked.warnings += process_warnings(sources, today or date.today())
    checked.warnings += _still_to_fill_in(sources)
    checked.warnings += personal_data_warnings(sources)
    checked.warnings.sort()
    if strict:
        problems += [dataclasses.replace(warning, warning=False) for warning in checked.warnings]
    if problems:
        raise SourceErrors(problems)
    return checked


def _at(sources: Sources, model, loc: Key, message: str, warning: bool = False) -> Problem:
    return sources.loaded[model.fil].problem(loc, message, warning=warning)


def _identified(sources: Sources):
    """Every (file, location of the id, id, title) that other sources may refer to."""
    dialogues: Medborgardialoger | None = sources.get(Medborgardialoger)
    if dialogues:
        for i, d in enumerate(dialogues.dialoger):
            yield Medborgardialoger, ("dialoger", i, "id"), d.id, d.rubrik
            for j, theme in enumerate(d.resultat.teman):
                if theme.id:  # a theme needs an id only when a goal refers to it
                    yield Medborgardialoger, ("dialoger", i, "resultat", "teman", j, "id"), theme.id, theme.rubrik
    handover: Overlamnande | None = sources.get(Overlamnande)
    if handover:
        for i, area in enumerate(handover.utvärdering):
            yield Overlamnande, ("utvärdering", i, "id"), area.id, area.rubrik
        for i, example in enumerate(handover.goda_exempel):
            yield Overlamnande, ("goda_exempel", i, "id"), example.id, f"{example.rubrik} ({example.kommun})"
    proposal: Forslag | None = sources.get(Forslag)
    if proposal:
        for i, goal in enumerate(proposal.mål):
            yield Forslag, ("mål", i, "id"), goal.id, goal.rubrik


def _collect_ids(sources: Sources, titles: dict[str, str]) -> list[Problem]:
    problems = []
    first: dict[str, str] = {}
    for model, loc, ident, title in _identified(sources):
        where = f"{model.fil} rad {sources.loaded[model.fil].position(loc)[0]}"
        if ident in first:
            problems.append(_at(sources, model, loc, f"id '{ident}' används redan ({first[ident]}); varje id ska vara unikt"))
            continue
        first[ident] = where
        titles[ident] = title
    return problems


def _dangling(sources, model, loc, ident, what: str, known: dict[str, str], target: str,
              warning: bool = False) -> Problem:
    return _at(sources, model, loc, f"hänvisar till {what} '{ident}', som inte finns i {target}"
                                    f"{did_you_mean(ident, list(known))}", warning=warning)


def _meeting_references(sources: Sources) -> list[Problem]:
    dialogues: Medborgardialoger | None = sources.get(Medborgardialoger)
    if sources.unreadable(Medborgardialoger):
        return []
    known = {d.id: d.rubrik for d in dialogues.dialoger} if dialogues else {}
    problems = []
    for loc, meeting in meetings(sources.get(Sammankomster)):
        if meeting.dialog and meeting.dialog not in known and not sources.left_out(meeting.dialog):
            target = Medborgardialoger.fil if dialogues else f"{Medborgardialoger.fil} (filen finns inte ännu)"
            # A file not written yet is a stage of the work, not a mistake: a warning, so drafts build.
            problems.append(_dangling(sources, Sammankomster, loc + ("dialog",), meeting.dialog, "medborgardialogen",
                                      known, target, warning=dialogues is None))
    return problems


def _goal_references(sources: Sources, titles: dict[str, str]) -> list[Problem]:
    proposal: Forslag | None = sources.get(Forslag)
    if not proposal:
        return []
    handover: Overlamnande | None = sources.get(Overlamnande)
    areas = {a.id: a.rubrik for a in handover.utvärdering} if handover else {}
    problems = []
    areas_known = not sources.unreadable(Overlamnande)
    titles_known = not sources.unreadable(Medborgardialoger, Overlamnande)
    for i, goal in enumerate(proposal.mål):
        for j, ident in enumerate(goal.policyområden):
            if areas_known and ident not in areas and not sources.left_out(ident):
                problems.append(_dangling(sources, Forslag, ("mål", i, "policyområden", j), ident, "policyområdet", areas,
                                          f"utvärderingen i {Overlamnande.fil}"
                                          + ("" if handover else " (filen finns inte ännu)"), warning=handover is None))
        for j, ident in enumerate(goal.underlag):
            if titles_known and ident not in titles and not sources.left_out(ident):
                missing = [m.fil for m in (Medborgardialoger, Overlamnande) if sources.get(m) is None]
                problems.append(_dangling(sources, Forslag, ("mål", i, "underlag", j), ident, "underlaget", titles,
                                          "någon källa (dialoger, teman, områden, goda exempel)"
                                          + (f"; {' och '.join(missing)} finns inte ännu" if missing else ""),
                                          warning=bool(missing)))
    return problems




def _meetings_in_date_order(sources: Sources) -> list[Problem]:
    problems = []
    previous: date | None = None
    for loc, meeting in meetings(sources.get(Sammankomster)):
        if previous and meeting.datum < previous:
            problems.append(_at(sources, Sammankomster, loc + ("datum",),
                                f"sammankomsten {meeting.datum.isoformat()} står efter en sammankomst {previous.isoformat()}; "
                                "sammankomsterna ska stå i datumordning – stämmer datumet?"))
        previous = max(previous or meeting.datum, meeting.datum)
    return problems






def _distribution(sources: Sources) -> list[Problem]:
    """Each party group gets a folder of its own; internal documents must be documents that exist."""
    handover: Overlamnande | None = sources.get(Overlamnande)
    if not handover:
        return []
    problems = []
    seen: dict[str, str] = {}
    for i, group in enumerate(handover.partigrupper):
        name = folder_name(group.parti)
        if name in seen:
            problems.append(_at(sources, Overlamnande, ("partigrupper", i, "parti"),
                                f"partigruppen '{group.parti}' står redan i listan (som '{seen[name]}')"))
        seen.setdefault(name, group.parti)
    names = [document.name for document in DOCUMENTS]
    for i, name in enumerate(handover.utskick.interna_dokument):
        if name not in names:
            problems.append(_at(sources, Overlamnande, ("utskick", "interna_dokument", i),
                                f"okänt dokument '{name}'{did_you_mean(name, names)}; dokumenten heter {', '.join(names)}"))
    return problems


def _pictures_inside_the_sources(sources: Sources, found: dict[str, Path]) -> list[Problem]:
    """Every picture a source names, opened and checked (pipeline/pictures.py)."""
    problems = []
    for name, model in sources.models.items():
        pictures = [(loc, text) for loc, text in texts(model) if isinstance(text, Bildfil)]
        for loc, picture in pictures:
            try:
                found[picture] = checked_picture(sources.folder, picture)
            except PictureProblem as problem:
                problems.append(sources.loaded[name].problem(loc, str(problem)))
    return problems


def _headings_in_markdown(sources: Sources) -> list[Problem]:
    """A Markdown text's headings go below the heading of the section the text stands in; three
    levels of them fit below the templates' deepest sections (HTML and PDF/UA know six)."""
    problems = []
    for name, model in sources.models.items():
        for loc, text in texts(model):
            if not isinstance(text, Markdown):
                continue
            for line, level in text.headings():
                if level > MOST_HEADING_LEVELS:
                    where = sources.loaded[name].locate(loc, line.strip())
                    problems.append(Problem(sources.loaded[name].name, *where,
                                            f"rubriken '{shortened(line.strip())}' är textens {level}:e rubriknivå; "
                                            f"en text får ha högst {MOST_HEADING_LEVELS} nivåer (#, ##, ###), som "
                                            "hamnar under avsnittets egen rubrik"))
    return problems


def _still_to_fill_in(sources: Sources) -> list[Problem]:
    """The skeletons of `beredning new` mark what the secretary is to write with 'FYLL I: ...'; each
    one left is a warning, so a new committee builds at once and says what remains."""
    warnings = []
    for name, model in sources.models.items():
        found = list(texts(model))
        for i, (loc, text) in enumerate(found):
            if not text.startswith(TO_FILL_IN):
                continue
            what = text.removeprefix(TO_FILL_IN).lstrip(" :–-")
            if not what and i + 1 < len(found) and found[i + 1][0] == loc:  # a content item's label 'FYLL I: ...'
                what = found[i + 1][1]
            warnings.append(sources.loaded[name].problem(loc, f"fyll i {shortened(' '.join(what.split())) or 'texten'}",
                                                         warning=True))
    return warnings

