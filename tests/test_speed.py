"""What the build's speed rests on, as behaviour (the timings themselves are `make bench`'s):
a build with nothing changed does nothing, a changed source rebuilds only what uses it, and a build
starts pandoc once and LibreOffice once, leaving no process behind; so does `make bench`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline import libreoffice, pandoc
from support import ROOT, SOURCES, WORD, copy_sources, require, run_cli, snapshot

HEAVY = ("pydantic", "yaml", "ruamel", "pipeline.model", "pipeline.build", "docxtpl", "docx", "pikepdf", "typst",
         "pymupdf", "jinja2", "pipeline.render", "pipeline.typesetting", "pipeline.libreoffice_pdf", "pipeline.proof")


def build_in_a_process(sources: Path, out: Path, *options: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    """`beredning build` in a process of its own, and which of the pipeline's heavy modules it loaded."""
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
         f"print(sorted(set({HEAVY!r}) & set(sys.modules)), file=sys.stderr); sys.exit(code)",
         "build", str(sources), "--build", str(out), *options], capture_output=True, text=True, check=False)
    *told, loaded = run.stderr.splitlines() or [""]
    run.stderr = "".join(f"{line}\n" for line in told)
    return run, eval(loaded) if loaded.startswith("[") else [loaded]  # noqa: S307 (our own print)


def test_a_build_with_nothing_changed_rewrites_nothing_and_loads_no_converter(tmp_path):
    sources, out = copy_sources(SOURCES, tmp_path / "sources"), tmp_path / "build"
    assert run_cli("build", sources, "--build", out, *WORD).code == 0
    before = snapshot(out)
    again, loaded = build_in_a_process(sources, out, *WORD)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"oförändrad {out}: alla 8 filer är redan aktuella"]
    assert loaded == []  # not the models, not the renderer, not a converter, not a PDF engine
    assert snapshot(out) == before  # not a byte, not a time stamp


def test_a_build_with_nothing_changed_tells_the_warnings_and_skipped_documents_again(tmp_path):
    sources, out = copy_sources(SOURCES, tmp_path / "sources"), tmp_path / "build"
    (sources / "handlingsplan.yaml").unlink()
    dialogues = sources / "medborgardialoger.yaml"
    dialogues.write_text(dialogues.read_text("utf-8").replace(
        "    återkoppling:\n      datum: 2018-04-24\n      sätt: Besök i klassen av två ledamöter\n"
        "      innehåll: |\n        Ledamöterna berättade vilka av ungdomarnas synpunkter som finns med\n"
        "        i förslaget.\n", ""), "utf-8")
    first, loaded = build_in_a_process(sources, out, *WORD, "--idag", "2018-06-01")
    assert first.returncode == 0 and "pipeline.build" in loaded, first.stderr
    assert "varning: dialogen 'fokusgrupp-unga' hölls för 99 dagar sedan" in first.stderr
    again, loaded = build_in_a_process(sources, out, *WORD, "--idag", "2018-06-01")
    assert (again.returncode, loaded, again.stderr) == (0, [], first.stderr)
    assert again.stdout.splitlines() == [f"oförändrad {out}: alla 7 filer är redan aktuella",
                                         "hoppade över handlingsplan.docx: källan handlingsplan.yaml finns inte"]
    assert first.stdout.splitlines()[-1] == again.stdout.splitlines()[-1]


def _edit_an_output(sources: Path, out: Path) -> None:
    (out / "uppdrag.docx").write_bytes((out / "uppdrag.docx").read_bytes() + b"\0")


def _remove_an_output(sources: Path, out: Path) -> None:
    (out / "aterkoppling" / "fokusgrupp-unga.docx").unlink()


def _add_a_comment(sources: Path, out: Path) -> None:
    (sources / "uppdrag.yaml").write_text((sources / "uppdrag.yaml").read_text("utf-8") + "# anteckning\n", "utf-8")


def _kill_a_publishing(sources: Path, out: Path) -> None:
    (out / ".publicering.json").write_text("[]", "utf-8")


def _nothing(sources: Path, out: Path) -> None:
    pass


