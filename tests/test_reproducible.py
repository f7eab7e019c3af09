"""What was sent is exactly what the sources say: equal builds give equal bytes, dates come from
the sources (or SOURCE_DATE_EPOCH), and nothing of the building machine leaks. (A killed build:
test_faults.py.)"""

from __future__ import annotations

import socket
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pikepdf

from support import ROOT, SOURCES, run_cli


def test_word_properties_come_from_the_sources(example_build):
    props = docx.Document(str(example_build / "overlamnande.docx")).core_properties
    assert (props.title, props.subject, props.author) == (
        "Översyn av Policy för integrationsarbetet", "Beredningens förslag till kommunfullmäktige",
        "Trivsel- och trygghetsberedningen")
    assert props.created == props.modified == datetime(2018, 6, 11, 12, 0, tzinfo=timezone.utc)
    assert props.last_modified_by == ""
    assert props.language == "sv-SE"


def test_source_date_epoch_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = run_cli("build", "--sources", SOURCES, "--build", tmp_path, "--formats", "docx,pdf", "--pdf-engine", "typst")
    assert result.code == 0
    expected = datetime.fromtimestamp(1700000000, tz=timezone.utc)
    assert docx.Document(str(tmp_path / "uppdrag.docx")).core_properties.created == expected
    with pikepdf.open(tmp_path / "uppdrag.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20231114")


def test_equal_sources_give_equal_web_pages(tmp_path, example_build):
    run_cli("build", "--sources", SOURCES, "--build", tmp_path, "--formats", "html")
    for name in ("uppdrag.html", "sammanstallning.html", "overlamnande.html"):
        assert (tmp_path / name).read_bytes() == (example_build / name).read_bytes()


def readable_text(path: Path) -> str:
    """Everything a reader or a tool could pull out of a built file, as text."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                             if name.endswith((".xml", ".rels")))
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            parts = [str(pdf.open_metadata()), *(str(v) for v in pdf.docinfo.values())]
            parts += [page.extract_text() for page in __import__("pypdf").PdfReader(str(path)).pages]
            return "\n".join(parts)
    return path.read_text("utf-8")


def test_no_user_name_or_path_of_the_building_machine_in_any_output(tmp_path):
    out = tmp_path / "build"
    assert run_cli("build", "--sources", SOURCES, "--build", out, "--pdf-engine", "typst").code == 0
    machine = [str(ROOT), str(tmp_path), str(Path.home()), "/tmp/"]
    if len(socket.gethostname()) >= 6:  # a short host name is found inside ordinary words
        machine.append(socket.gethostname())
    for path in sorted(out.glob("*.*")):
        if path.name.startswith("."):
            continue
        text = readable_text(path)
        for trace in machine:
            assert trace not in text, f"{trace!r} in {path.name}"


