"""What the build's speed rests on, as behaviour (the timings themselves are `make bench`'s):
a build with nothing changed does nothing, a changed source rebuilds only what uses it, and a build
starts pandoc once and LibreOffice once, leaving no process behind; so does `make bench`."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from pipeline import libreoffice, pandoc
from support import ROOT, SOURCES, WORD, copy_sources, require, run_cli, snapshot

HEAVY = ("docxtpl", "docx", "pikepdf", "typst", "pymupdf", "jinja2", "pipeline.render", "pipeline.typesetting",
         "pipeline.libreoffice_pdf", "pipeline.proof")


def test_a_build_with_nothing_changed_rewrites_nothing_and_loads_no_converter(tmp_path):
    sources, out = copy_sources(SOURCES, tmp_path / "sources"), tmp_path / "build"
    assert run_cli("build", sources, "--build", out, *WORD).code == 0
    before = snapshot(out)
    again = subprocess.run(
        [sys.executable, "-c", "import sys; from pipeline.cli import main; code = main(sys.argv[1:]); "
         f"print(sorted(set({HEAVY!r}) & set(sys.modules)), file=sys.stderr); sys.exit(code)",
         "build", str(sources), "--build", str(out), *WORD], capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [f"oförändrad {out}: alla 8 filer är redan aktuella"]
    assert again.stderr.strip() == "[]"  # not one of the renderer's, converters' or PDF engines' modules
    assert snapshot(out) == before  # not a byte, not a time stamp


def built(result) -> list[str]:
    return sorted(line.split()[1].split("/build/", 1)[1] for line in result.out.splitlines()
                  if line.startswith("byggde"))


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
    assert started.count(pandoc.pandoc_path()) == 1  # for every Markdown field, Typst source and web page
    if engine == "libreoffice":
        assert started.count(str(libreoffice.WORKER)) == 1  # one LibreOffice for all eight PDFs
    else:
        assert 1 <= started.count("typst_worker.py") <= os.cpu_count()  # Typst ran, one worker per core at most
    assert [process.poll() is not None for process in started.processes] == [True] * len(started.processes)


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