@pytest.mark.parametrize("change, options, rebuilt", [
    (_edit_an_output, [], ["uppdrag.docx"]),
    (_remove_an_output, [], ["aterkoppling/fokusgrupp-unga.docx"]),
    (_add_a_comment, [], []),
    (_kill_a_publishing, [], []),
    (_nothing, ["--idag", "2019-01-01"], []),  # the process's deadlines count from another day
    (_nothing, ["--strict"], []),  # warnings are errors now
], ids=["output-edited", "output-removed", "comment-added", "publishing-killed", "another-day", "strict"])
def test_the_last_builds_record_stands_only_for_exactly_what_it_was_made_from(tmp_path, change, options, rebuilt):
    """Anything the record does not vouch for takes the full build, which remakes only what it must;
    the build after that finds nothing changed again."""
    sources, out = copy_sources(SOURCES, tmp_path / "sources"), tmp_path / "build"
    assert run_cli("build", sources, "--build", out, *WORD).code == 0
    change(sources, out)
    options = [*WORD, *options]
    again, loaded = build_in_a_process(sources, out, *options)
    assert again.returncode == 0, again.stderr
    assert "pipeline.build" in loaded
    assert built(again) == rebuilt
    then, loaded = build_in_a_process(sources, out, *options)
    assert (then.returncode, loaded) == (0, [])
    assert then.stdout.startswith(f"oförändrad {out}: alla ")


def built(result) -> list[str]:
    told = result.out if hasattr(result, "out") else result.stdout
    return sorted(line.split()[1].split("/build/", 1)[1] for line in told.splitlines() if line.startswith("byggde"))


def test_a_changed_dialogue_rebuilds_only_the_documents_that_tell_it(tmp_path):
    sources, out = copy_sources(SOURCES, tmp_path / "sources"), tmp_path / "build"
    assert run_cli("build", sources, "--build", out, *WORD).code == 0
    dialogues = sources / "medborgardialoger.yaml"
    dialogues.write_text(dialogues.read_text("utf-8").replace(
        "Jag vill stanna om det finns jobb här.", "Jag vill stanna om det finns arbete här."), "utf-8")
    again = run_cli("build", sources, "--build", out, *WORD)
    assert again.code == 0, again.err
    # The handover and the guidance material tell every dialogue; of the letters, only this dialogue's.
    assert built(again) == ["aterkoppling/fokusgrupp-unga.docx", "overlamnande.docx",
                            "underlag-vagledningsdebatt.docx"]


def test_a_changed_meeting_leaves_the_assignment_and_the_letters_alone(tmp_path):
    sources, out = copy_sources(SOURCES, tmp_path / "sources"), tmp_path / "build"
    assert run_cli("build", sources, "--build", out, *WORD).code == 0
    record = sources / "sammankomster.yaml"
    text = record.read_text("utf-8")
    record.write_text(text.replace("Genomgång: Uppdraget och processhjulet",
                                   "Genomgång: Uppdraget och processhjulet igen"), "utf-8")
    again = run_cli("build", sources, "--build", out, *WORD)
    assert again.code == 0, again.err
    assert built(again) == ["overlamnande.docx", "sammanstallning.docx", "underlag-vagledningsdebatt.docx"]


class Started:
    """Every process the build starts itself, by its program (the real programs run)."""

    def __init__(self, monkeypatch):
        self.commands: list[list[str]] = []
        self.processes: list[subprocess.Popen] = []
        real = subprocess.Popen

        class Counting(real):
            def __init__(inner, args, *rest, **options):
                self.commands.append([str(a) for a in args])
                super().__init__(args, *rest, **options)
                self.processes.append(inner)

        monkeypatch.setattr(subprocess, "Popen", Counting)

    def count(self, program: str) -> int:
        return sum(program in " ".join(command) for command in self.commands)


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_a_build_starts_pandoc_once_and_leaves_no_process(tmp_path, monkeypatch, engine):
    require(engine)
    started = Started(monkeypatch)
    result = run_cli("build", SOURCES, "--build", tmp_path / "build", "--pdf-engine", engine)
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 24  # eight documents, three formats each
    conversions = [command for command in started.commands
                   if command[0] == pandoc.pandoc_path() and command[1:] != ["--version"]]  # pypandoc's probe aside
    assert len(conversions) == 1  # for every Markdown field, Typst source and web page
    if engine == "libreoffice":
        assert started.count(str(libreoffice.WORKER)) == 1  # one LibreOffice for all eight PDFs
    else:
        assert 1 <= started.count("typst_worker.py") <= os.cpu_count()  # Typst ran, one worker per core at most
    assert [process.poll() is not None for process in started.processes] == [True] * len(started.processes)


