"""A synthetic committee of any size for `make bench`: the example's sources with N meetings.

Dialogues and goals grow in proportion, as in a real record: one citizen
dialogue per six meetings (each held as one of the meetings, with themes,
voices and feedback, so each gets its feedback letter), and one proposed
goal per hundred meetings (at least two), each resting on a dialogue.
Meetings fall three days apart, ten to a period.
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
MEETINGS_PER_DIALOGUE = 6
MEETINGS_PER_GOAL = 100


def write_committee(folder: Path, meetings: int) -> Path:
    """The example's sources in `folder` with `meetings` meetings; returns `folder`."""
    shutil.copytree(ROOT / "sources", folder)
    days = [date(2017, 11, 2) + timedelta(days=3 * m) for m in range(meetings)]
    dialogues = [_dialogue(m, days[m]) for m in range(MEETINGS_PER_DIALOGUE - 1, meetings, MEETINGS_PER_DIALOGUE)]
    _write(folder / "sammankomster.yaml", {"exempeldata": True, "perioder": _periods(days)})
    _write(folder / "medborgardialoger.yaml", {"exempeldata": True, "dialoger": dialogues})
    goals = [_goal(g, dialogues[g % len(dialogues)]["id"] if dialogues else None)
             for g in range(max(2, meetings // MEETINGS_PER_GOAL))]
    _write(folder / "forslag.yaml", {"exempeldata": True, "mål": goals,
                                     "beslutsförslag": "Beredningen föreslår att fullmäktige antar *målen*."})
    debate = max(days[len(days) // 3], date(2018, 3, 20))
    _set_timeline(folder, debate, max(days[-1] + timedelta(days=40), debate + timedelta(days=60)), len(goals))
    return folder


def _set_timeline(folder: Path, debate: date, handover: date, goals: int) -> None:
    """Milestones that hold the whole record, so the build's warnings are the example's, not 2,000 of its own."""
    assignment = yaml.safe_load((folder / "uppdrag.yaml").read_text("utf-8"))
    stones = assignment["milstolpar"]
    stones["vägledningsdebatt"]["tid"] = debate.isoformat()
    stones["överlämnande"]["tid"] = handover.isoformat()
    stones["överlämningsdebatt"]["tid"] = (handover + timedelta(days=60)).isoformat()
    assignment.setdefault("processregler", {})["högst_mål"] = max(5, goals)
    _write(folder / "uppdrag.yaml", assignment)
    handover_file = yaml.safe_load((folder / "overlamnande.yaml").read_text("utf-8"))
    handover_file["datum"] = handover.isoformat()
    for group in handover_file.get("partigrupper", []):
        group["fick_utkast"] = (handover - timedelta(days=35)).isoformat()
    _write(folder / "overlamnande.yaml", handover_file)


def _periods(days: list[date]) -> list[dict]:
    periods = []
    for first in range(0, len(days), 10):
        rows = [_meeting(m, days[m]) for m in range(first, min(first + 10, len(days)))]
        periods.append({"rubrik": f"Period {first // 10 + 1}",
                        "beskrivning": f"Periodens *arbete* nummer {first // 10 + 1}.", "sammankomster": rows})
    return periods


def _meeting(m: int, day: date) -> dict:
    if (m + 1) % MEETINGS_PER_DIALOGUE == 0:
        return {"datum": day.isoformat(), "typ": "medborgardialog", "rubrik": f"Dialog nummer {m}",
                "plats": f"Plats {m}", "deltagare": 20 + m % 30, "dialog": f"dialog-{m}"}
    return {"datum": day.isoformat(), "typ": "sammanträde",
            "innehåll": [{"Besök": f"Gäst nummer {m}"}, {"Genomgång": ["Nuläget", f"Punkt {m}"]}],
            "dokument": [f"Dokument {m}"]}


def _dialogue(m: int, day: date) -> dict:
    return {
        "id": f"dialog-{m}", "rubrik": f"Dialog nummer {m}", "datum": day.isoformat(), "plats": f"Plats {m}",
        "metod": "dialogcafé", "målgrupper": ["Unga", "Föreningar"], "antal_deltagare": 20 + m % 30,
        "frågor": [f"Vad vill du ändra, fråga {m}?"],
        "resultat": {"teman": [{"id": f"tema-{m}", "rubrik": f"Tema {m}",
                                "beskrivning": f"Deltagarna sa *mycket* om punkt {m}."}],
                     "röster": [f"Röst nummer {m}."]},
        "återkoppling": {"planerad": (day + timedelta(days=30)).isoformat(),
                         "datum": (day + timedelta(days=30)).isoformat(), "sätt": "Brev",
                         "innehåll": f"Beredningen berättade vad **dialog {m}** gav."},
    }


def _goal(g: int, dialogue: str | None) -> dict:
    return {"id": f"mål-{g}", "rubrik": f"Mål nummer {g}", "motivering": f"Därför *mål* {g}.",
            "underlag": [dialogue] if dialogue else []}


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
