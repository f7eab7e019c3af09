"""When something goes wrong around a build: an external program fails or hangs, the build is killed or
interrupted, the disk fills up, an output cannot be replaced, two builds meet in one folder.

Each test asserts what the secretary reads (the exact Swedish message and exit code), that no process
of the test's own build survives, that no temporary folder remains, and that every file in the build
folder is the old one or a whole new one: builds are reproducible, so "new" is a reference build of
the changed sources in a folder of its own.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from pipeline.options import TEMPLATES
from pipeline.interruptions import stopping_cleanly_on_signals, uninterrupted
from pipeline.errors import Interrupted
from support import (SOURCES, copy_sources, each_old_or_new, eventually, hashes, leftovers, processes_naming, require,
                     run_cli, running_naming, snapshot)

UNTOUCHED = "Ingenting har byggts och byggmappen är orörd."


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Good sources with a finished build; then the sources change, so the next build has work to do.
    Builds keep their scratch folders in the test's own `tmp/`, and use the test's own templates, so
    every process they start names a path of this test."""
    sources = copy_sources(SOURCES, tmp_path / "sources")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(tmp_path)
    assert run_cli("build", "--templates", "templates", "--pdf-engine", "typst").code == 0
    path = sources / "uppdrag.yaml"
    path.write_text(path.read_text("utf-8").replace("ort: Tranemo", "ort: Limmared"), "utf-8")
    return tmp_path


def reference(project: Path, *args: str) -> dict[str, str]:
    """The files a successful build of the changed sources makes, by their hashes."""
    result = run_cli("build", "--templates", "templates", "--build", "referens", *args)
    assert result.code == 0, result.err
    return hashes(project / "referens")


def nothing_left_running_or_lying_about(project: Path) -> None:
    assert eventually(lambda: not processes_naming(project)), processes_naming(project)
    assert eventually(lambda: not list((project / "tmp").iterdir())), list((project / "tmp").iterdir())
    assert not leftovers(project / "build")


def fails_leaving_build_as_it_was(project: Path, *args: str) -> list[str]:
    before = snapshot(project / "build")
    result = run_cli("build", "--templates", "templates", *args)
    assert result.code == 1
    assert result.out == ""
    assert snapshot(project / "build") == before
    assert result.err.splitlines()[-1] == UNTOUCHED
    nothing_left_running_or_lying_about(project)
    return result.err.splitlines()[:-1]


def beredning(project: Path, *args: str, **options) -> subprocess.Popen:
    """`beredning build` as the secretary starts it, in a process of its own."""
    return subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--templates", "templates", *args],
                            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **options)


# --- external programs -------------------------------------------------------------------------------

def test_pandoc_failing(project):
    (project / "templates" / "pdf" / "rensa.lua").write_text("this is not lua(", "utf-8")
    lines = fails_leaving_build_as_it_was(project, "--pdf-engine", "typst")
    assert lines[0].startswith("pandoc misslyckades: ")
    assert "rensa.lua" in "\n".join(lines)


def test_typst_failing(project):
    typ = project / "templates" / "pdf" / "dokument.typ"
    typ.write_text(typ.read_text("utf-8").replace("#set page(", "#set page(nonsense: 1, "), "utf-8")
    lines = fails_leaving_build_as_it_was(project, "--pdf-engine", "typst")
    assert lines[0].startswith("Typst kunde inte göra PDF av Uppdrag Trivsel och trygghetsberedningen: ")
    assert "nonsense" in lines[0]


def test_pandoc_hanging_is_stopped(project, monkeypatch):
    monkeypatch.setenv("BEREDNING_TIMEOUT", "0.001")
    assert fails_leaving_build_as_it_was(project, "--pdf-engine", "typst") == [
        "pandoc blev inte klart inom 0.001 s och avbröts"]


