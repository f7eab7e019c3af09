"""`make bench`: the build's time and memory at every size, against the peers, in one run.

Every figure is of a whole process, as the secretary starts it (`beredning
build`), with the peak resident memory of its whole process tree (pandoc,
the Typst workers, LibreOffice included; bench/tree.py). For 20, 200 and
2,000 meetings (bench/committee.py: one dialogue per six meetings, one goal
per hundred) and each PDF engine it measures a full build, a build with
nothing changed (and that it rewrote no file), and a rebuild after one
meeting changed, with the build's own seconds per stage. In the same run,
the peers on the same work (bench/peers.py):
- raw docxtpl on the compilation's template and sources as plain strings;
- pandoc alone: the compilation's record as Markdown → .docx, the template as reference;
- LibreOffice alone converting the finished .docx files of the 2,000-meeting
  build to PDF: `soffice --convert-to pdf`, one process for all of them (one
  process per file would take 340 starts, a peer no one would choose).

It writes build/bench/results.json and docs/benchmarks.md (with the machine)
and fails if it leaves any process behind. `BENCH_SIZES=20,200` for a quick run; `BENCH_OUT=DIR`
writes both files into DIR instead.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from committee import write_committee  # noqa: E402
from tree import become_subreaper, left_behind, measure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SIZES = tuple(int(n) for n in os.environ.get("BENCH_SIZES", "20,200,2000").split(","))
TODAY = "2040-01-01"  # the process rules' day: the same warnings whatever the calendar says
STAGES = ("read and check", "render", "pdf", "html", "proof", "publish")
TARGETS = {
    "overhead_vs_raw_docxtpl": 1.3,
    "build_vs_libreoffice_alone": 1.0,
    "peak_tree_mib_2000": 400,
    "scale_ratio_10x": 10.0,
    "example_full_s": 1.0,
    "example_unchanged_s": 0.15,
}


def beredning(*args: str, times: Path | None = None):
    env = {**os.environ, "BEREDNING_IDAG": TODAY}
    if times:
        env["BEREDNING_STAGE_TIMES"] = str(times)
    return measure([str(BIN / "beredning"), *args], env=env)


def snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def builds(sources: Path, out: Path, engine: str, scratch: Path) -> dict:
    """Full build, nothing changed, one meeting changed: seconds, peak MiB, stages, files."""
    times = scratch / "stages.json"
    full = beredning("build", str(sources), "--build", str(out), "--pdf-engine", engine, times=times)
    if full.returncode:
        raise SystemExit(f"the build of {sources} failed:\n{full.stderr[-3000:]}")
    stages = json.loads(times.read_text())
    before = snapshot(out)
    unchanged = beredning("build", str(sources), "--build", str(out), "--pdf-engine", engine)
    rewritten = sorted(name for name, mtime in snapshot(out).items() if before.get(name) != mtime)
    record = sources / "sammankomster.yaml"
    record.write_text(record.read_text("utf-8").replace("Gäst nummer 0\n", "Gäst nummer noll\n", 1), "utf-8")
    changed = beredning("build", str(sources), "--build", str(out), "--pdf-engine", engine)
    return {"full_s": round(full.seconds, 2), "peak_tree_mib": round(full.peak_mib),
            "stages_s": {name: round(stages.get(name, 0.0), 2) for name in STAGES},
            "unchanged_s": round(unchanged.seconds, 3), "unchanged_rewrote": rewritten,
            "one_meeting_changed_s": round(changed.seconds, 2),
            "one_meeting_changed_built": changed.stdout.count("byggde "),
            "files": len(before)}


def example(engine: str, scratch: Path) -> dict:
    out = scratch / f"example-{engine}"
    full = beredning("build", str(ROOT / "sources"), "--build", str(out), "--pdf-engine", engine)
    before = snapshot(out)
    unchanged = min((beredning("build", str(ROOT / "sources"), "--build", str(out), "--pdf-engine", engine)
                     for _ in range(3)), key=lambda m: m.seconds)
    return {"full_s": round(full.seconds, 2), "peak_tree_mib": round(full.peak_mib),
            "unchanged_s": round(unchanged.seconds, 3),
            "unchanged_rewrote": sorted(n for n, m in snapshot(out).items() if before.get(n) != m)}


def libreoffice_alone(docx_folder: Path, scratch: Path) -> dict:
    """LibreOffice converting every finished .docx to PDF: one soffice, its own profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    files = sorted(str(p) for p in docx_folder.rglob("*.docx"))
    profile = scratch / "lo-profile"
    run = measure([soffice, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf", "--outdir", str(scratch / "lo-alone"), *files])
    return {"seconds": round(run.seconds, 2), "peak_tree_mib": round(run.peak_mib), "files": len(files)}


def pandoc_alone(sources: Path, scratch: Path) -> float:
    """pandoc alone: the record as Markdown (a table per period) → .docx with the template as reference."""
    import yaml
    import pypandoc

    record = yaml.safe_load((sources / "sammankomster.yaml").read_text("utf-8"))
    lines = []
    for period in record["perioder"]:
        lines += [f"## {period['rubrik']}", "", period.get("beskrivning", ""), "",
                  "| Datum | Sammankomst | Innehåll | Dokument |", "|---|---|---|---|"]
        for meeting in period["sammankomster"]:
            contents = "; ".join(str(item) for item in meeting.get("innehåll", []))
            lines.append(f"| {meeting['datum']} | {meeting.get('rubrik', meeting['typ'])} | {contents} | "
                         f"{'; '.join(meeting.get('dokument', []))} |")
        lines.append("")
    markdown = scratch / "record.md"
    markdown.write_text("\n".join(lines), "utf-8")
    run = measure([pypandoc.get_pandoc_path(), str(markdown), "-o", str(scratch / "record.docx"),
                   f"--reference-doc={ROOT / 'templates' / 'sammanstallning.docx'}"])
    return round(run.seconds, 2)


def peers(sources: Path, scratch: Path) -> dict:
    out = scratch / "peers.json"
    run = measure([sys.executable, str(ROOT / "bench" / "peers.py"), str(sources), str(out)])
    if run.returncode:
        raise SystemExit(f"bench/peers.py failed:\n{run.stderr[-3000:]}")
    return {key: round(value, 3) for key, value in json.loads(out.read_text()).items()}


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown cpu")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def engines() -> list[str]:
    from pipeline.libreoffice import is_available

    return ["typst", *(["libreoffice"] if is_available() else [])]


def verdicts(results: dict) -> list[tuple[str, str, str]]:
    """(target, measured, met) for docs/benchmarks.md."""
    rows = []
    overhead = results.get("overhead_vs_raw_docxtpl")
    if overhead is not None:
        rows.append(("render ≤ 1.3× raw docxtpl (compilation, largest size)", f"{overhead:.2f}×", overhead <= 1.3))
    for engine, ratio in results.get("build_vs_libreoffice_alone", {}).items():
        rows.append((f"whole {engine} build ≤ LibreOffice alone (largest size)", f"{ratio:.2f}×", ratio <= 1.0))
    for engine, mib in results.get("peak_tree_mib_2000", {}).items():
        rows.append((f"peak memory of the tree ≤ 400 MiB, {engine}, largest size", f"{mib} MiB", mib <= 400))
    for engine, ratio in results.get("scale_ratio_10x", {}).items():
        rows.append((f"10× the meetings ≤ 10× the time, {engine}", f"{ratio:.2f}×", ratio <= 10))
    for engine, figures in results.get("example", {}).items():
        rows.append((f"example full build ≤ 1.0 s, {engine}", f"{figures['full_s']} s", figures["full_s"] <= 1.0))
        rows.append((f"example, nothing changed ≤ 0.15 s, rewriting nothing, {engine}",
                     f"{figures['unchanged_s']} s, {len(figures['unchanged_rewrote'])} rewritten",
                     figures["unchanged_s"] <= 0.15 and not figures["unchanged_rewrote"]))
    return [(target, measured, "yes" if met else "**no**") for target, measured, met in rows]


def markdown(results: dict) -> str:
    lines = ["# Benchmarks", "",
             "Written by `make bench` (bench/run.py); every figure is a whole `beredning build` process, memory the",
             "peak resident set of its whole process tree. Earlier results: this file's git history and",
             "docs/benchmarks-before-issue-12.md (the older bench).", "",
             f"Run {results['when']} on {results['machine']}.", "", "## Targets", "",
             "| target | measured | met |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m} | {ok} |" for t, m, ok in verdicts(results)]
    lines += ["", "## Builds", "",
              "| engine | meetings | files | full s | peak MiB | nothing changed s | rewritten | one meeting changed s "
              "| rebuilt | " + " | ".join(f"{s} s" for s in STAGES) + " |",
              "| --- " * (9 + len(STAGES)) + "|"]
    for engine, sizes in results["builds"].items():
        for size, r in sizes.items():
            lines.append(f"| {engine} | {size} | {r['files']} | {r['full_s']} | {r['peak_tree_mib']} | "
                         f"{r['unchanged_s']} | {len(r['unchanged_rewrote'])} | {r['one_meeting_changed_s']} | "
                         f"{r['one_meeting_changed_built']} | "
                         + " | ".join(str(r["stages_s"][s]) for s in STAGES) + " |")
    lines += ["", "Stages are the build's own seconds, summed over its documents (`pdf` includes the contents' page "
              "numbers; with Typst also the web page, which pandoc writes from the same reading of the Word file as "
              "the PDF's Typst, so `html` is 0 there); documents are converted while others render, so the stages "
              "overlap and may add up to more than the build.", "",
              "## Peers on the same work (largest size)", "", "| work | seconds |", "| --- | --- |"]
    peer = results["peers"]
    lines += [f"| render of the compilation: ours | {peer['ours_s']} |",
              f"| render of the compilation: raw docxtpl, same template and sources as plain strings | "
              f"{peer['raw_docxtpl_s']} |",
              f"| pandoc alone: the record as Markdown → .docx, the template as reference | {results['pandoc_alone_s']} |"]
    if results.get("libreoffice_alone"):
        alone = results["libreoffice_alone"]
        lines.append(f"| LibreOffice alone: {alone['files']} finished .docx → PDF, one process "
                     f"(peak {alone['peak_tree_mib']} MiB) | {alone['seconds']} |")
    lines += ["", "## Example committee (sources/)", "", "| engine | full s | peak MiB | nothing changed s |",
              "| --- | --- | --- | --- |"]
    lines += [f"| {e} | {r['full_s']} | {r['peak_tree_mib']} | {r['unchanged_s']} |"
              for e, r in results["example"].items()]
    return "\n".join(lines) + "\n"


def main() -> int:
    become_subreaper()
    results: dict = {"machine": machine(), "when": time.strftime("%Y-%m-%d %H:%M"), "sizes": list(SIZES),
                     "builds": {}, "example": {}}
    largest = SIZES[-1]
    with tempfile.TemporaryDirectory(prefix="beredning-bench-") as tmp:
        scratch = Path(tmp)
        for engine in engines():
            results["example"][engine] = example(engine, scratch)
            results["builds"][engine] = {}
            for size in SIZES:
                folder = scratch / f"{engine}-{size}"
                sources = write_committee(folder / "sources", size)
                results["builds"][engine][size] = builds(sources, folder / "build", engine, folder)
                print(f"{engine} {size}: {results['builds'][engine][size]['full_s']} s", file=sys.stderr)
        fresh = write_committee(scratch / "peer-sources", largest)
        results["peers"] = peers(fresh, scratch)
        results["pandoc_alone_s"] = pandoc_alone(fresh, scratch)
        if "libreoffice" in results["builds"]:
            results["libreoffice_alone"] = libreoffice_alone(scratch / f"typst-{largest}" / "build", scratch)
    results["overhead_vs_raw_docxtpl"] = round(results["peers"]["ours_s"] / results["peers"]["raw_docxtpl_s"], 2)
    if results.get("libreoffice_alone"):
        results["build_vs_libreoffice_alone"] = {
            engine: round(sizes[largest]["full_s"] / results["libreoffice_alone"]["seconds"], 2)
            for engine, sizes in results["builds"].items()}
    results["peak_tree_mib_2000"] = {engine: sizes[largest]["peak_tree_mib"] for engine, sizes in results["builds"].items()}
    if len(SIZES) > 1 and SIZES[-1] == 10 * SIZES[-2]:
        results["scale_ratio_10x"] = {engine: round(sizes[largest]["full_s"] / sizes[SIZES[-2]]["full_s"], 2)
                                      for engine, sizes in results["builds"].items()}
    results["targets"] = TARGETS
    results["left_behind"] = left_behind()
    # BENCH_OUT: another folder for both files (the suite's run of the bench writes nothing into the project).
    target = Path(os.environ.get("BENCH_OUT", ROOT / "build" / "bench"))
    table = target / "benchmarks.md" if "BENCH_OUT" in os.environ else ROOT / "docs" / "benchmarks.md"
    target.mkdir(parents=True, exist_ok=True)
    (target / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    table.write_text(markdown(results), "utf-8")
    print(markdown(results))
    if results["left_behind"]:
        print(f"the bench left processes running: {', '.join(results['left_behind'])}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
