"""Any committee, at any stage: only the assignment and the meetings are required; a section the
sources have nothing for is left out (never a sentence saying so); the handover is a draft, marked
on every page and in its properties, until the proposal has its goals and the handover its date;
`beredning new` starts a committee that checks and builds at once, into its own build folder.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pymupdf
import pytest

from support import WORD, docx_xml, read_docx, require, run_cli

ASSIGNMENT = """\
    kommun: Rävsjö kommun
    beredning: Demokratiberedningen
    ämne: Fler vägar till delaktighet
    datum: 2026-03-02
    uppdragsbeskrivning: |
      Beredningen ska föreslå hur fler kommuninvånare kan vara med och påverka.
"""

MEETINGS = """\
    perioder:
      - rubrik: Våren 2026
        sammankomster:
          - datum: 2026-03-10
            typ: sammanträde
            innehåll: [Uppdraget]
          - datum: 2026-04-14
            typ: medborgardialog
            rubrik: Dialogkväll på biblioteket
            plats: Biblioteket
          - datum: 2026-05-05
            typ: studiebesök
            rubrik: Besök hos Grannby kommuns ungdomsråd
"""

DIALOGUES = """\
    dialoger:
      - id: dialogkvall
        rubrik: Dialogkväll på biblioteket
        datum: 2026-04-14
        metod: öppet möte
        resultat:
          teman:
            - rubrik: Svårt att veta var besluten fattas
"""

PROPOSAL = """\
    mål:
      - id: fler-vagar
        rubrik: Varje kommuninvånare ska veta hur hen kan påverka
        underlag: [dialogkvall]
"""

HANDOVER = """\
    datum: 2026-06-15
    partigrupper:
      - parti: Rävsjöpartiet
        gruppledare: Exempel Gruppledare
