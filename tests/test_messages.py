"""What the secretary reads when a source is wrong: the exact Swedish message, file, line and exit code.

Each case breaks a copy of the example sources after a good build, runs
`beredning build` from the project folder as the secretary would, and checks
that the earlier documents are left exactly as they were.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import SOURCES, copy_sources, run_cli, snapshot


@pytest.fixture
def project(tmp_path, monkeypatch, example_build):
    """A project folder with good sources and a finished build, as the working folder."""
    copy_sources(SOURCES, tmp_path / "sources")
    shutil.copytree(example_build, tmp_path / "build")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` once in a source file; return the 1-based line where it stood."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {path.name}"
    path.write_text(text.replace(old, new), "utf-8")
    return text[: text.index(old)].count("\n") + 1


def build_fails_with(project: Path, *expected: str) -> None:
    """The build stops with exactly these lines, exit code 1, and the build folder untouched."""
    before = snapshot(project / "build")
    result = run_cli("build")
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        *expected, f"{len(expected)} fel i källorna; ingenting har byggts och byggmappen är orörd."]
    assert snapshot(project / "build") == before


def test_an_impossible_date(project):
    line = edit(project / "sources/uppdrag.yaml", "datum: 2017-11-02", "datum: 2017-02-30")
    build_fails_with(project, f"sources/uppdrag.yaml:{line}:8: '2017-02-30' är inget riktigt datum: februari 2017 har 28 dagar")


def test_a_date_in_the_wrong_form(project):
    line = edit(project / "sources/overlamnande.yaml", "datum: 2018-06-11", "datum: 11 juni 2018")
    build_fails_with(project, f"sources/overlamnande.yaml:{line}:8: förväntade ett datum skrivet ÅÅÅÅ-MM-DD, "
                              "till exempel 2017-11-02; fick '11 juni 2018'")


def test_a_misspelt_key_is_named_with_a_suggestion(project):
    line = edit(project / "sources/uppdrag.yaml", "ämne: Översyn", "ämen: Översyn")
    build_fails_with(
        project,
        "sources/uppdrag.yaml:6:1: nyckeln 'ämne' saknas: Uppdragets ämne.",
        f"sources/uppdrag.yaml:{line}:1: okänd nyckel 'ämen' – menade du 'ämne'?",
    )


def test_a_wrong_type(project):
    line = edit(project / "sources/uppdrag.yaml", "budget_exklusive_arvoden: 10000", "budget_exklusive_arvoden: tiotusen")
    build_fails_with(project, f"sources/uppdrag.yaml:{line}:27: förväntade ett heltal, fick 'tiotusen'")


def test_a_list_where_text_belongs(project):
    line = edit(project / "sources/uppdrag.yaml", "ort: Tranemo", "ort: [Tranemo, Limmared]")
    build_fails_with(project, f"sources/uppdrag.yaml:{line}:6: förväntade en text, fick en lista")


def test_a_missing_required_field(project):
    edit(project / "sources/uppdrag.yaml", "ämne: Översyn av Policy för integrationsarbetet\n", "")
    build_fails_with(project, "sources/uppdrag.yaml:6:1: nyckeln 'ämne' saknas: Uppdragets ämne.")


def test_a_missing_field_in_a_list_item_points_at_the_item(project):
    line = edit(project / "sources/overlamnande.yaml", "  - namn: Exempel Ledamot\n    parti: KD\n", "  - namn: Exempel Ledamot\n")
    build_fails_with(project, f"sources/overlamnande.yaml:{line}:5: nyckeln 'parti' saknas: Partiets förkortning, t.ex. 'S'.")


def test_a_value_outside_the_choices(project):
    line = edit(project / "sources/medborgardialoger.yaml", "metod: fokusgrupp", "metod: fokus")
    build_fails_with(project, f"sources/medborgardialoger.yaml:{line}:12: förväntade ett av 'dialogcafé', 'enkät', "
                              "'fokusgrupp', 'workshop', 'intervju', 'öppet möte', 'medborgarpanel', 'webbdialog', "
                              "'studiecirkel', 'annan', fick 'fokus' – menade du 'fokusgrupp'?")


def test_broken_indentation(project):
    line = edit(project / "sources/sammankomster.yaml", "        typ: utbildning", "       typ: utbildning")
    build_fails_with(project, f"sources/sammankomster.yaml:{line}:8: syntaxfel: raden har fel indrag jämfört med raderna ovanför")


def test_a_tab_used_for_indentation(project):
    line = edit(project / "sources/forslag.yaml", "    policyområden: [delaktighet]", "\tpolicyområden: [delaktighet]")
    build_fails_with(project, f"sources/forslag.yaml:{line}:1: syntaxfel: tabbtecken kan inte användas för indrag; använd mellanslag")


def test_a_key_written_twice(project):
    line = edit(project / "sources/uppdrag.yaml", "ort: Tranemo\n", "ort: Tranemo\nort: Limmared\n")
    build_fails_with(project, f"sources/uppdrag.yaml:{line + 1}:1: nyckeln 'ort' står två gånger i samma avsnitt (första gången på rad {line})")


def test_a_dangling_reference(project):
    line = edit(project / "sources/forslag.yaml", "underlag: [dialogcafe-tranemo, mötesplatser,",
                "underlag: [dialogcafe-tranemo, mötesplats,")
    build_fails_with(project, f"sources/forslag.yaml:{line}:36: hänvisar till underlaget 'mötesplats', som inte finns i "
                              "någon källa (dialoger, teman, områden, goda exempel) – menade du 'mötesplatser'?")


def test_a_meeting_that_refers_to_an_unknown_dialogue(project):
    line = edit(project / "sources/sammankomster.yaml", "dialog: fokusgrupp-unga", "dialog: fokusgrupp-ung")
    build_fails_with(project, f"sources/sammankomster.yaml:{line}:17: hänvisar till medborgardialogen 'fokusgrupp-ung', "
                              "som inte finns i medborgardialoger.yaml – menade du 'fokusgrupp-unga'?")


def test_an_id_used_twice(project):
    line = edit(project / "sources/overlamnande.yaml", "  - id: boende", "  - id: utbildning")
    build_fails_with(project, f"sources/overlamnande.yaml:{line}:9: id 'utbildning' används redan "
                              f"(overlamnande.yaml rad {line - 4}); varje id ska vara unikt")


def test_meetings_out_of_date_order(project):
    line = edit(project / "sources/sammankomster.yaml", "datum: 2018-03-01", "datum: 2017-03-01")
    build_fails_with(project, f"sources/sammankomster.yaml:{line}:16: sammankomsten 2017-03-01 står efter en sammankomst "
                              "2018-02-22; sammankomsterna ska stå i datumordning – stämmer datumet?")


def test_an_unknown_source_file(project):
    (project / "sources/sammankomst.yaml").write_text("perioder: []\n", "utf-8")
    build_fails_with(project, "sources/sammankomst.yaml: okänd källfil – menade du 'sammankomster.yaml'?; kända filer är "
                              "uppdrag.yaml, sammankomster.yaml, medborgardialoger.yaml, forslag.yaml, overlamnande.yaml, "
                              "handlingsplan.yaml, vagledning.yaml, utgifter.yaml")


def test_an_empty_file(project):
    (project / "sources/forslag.yaml").write_text("# bara en kommentar\n", "utf-8")
    build_fails_with(project, "sources/forslag.yaml:1:1: filen är tom; den ska innehålla nycklar och värden")


def test_every_mistake_in_every_file_at_once(project):
    date_line = edit(project / "sources/uppdrag.yaml", "datum: 2017-11-02", "datum: 2017-11-31")
    type_line = edit(project / "sources/medborgardialoger.yaml", "antal_deltagare: 12", "antal_deltagare: tolv")
    indent_line = edit(project / "sources/sammankomster.yaml", "        typ: utbildning", "       typ: utbildning")
    build_fails_with(
        project,
        f"sources/medborgardialoger.yaml:{type_line}:22: förväntade ett antal personer, till exempel 45 eller 'ca 80'; fick 'tolv'",
        f"sources/sammankomster.yaml:{indent_line}:8: syntaxfel: raden har fel indrag jämfört med raderna ovanför",
        f"sources/uppdrag.yaml:{date_line}:8: '2017-11-31' är inget riktigt datum: november 2017 har 30 dagar",
    )


def test_no_sources_at_all(tmp_path, monkeypatch):
    (tmp_path / "sources").mkdir()
    monkeypatch.chdir(tmp_path)
    result = run_cli("build")
    assert result.code == 1
    assert result.err.splitlines()[0] == ("sources: inga källfiler hittades; väntade någon av uppdrag.yaml, "
                                          "sammankomster.yaml, medborgardialoger.yaml, forslag.yaml, overlamnande.yaml, "
                                          "handlingsplan.yaml, vagledning.yaml, utgifter.yaml")
    assert not (tmp_path / "build").exists()


def test_a_warning_does_not_stop_the_build(project):
    line = edit(project / "sources/medborgardialoger.yaml", "  - id: fokusgrupp-unga", "  - id: fokusgrupp-unga")
    edit(project / "sources/medborgardialoger.yaml",
         "    återkoppling:\n      datum: 2018-04-24\n      sätt: Besök i klassen av två ledamöter\n"
         "      innehåll: |\n        Ledamöterna berättade vilka av ungdomarnas synpunkter som finns med\n"
         "        i förslaget.\n", "")
    result = run_cli("build", "--formats", "docx", "--idag", "2018-06-01")
    assert result.code == 0
    assert result.err == (f"sources/medborgardialoger.yaml:{line}:5: varning: dialogen 'fokusgrupp-unga' hölls för 99 "
                          "dagar sedan och har ingen gjord återkoppling ännu – glöm ej återkopplingen till dem som deltog\n")


def test_the_installed_command_prints_no_traceback(project):
    edit(project / "sources/uppdrag.yaml", "datum: 2017-11-02", "datum: 2017-02-30")
    result = subprocess.run([sys.executable, "-m", "pipeline", "build"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "'2017-02-30' är inget riktigt datum" in result.stderr


def test_output_piped_into_a_reader_that_stops_early_prints_no_traceback(project):
    result = subprocess.run(f"{sys.executable} -m pipeline build --formats docx | head -1", shell=True,
                            capture_output=True, text=True, check=False)
    assert result.stdout.startswith(("byggde", "oförändrad"))
    assert "Traceback" not in result.stderr
