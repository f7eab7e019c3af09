"""Stage 3b: the assignment's standing rules for the committee's work, checked against the record.

The rules are seed 000's ("Följande gäller för beredningsarbetet"): an action
plan first, with training and scanning needs; dialogues with their target
groups and methods; feedback to everyone who took part ("Glöm ej
återkopplingen"); material for the council before the guidance debate; the
party groups prepared in time; a few overarching goals, each resting on what
the work found; expenses within the budget excluding fees; milestones in
order and the work within the assignment's period. Each broken rule is a
warning (an error with --strict) that names the file and line it concerns and
what to do. The thresholds are the sources' own (`uppdrag.processregler`).

`today` decides what is late; it changes warnings only, never a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from .errors import Problem
from .load import Key
from .model import (Forslag, Handlingsplan, Medborgardialog, Medborgardialoger, Overlamnande, Processregler,
                    Sammankomster, Uppdrag, Utgifter, Vagledning)
from .validate import Sources
from .values import Tidpunkt, kronor, swedish_date


def process_warnings(sources: Sources, today: date) -> list[Problem]:
    rules = Rules(sources, today)
    return [*rules.action_plan(), *rules.dialogues(), *rules.guidance_material(), *rules.party_groups(),
            *rules.goals(), *rules.expenses(), *rules.milestones_in_order(), *rules.within_the_period()]


@dataclass
class Rules:
    sources: Sources
    today: date

    @property
    def limits(self) -> Processregler:
        assignment: Uppdrag | None = self.sources.get(Uppdrag)
        return assignment.processregler if assignment else Processregler()

    def warn(self, model, loc: Key, message: str) -> Problem:
        return self.sources.loaded[model.fil].problem(loc, message, warning=True)

    # --- the action plan first ----------------------------------------------------------------------

    def first_dialogue(self) -> tuple[type, Key, date] | None:
        """The first dialogue the record holds: in the dialogues file or as a meeting."""
        found = [(Medborgardialoger, ("dialoger", i), d.datum) for i, d in self.numbered_dialogues()]
        found += [(Sammankomster, loc, meeting.datum) for loc, meeting in meetings(self.sources.get(Sammankomster))
                  if meeting.typ == "medborgardialog"]
        return min(found, key=lambda item: item[2], default=None)

    def action_plan(self) -> Iterator[Problem]:
        plan: Handlingsplan | None = self.sources.get(Handlingsplan)
        first = self.first_dialogue()
        if plan is None:
            if first:
                model, loc, day = first
                yield self.warn(model, loc, f"den första dialogen ({swedish_date(day)}) har ingen handlingsplan "
                                            "före sig; uppdraget: 'Beredningen startar arbetet med att upprätta en "
                                            "handlingsplan' – skriv den i handlingsplan.yaml")
            return
        if first and plan.datum > first[2]:
            yield self.warn(Handlingsplan, ("datum",), f"handlingsplanen antogs {swedish_date(plan.datum)}, efter den "
                                                       f"första dialogen ({swedish_date(first[2])}); den ska komma först")
        for key, what in (("utbildningsbehov", "behovet av utbildning"), ("omvärldsbevakning", "omvärldsanalys")):
            if not getattr(plan, key):
                yield self.warn(Handlingsplan, (), f"handlingsplanen nämner inte {what}; uppdraget: 'där behovet av "
                                                   f"utbildning och omvärldsanalys tillgodoses' – skriv '{key}:'")

    # --- dialogues: groups, methods and feedback --------------------------------------------------------

    def numbered_dialogues(self) -> list[tuple[int, Medborgardialog]]:
        dialogues: Medborgardialoger | None = self.sources.get(Medborgardialoger)
        return list(enumerate(dialogues.dialoger)) if dialogues else []

    def dialogues(self) -> Iterator[Problem]:
        handover: Overlamnande | None = self.sources.get(Overlamnande)
        for i, dialogue in self.numbered_dialogues():
            at = ("dialoger", i)
            if not dialogue.målgrupper:
                yield self.warn(Medborgardialoger, at, f"dialogen '{dialogue.id}' nämner inga målgrupper; uppdraget: "
                                                      "'olika grupper och dialogmetoder identifieras' – skriv 'målgrupper:'")
            feedback = dialogue.återkoppling
            done = feedback_done(dialogue, self.today)
            if dialogue.datum > self.today:
                if not (feedback and (feedback.planerad or feedback.datum)):
                    yield self.warn(Medborgardialoger, at, f"dialogen '{dialogue.id}' ({swedish_date(dialogue.datum)}) "
                                                          "har ingen planerad återkoppling; planera den innan dialogen "
                                                          "hålls ('återkoppling: planerad: ÅÅÅÅ-MM-DD')")
            elif done is None:
                days = (self.today - dialogue.datum).days
                yield self.warn(Medborgardialoger, at, f"dialogen '{dialogue.id}' hölls för {days} "
                                                      f"{'dag' if days == 1 else 'dagar'} sedan och har ingen gjord "
                                                      "återkoppling ännu – glöm ej återkopplingen till dem som deltog")
            given = feedback.datum if feedback else None
            if handover and handover.datum and given and given > handover.datum:
                yield self.warn(Medborgardialoger, at + ("återkoppling", "datum"),
                                f"återkopplingen från dialogen '{dialogue.id}' ges efter överlämnandet "
                                f"({swedish_date(handover.datum)}); den ska vara gjord före")

    # --- the material before the guidance debate ----------------------------------------------------

    def guidance_material(self) -> Iterator[Problem]:
        assignment: Uppdrag | None = self.sources.get(Uppdrag)
        debate = assignment.milstolpar.vägledningsdebatt if assignment else None
        if debate is None:
            return
        material: Vagledning | None = self.sources.get(Vagledning)
        day = self.debate_day(debate.tid)
        if material is None:
            if self.today >= day:
                yield self.warn(Uppdrag, ("milstolpar", "vägledningsdebatt"),
                                f"inget underlag inför vägledningsdebatten ({debate.tid}); uppdraget: 'Presentera ett "
                                "underlag inför vägledningsdebatten' – skriv det i vagledning.yaml")
        elif material.datum >= day:
            yield self.warn(Vagledning, ("datum",), f"underlaget skickades {swedish_date(material.datum)}, men "
                                                    f"vägledningsdebatten är {swedish_date(day)}; det ska ut före, "
                                                    "så att ledamöterna kan förbereda sig")

    def debate_day(self, planned: Tidpunkt) -> date:
        """The guidance debate's day: the milestone's, or, when it names only a month, the day the record
        holds a meeting on the guidance debate in that month, else the month's last day."""
        if planned.dag:
            return planned.första_dag
        held = [meeting.datum for _, meeting in meetings(self.sources.get(Sammankomster))
                if planned.första_dag <= meeting.datum <= planned.sista_dag
                and "vägledningsdebatt" in (meeting.rubrik or "").lower()]
        return min(held, default=planned.sista_dag)

    # --- the party groups prepared in time -------------------------------------------------------------

    def handover_day(self) -> date | None:
        handover: Overlamnande | None = self.sources.get(Overlamnande)
        assignment: Uppdrag | None = self.sources.get(Uppdrag)
        if handover and handover.datum:
            return handover.datum
        stone = assignment.milstolpar.överlämnande if assignment else None
        return stone.tid.första_dag if stone else None

    def party_groups(self) -> Iterator[Problem]:
        handover: Overlamnande | None = self.sources.get(Overlamnande)
        day = self.handover_day()
        if not handover or day is None:
            return
        days = self.limits.dagar_före_överlämnande
        deadline = day - timedelta(days=days)
        for i, group in enumerate(handover.partigrupper):
            at = ("partigrupper", i)
            if group.fick_utkast is None:
                if self.today >= deadline:
                    yield self.warn(Overlamnande, at, f"partigruppen '{group.parti}' har inte fått utkastet; det skulle "
                                                      f"ha gått ut senast {swedish_date(deadline)}, {days} dagar före "
                                                      f"överlämnandet – skriv 'fick_utkast:' när det är gjort")
            elif group.fick_utkast > deadline:
                ahead = (day - group.fick_utkast).days
                yield self.warn(Overlamnande, at + ("fick_utkast",),
                                f"partigruppen '{group.parti}' fick utkastet {ahead} dagar före överlämnandet; uppdraget "
                                f"vill att gruppledarna förbereds i tid, minst {days} dagar före "
                                f"(senast {swedish_date(deadline)})")

    # --- a few overarching goals, each resting on the work ---------------------------------------------

    def goals(self) -> Iterator[Problem]:
        proposal: Forslag | None = self.sources.get(Forslag)
        if not proposal:
            return
        most = self.limits.högst_mål
        if len(proposal.mål) > most:
            yield self.warn(Forslag, ("mål",), f"förslaget har {len(proposal.mål)} mål; uppdraget säger att "
                                               "slutförslaget bara ska innehålla ett fåtal övergripande mål "
                                               f"(högst {most})")
        for i, goal in enumerate(proposal.mål):
            if not goal.underlag:
                yield self.warn(Forslag, ("mål", i), f"målet '{goal.id}' vilar inte på någon dialog, något tema, "
                                                     "område eller gott exempel; skriv vad det bygger på under 'underlag:'")

    # --- expenses within the budget -------------------------------------------------------------------

    def expenses(self) -> Iterator[Problem]:
        spent: Utgifter | None = self.sources.get(Utgifter)
        assignment: Uppdrag | None = self.sources.get(Uppdrag)
        budget = assignment.budget_exklusive_arvoden if assignment else None
        if not spent or budget is None or spent.summa <= budget:
            return
        yield self.warn(Utgifter, ("utgifter", len(spent.utgifter) - 1),
                        f"utgifterna är {kronor(spent.summa)}, {kronor(spent.summa - budget)} över budgeten exklusive "
                        f"arvoden ({kronor(budget)})")

    # --- the process wheel's order and the assignment's period ------------------------------------------

    def milestones_in_order(self) -> Iterator[Problem]:
        assignment: Uppdrag | None = self.sources.get(Uppdrag)
        order = assignment.milstolpar.in_order() if assignment else []
        for (before, a), (after, b) in zip(order, order[1:]):
            if b.tid.första_dag < a.tid.första_dag:
                yield self.warn(Uppdrag, ("milstolpar", after, "tid"),
                                f"{after} ({b.tid}) kommer före {before} ({a.tid}); processen går i ordningen "
                                "vägledningsdebatt, överlämnande, överlämningsdebatt")

    def within_the_period(self) -> Iterator[Problem]:
        assignment: Uppdrag | None = self.sources.get(Uppdrag)
        if not assignment or assignment.slut is None:
            return
        start, end = assignment.datum, assignment.slut
        period = f"uppdragets tid, {swedish_date(start)}–{swedish_date(end)}"
        dated = [(Sammankomster, loc, meeting.datum, "sammankomsten")
                 for loc, meeting in meetings(self.sources.get(Sammankomster))]
        dated += [(Medborgardialoger, ("dialoger", i), d.datum, f"dialogen '{d.id}'") for i, d in self.numbered_dialogues()]
        spent: Utgifter | None = self.sources.get(Utgifter)
        dated += [(Utgifter, ("utgifter", i), item.datum, "utgiften") for i, item in
                  enumerate(spent.utgifter if spent else [])]
        for model, loc, day, what in dated:
            if not start <= day <= end:
                yield self.warn(model, loc, f"{what} {swedish_date(day)} ligger utanför {period}; stämmer datumet?")


def feedback_done(dialogue: Medborgardialog, today: date) -> date | None:
    """The day the dialogue's feedback was given, if that day has come; a later day is a plan."""
    given = dialogue.återkoppling.datum if dialogue.återkoppling else None
    return given if given and given <= today else None


def meetings(record: Sammankomster | None):
    """Every meeting with its place in sammankomster.yaml."""
    if not record:
        return
    for p, period in enumerate(record.perioder):
        for m, meeting in enumerate(period.sammankomster):
            yield ("perioder", p, "sammankomster", m), meeting
