"""What was sent is exactly what the sources say: equal builds give equal bytes, dates come from
the sources (or SOURCE_DATE_EPOCH), and nothing of the building machine leaks. (A killed build:
test_faults.py.)"""

from __future__ import annotations

import shutil
import socket
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
import pikepdf
from lxml import etree

from support import ROOT, SOURCES, run_cli


CORE = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}


def core_properties(path: Path) -> dict[str, str]:
    """docProps/core.xml as Word reads it: each element by its qualified name, in its true namespace
    (python-docx's reader is no witness: docxcompose rebinds its 'cp' prefix)."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("docProps/core.xml"))
    prefixes = {namespace: prefix for prefix, namespace in CORE.items()}
    found = {}
    for element in root:
        name = etree.QName(element)
        key = f"{prefixes.get(name.namespace, name.namespace)}:{name.localname}"
        assert key not in found, f"{key} twice"
        found[key] = element.text or ""
    return found


COMMITTEE = "Trivsel- och trygghetsberedningen"
EXPECTED_PROPERTIES = {
    "dc:title": "Översyn av Policy för integrationsarbetet", "dc:subject": "Beredningens förslag till kommunfullmäktige",
    "dc:creator": COMMITTEE, "cp:keywords": COMMITTEE, "cp:lastModifiedBy": COMMITTEE, "cp:revision": "1",
    "dcterms:created": "2018-06-11T12:00:00Z", "dcterms:modified": "2018-06-11T12:00:00Z", "dc:language": "sv-SE",
}


def test_word_properties_come_from_the_sources(example_build):
    assert core_properties(example_build / "overlamnande.docx") == EXPECTED_PROPERTIES


def test_no_name_of_a_template_editor_reaches_a_document(tmp_path):
    """A template last saved in Word by a named person, at revision 7, with keywords and a comment of
    hers: none of it reaches the documents."""
    templates = shutil.copytree(ROOT / "templates", tmp_path / "templates")
    template = templates / "overlamnande.docx"
    with zipfile.ZipFile(template) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members["docProps/core.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<cp:coreProperties xmlns:cp="{CORE["cp"]}" xmlns:dc="{CORE["dc"]}" xmlns:dcterms="{CORE["dcterms"]}" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Mall</dc:title>'
        '<dc:creator>Anna Andersson</dc:creator><cp:lastModifiedBy>Anna Andersson</cp:lastModifiedBy>'
        '<cp:revision>7</cp:revision><cp:keywords>utkast, hemligt</cp:keywords>'
        '<dc:description>Annas anteckning</dc:description><cp:category>Intern</cp:category>'
        '<dcterms:created xsi:type="dcterms:W3CDTF">2024-02-01T09:00:00Z</dcterms:created>'
        '</cp:coreProperties>').encode("utf-8")
    with zipfile.ZipFile(template, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    out = tmp_path / "build"
    result = run_cli("build", "--sources", SOURCES, "--build", out, "--templates", templates, "--formats", "docx")
    assert result.code == 0, result.err
    assert core_properties(out / "overlamnande.docx") == EXPECTED_PROPERTIES
    with zipfile.ZipFile(out / "overlamnande.docx") as archive:
        assert not any(b"Anna" in archive.read(name) for name in archive.namelist())


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