def test_libreoffice_hanging_is_stopped_and_leaves_no_process(project):
    """LibreOffice hangs for real: the test stops (SIGSTOP) the LibreOffice its own build started, the
    moment it runs, and the build's time limit for a document ends it."""
    require("libreoffice")
    before = snapshot(project / "build")
    build = beredning(project, "--pdf-engine", "libreoffice", env={**os.environ, "BEREDNING_TIMEOUT": "5"})
    office = eventually(lambda: [pid for pid, command in running_naming(project / "tmp").items()
                                 if "soffice.bin" in command], 60)
    assert office, "LibreOffice never started"
    for pid in office:
        os.kill(pid, signal.SIGSTOP)
    out, err = build.communicate(timeout=120)
    assert (build.returncode, out) == (1, "")
    assert err.splitlines() == ["LibreOffice blev inte klart inom 5 s och avbröts", UNTOUCHED]
    assert snapshot(project / "build") == before
    nothing_left_running_or_lying_about(project)


def test_libreoffice_runs_before_the_build_has_read_its_sources_and_is_ended_if_unused(project):
    """The head start itself (pipeline/cli.py): within `started_ahead`, before anything of the build, a
    LibreOffice of this test's own runs; left unused, it is gone at the block's end."""
    require("libreoffice")
    from pipeline.libreoffice import started_ahead

    with started_ahead("libreoffice", ("docx", "pdf")):
        assert eventually(lambda: converting(project), 60), "LibreOffice did not start ahead"
    nothing_left_running_or_lying_about(project)
    with started_ahead("libreoffice", ("docx", "html")):  # no PDF: nothing to start
        time.sleep(1)
        assert not processes_naming(project / "tmp")


def test_sources_that_stop_the_build_end_the_libreoffice_started_for_it(project):
    """LibreOffice starts while the build reads its sources (pipeline/cli.py); sources that stop the build
    end it at once, without waiting for it to come up, and nothing of it is left."""
    require("libreoffice")
    path = project / "sources" / "uppdrag.yaml"
    path.write_text(path.read_text("utf-8").replace("ort: Limmared", "ort: [Limmared"), "utf-8")
    before = snapshot(project / "build")
    result = run_cli("build", "--templates", "templates", "--pdf-engine", "libreoffice")
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines()[-1] == "1 fel i källorna; ingenting har byggts och byggmappen är orörd."
    assert snapshot(project / "build") == before
    nothing_left_running_or_lying_about(project)


# --- killed and interrupted builds ---------------------------------------------------------------------

def converting(project: Path) -> bool:
    return any("soffice.bin" in command for command in processes_naming(project / "tmp"))


def libreoffice_sockets(project: Path) -> tuple[Path, ...]:
    """The sockets in /tmp of the LibreOffice this project's build runs (its scratch folder, its
    profile): those of other builds on the machine are not looked at."""
    from pipeline.libreoffice import sockets_of
    scratch, = (project / "tmp").glob("beredning-lo-*")
    return sockets_of((scratch / "profile").as_uri(), scratch.name)


@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGKILL, -signal.SIGKILL, None),
    (signal.SIGTERM, 143, "Avbrutet (SIGTERM): ingenting har byggts och byggmappen är orörd."),
    (signal.SIGINT, 130, "Avbrutet (Ctrl-C): ingenting har byggts och byggmappen är orörd."),
], ids=["SIGKILL", "SIGTERM", "Ctrl-C"])
def test_a_build_stopped_while_libreoffice_converts_leaves_nothing_behind(project, signum, code, message):
    require("libreoffice")
    old, new = hashes(project / "build"), reference(project, "--pdf-engine", "libreoffice")
    build = beredning(project, "--pdf-engine", "libreoffice")
    assert eventually(lambda: converting(project), 60), "LibreOffice never started"
    sockets = libreoffice_sockets(project)
    assert eventually(lambda: all(socket.exists() for socket in sockets), 60), "named wrongly, or never made"
    build.send_signal(signum)
    out, err = build.communicate(timeout=60)
    assert build.returncode == code
    assert err.splitlines() == ([message] if message else [])
    nothing_left_running_or_lying_about(project)
    assert eventually(lambda: not any(socket.exists() for socket in sockets)), "LibreOffice's sockets left in /tmp"
    assert each_old_or_new(project / "build", old, new) == []
    assert run_cli("build", "--templates", "templates", "--pdf-engine", "libreoffice").code == 0
    assert hashes(project / "build") == new


