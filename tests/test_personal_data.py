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
from support import SOURCES, copy_sources, run_cli
from test_pdf import require

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
    from pipeline.documents import TEMPLATES
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
