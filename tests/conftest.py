"""Shared builds: the example sources and the Tierp example, built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import SOURCES, TIERP, require, run_cli

ENGINES = ["typst", "libreoffice"]


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


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    require(request.param)
    return request.param


@pytest.fixture(scope="session")
def pdfs(engine, tmp_path_factory) -> dict[str, Path]:
    """The example sources and the Tierp example as PDFs from `engine`, each beside its Word file."""
    out = tmp_path_factory.mktemp(f"pdf-{engine}")
    for sources, folder in ((SOURCES, out / "exempel"), (TIERP, out / "tierp")):
        result = run_cli("build", "--sources", sources, "--build", folder, "--formats", "docx,pdf",
                         "--pdf-engine", engine)
        assert result.code == 0, result.err
    return {
        "uppdrag": out / "exempel" / "uppdrag.pdf",
        "sammanstallning": out / "exempel" / "sammanstallning.pdf",
        "overlamnande": out / "exempel" / "overlamnande.pdf",
        "tierp": out / "tierp" / "sammanstallning.pdf",
        "handlingsplan": out / "exempel" / "handlingsplan.pdf",
        "underlag-vagledningsdebatt": out / "exempel" / "underlag-vagledningsdebatt.pdf",
        "aterkoppling": out / "exempel" / "aterkoppling" / "enkat-trygghet.pdf",
    }