@pytest.mark.parametrize("delay", [0.3, 0.9, 1.5, 2.1, 2.7])  # loading, rendering, typesetting, writing
def test_a_build_killed_at_any_moment_leaves_whole_files(project, delay):
    old, new = hashes(project / "build"), reference(project, "--pdf-engine", "typst")
    build = beredning(project, "--pdf-engine", "typst")
    time.sleep(delay)
    build.kill()
    build.wait()
    assert each_old_or_new(project / "build", old, new) == []
    assert run_cli("build", "--templates", "templates", "--pdf-engine", "typst").code == 0
    assert hashes(project / "build") == new
    nothing_left_running_or_lying_about(project)


def test_a_signal_while_files_are_renamed_waits_until_all_are_in_place():
    with stopping_cleanly_on_signals():
        with pytest.raises(Interrupted) as stop:
            with uninterrupted():
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.05)  # the signal has been handled here, and held back
                renamed = True
        assert renamed and stop.value.published


def test_a_build_killed_while_renaming_is_finished_by_the_next(project):
    """The moment between two renames is too short to hit with a signal, so the test stops a build
    there by hand: the files are written and journalled, one is renamed, and then nothing more."""
    from pipeline.publish import claim, _prepare

    old, new = hashes(project / "build"), reference(project, "--pdf-engine", "typst")
    files = {name: (project / "referens" / name).read_bytes() for name in new}
    swaps = _prepare(project / "build", files)
    os.replace(swaps[0].new, swaps[0].target)
    assert each_old_or_new(project / "build", old, new) == []
    with claim(project / "build"):
        pass
    assert hashes(project / "build") == new
    assert not leftovers(project / "build")


# --- the build folder ----------------------------------------------------------------------------------

def test_a_build_folder_that_is_a_file(project):
    (project / "elsewhere").write_text("a file, not a folder", "utf-8")
    result = run_cli("build", "--build", "elsewhere", "--formats", "docx")
    assert (result.code, result.err.splitlines()) == (1, [
        "elsewhere: kunde inte skriva i byggmappen (det finns redan en fil med det namnet)", UNTOUCHED])


def test_an_output_that_cannot_be_replaced_leaves_every_file_as_it_was(project):
    """Like a file locked by another program: the build changes none of the others either."""
    locked = project / "build" / "uppdrag.html"  # after uppdrag.docx and .pdf in the build's order
    subprocess.run(["chattr", "+i", str(locked)], check=True)
    try:
        lines = fails_leaving_build_as_it_was(project, "--pdf-engine", "typst")
    finally:
        subprocess.run(["chattr", "-i", str(locked)], check=True)
    assert lines == ["build/uppdrag.html: kunde inte ersättas (åtgärden är inte tillåten; filen kan vara låst "
                     "eller skrivskyddad); inga filer i byggmappen har bytts ut"]
    new = reference(project, "--pdf-engine", "typst")
    assert run_cli("build", "--templates", "templates", "--pdf-engine", "typst").code == 0
    assert hashes(project / "build") == new


def test_a_file_size_limit_leaves_no_half_written_file(project):
    """The build may write at most 20 kB per file: not enough for a Word file. Word files only: the Typst
    source of the handover is larger than its smallest Word file, so a PDF build fails before publishing."""
    def small_files():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (20 * 1024, 20 * 1024))

    before = snapshot(project / "build")
    result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--formats", "docx"], cwd=project,
                            capture_output=True, text=True, preexec_fn=small_files, check=False)
    assert (result.returncode, result.stderr.splitlines()) == (1, [
        "build/uppdrag.docx: kunde inte skrivas (filen blir större än systemet tillåter); "
        "inga filer i byggmappen har bytts ut", UNTOUCHED])
    assert snapshot(project / "build") == before
    nothing_left_running_or_lying_about(project)


