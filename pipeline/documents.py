"""The documents the pipeline makes: each one's template, the sources it is built from,
and the facts about it (title, author, date) that a PDF and a web page need.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .model import (Forslag, Handlingsplan, Källa, Medborgardialog, Medborgardialoger, Overlamnande, Sammankomster,
                    Uppdrag, Vagledning)
from .options import PACKAGE
from .values import swedish_date


@dataclass(frozen=True)
class Facts:
    """What a reader sees of a document besides its body, taken from the sources."""

    title: str
    author: str
    subject: str
    date: date
    municipality: str = ""
    committee: str = ""
    subtitle: str = ""
    registration: str = ""
    landscape: bool = False
    toc: bool = False
    titlepage: bool = False
    draft: bool = False

    def as_inputs(self) -> dict[str, str]:
        """The facts as plain strings, for Typst's sys.inputs and pandoc's metadata."""
        inputs = {key: str(value) for key, value in asdict(self).items() if not isinstance(value, bool)}
        inputs.update({key: "ja" if value else "nej" for key, value in asdict(self).items() if isinstance(value, bool)})
        inputs["date"] = swedish_date(self.date)
        return inputs


Sources = dict[str, Källa]


@dataclass(frozen=True)
class Document:
    """One output document: `<name>.docx` (and .pdf, .html), made from `templates/<name>.docx`."""

    name: str
    title: str
    needs: tuple[type[Källa], ...]
    facts: Callable[[Sources], Facts]
    uses: tuple[type[Källa], ...] = ()
    # A document made once per item ('aterkoppling/<dialog>'): each copy's name and its own template values.
    each: Callable[[Sources], list[tuple[str, dict[str, Any]]]] | None = None
    # The source whose items the copies are made of: each copy gets its own item, never the whole
    # file, so a changed dialogue rebuilds its own letter only and a letter's work does not grow
    # with the number of dialogues.
    item_of: type[Källa] | None = None
    to_party_groups: bool = True

    def output(self, suffix: str = ".docx") -> str:
        return f"{self.name}{suffix}"

    def copies(self, sources: Sources) -> list[tuple[str, dict[str, Any]]]:
        """(output name without suffix, template values) for every copy of the document."""
        if not self.each:
            return [(self.name, dict(sources))]
        shared = {name: source for name, source in sources.items()
                  if self.item_of is None or name != context_name(self.item_of)}
        return [(name, {**shared, **own}) for name, own in self.each(sources)]

    def template(self, templates: Path) -> Path:
        return templates / f"{self.name}.docx"

    def missing(self, present: dict[str, Källa]) -> list[str]:
        return [model.fil for model in self.needs if model.fil not in present]


def context_name(model: type[Källa]) -> str:
    """The name a template uses for a source file: its file name without '.yaml'."""
    return model.fil.removesuffix(".yaml")


def named_sources(models: dict[str, Källa]) -> Sources:
    """The sources by the names templates use for them."""
    return {context_name(type(model)): model for model in models.values()}


def document_named(name: str) -> "Document":
    return next(document for document in DOCUMENTS if document.name == name)


def _assignment_facts(s: Sources) -> Facts:
    uppdrag: Uppdrag = s["uppdrag"]
    return Facts(title=uppdrag.rubrik, author=uppdrag.beredning, subject=uppdrag.ämne, date=uppdrag.datum,
                 municipality=uppdrag.kommun,
                 committee=uppdrag.beredning, registration=uppdrag.diarienummer or "")


def _compilation_facts(s: Sources) -> Facts:
    meetings: Sammankomster = s["sammankomster"]
    uppdrag: Uppdrag | None = s.get("uppdrag")
    committee = uppdrag.beredning if uppdrag else meetings.beredning
    return Facts(title=meetings.rubrik, author=committee, subject="Sammanställning av beredningens arbete",
                 date=meetings.alla[-1].datum, committee=committee,
                 municipality=uppdrag.kommun if uppdrag else "", landscape=True)


DRAFT = "UTKAST"


def handover_is_draft(s: Sources) -> bool:
    """The handover is final once the proposal has its goals and the handover its date; before that,
    whatever sources exist make a draft, so the party groups can be prepared in time."""
    proposal: Forslag | None = s.get("forslag")
    handover: Overlamnande | None = s.get("overlamnande")
    return not (proposal and proposal.mål and handover and handover.datum)


def _handover_facts(s: Sources) -> Facts:
    uppdrag: Uppdrag = s["uppdrag"]
    meetings: Sammankomster = s["sammankomster"]
    handover: Overlamnande | None = s.get("overlamnande")
    draft = handover_is_draft(s)
    # A draft is dated by the record's last meeting, never by the clock: the same sources make the same file.
    when = handover.datum if handover and handover.datum else meetings.alla[-1].datum
    registration = (handover.diarienummer if handover else None) or uppdrag.diarienummer or "–"
    return Facts(title=f"{DRAFT}: {uppdrag.ämne}" if draft else uppdrag.ämne,
                 subtitle="Beredningens förslag till kommunfullmäktige", author=uppdrag.beredning,
                 subject="Beredningens förslag till kommunfullmäktige", date=when,
                 municipality=uppdrag.kommun, committee=uppdrag.beredning,
                 registration=registration, toc=True, titlepage=True, draft=draft)


def _plan_facts(s: Sources) -> Facts:
    uppdrag: Uppdrag | None = s.get("uppdrag")
    plan: Handlingsplan = s["handlingsplan"]
    committee = uppdrag.beredning if uppdrag else "Beredningen"
    return Facts(title=f"Handlingsplan för {committee}", author=committee, subject=uppdrag.ämne if uppdrag else "",
                 date=plan.datum, municipality=uppdrag.kommun if uppdrag else "", committee=committee)


def _guidance_facts(s: Sources) -> Facts:
    uppdrag: Uppdrag = s["uppdrag"]
    material: Vagledning = s["vagledning"]
    return Facts(title="Underlag inför vägledningsdebatten", subtitle=uppdrag.ämne, author=uppdrag.beredning,
                 subject=uppdrag.ämne, date=material.datum, municipality=uppdrag.kommun,
                 committee=uppdrag.beredning, registration=uppdrag.diarienummer or "")


def _feedback_facts(s: Sources) -> Facts:
    uppdrag: Uppdrag = s["uppdrag"]
    dialogue: Medborgardialog = s["dialog"]
    feedback = dialogue.återkoppling
    # The feedback's day as given or planned; before either, the dialogue's own: never the clock.
    day = (feedback and (feedback.datum or feedback.planerad)) or dialogue.datum
    return Facts(title=f"Återkoppling: {dialogue.rubrik}", author=uppdrag.beredning,
                 subject=f"Återkoppling till dem som deltog i {dialogue.rubrik}", date=day,
                 municipality=uppdrag.kommun, committee=uppdrag.beredning)


def _so_far(s: Sources) -> list[tuple[str, dict[str, Any]]]:
    """The guidance material tells the work up to the day it is sent."""
    material: Vagledning = s["vagledning"]
    record: Sammankomster = s["sammankomster"]
    dialogues: Medborgardialoger | None = s.get("medborgardialoger")
    return [("underlag-vagledningsdebatt", {
        "hittills": [m for m in record.alla if m.datum <= material.datum],
        "dialoger_hittills": [d for d in (dialogues.dialoger if dialogues else []) if d.datum <= material.datum]})]


def _each_dialogue(s: Sources) -> list[tuple[str, dict[str, Any]]]:
    dialogues: Medborgardialoger = s["medborgardialoger"]
    return [(f"aterkoppling/{dialogue.id}", {"dialog": dialogue}) for dialogue in dialogues.dialoger]


DOCUMENTS: tuple[Document, ...] = (
    Document("uppdrag", "uppdraget", (Uppdrag,), _assignment_facts),
    Document("sammanstallning", "sammanställningen av beredningens arbete", (Sammankomster,), _compilation_facts,
             uses=(Uppdrag,)),
    Document("overlamnande", "överlämnandet", (Uppdrag, Sammankomster), _handover_facts,
             uses=(Medborgardialoger, Forslag, Overlamnande)),
    # The phases' own documents go out in their phase, not in the handover's packages to the party groups.
    Document("handlingsplan", "handlingsplanen", (Handlingsplan,), _plan_facts, uses=(Uppdrag,),
             to_party_groups=False),
    Document("underlag-vagledningsdebatt", "underlaget inför vägledningsdebatten", (Uppdrag, Sammankomster, Vagledning),
             _guidance_facts, uses=(Medborgardialoger,), each=_so_far, to_party_groups=False),
    Document("aterkoppling", "återkopplingen till deltagarna", (Uppdrag, Medborgardialoger), _feedback_facts,
             each=_each_dialogue, item_of=Medborgardialoger, to_party_groups=False),
)


@functools.cache
def _file_digest(path: Path, mtime_ns: int, size: int) -> bytes:
    """A file's hash, read once per run: every plan shares the pipeline's code and the 15 MB of fonts."""
    return hashlib.sha256(path.read_bytes()).digest()


def fingerprint(parts: list[Path], sources: list[Källa], extra: dict) -> str:
    """What an output is made from: the pipeline's code, template files, the validated sources.

    The sources count by their content, not their bytes, so a new comment or
    a re-indented line in a YAML file rebuilds nothing.
    """
    digest = hashlib.sha256()
    for path in [*sorted(PACKAGE.glob("*.py")), *sorted(PACKAGE.glob("lua/*.lua")), *parts]:
        stat = path.stat()
        digest.update(_file_digest(path, stat.st_mtime_ns, stat.st_size))
    for source in sources:
        digest.update(source.model_dump_json().encode("utf-8"))
    digest.update(json.dumps(extra, sort_keys=True, default=str).encode("utf-8"))
    return digest.hexdigest()