def test_a_typst_worker_that_ends_itself_is_replaced_not_sent_another_document(tmp_path, monkeypatch):
    """A worker grown past its limit ends after its answer; the next document goes to a new worker,
    never to the one that is ending (which failed a 2,000-meeting build once)."""
    from pipeline import typesetting

    monkeypatch.setattr(typesetting, "WORKER_MIB", 0)  # every worker ends after its first document
    monkeypatch.setattr(typesetting, "WORKERS", typesetting.TypstWorkers())  # none from an earlier build's limit
    started = Started(monkeypatch)
    result = run_cli("build", SOURCES, "--build", tmp_path / "build", "--pdf-engine", "typst", "--formats", "pdf")
    assert result.code == 0, result.err
    pdfs = [line for line in result.out.splitlines() if line.startswith("byggde") and line.endswith(".pdf (Typst)")]
    assert len(pdfs) == 8
    assert started.count("typst_worker.py") == len(pdfs)  # one worker per document, each ended by itself
    assert [process.poll() is not None for process in started.processes] == [True] * len(started.processes)


def test_a_pandoc_grown_large_is_replaced_and_makes_the_same_files(tmp_path, monkeypatch):
    """pandoc ends itself after a document that made it large; the next conversion gets a new one,
    with the lean reference templates made again in its own scratch folder."""
    assert run_cli("build", SOURCES, "--build", tmp_path / "once", "--pdf-engine", "typst").code == 0
    monkeypatch.setattr(pandoc, "SERVER_MIB", 0)  # pandoc ends after every conversion
    monkeypatch.setattr(pandoc.SERVER, "_child", None)  # none started with another limit
    started = Started(monkeypatch)
    result = run_cli("build", SOURCES, "--build", tmp_path / "restarted", "--pdf-engine", "typst")
    assert result.code == 0, result.err
    conversions = [command for command in started.commands
                   if command[0] == pandoc.pandoc_path() and command[1:] != ["--version"]]
    # A pandoc for each conversion: one per document, its Typst and web page from one reading (the Markdown
    # fields' conversions are remembered from the first build).
    assert len(conversions) == 8
    assert [process.poll() is not None for process in started.processes] == [True] * len(started.processes)
    documents = [{name: data for name, (_, data) in snapshot(tmp_path / folder).items() if not name.startswith(".")}
                 for folder in ("once", "restarted")]
    assert documents[0] == documents[1] and len(documents[0]) == 24


def test_the_markdown_fields_go_to_pandoc_before_any_other_conversion():
    """The renderer waits for the Markdown fields: while their thread is within `first()`, another
    thread's conversion waits for it, also between its conversions (render.fields_ahead)."""
    server, done, others_turn = pandoc.PandocServer(), [], threading.Event()
    template = ROOT / "templates" / "uppdrag.docx"

    def another_conversion() -> None:
        others_turn.wait()
        server.convert("markdown-docx", json.dumps(["Ett annat fält."]).encode(), reference=template)
        done.append("another")

    other = threading.Thread(target=another_conversion)
    try:
        with server.first():
            other.start()
            others_turn.set()
            time.sleep(0.5)  # more than a conversion takes, had it not waited
            assert done == []
            server.convert("markdown-docx", json.dumps(["Ett *fält*."]).encode(), reference=template)
            done.append("fields")
        other.join(timeout=60)
        assert done == ["fields", "another"]
    finally:
        server.close()


ENDING_CHILD = """
import sys, time
line = sys.stdin.buffer.readline()
sys.stdout.buffer.write(b"ok 2 last\\nhi")
sys.stdout.buffer.flush()
time.sleep(0.5)  # a large worker takes a moment to give its memory back
"""


def test_a_child_that_says_it_ends_gets_no_further_request(tmp_path):
    from pipeline.child import Child

    script = tmp_path / "ending_child.py"
    script.write_text(ENDING_CHILD, "utf-8")
    child = Child([sys.executable, str(script)], dict(os.environ), None)
    try:
        first = child.running().pid
        assert child.request({}, b"", 10) == (True, b"hi")
        assert child.request({}, b"", 10) == (True, b"hi")  # from a new process, not the ending one
        assert child.running().pid != first
    finally:
        child.stop(at_once=True)


def test_make_bench_leaves_no_process_behind(tmp_path):
    """The bench itself, on a committee of six meetings: it fails if any process it started outlives it."""
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py")], capture_output=True, text=True,
                         env={**os.environ, "BENCH_SIZES": "6", "BENCH_OUT": str(tmp_path)}, check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert results["left_behind"] == []
    assert {"overhead_vs_raw_docxtpl", "peak_tree_mib_2000", "builds", "peers"} <= set(results)
    assert all(figures["6"]["unchanged_rewrote"] == [] for figures in results["builds"].values())
    assert "| target | measured | met |" in (tmp_path / "benchmarks.md").read_text("utf-8")
