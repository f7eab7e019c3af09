"""`make bench`: how the build's time and memory grow with the number of meetings.

For each size it writes a synthetic committee (the example sources with N
meetings spread over periods of ten), then times in a fresh process each:
a full build, a build with nothing changed, and a rebuild after one meeting
changed. Peak memory is the process's maximum resident set. Results are
printed and appended to bench/RESULTS.md with the machine they came from.

It measures what the build's proof (every word in every format, pipeline/proof.py)
costs of a full build, on the example and on 2,000 meetings, with each PDF engine.

It also runs every case of the bad-source corpus (tests/bad_sources.py) as
the secretary would, `beredning build` in a fresh process, and reports the
slowest.

Targets (checked here, never in a unit test): a build with nothing changed
under 1 s; time per meeting roughly constant as the record grows (linear);
every bad source answered within 2 s.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SIZES = (20, 200, 1000)
PROOF_MEETINGS = 2000
NOOP_TARGET_SECONDS = 1.0
BAD_SOURCE_TARGET_SECONDS = 2.0


def synthetic_sources(folder: Path, meetings: int) -> None:
    """The example sources with `meetings` meetings, ten to a period."""
    shutil.copytree(ROOT / "sources", folder)
    periods = []
    day = date(2017, 1, 2)
    for p in range(0, meetings, 10):
        rows = []
        for m in range(p, min(p + 10, meetings)):
            rows.append({
                "datum": day.isoformat(), "typ": "sammanträde",
                "innehåll": [{"Besök": f"Gäst nummer {m}"}, {"Genomgång": ["Nuläget", f"Punkt {m}"]}],
                "dokument": [f"Dokument {m}"],
            })
            day += timedelta(days=3)
        periods.append({"rubrik": f"Period {p // 10 + 1}", "beskrivning": f"Periodens *arbete* nummer {p // 10 + 1}.",
                        "sammankomster": rows})
    text = yaml.safe_dump({"exempeldata": True, "perioder": periods}, allow_unicode=True, sort_keys=False)
    (folder / "sammankomster.yaml").write_text(text, "utf-8")


_TIMED = """
import resource, sys, time
import pipeline.build as build
from pipeline.cli import main

proving = [0.0]
prove = build.prove

def timed_prove(*args, **kwargs):
    started = time.perf_counter()
    try:
        return prove(*args, **kwargs)
    finally:
        proving[0] += time.perf_counter() - started

build.prove = timed_prove
started = time.perf_counter()
code = main(["build", "--sources", sys.argv[1], "--build", sys.argv[2], "--pdf-engine", sys.argv[3]])
print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, proving[0], file=sys.stderr)
sys.exit(code)
"""


def timed_build(sources: Path, out: Path, engine: str = "auto") -> tuple[float, int, float]:
    """Seconds, peak kB, and the seconds of the build's proof (pipeline/proof.py), of one `beredning
    build` in its own process."""
    result = subprocess.run([sys.executable, "-c", _TIMED, str(sources), str(out), engine],
                            capture_output=True, text=True, check=True)
    seconds, peak, proving = result.stderr.split()[-3:]
    return float(seconds), int(peak), float(proving)


def proof_cost(meetings: int | None, engine: str) -> str:
    """The build's proof as a share of a full build: of the example, or of `meetings` synthetic ones."""
    with tempfile.TemporaryDirectory() as tmp:
        sources = ROOT / "sources" if meetings is None else Path(tmp) / "sources"
        if meetings is not None:
            synthetic_sources(sources, meetings)
        full, _, proving = timed_build(sources, Path(tmp) / "build", engine)
    what = "the example" if meetings is None else f"{meetings} meetings"
    return f"{what}, {engine}: proof {proving:.2f} s of a {full:.2f} s full build ({100 * proving / full:.0f} %)"


def measure(meetings: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        sources, out = Path(tmp) / "sources", Path(tmp) / "build"
        synthetic_sources(sources, meetings)
        full, peak, _ = timed_build(sources, out)
        noop, _, _ = timed_build(sources, out)
        path = sources / "sammankomster.yaml"
        path.write_text(path.read_text("utf-8").replace("Gäst nummer 0\n", "Gäst nummer noll\n", 1), "utf-8")
        changed, _, _ = timed_build(sources, out)
    return {"meetings": meetings, "full_s": round(full, 2), "noop_s": round(noop, 2),
            "one_change_s": round(changed, 2), "peak_mb": round(peak / 1024), "ms_per_meeting": round(1000 * full / meetings, 1)}


def bad_sources() -> tuple[int, float, str, float, str]:
    """(cases, slowest seconds, slowest case, and the same for the broken cases alone) for the corpus,
    each case in its own process."""
    sys.path.insert(0, str(ROOT / "tests"))
    from bad_sources import CASES

    slowest, which, slowest_broken, which_broken = 0.0, "", 0.0, ""
    for case in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "sources"
            case.write(folder)
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline", "build", "--sources", str(folder), "--build",
                            str(Path(tmp) / "build"), "--formats", "docx"], capture_output=True, check=False)
            seconds = time.perf_counter() - started
            if seconds > slowest:
                slowest, which = seconds, case.name
            if case.code == 1 and seconds > slowest_broken:
                slowest_broken, which_broken = seconds, case.name
    return len(CASES), slowest, which, slowest_broken, which_broken


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown cpu")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> int:
    rows = [measure(n) for n in SIZES]
    engine = "LibreOffice" if __import__("pipeline.libreoffice").libreoffice.is_available() else "Typst"
    header = f"| meetings (PDF: {engine}) | full build s | nothing changed s | one meeting changed s | peak MB | ms per meeting |"
    lines = [header, "| ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['meetings']} | {r['full_s']} | {r['noop_s']} | {r['one_change_s']} | {r['peak_mb']} | {r['ms_per_meeting']} |"
              for r in rows]
    verdicts = [f"nothing changed under {NOOP_TARGET_SECONDS} s: "
                f"{'yes' if all(r['noop_s'] < NOOP_TARGET_SECONDS for r in rows) else 'NO'}"]
    growth = rows[-1]["full_s"] / rows[-2]["full_s"] / (rows[-1]["meetings"] / rows[-2]["meetings"])
    verdicts.append(f"growth from {rows[-2]['meetings']} to {rows[-1]['meetings']} meetings relative to linear: {growth:.2f}")
    engines = ["typst"] + (["libreoffice"] if engine == "LibreOffice" else [])
    verdicts += [proof_cost(meetings, name) for meetings in (None, PROOF_MEETINGS) for name in engines]
    cases, slowest, which, slowest_broken, which_broken = bad_sources()
    verdicts.append(f"bad-source corpus: {cases} cases, slowest {slowest:.2f} s ('{which}', a whole process, "
                    f"building); slowest broken one {slowest_broken:.2f} s ('{which_broken}'); "
                    f"under {BAD_SOURCE_TARGET_SECONDS} s: {'yes' if slowest < BAD_SOURCE_TARGET_SECONDS else 'NO'}")
    report = "\n".join([f"## {time.strftime('%Y-%m-%d %H:%M')} on {machine()}", "", *lines, "", *[f"- {v}" for v in verdicts], ""])
    print(report)
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as results:
        results.write("\n" + report)
    print(json.dumps(rows), file=sys.stderr)
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
