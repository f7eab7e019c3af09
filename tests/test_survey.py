"""`beredning import-survey`: a form export becomes a dialogue's survey results. Personal columns
never reach the sources or any document; closed questions are counted (a chart with its text, and a
table), open ones become anonymous quotations; importing twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pymupdf
import pytest
from openpyxl import Workbook

from support import SOURCES, copy_sources, docx_xml, read_docx, run_cli

HEADER = ["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", "Hur ofta deltar du i föreningslivet?",
          "Vad skulle få dig att engagera dig mer?", "Ålder"]
ANSWERS = [
    ["1", "2027-02-10 14:03:22", "2027-02-10 14:05:00", "anna.andersson@example.se", "Anna Andersson",
     "Varje vecka", "Fler aktiviteter för unga på kvällen", "16–19"],
    ["2", "2027-02-11 09:00:00", "2027-02-11 09:03:00", "bo.berg@example.se", "Bo Berg",
     "Sällan", "Bättre bussar; jag bor på landet", "20–25"],
    ["3", "2027-02-11 10:00:00", "2027-02-11 10:04:00", "", "Cecilia Ödman", "Varje vecka", "", "16–19"],
    ["4", "2027-02-12 10:00:00", "2027-02-12 10:04:00", "dan.oberg@example.se", "Dan Öberg",
     "Aldrig", "Att någon frågar mig, som nu", "16–19"],
]
PERSONAL = ["anna.andersson", "Anna Andersson", "bo.berg", "Bo Berg", "Cecilia", "Ödman", "Dan Öberg", "dan.oberg",
            "14:03", "09:03"]


def swedish_excel_csv(path: Path) -> Path:
    """As Swedish Excel saves 'CSV UTF-8': semicolons, a byte-order mark, CRLF."""
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([HEADER, *ANSWERS])
    path.write_bytes(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))
    return path


def windows_csv(path: Path) -> Path:
    """As older Excel saves 'CSV (semikolonavgränsad)': Windows-1252, no byte-order mark."""
    text = io.StringIO()
    csv.writer(text, delimiter=";").writerows([HEADER, *ANSWERS])
    path.write_bytes(text.getvalue().replace("–", "-").encode("cp1252"))
    return path


def forms_xlsx(path: Path) -> Path:
    """As Microsoft Forms exports: real times in the time columns."""
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ANSWERS:
        sheet.append([int(row[0]), datetime.fromisoformat(row[1]), datetime.fromisoformat(row[2]), *row[3:]])
    book.save(path)
    return path


@pytest.fixture
def sources(tmp_path) -> Path:
    return copy_sources(SOURCES, tmp_path / "sources")


@pytest.mark.parametrize("export", [swedish_excel_csv, forms_xlsx], ids=["csv", "xlsx"])
def test_a_survey_becomes_a_dialogue_with_counts_and_voices(tmp_path, sources, export):
    name = "enkat.xlsx" if export is forms_xlsx else "enkat.csv"
    path = export(tmp_path / name)
    result = run_cli("import-survey", path, "--sources", sources, "--dialog", "enkat-unga")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == [
        "utelämnade kolumnerna om vem som svarade: ID, Starttid, Tid för slutförande, E-post, Namn",
        f"skrev      {sources / 'medborgardialoger.yaml'}: enkätsvaren i dialogen 'enkat-unga' (ny; fyll i rubriken)"]
    assert result.out.splitlines()[0].endswith(": 4 svar, 2 slutna och 1 öppna frågor")
    written = (sources / "medborgardialoger.yaml").read_text(encoding="utf-8")
    for personal in PERSONAL:
        assert personal not in written, personal
    assert "# aldrig med i något dokument" in written  # the secretary's comments stay

    checked = run_cli("check", sources)
    assert checked.code == 0, checked.err
    assert "varning: fyll i enkätens rubrik" in checked.err

    built = run_cli("build", sources, "--build", tmp_path / "build", "--formats", "docx,pdf,html",
                    "--pdf-engine", "typst")
    assert built.code == 0, built.err
    handover = tmp_path / "build" / "overlamnande.docx"
    document = read_docx(handover)
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]
    assert [["Svar", "Antal", "Andel"], ["Varje vecka", "2", "50 %"], ["Aldrig", "1", "25 %"],
            ["Sällan", "1", "25 %"]] in tables
    assert [["Svar", "Antal", "Andel"], ["16–19", "3", "75 %"], ["20–25", "1", "25 %"]] in tables
    texts = [p.text for p in document.paragraphs]
    assert "4 personer svarade på enkäten." in texts
    for voice in ("Fler aktiviteter för unga på kvällen", "Bättre bussar; jag bor på landet",
                  "Att någon frågar mig, som nu"):
        assert f"”{voice}”" in texts
    xml = docx_xml(handover)
    assert ('descr="Stapeldiagram över svaren på frågan ”Hur ofta deltar du i föreningslivet?”: '
            'Varje vecka 2 (50 %), Aldrig 1 (25 %), Sällan 1 (25 %)."') in xml
    pdf_text = "".join(page.get_text() for page in pymupdf.open(tmp_path / "build" / "overlamnande.pdf"))
    html = (tmp_path / "build" / "overlamnande.html").read_text(encoding="utf-8")
    assert re.search(r'<img[^>]*alt="Stapeldiagram över svaren på frågan ”Ålder”', html)
    for output in (xml, pdf_text, html):
        for personal in PERSONAL:
            assert personal not in output, personal


def test_importing_the_same_export_twice_changes_nothing(tmp_path, sources):
    path = swedish_excel_csv(tmp_path / "enkat.csv")
    assert run_cli("import-survey", path, "--sources", sources, "--dialog", "enkat-unga").code == 0
    first = (sources / "medborgardialoger.yaml").read_bytes()
    again = run_cli("import-survey", path, "--sources", sources, "--dialog", "enkat-unga")
    assert again.code == 0
    assert again.out.splitlines()[-1] == (f"oförändrad {sources / 'medborgardialoger.yaml'}: dialogen 'enkat-unga' "
                                          "har redan de här enkätsvaren")
    assert (sources / "medborgardialoger.yaml").read_bytes() == first
    assert first.count(b"enkat-unga") == 1


def test_windows_1252_and_an_existing_dialogue(tmp_path, sources):
    path = windows_csv(tmp_path / "fokusgrupp.csv")
    result = run_cli("import-survey", path, "--sources", sources, "--dialog", "fokusgrupp-unga")
    assert result.code == 0, result.err
    assert result.out.splitlines()[-1].endswith("enkätsvaren i dialogen 'fokusgrupp-unga'")
    written = (sources / "medborgardialoger.yaml").read_text(encoding="utf-8")
    assert "svar: Sällan" in written and "svar: 16-19" in written  # å and ä read right
    assert written.count("- id: fokusgrupp-unga") == 1
    assert "antal_deltagare: 12" in written  # the dialogue's own count stays


def test_an_export_that_is_not_a_survey(tmp_path, sources):
    path = tmp_path / "lista.csv"
    path.write_text("Namn;E-post\nAnna;anna@example.se\n", encoding="utf-8")
    before = (sources / "medborgardialoger.yaml").read_bytes()
    result = run_cli("import-survey", path, "--sources", sources)
    assert result.code == 1
    assert result.err == (f"{path}: filen har inga frågor, bara kolumner om vem som svarade (Namn, E-post)\n"
                          "Filen medborgardialoger.yaml är orörd.\n")
    assert (sources / "medborgardialoger.yaml").read_bytes() == before


# The columns that say who answered, as the form tools name them in their exports.
PERSONAL_COLUMNS = {
    "Microsoft Forms": ["ID", "Starttid", "Tid för slutförande", "E-post", "Namn", "Tidpunkt för senaste ändring",
                        "Start time", "Completion time", "Email", "Name", "Last modified time"],
    "Google Forms": ["Tidstämpel", "E-postadress", "Timestamp", "Email Address"],
    "Netigate": ["Respondent ID", "IP address", "Start date", "End date", "Token", "Language"],
    "Survey & Report": ["Respondent", "Svarsdatum", "IP-adress", "Personnummer", "Telefonnummer"],
}
QUESTIONS = ["Hur ofta deltar du i föreningslivet?", "Vilket parti röstade du på?", "Namnge en plats du tycker om",
             "Ålder", "Kön", "Vad tycker du om tiden för mötena?", "Övriga synpunkter"]


@pytest.mark.parametrize("tool", PERSONAL_COLUMNS)
def test_the_columns_about_who_answered_are_known_by_every_tool_s_name(tool):
    from pipeline.survey import is_personal

    assert [header for header in PERSONAL_COLUMNS[tool] if not is_personal(header)] == []
    assert [header for header in QUESTIONS if is_personal(header)] == []


def test_a_dialogues_file_with_a_mistake_is_mended_first(tmp_path, sources):
    path = sources / "medborgardialoger.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("datum: 2018-02-08", "datum: 2018-02-30"),
                    encoding="utf-8")
    before = path.read_bytes()
    result = run_cli("import-survey", swedish_excel_csv(tmp_path / "enkat.csv"), "--sources", sources)
    assert result.code == 1
    assert result.err.splitlines()[-1] == "1 fel i källorna; filen medborgardialoger.yaml är orörd."
    assert "'2018-02-30' är inget riktigt datum: februari 2018 har 28 dagar" in result.err
    assert path.read_bytes() == before
