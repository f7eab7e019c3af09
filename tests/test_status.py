"""`beredning status`: where the committee stands, as the secretary reads it in a terminal and as JSON."""

from __future__ import annotations

import json

from pipeline.errors import shown_path
from support import SOURCES, run_cli


def test_the_example_midway_in_the_process():
    result = run_cli("status", SOURCES, "--idag", "2018-04-01")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:15] == [
        "Trivsel- och trygghetsberedningen: Översyn av Policy för integrationsarbetet",
        "Läget 1 april 2018",
        "",
        "Processhjulet:",
        "  klar  Handlingsplan                       antagen 16 november 2017",
        "  klar  Omvärldsbevakning                   1 studiebesök",
        "  klar  Medborgardialoger                   3 hållna, senast 5 mars 2018",
        "  kvar  Återkoppling till deltagarna        0 av 3 gjorda",
        "  klar  Underlag inför vägledningsdebatten  skickat 5 mars 2018",
        "  klar  Vägledningsdebatt                   mars 2018",
        "  klar  Förslag till övergripande mål       2 mål",
        "  kvar  Förankring i partigrupperna         0 av 5 partigrupper har fått utkastet",
        "  kvar  Överlämnande                        11 juni 2018",
        "  kvar  Överlämningsdebatt                  september 2018",
        "",
    ]
    assert lines[15:19] == [
        "Nästa milstolpe: Överlämnande (juni 2018), om 61 dagar",
        "Återkoppling som återstår: dialogcafe-tranemo, fokusgrupp-unga, enkat-trygghet",
        "Budget exklusive arvoden: 5\u00a0900\u00a0kr använt av 10\u00a0000\u00a0kr, 4\u00a0100\u00a0kr kvar",
        "Varningar: 3",
    ]
    assert lines[19].startswith(f"  {shown_path(SOURCES / 'medborgardialoger.yaml')}:9:5: varning: dialogen 'dialogcafe-tranemo' "
                                "hölls för 52 dagar sedan")


def test_the_example_after_the_handover_as_json():
    result = run_cli("status", SOURCES, "--idag", "2026-12-01", "--json")
    assert result.code == 0, result.err
    status = json.loads(result.out)
    assert status["idag"] == "2026-12-01"
    assert all(phase["klar"] for phase in status["faser"])
    assert [phase["fas"] for phase in status["faser"]][:3] == ["Handlingsplan", "Omvärldsbevakning", "Medborgardialoger"]
    assert status["nästa_milstolpe"] is None
    assert status["återkoppling_skyldig"] == []
    assert status["budget"] == {"budget": 10000, "använt": 5900, "kvar": 4100}
    assert status["varningar"] == []


def test_a_new_committee_has_everything_ahead(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("new", "demokrati").code == 0
    result = run_cli("status", "demokrati", "--json")
    assert result.code == 0, result.err
    status = json.loads(result.out)
    assert [phase["fas"] for phase in status["faser"] if phase["klar"]] == ["Handlingsplan"]
    assert status["budget"] is None
    assert any("fyll i kommunens namn" in warning for warning in status["varningar"])
