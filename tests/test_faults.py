"""When an external program fails or hangs, or the build folder cannot be written: a clear message,
exit code 1, no stray process, and every earlier document left as it was."""

from __future__ import annotations

import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.documents import TEMPLATES
from support import SOURCES, copy_sources, run_cli, snapshot
from test_pdf import require


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Good sources with a finished build; then the sources change, so the next build has work to do."""
    sources = copy_sources(SOURCES, tmp_path / "sources")
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    monkeypatch.chdir(tmp_path)
    assert run_cli("build", "--pdf-engine", "typst").code == 0
    path = sources / "uppdrag.yaml"
    path.write_text(path.read_text("utf-8").replace("ort: Tranemo", "ort: Limmared"), "utf-8")
    return tmp_path


def fails_leaving_build_as_it_was(project: Path, *args: str) -> list[str]:
    before = snapshot(project / "build")
    result = run_cli("build", "--templates", "templates", *args)
    assert result.code == 1
    assert result.out == ""
    assert snapshot(project / "build") == before
    assert result.err.splitlines()[-1] == "Ingenting har byggts och byggmappen är orörd."
    return result.err.splitlines()[:-1]


def processes(word: str) -> list[str]:
    listing = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True, check=True).stdout
    return [line for line in listing.splitlines() if word in line]


def test_pandoc_failing(project):
    (project / "templates" / "pdf" / "rensa.lua").write_text("this is not lua(", "utf-8")
    lines = fails_leaving_build_as_it_was(project, "--pdf-engine", "typst")
    assert lines[0].startswith("pandoc misslyckades (kod ")
    assert "rensa.lua" in "\n".join(lines)


def test_typst_failing(project):
    typ = project / "templates" / "pdf" / "dokument.typ"
    typ.write_text(typ.read_text("utf-8").replace("#set page(", "#set page(nonsense: 1, "), "utf-8")
    lines = fails_leaving_build_as_it_was(project, "--pdf-engine", "typst")
    assert lines[0].startswith("Typst kunde inte göra PDF av Uppdrag Trivsel och trygghetsberedningen: ")
    assert "nonsense" in lines[0]


def test_pandoc_hanging_is_stopped(project, monkeypatch):
    monkeypatch.setenv("BEREDNING_TIMEOUT", "0.001")
    lines = fails_leaving_build_as_it_was(project, "--pdf-engine", "typst")
    assert lines == ["pandoc blev inte klart inom 0.001 s och avbröts"]
    assert not processes("pypandoc/files/pandoc")


def test_libreoffice_hanging_is_stopped_and_leaves_no_process(project, monkeypatch):
    require("libreoffice")
    monkeypatch.setenv("BEREDNING_TIMEOUT", "0.3")  # LibreOffice needs over a second to start
    before = snapshot(project / "build")
    result = run_cli("build", "--templates", "templates", "--pdf-engine", "libreoffice")
    assert result.code == 1
    assert result.err.splitlines()[0] == "LibreOffice blev inte klart inom 0.3 s och avbröts"
    assert snapshot(project / "build") == before
    assert not processes("beredning-lo-")
    assert not processes("soffice_worker.py")


def test_a_build_folder_that_is_a_file(project):
    (project / "elsewhere").write_text("a file, not a folder", "utf-8")
    result = run_cli("build", "--build", "elsewhere", "--formats", "docx")
    assert result.code == 1
    assert result.err.splitlines()[0] == "elsewhere: kunde inte skriva i byggmappen: File exists"


def test_a_full_disk_leaves_no_half_written_file(project):
    """The build may write at most 16 kB per file (as when the disk fills up)."""
    before = snapshot(project / "build")

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))

    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--pdf-engine", "typst"], cwd=project,
                            capture_output=True, text=True, preexec_fn=small_disk, check=False)
    assert result.returncode == 1
    assert result.stderr.splitlines() == ["build: kunde inte skriva i byggmappen: File too large",
                                          "Ingenting har byggts och byggmappen är orörd."]
    after = snapshot(project / "build")
    assert {name: data for name, data in after.items() if not name.startswith(".")} == \
        {name: data for name, data in before.items() if not name.startswith(".")}
    assert not [name for name in after if name.endswith(".tmp")]
