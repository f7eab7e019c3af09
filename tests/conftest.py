"""Shared builds: the example sources and the Tierp example, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import SOURCES, TIERP, run_cli


def _built(factory, name: str, sources: Path) -> Path:
    out = factory.mktemp(name)
    result = run_cli("build", "--sources", sources, "--build", out, "--formats", "docx,html")
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, "build", SOURCES)


@pytest.fixture(scope="session")
def tierp_build(tmp_path_factory) -> Path:
    return _built(tmp_path_factory, "tierp", TIERP)