"""

POLICY_REVIEW_ONLY = ("Utvärdering av policyns strategiska områden", "Policyområden", "Det här har fungerat")
PLACEHOLDERS = ("har inte redovisats", "ännu inte", "saknas", "FYLL I", "None", "–  –")


def committee(folder: Path, **files: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def all_text(path: Path) -> str:
    document = read_docx(path)
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def headings(path: Path) -> list[str]:
    return [p.text for p in read_docx(path).paragraphs if p.style.name.startswith("Heading")]


def test_a_committee_that_reviews_no_policy_and_has_no_members_listed(tmp_path):
    sources = committee(tmp_path / "demokrati", uppdrag=ASSIGNMENT, sammankomster=MEETINGS,
                        medborgardialoger=DIALOGUES, forslag=PROPOSAL, overlamnande=HANDOVER)
    checked = run_cli("check", sources, "--idag", "2026-05-01")
    assert checked.code == 0, checked.err
    # Only the process's own reminders: no action plan yet, the dialogue's target groups and feedback.
    assert "är i ordning (5 filer, 3 varningar)" in checked.out
    assert [line.split(": varning: ")[1].split(";")[0] for line in checked.err.splitlines()] == [
        "den första dialogen (14 april 2026) har ingen handlingsplan före sig",
        "dialogen 'dialogkvall' hölls för 17 dagar sedan och har ingen gjord återkoppling ännu – glöm ej "
        "återkopplingen till dem som deltog",
        "dialogen 'dialogkvall' nämner inga målgrupper"]

    built = run_cli("build", sources, *WORD)
    assert built.code == 0, built.err
    handover = sources / "build" / "overlamnande.docx"
    assert "(utkast)" not in built.out
    text = all_text(handover)
    assert headings(handover)[:6] == ["Uppdraget", "Så har beredningen arbetat", "Goda exempel från andra kommuner",
                                      "Medborgardialoger och vad som kom fram", "Dialogkväll på biblioteket",
                                      "Det här kom fram"]
    for absent in (*POLICY_REVIEW_ONLY, "Beredningens ledamöter", "Sammanfattning", "Förslag till beslut",
                   "Återkoppling till deltagarna", "Frågor som ställdes", "Budget", "presidium", "Sakkunnig",
                   "UTKAST", "Utkast"):
        assert absent not in text, absent
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text, placeholder
    # Facts derived from the record, not typed twice.
    assert ("Beredningen har haft 3 sammankomster och 1 medborgardialog mellan 10 mars 2026 och 5 maj 2026."
            in text)
    assert "5 maj 2026: Besök hos Grannby kommuns ungdomsråd" in text
    assert "Mål 1: Varje kommuninvånare ska veta hur hen kan påverka" in headings(handover)
    assert "Underlag: Dialogkväll på biblioteket" in text
    assert "Förankring i partigrupperna" in headings(handover)


def test_the_assignment_leaves_out_what_the_council_did_not_give(tmp_path):
    sources = committee(tmp_path / "demokrati", uppdrag=ASSIGNMENT)
    assert run_cli("build", sources, *WORD).code == 0
    text = all_text(sources / "build" / "uppdrag.docx")
    assert "2 mars 2026" in text
    for absent in ("Medverkande tjänstemän", "KOMMUNFULLMÄKTIGES PRESIDIUM", "Budget", "Vägledningsdebatt",
                   "Sakkunnig", "None"):
        assert absent not in text, absent


def test_the_compilation_names_the_kind_of_meeting_where_its_title_does_not(tmp_path):
    sources = committee(tmp_path / "demokrati", sammankomster=MEETINGS)
    assert run_cli("build", sources, *WORD).code == 0
    rows = [[cell.text for cell in row.cells] for row in read_docx(sources / "build" / "sammanstallning.docx")
            .tables[0].rows]
    assert rows[1][1] == "Sammanträde beredningen"  # the title says it
    assert rows[2][1] == "Dialogkväll på biblioteket\nMedborgardialog, Biblioteket"
    assert rows[3][1] == "Besök hos Grannby kommuns ungdomsråd\nStudiebesök"


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_a_draft_from_the_assignment_and_the_meetings_is_marked_on_every_page(tmp_path, engine):
    require(engine)
    sources = committee(tmp_path / "demokrati", uppdrag=ASSIGNMENT, sammankomster=MEETINGS)
    built = run_cli("build", sources, "--formats", "docx,pdf", "--pdf-engine", engine)
    assert built.code == 0, built.err
    assert "demokrati/build/overlamnande.pdf (utkast, " in built.out
    pdf = pymupdf.open(sources / "build" / "overlamnande.pdf")
    for number, page in enumerate(pdf, start=1):
        assert "UTKAST" in page.get_text(), f"page {number} does not say it is a draft"
    assert pdf.metadata["title"] == "UTKAST: Fler vägar till delaktighet"
    word = read_docx(sources / "build" / "overlamnande.docx")
    assert word.core_properties.title == "UTKAST: Fler vägar till delaktighet"
    # python-docx reads no contentStatus once docxtpl is imported: read the part itself
    assert "<cp:contentStatus>Utkast</cp:contentStatus>" in docx_xml(sources / "build" / "overlamnande.docx",
                                                                    "docProps/core.xml")
    assert word.sections[0].header.paragraphs[0].text.startswith("UTKAST – Demokratiberedningen")
    text = all_text(sources / "build" / "overlamnande.docx")
    assert "Utkast 5 maj 2026" in text  # a draft is dated by the record's last meeting, never by the clock
    for placeholder in PLACEHOLDERS:
        assert placeholder not in text, placeholder


def test_the_handover_is_final_once_the_goals_and_the_date_are_there(tmp_path):
    sources = committee(tmp_path / "demokrati", uppdrag=ASSIGNMENT, sammankomster=MEETINGS, forslag=PROPOSAL,
                        medborgardialoger=DIALOGUES)
    assert "overlamnande.docx (utkast)" in run_cli("build", sources, *WORD).out
    committee(sources, overlamnande=HANDOVER)
    built = run_cli("build", sources, *WORD)
    assert "byggde     demokrati/build/overlamnande.docx\n" in built.out.replace(str(tmp_path) + "/", "")
    word = read_docx(sources / "build" / "overlamnande.docx")
    assert word.core_properties.title == "Fler vägar till delaktighet"
    assert "contentStatus" not in docx_xml(sources / "build" / "overlamnande.docx", "docProps/core.xml")
    assert "UTKAST" not in all_text(sources / "build" / "overlamnande.docx")


def test_a_reference_to_a_file_not_written_yet_is_a_warning(tmp_path):
    meetings = MEETINGS + "            dialog: dialogkvall\n"
    sources = committee(tmp_path / "demokrati", uppdrag=ASSIGNMENT, sammankomster=meetings)
    result = run_cli("check", sources)
    assert result.code == 0
    assert result.err.endswith("varning: hänvisar till medborgardialogen 'dialogkvall', som inte finns i "
                               "medborgardialoger.yaml (filen finns inte ännu)\n")
    committee(sources, medborgardialoger="dialoger: []\n")
    result = run_cli("check", sources)
    assert result.code == 1  # the file exists now: the reference must resolve
    assert "hänvisar till medborgardialogen 'dialogkvall', som inte finns i medborgardialoger.yaml\n" in result.err


def test_a_new_committee_checks_and_builds_at_once_into_its_own_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    made = run_cli("new", "demokrati")
    assert made.code == 0, made.err
    assert made.out.splitlines()[-1].startswith("En ny beredning finns i demokrati. Fyll i uppdrag.yaml först;")
    folder = tmp_path / "demokrati"
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore", "README.md", "forslag.yaml", "handlingsplan.yaml", "medborgardialoger.yaml", "overlamnande.yaml",
        "sammankomster.yaml", "schema", "uppdrag.yaml", "utgifter.yaml"]
    for source in folder.glob("*.yaml"):  # the editor's schema resolves from wherever the folder lives
        first = source.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), source.name
        assert (folder / first.split("$schema=")[1]).is_file(), source.name

    checked = run_cli("check", "demokrati")
    assert checked.code == 0
    warnings = checked.err.splitlines()
    assert warnings and all(": varning: fyll i " in line for line in warnings), warnings
    assert "demokrati/uppdrag.yaml:7:9: varning: fyll i kommunens namn, t.ex. Tranemo kommun" in warnings
    assert checked.out == f"Källorna i demokrati är i ordning (7 filer, {len(warnings)} varningar).\n"

    built = run_cli("build", "demokrati", *WORD)
    assert built.code == 0, built.err
    assert sorted(p.name for p in (folder / "build").iterdir() if not p.name.startswith(".")) == [
        "handlingsplan.docx", "overlamnande.docx", "sammanstallning.docx", "uppdrag.docx"]
    assert not (tmp_path / "build").exists()  # never the example's (or anyone else's) build folder
    assert "strict" and run_cli("check", "demokrati", "--strict").code == 1


def test_new_never_writes_into_a_folder_that_holds_something(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demokrati").mkdir()
    (tmp_path / "demokrati" / "uppdrag.yaml").write_text("kommun: Rävsjö\n", encoding="utf-8")
    result = run_cli("new", "demokrati")
    assert result.code == 1
    assert result.err.splitlines() == ["demokrati: mappen finns redan och är inte tom; välj ett nytt namn, "
                                          "så skrivs ingenting över", "Ingenting har skrivits."]
    assert (tmp_path / "demokrati" / "uppdrag.yaml").read_text(encoding="utf-8") == "kommun: Rävsjö\n"


def test_a_committee_is_never_built_into_another_committee_s_build_folder(tmp_path, monkeypatch):
    """Forgetting BUILD= (or passing the example's build/) must not overwrite the example's documents."""
    monkeypatch.chdir(tmp_path)
    committee(tmp_path / "sources", uppdrag=ASSIGNMENT)
    committee(tmp_path / "demokrati", uppdrag=ASSIGNMENT)
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "uppdrag.docx").write_bytes(b"the example's assignment")
    for folder in ("build", "sources/build"):
        result = run_cli("build", "demokrati", "--build", folder, *WORD)
        assert result.code == 1
        assert result.err.splitlines() == [
            f"{folder}: byggmappen hör till källorna i sources; bygg demokrati i sin egen byggmapp "
            "(utan --build blir det demokrati/build)", "Ingenting har byggts och byggmappen är orörd."]
    assert (tmp_path / "build" / "uppdrag.docx").read_bytes() == b"the example's assignment"
    assert not (tmp_path / "sources" / "build").exists()
    assert run_cli("build", "demokrati", *WORD).code == 0
    assert run_cli("build", *WORD).code == 0  # the example's own build is its own
