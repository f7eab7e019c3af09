"""The bad-source corpus (tests/bad_sources.py): every case gives exactly its Swedish message with
file, line and column, exit code 1, no traceback, and leaves the build folder as it was.

How long each case takes is measured by `make bench`, not asserted here.
"""

from __future__ import annotations

import pytest

from bad_sources import CASES, Case
from support import run_cli, snapshot


def test_the_corpus_is_large_enough():
    assert len([case for case in CASES if case.code == 1]) >= 40


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bad_source(case: Case, tmp_path, monkeypatch):
    case.write(tmp_path / "sources")
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "uppdrag.docx").write_bytes(b"the document from the last good build")
    before = snapshot(tmp_path / "build")
    monkeypatch.chdir(tmp_path)
    result = run_cli("build", "--formats", "docx")  # a traceback would fail this test by itself
    assert result.code == case.code, result.err
    if case.code == 1:
        assert result.err.splitlines() == [
            *case.expected, f"{len(case.expected)} fel i källorna; ingenting har byggts och byggmappen är orörd."]
        assert snapshot(tmp_path / "build") == before
