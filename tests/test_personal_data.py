"""Personal data of people who took part in a dialogue never reaches a built document.

Canary values are planted in every field the models mark as personal data;
then every output (Word XML, PDF text and streams, HTML, the distribution
folders, zips and manifests, the build status) is searched for them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pytest
import yaml

from pipeline.model import SOURCES as MODELS
from pipeline.privacy import personal_fields
from support import SOURCES, copy_sources, require, run_cli

CANARIES = {"namn": "Kanarie Fågelsdotter", "epost": "kanarie.sjunger@example.net", "telefon": "070-999 88 77"}


def test_the_personal_fields_are_the_ones_this_test_plants():
    assert {m.fil: personal_fields(m) for m in MODELS if personal_fields(m)} == {
        "medborgardialoger.yaml": ["dialoger.deltagarlista"]}


def plant(sources: Path) -> None:
    path = sources / "medborgardialoger.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    for number, dialogue in enumerate(data["dialoger"]):
        dialogue["deltagarlista"] = [{key: f"{value} {number}" for key, value in CANARIES.items()},
                                     dict(CANARIES)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def searchable(path: Path) -> list[str]:
    """Every text a person or a program could pull out of the file."""
    data = path.read_bytes()
    texts = [data.decode("utf-8", "replace")]
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                member = archive.read(name)
                texts.append(member.decode("utf-8", "replace"))
                if zipfile.is_zipfile(__import__("io").BytesIO(member)):
                    with zipfile.ZipFile(__import__("io").BytesIO(member)) as inner:
                        texts += [inner.read(n).decode("utf-8", "replace") for n in inner.namelist()]
    if path.suffix == ".pdf":
        with pikepdf.open(path) as pdf:
            texts.append(str(pdf.open_metadata()))
            texts += [str(value) for value in pdf.docinfo.values()]
            for obj in pdf.objects:
                if isinstance(obj, pikepdf.Stream):
                    try:
                        texts.append(obj.read_bytes().decode("latin-1"))
                    except pikepdf.PdfError:
                        pass
        texts += [page.extract_text() for page in __import__("pypdf").PdfReader(str(path)).pages]
    return texts


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_no_canary_in_any_output(tmp_path, engine):
    require(engine)
    sources = copy_sources(SOURCES, tmp_path / "sources")
    plant(sources)
    out = tmp_path / "build"
    result = run_cli("distribute", "--sources", sources, "--build", out, "--pdf-engine", engine)
    assert result.code == 0, result.err
    outputs = [p for p in out.rglob("*") if p.is_file()]
    assert len(outputs) > 50
    for path in outputs:
        for text in searchable(path):
            for canary in CANARIES.values():
                for form in (canary, canary.replace(" ", ""), canary.upper()):
                    assert form not in text, f"{canary!r} found in {path.relative_to(out)}"


def test_a_template_asking_for_the_contact_list_gets_nothing(tmp_path):
    import docx
    import shutil
    from pipeline.options import TEMPLATES
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    document = docx.Document(str(templates / "overlamnande.docx"))
    document.add_paragraph("{% for d in medborgardialoger.dialoger %}{% for k in d.deltagarlista %}"
                           "LÄCKA {{ k.namn }} {{ k.epost }}{% endfor %}{% endfor %}")
    document.save(str(templates / "overlamnande.docx"))
    sources = copy_sources(SOURCES, tmp_path / "sources")
    plant(sources)
    out = tmp_path / "build"
    result = run_cli("build", "--sources", sources, "--build", out, "--templates", templates, "--formats", "docx")
    assert result.code == 0
    text = "\n".join(searchable(out / "overlamnande.docx"))
    assert "LÄCKA" not in text and CANARIES["epost"] not in text


# --- personal data typed where it does not belong ---------------------------------------------------

@pytest.fixture
def typed_in(tmp_path, monkeypatch):
    """The example sources with a participant's details typed into text that is distributed."""
    sources = copy_sources(SOURCES, tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    edit(sources / "medborgardialoger.yaml", "- Praktiken gav mig både svenska och en referens.",
         "- Praktiken gav mig både svenska och en referens. Ring mig på 070-123 45 67")
    edit(sources / "overlamnande.yaml", "  Beredningen har utvärderat hur Policy",
         "  Frågor till anna.andersson@example.se eller kommunens växel 0325-57 60 00.\n"
         "  Personnumret 19121212-1212 ska inte stå här.\n\n  Beredningen har utvärderat hur Policy")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


ADVICE = ("i en text som skickas ut; personuppgifter hör hemma i deltagarlistan och kommer aldrig med i dokumenten. "
          "Ska den stå där (som kommunens växel), skriv den under offentliga_kontaktuppgifter")
WARNINGS = [
    f"sources/medborgardialoger.yaml:41:71: varning: '070-123 45 67' ser ut som ett telefonnummer, {ADVICE}",
    f"sources/overlamnande.yaml:9:15: varning: 'anna.andersson@example.se' ser ut som en e-postadress, {ADVICE}",
    f"sources/overlamnande.yaml:9:63: varning: '0325-57 60 00' ser ut som ett telefonnummer, {ADVICE}",
    f"sources/overlamnande.yaml:10:16: varning: '19121212-1212' ser ut som ett personnummer, {ADVICE}",
]


def test_check_warns_of_personal_data_in_distributed_text_at_its_line(typed_in):
    result = run_cli("check")
    assert result.code == 0
    assert result.err.splitlines() == WARNINGS


def test_a_value_marked_as_meant_to_be_there_is_not_warned_of(typed_in):
    path = typed_in / "sources" / "overlamnande.yaml"
    path.write_text("offentliga_kontaktuppgifter: ['+46 325 576000']\n" + path.read_text("utf-8"), "utf-8")
    result = run_cli("check")
    assert result.err.splitlines() == [  # the switchboard is not warned of; the rest is a line further down
        WARNINGS[0], WARNINGS[1].replace(":9:15:", ":10:15:"), WARNINGS[3].replace(":10:16:", ":11:16:")]


@pytest.mark.parametrize("how", [("--strict",), ("STRICT=1",)])
def test_a_strict_build_stops_at_personal_data(typed_in, monkeypatch, how):
    if how == ("STRICT=1",):
        monkeypatch.setenv("STRICT", "1")
        how = ()
    result = run_cli("build", "--formats", "docx", *how)
    assert result.code == 1
    assert result.err.splitlines() == [
        *(warning.replace("varning: ", "") for warning in WARNINGS),
        "4 fel i källorna; ingenting har byggts och byggmappen är orörd."]
    assert not (typed_in / "build").exists()
