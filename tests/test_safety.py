"""Safety: pictures only from inside the sources folder, no network, YAML never runs code."""

from __future__ import annotations

import http.server
import os
import socket
import threading
import zlib
import struct
from pathlib import Path

import docx
import pikepdf
import pytest

from support import SOURCES, copy_sources, figures, run_cli


def png(width: int = 40, height: int = 20) -> bytes:
    """A small real PNG, made here so the test needs no image library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_sources(SOURCES, tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def with_logo(project: Path, value: str) -> int:
    path = project / "sources" / "uppdrag.yaml"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("ämne:"))
    lines.insert(at, f"logotyp: {value}\n")
    path.write_text("".join(lines), "utf-8")
    return at + 1


@pytest.mark.parametrize("said, alt", [
    ("Tranemo kommuns logotyp: ett blått T över tre vågor", "Tranemo kommuns logotyp: ett blått T över tre vågor"),
    (None, "Tranemo kommuns logotyp"),
], ids=["from the sources", "unsaid"])
def test_a_logo_reaches_word_pdf_and_web_page_saying_what_it_shows(project, engine, said, alt):
    """The picture's text, from the sources, is the Word file's description, the PDF Figure's /Alt with
    the picture as its content (never an artifact: a screen reader skips those), the web page's alt."""
    (project / "sources" / "bilder").mkdir()
    (project / "sources" / "bilder" / "logotyp.png").write_bytes(png())
    with_logo(project, "bilder/logotyp.png" + (f"\nlogotyp_text: '{said}'" if said else ""))
    result = run_cli("build", "--formats", "docx,pdf,html", "--pdf-engine", engine)
    assert result.code == 0, result.err
    document = docx.Document("build/uppdrag.docx")
    assert len(document.inline_shapes) == 1
    assert f'descr="{alt}"' in document.element.xml
    with pikepdf.open("build/uppdrag.pdf") as pdf:
        assert len(list(pdf.pages[0].get_images())) == 1
    assert figures(Path("build/uppdrag.pdf")) == [(alt, True)]
    assert f'alt="{alt}"' in Path("build/uppdrag.html").read_text("utf-8")


@pytest.mark.parametrize("value, message", [
    ("../hemlig.png", "'../hemlig.png' ska vara en sökväg inuti källmappen, som 'bilder/logotyp.png' "
                      "(inte börja med / och inte innehålla ..)"),
    ("/etc/bild.png", "'/etc/bild.png' ska vara en sökväg inuti källmappen, som 'bilder/logotyp.png' "
                      "(inte börja med / och inte innehålla ..)"),
    ("bilder/logotyp.gif", "'bilder/logotyp.gif' ska vara en bild i PNG- eller JPEG-format (.png, .jpg)"),
    ("bilder/saknas.png", "bilden 'bilder/saknas.png' finns inte i källmappen"),
])
def test_a_picture_outside_the_sources_or_not_there_is_refused(project, value, message):
    line = with_logo(project, value)
    result = run_cli("build", "--formats", "docx")
    assert result.code == 1
    assert result.err.splitlines()[0] == f"sources/uppdrag.yaml:{line}:10: {message}"


def test_a_link_out_of_the_sources_folder_is_refused(project):
    outside = project / "utanför.png"
    outside.write_bytes(png())
    (project / "sources" / "bilder").mkdir()
    os.symlink(outside, project / "sources" / "bilder" / "logotyp.png")
    line = with_logo(project, "bilder/logotyp.png")
    result = run_cli("build", "--formats", "docx")
    assert result.err.splitlines()[0] == (f"sources/uppdrag.yaml:{line}:10: 'bilder/logotyp.png' pekar ut ur "
                                          "källmappen (via en symbolisk länk); lägg bilden i källmappen")


def test_a_file_that_is_not_a_picture_is_refused(project):
    (project / "sources" / "bilder").mkdir()
    (project / "sources" / "bilder" / "logotyp.png").write_text("inte en bild", "utf-8")
    line = with_logo(project, "bilder/logotyp.png")
    result = run_cli("build", "--formats", "docx")
    assert result.err.splitlines()[0] == f"sources/uppdrag.yaml:{line}:10: 'bilder/logotyp.png' är ingen PNG- eller JPEG-bild"


class Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 (the http.server API)
        Counting.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(png())

    def log_message(self, *args):
        pass


def test_the_pipeline_opens_no_network_connection(project, monkeypatch):
    """A Markdown field pointing at a web image and a local file: neither is fetched, by pandoc or by Python."""
    server = http.server.HTTPServer(("127.0.0.1", 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/bild.png"
    path = project / "sources" / "overlamnande.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "sammanfattning: |\n", f"sammanfattning: |\n  ![extern bild]({url}) och ![fil](/etc/hostname)\n\n"), "utf-8")

    def refuse(*args, **kwargs):
        raise AssertionError("the pipeline tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    try:
        result = run_cli("build", "--pdf-engine", "typst")
    finally:
        monkeypatch.undo()
        server.shutdown()
    assert result.code == 0, result.err
    assert Counting.requests == []


def test_yaml_tags_never_run_code(project):
    marker = project / "körd"
    path = project / "sources" / "uppdrag.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "ort: Tranemo", f"ort: !!python/object/apply:os.system ['touch {marker}']"), "utf-8")
    result = run_cli("build", "--formats", "docx")
    assert not marker.exists()
    assert result.code == 1
    assert "förväntade en text, fick en lista" in result.err