FULL_DISK = """
set -e
mount -t tmpfs -o size=64m tmpfs "$1"
cp -a "$2"/. "$1"/
free=$(df --output=avail -B1 "$1" | tail -1)
fallocate -l $((free - $3)) "$1/.utfyllnad" 2>/dev/null || head -c $((free - $3)) /dev/zero > "$1/.utfyllnad"
rm -r "$2"/* "$2"/.byggstatus.json
set +e
"$4" -m pipeline build --templates templates --formats docx,html --build "$1"
echo "exit=$?"
rm "$1/.utfyllnad"
cp -a "$1"/. "$2"/
"""


@pytest.mark.parametrize("free_kb", [0, 24, 40, 48, 52, 56, 400])  # each phase of publishing runs out once
def test_a_full_disk_at_any_point_is_a_message_and_replaces_nothing(project, free_kb):
    """The build folder on a small file system of the test's own (a tmpfs in a mount namespace that
    ends with the test), with only so much room left."""
    old, new = hashes(project / "build"), reference(project, "--formats", "docx,html")
    result = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", FULL_DISK, "sh",
                             "/mnt", str(project / "build"), str(free_kb * 1024), sys.executable],
                            cwd=project, capture_output=True, text=True, check=False)
    lines = result.stdout.splitlines() + result.stderr.splitlines()
    if "exit=0" in lines:
        assert hashes(project / "build") == {**old, **new}
    else:
        assert "exit=1" in lines, lines
        assert lines[-1] == UNTOUCHED
        assert lines[-2].endswith(": kunde inte skrivas (disken är full); inga filer i byggmappen har bytts ut")
        assert hashes(project / "build") == old
    assert not leftovers(project / "build")
    nothing_left_running_or_lying_about(project)


# --- two builds, one folder ----------------------------------------------------------------------------

def test_a_second_build_into_the_same_folder_waits_for_the_first(project):
    from pipeline.publish import claim

    with claim(project / "build"):
        build = beredning(project, "--formats", "docx")
        assert build.stderr.readline() == "build: en annan byggning pågår i byggmappen; väntar tills den är klar ...\n"
        time.sleep(0.5)
        assert build.poll() is None
    out, err = build.communicate(timeout=60)
    assert (build.returncode, err) == (0, "")
    assert out.splitlines()[0] == "byggde     build/uppdrag.docx"


def test_two_builds_at_once_into_one_folder_never_mix(project):
    other = copy_sources(project / "sources", project / "andra")
    (other / "uppdrag.yaml").write_text((other / "uppdrag.yaml").read_text("utf-8").replace(
        "ort: Limmared", "ort: Dalstorp"), "utf-8")
    mine = reference(project, "--formats", "docx,html")
    theirs_result = run_cli("build", "--templates", "templates", "--sources", "andra", "--build", "referens2",
                            "--formats", "docx,html")
    assert theirs_result.code == 0
    theirs = hashes(project / "referens2")
    for _ in range(4):
        builds = [beredning(project, "--formats", "docx,html"),
                  beredning(project, "--formats", "docx,html", "--sources", "andra")]
        for build in builds:
            out, err = build.communicate(timeout=120)
            assert build.returncode == 0, err
        built = {name: digest for name, digest in hashes(project / "build").items() if name in mine}
        assert built in (mine, theirs)  # all of one build, never some files of each
        assert not leftovers(project / "build")
    nothing_left_running_or_lying_about(project)


@pytest.mark.parametrize("status", ["null", "[]", '"text"', '{"uppdrag.docx": 1}', '{"uppdrag.docx": {"sha256": []}}',
                                    "{", b"\xff\xfe\x00", "folder", "fifo"])
