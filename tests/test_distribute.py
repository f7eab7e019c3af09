"""The packages sent to the party groups: what each holds, its cover letter, a manifest anyone can verify."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile

import docx
import pytest

from support import SOURCES, copy_sources, run_cli, snapshot, written

GROUPS = ["centerpartiet", "kristdemokraterna", "moderaterna", "socialdemokraterna", "sverigedemokraterna"]
DOCUMENTS = ["overlamnande.docx", "overlamnande.pdf", "sammanstallning.docx", "sammanstallning.pdf",
             "uppdrag.docx", "uppdrag.pdf"]


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    out = tmp_path_factory.mktemp("utskick")
    result = run_cli("distribute", "--sources", SOURCES, "--build", out, "--pdf-engine", "typst")
    assert result.code == 0, result.err
    return out, result


def test_a_folder_and_a_zip_per_party_group(sent):
    out, result = sent
    assert sorted(p.name for p in (out / "utskick").iterdir()) == sorted(GROUPS + [f"{g}.zip" for g in GROUPS])
    assert [line for line in result.out.splitlines() if line.startswith("packade")] == [
        f"packade    {out}/utskick/{group}.zip (9 filer)" for group in
        ("centerpartiet", "socialdemokraterna", "moderaterna", "sverigedemokraterna", "kristdemokraterna")]


def test_each_package_holds_the_documents_the_letter_and_the_manifest(sent):
    out, _ = sent
    folder = out / "utskick" / "moderaterna"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        DOCUMENTS + ["foljebrev.docx", "foljebrev.pdf", "manifest.sha256"])
    for name in DOCUMENTS:
        assert (folder / name).read_bytes() == (out / name).read_bytes()


def test_every_manifest_line_verifies_with_sha256sum(sent):
    out, _ = sent
    for group in GROUPS:
        folder = out / "utskick" / group
        lines = (folder / "manifest.sha256").read_text("utf-8").splitlines()
        assert [line.split("  ", 1)[1] for line in lines] == sorted(p.name for p in folder.iterdir()
                                                                     if p.name != "manifest.sha256")
        for line in lines:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
        check = subprocess.run(["sha256sum", "--check", "--strict", "manifest.sha256"], cwd=folder,
                               capture_output=True, text=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr


def test_the_zip_holds_the_same_files_as_the_folder(sent):
    out, _ = sent
    with zipfile.ZipFile(out / "utskick" / "centerpartiet.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        for name in names:
            assert archive.read(name) == (out / "utskick" / name).read_bytes()
        assert len(names) == 9


def test_the_cover_letter_is_addressed_to_the_group_leader(sent):
    out, _ = sent
    letter = docx.Document(str(out / "utskick" / "socialdemokraterna" / "foljebrev.docx"))
    texts = [p.text for p in written(letter)]
    assert "Till Exempel Gruppledare S, gruppledare för Socialdemokraterna" in texts
    bullets = [p.text for p in letter.paragraphs if p.style.name == "List Bullet"]
    assert bullets == [
        "Uppdraget (uppdrag.docx, uppdrag.pdf)",
        "Sammanställningen av beredningens arbete (sammanstallning.docx, sammanstallning.pdf)",
        "Överlämnandet (overlamnande.docx, overlamnande.pdf)",
    ]
    assert letter.core_properties.title == "Följebrev till Socialdemokraterna"


def test_nothing_changed_means_nothing_rewritten(sent, tmp_path):
    out, _ = sent
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    before = snapshot(copy)
    result = run_cli("distribute", "--sources", SOURCES, "--build", copy, "--pdf-engine", "typst")
    assert result.code == 0
    assert not [line for line in result.out.splitlines() if line.startswith(("byggde", "packade"))]
    assert snapshot(copy) == before


def test_internal_documents_never_go_out(tmp_path):
    sources = copy_sources(SOURCES, tmp_path / "sources")
    path = sources / "overlamnande.yaml"
    path.write_text(path.read_text("utf-8") + "\nutskick:\n  interna_dokument: [sammanstallning]\n", "utf-8")
    out = tmp_path / "build"
    assert run_cli("distribute", "--sources", sources, "--build", out, "--pdf-engine", "typst").code == 0
    for group in GROUPS:
        names = {p.name for p in (out / "utskick" / group).iterdir()}
        assert not {n for n in names if n.startswith("sammanstallning")}
        with zipfile.ZipFile(out / "utskick" / f"{group}.zip") as archive:
            assert not [n for n in archive.namelist() if "sammanstallning" in n]
        assert "sammanstallning" not in (out / "utskick" / group / "manifest.sha256").read_text("utf-8")
    assert (out / "sammanstallning.pdf").exists(), "an internal document is still built, only not sent"


def test_an_unknown_internal_document_is_named(tmp_path, monkeypatch):
    sources = copy_sources(SOURCES, tmp_path / "sources")
    path = sources / "overlamnande.yaml"
    path.write_text(path.read_text("utf-8") + "\nutskick:\n  interna_dokument: [sammanställning]\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("distribute")
    line = len(path.read_text("utf-8").splitlines())
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        f"sources/overlamnande.yaml:{line}:22: okänt dokument 'sammanställning' – menade du 'sammanstallning'?; "
        "dokumenten heter uppdrag, sammanstallning, overlamnande, handlingsplan, underlag-vagledningsdebatt, aterkoppling")


def test_a_group_removed_from_the_sources_loses_its_package(sent, tmp_path):
    out, _ = sent
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    sources = copy_sources(SOURCES, tmp_path / "sources")
    path = sources / "overlamnande.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "  - parti: Kristdemokraterna\n    gruppledare: Exempel Gruppledare KD\n    fick_utkast: 2018-04-26\n", ""),
        "utf-8")
    assert run_cli("distribute", "--sources", sources, "--build", copy, "--pdf-engine", "typst").code == 0
    assert not (copy / "utskick" / "kristdemokraterna").exists()
    assert not (copy / "utskick" / "kristdemokraterna.zip").exists()
