"""Pictures (a logo) are opened when the sources are checked: a truncated, mislabelled, damaged or
oversized file is a message at its line, never a crash in a later stage; a picture larger than print
needs is scaled down, so both PDF engines show it."""

from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import docx
import pikepdf
import pytest
from PIL import Image

from pipeline.pictures import PRINT_DPI
from support import SOURCES, copy_sources, require, run_cli, snapshot
from test_safety import png, with_logo

LOGO = "bilder/logotyp.png"


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_sources(SOURCES, tmp_path / "sources")
    (tmp_path / "sources" / "bilder").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims `width` × `height` pixels and holds next to none: what a checker must not decode."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def picture(kind: str, size: tuple[int, int] = (60, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, kind)
    return out.getvalue()


def refused(project: Path, value: str = LOGO) -> str:
    """Build with the logo `value`: the single message the secretary reads, with its place."""
    line = with_logo(project, value)
    (project / "build").mkdir(exist_ok=True)
    before = snapshot(project / "build")
    result = run_cli("build", "--formats", "docx")
    assert result.code == 1
    assert snapshot(project / "build") == before
    assert result.err.splitlines()[1:] == ["1 fel i källorna; ingenting har byggts och byggmappen är orörd."]
    prefix = f"sources/uppdrag.yaml:{line}:10: "
    assert result.err.startswith(prefix)
    return result.err.splitlines()[0].removeprefix(prefix)


@pytest.mark.parametrize("content, message", [
    (png(400, 200)[:-60], "bilden 'bilder/logotyp.png' är skadad eller ofullständig och kan inte läsas; spara den på nytt"),
    (png(400, 200)[:200], "bilden 'bilder/logotyp.png' är skadad eller ofullständig och kan inte läsas; spara den på nytt"),
    (b"\x89PNG\r\n\x1a\n" + b"junk" * 250, "bilden 'bilder/logotyp.png' är skadad eller ofullständig och kan inte "
                                          "läsas; spara den på nytt"),
    (picture("JPEG"), "'bilder/logotyp.png' är en JPEG-bild men heter .png; byt filändelse till .jpg"),
    (picture("GIF"), "'bilder/logotyp.png' är en GIF-bild; bara PNG och JPEG kan användas"),
    (png_header(20000, 20000), "bilden 'bilder/logotyp.png' har 20000 × 20000 bildpunkter, över 40 miljoner; spara "
                               "den i lägre upplösning (en logotyp behöver sällan över 1 000 punkter på höjden)"),
    (png_header(60000, 60000), "bilden 'bilder/logotyp.png' har 60000 × 60000 bildpunkter, över 40 miljoner; spara "
                               "den i lägre upplösning (en logotyp behöver sällan över 1 000 punkter på höjden)"),
    (png() + b"\0" * (5 * 1024 * 1024), "bilden 'bilder/logotyp.png' är större än 5 MB; spara den mindre"),
], ids=["avkortad PNG", "bara början av en PNG", "PNG-signatur och skräp", "JPEG som heter .png", "GIF som heter .png",
        "20000 × 20000", "60000 × 60000", "över 5 MB"])
def test_a_picture_that_cannot_go_into_a_document_is_named_at_its_line(project, content, message):
    (project / "sources" / LOGO).write_bytes(content)
    assert refused(project) == message


def test_a_truncated_jpeg_is_found(project):
    (project / "sources" / "bilder" / "logotyp.jpg").write_bytes(picture("JPEG", (800, 600))[:-400])
    assert refused(project, "bilder/logotyp.jpg") == ("bilden 'bilder/logotyp.jpg' är skadad eller ofullständig och "
                                                      "kan inte läsas; spara den på nytt")


def test_links_in_a_loop(project):
    os.symlink("b.png", project / "sources" / "bilder" / "a.png")
    os.symlink("a.png", project / "sources" / "bilder" / "b.png")
    assert refused(project, "bilder/a.png") == ("bilden 'bilder/a.png' kan inte öppnas (symboliska länkar pekar i "
                                                "en ring)")


def test_a_name_too_long_for_the_file_system(project):
    name = "bilder/" + "a" * 300 + ".png"
    assert refused(project, name) == f"bilden '{name}' kan inte öppnas (namnet är för långt)"


@pytest.mark.parametrize("engine", ["typst", "libreoffice"])
def test_a_picture_larger_than_print_needs_is_scaled_down_and_shown_by_both_engines(project, engine):
    require(engine)
    (project / "sources" / LOGO).write_bytes(picture("PNG", (6000, 6000)))  # 36 megapixels, allowed
    with_logo(project, LOGO)
    result = run_cli("build", "--formats", "docx,pdf", "--pdf-engine", engine)
    assert result.code == 0, result.err
    document = docx.Document("build/uppdrag.docx")
    [shape] = document.inline_shapes
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip.embed
    with Image.open(io.BytesIO(document.part.related_parts[blip].blob)) as embedded:
        assert embedded.size == (round(18 / 25.4 * PRINT_DPI),) * 2  # 18 mm at 300 dpi
    with pikepdf.open("build/uppdrag.pdf") as pdf:
        [image] = pdf.pages[0].get_images().values()
        assert image.Height == round(18 / 25.4 * PRINT_DPI)


def test_a_small_picture_goes_in_as_it_is(project):
    data = picture("PNG", (120, 60))
    (project / "sources" / LOGO).write_bytes(data)
    with_logo(project, LOGO)
    assert run_cli("build", "--formats", "docx").code == 0
    document = docx.Document("build/uppdrag.docx")
    blip = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blip].blob == data
