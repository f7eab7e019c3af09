"""No input crashes the pipeline: whatever the loader accepts, a later stage handles.

The small valid sources of the bad-source corpus are mutated at random (a value replaced by
awkward text, a line deleted, doubled or re-indented, a character inserted, the file cut short)
and built as the secretary would. Every result is a build (exit 0) or messages (exit 1); an
exception anywhere fails the test with its traceback, and Hypothesis shrinks it to the smallest
mutation that shows it. Examples are derandomized, so CI tries the same cases every run.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_sources import ALL
from support import run_cli

AWKWARD = [
    "", "~", "null", "no", "yes", "0", "-1", "1e309", "0x1F", "12:30", "2018-02-30", "2018-13", "99999999999999999999",
    "[]", "{}", "[a, b]", "{a: b}", "'", '"', "&a", "*a", "!!binary aGVq", "!!python/name:os.system", "- x", "? x",
    ": x", "#", "|", ">", "@", "`", "%", "\u00a0", "\ufeff", "a\u030a", "\u202e", "ሰላም", "مرحبا", "{{ x }}",
    "{% if %}", "</w:t>", "<div>", "= rubrik", "*", "**", "```", "\\", "../../etc/passwd", "bilder/x.png", "x" * 500,
]
_VALUE = re.compile(r"^(\s*(?:- )?[^:#\n]+:\s)(.*)$")


@st.composite
def mutated(draw) -> dict[str, str]:
    files = dict(ALL)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        lines = files[name].split("\n")
        at = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["value", "delete", "double", "indent", "insert", "cut"]))
        text = draw(st.one_of(st.sampled_from(AWKWARD), st.text(max_size=12)))
        if how == "value" and _VALUE.match(lines[at]):
            lines[at] = _VALUE.sub(lambda m: m[1] + text, lines[at])
        elif how == "delete":
            del lines[at]
        elif how == "double":
            lines.insert(at, lines[at])
        elif how == "indent":
            lines[at] = " " * draw(st.integers(0, 12)) + lines[at].lstrip()
        elif how == "insert":
            column = draw(st.integers(0, len(lines[at])))
            lines[at] = lines[at][:column] + text + lines[at][column:]
        else:
            lines = lines[:at]
        files[name] = "\n".join(lines)
    return files


_counter = itertools.count()


@settings(max_examples=80, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(files=mutated())
def test_any_mutation_of_the_sources_gives_a_build_or_messages(files, tmp_path):
    folder = tmp_path / f"fall-{next(_counter)}"
    sources = folder / "sources"
    sources.mkdir(parents=True)
    for name, text in files.items():
        (sources / name).write_text(text, "utf-8", errors="surrogatepass")
    result = run_cli("build", "--sources", sources, "--build", folder / "build", "--formats", "docx")
    assert result.code in (0, 1), result.err
    if result.code == 1:
        assert result.err.splitlines()[-1].endswith("byggmappen är orörd."), result.err