def test_a_broken_or_foreign_status_file_means_build_everything(project, status):
    path = project / "build" / ".byggstatus.json"
    path.unlink()
    if status == "folder":
        path.mkdir()
    elif status == "fifo":
        os.mkfifo(path)
    else:
        path.write_bytes(status if isinstance(status, bytes) else status.encode())
    if status == "folder":  # a status that cannot be replaced by a file: said so, nothing changed
        lines = fails_leaving_build_as_it_was(project, "--formats", "docx")
        assert lines == ["build/.byggstatus.json: kunde inte ersättas (det är en mapp, inte en fil); "
                         "inga filer i byggmappen har bytts ut"]
        return
    result = run_cli("build", "--templates", "templates", "--formats", "docx")
    assert result.code == 0, result.err
    assert result.out.splitlines()[:3] == ["byggde     build/uppdrag.docx", "byggde     build/sammanstallning.docx",
                                           "byggde     build/overlamnande.docx"]
    again = run_cli("build", "--templates", "templates", "--formats", "docx")
    assert all(line.startswith("oförändrad") for line in again.out.splitlines())


# --- the locale ----------------------------------------------------------------------------------------

def test_the_locale_of_the_machine_changes_no_byte(project):
    """`LC_ALL=C` (or no locale at all) gives the same files as a UTF-8 locale."""
    folders = {}
    for locale in ("C.UTF-8", "C", "POSIX"):
        environment = {**os.environ, "LC_ALL": locale, "LANG": locale}
        result = subprocess.run([sys.executable, "-m", "pipeline", "build", "--templates", "templates",
                                 "--build", f"bygg-{locale}", "--pdf-engine", "typst"], cwd=project,
                                env=environment, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        folders[locale] = hashes(project / f"bygg-{locale}")
    assert folders["C"] == folders["C.UTF-8"] == folders["POSIX"]
    html = (project / "bygg-C" / "overlamnande.html").read_text("utf-8")
    assert "<title>Översyn av Policy för integrationsarbetet</title>" in html


def test_a_folder_that_cannot_be_put_back_names_the_files_that_are_new(project, monkeypatch):
    """The rare case the message must not hide: a rename fails and so does putting an earlier file back.
    The file system's refusals are simulated in our own rename calls; everything else is real."""
    from pipeline import publish

    old = hashes(project / "build")
    real_replace, calls = os.replace, []

    def failing_replace(source, target):
        calls.append(Path(target).name)
        if Path(target).name == "uppdrag.html" or (Path(target).name == "uppdrag.docx" and calls.count("uppdrag.docx") == 2):
            raise OSError(errno.EIO, "Input/output error")
        return real_replace(source, target)

    with monkeypatch.context() as patched:
        patched.setattr(publish.os, "replace", failing_replace)
        result = run_cli("build", "--templates", "templates", "--pdf-engine", "typst")
    assert result.code == 1
    assert result.err.splitlines() == [
        "build/uppdrag.html: kunde inte ersättas (läsfel på disken), och byggmappen kunde inte återställas helt: "
        "de här filerna är redan nya, de andra är som förut: build/uppdrag.docx; bygg igen när felet är åtgärdat"]
    changed = [name for name, digest in hashes(project / "build").items() if digest != old[name]]
    assert changed == ["uppdrag.docx"]
    assert not leftovers(project / "build")
    assert run_cli("build", "--templates", "templates", "--pdf-engine", "typst").code == 0
    assert hashes(project / "build") == reference(project, "--pdf-engine", "typst")


def test_a_folder_its_build_was_killed_before_locking_is_removed_by_the_next(tmp_path, monkeypatch):
    """A build killed between making a scratch folder and locking it leaves the folder empty, with only
    its maker's process number in its name: the next build removes it, never one whose maker still runs."""
    from pipeline import scratch

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    abandoned = tmp_path / f"beredning-typst-{ended.pid}-abc123"
    being_made = tmp_path / f"beredning-typst-{os.getpid()}-def456"
    someone_elses = tmp_path / "beredning-utan-bygge-ghi789"
    for folder in (abandoned, being_made, someone_elses):
        folder.mkdir()
    with scratch.scratch_folder("typst") as mine:
        assert sorted(tmp_path.iterdir()) == sorted([being_made, someone_elses, mine])
        assert mine.name.startswith(f"beredning-typst-{os.getpid()}-")
