"""`make bench`: how the build's time and memory grow with the number of meetings.

For each size it writes a synthetic committee (the example sources with N
meetings spread over periods of ten), then times in a fresh process each:
a full build, a build with nothing changed, and a rebuild after one meeting
changed. Peak memory is the process's maximum resident set. Results are
printed and appended to bench/RESULTS.md with the machine they came from.

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


def timed_build(sources: Path, out: Path) -> tuple[float, int]:
    """Seconds and peak kB of one `beredning build` in its own process."""
    code = ("import resource, sys, time; from pipeline.cli import main; t = time.perf_counter(); "
            "c = main(['build', '--sources', sys.argv[1], '--build', sys.argv[2]]); "
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); "
            "sys.exit(c)")
    result = subprocess.run([sys.executable, "-c", code, str(sources), str(out)],
                            capture_output=True, text=True, check=True)
    seconds, peak = result.stderr.split()[-2:]
    return float(seconds), int(peak)


def measure(meetings: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        sources, out = Path(tmp) / "sources", Path(tmp) / "build"
        synthetic_sources(sources, meetings)
        full, peak = timed_build(sources, out)
        noop, _ = timed_build(sources, out)
        path = sources / "sammankomster.yaml"
        path.write_text(path.read_text("utf-8").replace("Gäst nummer 0\n", "Gäst nummer noll\n", 1), "utf-8")
        changed, _ = timed_build(sources, out)
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
