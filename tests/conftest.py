"""Shared builds: the example sources and the Tierp example, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import SOURCES, TIERP, run_cli


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = run_cli("build", "--sources", SOURCES, "--build", out)
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="session")
def tierp_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tierp")
    result = run_cli("build", "--sources", TIERP, "--build", out)
    assert result.code == 0, result.err
    return out
