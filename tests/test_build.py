"""The everyday build: nothing changed means nothing rewritten; a changed source rebuilds only its documents."""

from __future__ import annotations

import subprocess

from pipeline import libreoffice
from pipeline.unchanged import RECORD

from support import ROOT, SOURCES, TIERP, WORD, copy_sources, read_docx, run_cli, snapshot


def test_first_build_makes_every_document_in_every_format_and_names_the_pdf_engine(tmp_path):
    result = run_cli("build", "--sources", SOURCES, "--build", tmp_path / "build", "--pdf-engine", "typst")
    assert result.code == 0
    assert result.out.splitlines() == [
        line for name in ("uppdrag", "sammanstallning", "overlamnande", "handlingsplan", "underlag-vagledningsdebatt",
                          "aterkoppling/dialogcafe-tranemo", "aterkoppling/fokusgrupp-unga",
                          "aterkoppling/enkat-trygghet")
        for line in (f"byggde     {tmp_path}/build/{name}.docx", f"byggde     {tmp_path}/build/{name}.pdf (Typst)",
                     f"byggde     {tmp_path}/build/{name}.html")]


def test_changing_the_pdf_engine_rebuilds_the_documents(tmp_path):
    out = tmp_path / "build"
    run_cli("build", "--sources", TIERP, "--build", out, "--pdf-engine", "typst", "--formats", "pdf")
    again = run_cli("build", "--sources", TIERP, "--build", out, "--pdf-engine", "typst", "--formats", "pdf")
    assert again.out.splitlines()[0] == f"oförändrad {out}: filen är redan aktuell"
    other = run_cli("build", "--sources", TIERP, "--build", out, "--pdf-engine", "typst", "--formats", "docx,pdf")
    assert other.out.splitlines()[:2] == [f"byggde     {out}/sammanstallning.docx",
                                          f"byggde     {out}/sammanstallning.pdf (Typst)"]


def test_an_unknown_format_is_refused(tmp_path):
    result = run_cli("build", "--sources", SOURCES, "--build", tmp_path, "--formats", "docx,odt")
    assert (result.code, result.err.splitlines()[0]) == (1, "okänt format 'odt'; välj bland docx, pdf, html")


def test_a_build_with_nothing_changed_rewrites_nothing(tmp_path, example_build):
    out = tmp_path / "build"
    run_cli("build", "--sources", SOURCES, "--build", out, *WORD)
    before = snapshot(out)
    result = run_cli("build", "--sources", SOURCES, "--build", out, *WORD)
    assert result.out.splitlines() == [f"oförändrad {out}: alla 8 filer är redan aktuella"]  # one line, no more
    assert snapshot(out) == before


def test_a_changed_source_rebuilds_only_the_documents_that_use_it(tmp_path):
    sources = copy_sources(SOURCES, tmp_path / "sources")
    out = tmp_path / "build"
    run_cli("build", "--sources", sources, "--build", out, *WORD)
    path = sources / "sammankomster.yaml"
    path.write_text(path.read_text("utf-8").replace("Beslut: Handlingsplan", "Beslut: Reviderad handlingsplan"), "utf-8")
    result = run_cli("build", "--sources", sources, "--build", out, *WORD)
    assert result.out.splitlines() == [
        f"byggde     {out}/sammanstallning.docx",
        f"byggde     {out}/overlamnande.docx",
        f"byggde     {out}/underlag-vagledningsdebatt.docx",
    ]  # only what was built: the documents that tell the meetings
    texts = [p.text for t in read_docx(out / "sammanstallning.docx").tables for c in t.columns[2].cells for p in c.paragraphs]
    assert "Beslut: Reviderad handlingsplan för beredningens arbete" in texts


def test_a_document_removed_from_the_build_folder_is_made_again(tmp_path):
    out = tmp_path / "build"
    run_cli("build", "--sources", SOURCES, "--build", out, *WORD)
    (out / "uppdrag.docx").unlink()
    result = run_cli("build", "--sources", SOURCES, "--build", out, *WORD)
    assert f"byggde     {out}/uppdrag.docx" in result.out.splitlines()


def test_the_same_sources_give_the_same_bytes(tmp_path, example_build):
    out = tmp_path / "again"
    run_cli("build", "--sources", SOURCES, "--build", out, *WORD)
    for name in ("uppdrag.docx", "sammanstallning.docx", "overlamnande.docx"):
        assert (out / name).read_bytes() == (example_build / name).read_bytes(), name


def test_a_folder_with_only_meetings_builds_only_the_compilation(tierp_build):
    assert sorted(p.name for p in tierp_build.iterdir() if not p.name.startswith(".")) == [
        "sammanstallning.docx", "sammanstallning.html"]


def test_skipped_documents_are_named_with_what_they_lack(tmp_path):
    result = run_cli("build", "--sources", TIERP, "--build", tmp_path, *WORD)
    assert result.out.splitlines()[1:] == [
        "hoppade över uppdrag.docx: källan uppdrag.yaml finns inte",
        "hoppade över overlamnande.docx: källan uppdrag.yaml finns inte",
        "hoppade över handlingsplan.docx: källan handlingsplan.yaml finns inte",
        "hoppade över underlag-vagledningsdebatt.docx: källan uppdrag.yaml, vagledning.yaml finns inte",
        "hoppade över aterkoppling.docx: källan uppdrag.yaml, medborgardialoger.yaml finns inte",
    ]


def test_check_reads_without_building(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run_cli("check", "--sources", "sources")
    assert (result.code, result.out) == (0, "Källorna i sources är i ordning (8 filer).\n")


def test_make_report_builds_the_tierp_compilation(tmp_path):
    """The README's own command, through make, into a folder of the caller's choice."""
    result = subprocess.run(["make", "-s", "report", f"SOURCES={TIERP}", f"BUILD={tmp_path}/tierp"],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        f"byggde     {tmp_path}/tierp/sammanstallning.docx",
        f"byggde     {tmp_path}/tierp/sammanstallning.pdf ({'LibreOffice' if libreoffice.is_available() else 'Typst'})",
        f"byggde     {tmp_path}/tierp/sammanstallning.html",
    ]
    assert read_docx(tmp_path / "tierp" / "sammanstallning.docx").paragraphs[0].text == \
        "Sammanställning av integrationsberedningens arbete 2015- 2016"


def test_a_new_comment_in_a_source_rebuilds_nothing(tmp_path):
    sources = copy_sources(SOURCES, tmp_path / "sources")
    out = tmp_path / "build"
    run_cli("build", "--sources", sources, "--build", out, *WORD)
    before = snapshot(out)
    path = sources / "uppdrag.yaml"
    path.write_text(path.read_text("utf-8") + "# en anteckning\n", "utf-8")
    result = run_cli("build", "--sources", sources, "--build", out, *WORD)
    assert all(line.startswith("oförändrad") for line in result.out.splitlines())
    # Not a document and not the build status is rewritten; only the record of what the last build was
    # made from is (pipeline/unchanged.py), so that the next build need not read the sources at all.
    after = snapshot(out)
    assert after.pop(RECORD) != before.pop(RECORD)
    assert after == before
