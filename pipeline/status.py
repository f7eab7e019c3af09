"""`beredning status`: where the committee stands in the process wheel, as of a day.

The phases are the assignment's standing rules in their order; each is done
when the record shows it, with the day it shows. Then the next milestone and
the days left, the feedback still owed, the budget used and left, and the
rules' warnings. The same facts as JSON (`--json`) for other tools.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from .model import (Forslag, Handlingsplan, Medborgardialoger, Overlamnande, Sammankomster, Uppdrag, Utgifter,
                    Vagledning)
from .process import Rules, feedback_done
from .rules import Checked
from .values import kronor, swedish_date

STONES = {"vägledningsdebatt": "Vägledningsdebatt", "överlämnande": "Överlämnande",
          "överlämningsdebatt": "Överlämningsdebatt"}


@dataclass
class Phase:
    fas: str
    klar: bool
    när: str = ""


@dataclass
class Status:
    beredning: str
    ämne: str
    idag: str
    faser: list[Phase]
    nästa_milstolpe: dict | None
    återkoppling_skyldig: list[str]
    budget: dict | None
    varningar: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return asdict(self)


def committee_status(checked: Checked, today: date) -> Status:
    sources = checked.sources
    assignment: Uppdrag | None = sources.get(Uppdrag)
    record: Sammankomster | None = sources.get(Sammankomster)
    committee = assignment.beredning if assignment else (record.beredning if record else "Beredningen")
    rules = Rules(sources, today)
    return Status(committee, assignment.ämne if assignment else "", today.isoformat(), _phases(rules, today),
                  _next_milestone(assignment, today), _feedback_owed(sources.get(Medborgardialoger), today),
                  _budget(assignment, sources.get(Utgifter)), [str(warning) for warning in checked.warnings])


def _phases(rules: Rules, today: date) -> list[Phase]:
    s = rules.sources
    plan: Handlingsplan | None = s.get(Handlingsplan)
    record: Sammankomster | None = s.get(Sammankomster)
    dialogues: Medborgardialoger | None = s.get(Medborgardialoger)
    material: Vagledning | None = s.get(Vagledning)
    proposal: Forslag | None = s.get(Forslag)
    handover: Overlamnande | None = s.get(Overlamnande)
    assignment: Uppdrag | None = s.get(Uppdrag)
    held = [d for d in (dialogues.dialoger if dialogues else []) if d.datum <= today]
    owed = _feedback_owed(dialogues, today)
    visits = [m for m in (record.studiebesök if record else []) if m.datum <= today]
    groups = handover.partigrupper if handover else []
    got_draft = [g for g in groups if g.fick_utkast and g.fick_utkast <= today]
    stones = dict(assignment.milstolpar.in_order()) if assignment else {}
    debate = stones.get("vägledningsdebatt")
    debate_day = rules.debate_day(debate.tid) if debate else None
    handed_over = handover.datum if handover and handover.datum else None
    planned = stones.get("överlämnande")
    closing = stones.get("överlämningsdebatt")
    return [
        Phase("Handlingsplan", bool(plan and plan.datum <= today), f"antagen {swedish_date(plan.datum)}" if plan else ""),
        Phase("Omvärldsbevakning", bool(visits or (handover and handover.goda_exempel)),
              f"{len(visits)} studiebesök" if visits else ""),
        Phase("Medborgardialoger", bool(held), f"{len(held)} hållna" + (f", senast {swedish_date(held[-1].datum)}"
                                                                        if held else "")),
        Phase("Återkoppling till deltagarna", bool(held) and not owed,
              f"{len(held) - len(owed)} av {len(held)} gjorda" if held else ""),
        Phase("Underlag inför vägledningsdebatten", bool(material and material.datum <= today),
              f"skickat {swedish_date(material.datum)}" if material else ""),
        Phase("Vägledningsdebatt", bool(debate_day and debate_day <= today), str(debate.tid) if debate else ""),
        Phase("Förslag till övergripande mål", bool(proposal and proposal.mål),
              f"{len(proposal.mål)} mål" if proposal and proposal.mål else ""),
        Phase("Förankring i partigrupperna", bool(groups) and len(got_draft) == len(groups),
              f"{len(got_draft)} av {len(groups)} partigrupper har fått utkastet" if groups else ""),
        Phase("Överlämnande", bool(handed_over and handed_over <= today),
              swedish_date(handed_over) if handed_over else str(planned.tid) if planned else ""),
        Phase("Överlämningsdebatt", bool(closing and closing.tid.sista_dag < today), str(closing.tid) if closing else ""),
    ]


def _next_milestone(assignment: Uppdrag | None, today: date) -> dict | None:
    for key, stone in assignment.milstolpar.in_order() if assignment else []:
        if stone.tid.sista_dag >= today:
            return {"milstolpe": STONES[key], "organ": stone.organ or "", "tid": str(stone.tid),
                    "dagar_kvar": max((stone.tid.första_dag - today).days, 0)}
    return None


def _feedback_owed(dialogues: Medborgardialoger | None, today: date) -> list[str]:
    return [d.id for d in (dialogues.dialoger if dialogues else []) if d.datum <= today and not feedback_done(d, today)]


def _budget(assignment: Uppdrag | None, spent: Utgifter | None) -> dict | None:
    if not assignment or assignment.budget_exklusive_arvoden is None:
        return None
    used = spent.summa if spent else 0
    return {"budget": assignment.budget_exklusive_arvoden, "använt": used,
            "kvar": assignment.budget_exklusive_arvoden - used}


def as_text(status: Status) -> str:
    """The status as the secretary reads it in a terminal."""
    lines = [f"{status.beredning}: {status.ämne}" if status.ämne else status.beredning,
             f"Läget {swedish_date(date.fromisoformat(status.idag))}", "", "Processhjulet:"]
    width = max(len(phase.fas) for phase in status.faser)
    for phase in status.faser:
        mark = "klar " if phase.klar else "kvar "
        lines.append(f"  {mark} {phase.fas.ljust(width)}  {phase.när}".rstrip())
    lines.append("")
    stone = status.nästa_milstolpe
    if stone:
        organ = f"{stone['organ']}, " if stone["organ"] else ""
        left = "i dag eller pågår" if stone["dagar_kvar"] == 0 else f"om {stone['dagar_kvar']} dagar"
        lines.append(f"Nästa milstolpe: {stone['milstolpe']} ({organ}{stone['tid']}), {left}")
    else:
        lines.append("Nästa milstolpe: inga fler; alla milstolpar är passerade")
    owed = status.återkoppling_skyldig
    lines.append(f"Återkoppling som återstår: {', '.join(owed)}" if owed else "Återkoppling som återstår: ingen")
    if status.budget:
        b = status.budget
        lines.append(f"Budget exklusive arvoden: {kronor(b['använt'])} använt av {kronor(b['budget'])}, "
                     f"{kronor(b['kvar'])} kvar")
    lines.append(f"Varningar: {len(status.varningar)}" if status.varningar else "Varningar: inga")
    lines += [f"  {warning}" for warning in status.varningar]
    return "\n".join(lines)
