"""Word opens every built file as its own: valid against the OOXML schema (openxml-audit, the
Microsoft 365 rules), not in compatibility mode, with no part that says something untrue (app.xml's
"Microsoft Macintosh Word", one page, no words; a blank thumbnail; a stale stylesWithEffects)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pymupdf
import pytest
import yaml
from fontTools.ttLib import TTFont
from lxml import etree

from support import SOURCES, copy_sources, require, run_cli

AUDIT = Path(sys.executable).parent / "openxml-audit"
VOICES = ["ሰላም ትግርኛ ቋንቋ ናይ ዓዲ", "مرحبا بكم في ترانيمو"]
ETHIOPIC_OR_ARABIC = re.compile("[\u1200-\u139f\u0600-\u06ff]")


def with_voices(sources: Path, voices: list[str]) -> None:
    path = sources / "medborgardialoger.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["dialoger"][0]["resultat"]["röster"] += voices
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


@pytest.fixture(scope="module")
def word_files(example_build, tierp_build, tmp_path_factory) -> list[Path]:
    """Every kind of Word file the pipeline writes: the three documents, the Tierp compilation, a
    cover letter, and the handover of a summary with a numbered list and a heading and of voices in
    Tigrinya and Arabic (with their fonts embedded)."""
    sources = copy_sources(SOURCES, tmp_path_factory.mktemp("lists") / "sources")
    path = sources / "overlamnande.yaml"
    path.write_text(path.read_text("utf-8").replace(
        "sammanfattning: |", "sammanfattning: |\n  ## Kort\n\n  1. ett\n  2. två\n\n  - a\n  - b\n", 1), "utf-8")
    with_voices(sources, VOICES)
    out = tmp_path_factory.mktemp("utskick")
    result = run_cli("distribute", "--sources", sources, "--build", out, "--pdf-engine", "typst")
    assert result.code == 0, result.err
    return [*(example_build / f"{name}.docx" for name in ("uppdrag", "sammanstallning", "overlamnande")),
            tierp_build / "sammanstallning.docx", out / "overlamnande.docx",
            out / "utskick" / "centerpartiet" / "foljebrev.docx"]


def audit(path: Path) -> dict:
    result = subprocess.run([str(AUDIT), "--format", "microsoft365", "--output", "json", "--max-errors", "0", str(path)],
                            capture_output=True, text=True, check=False)
    return json.loads(result.stdout)[0]


def test_openxml_audit_finds_nothing_in_any_word_file(word_files):
    reports = [audit(path) for path in word_files]
    findings = {report["file"]: [e.get("description", e) for e in report["errors"]]
                for report in reports if report["error_count"] or report["warning_count"]}
    assert findings == {}
    assert all(report["verdict"]["prediction"] == "opens-clean" for report in reports)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_word_opens_them_in_its_own_mode_with_no_untrue_parts(word_files):
    for path in word_files:
        files = parts(path)
        settings = etree.fromstring(files["word/settings.xml"])
        modes = [s.get(f"{W}val") for s in settings.iter(f"{W}compatSetting") if s.get(f"{W}name") == "compatibilityMode"]
        assert modes == ["15"], path
        assert not {"docProps/app.xml", "docProps/thumbnail.jpeg", "word/stylesWithEffects.xml"} & set(files), path
        assert b"thumbnail" not in files["_rels/.rels"] and b"stylesWithEffects" not in files["word/_rels/document.xml.rels"]


def test_the_style_that_cut_markdown_apart_is_not_left_in_the_styles(word_files):
    for path in word_files:
        styles = etree.fromstring(parts(path)["word/styles.xml"])
        assert [s.get(f"{W}styleId") for s in styles.iter(f"{W}style") if s.get(f"{W}styleId", "").startswith("Beredning")] == []


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2.1's contrast ratio of a colour against white."""
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return 1.05 / (0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b) + 0.05)


def test_every_text_style_is_readable_on_white(word_files):
    """WCAG 1.4.3: 4.5:1 for text; given as a colour of its own, since Word takes a theme colour
    (the default theme's #4F81BD, 4.0:1) over the colour written beside it."""
    for path in word_files:
        styles = etree.fromstring(parts(path)["word/styles.xml"])
        for style in styles.iter(f"{W}style"):
            if style.get(f"{W}type") not in ("paragraph", "character"):
                continue
            for colour in style.iter(f"{W}color"):
                value = colour.get(f"{W}val")
                assert colour.get(f"{W}themeColor") is None, (path.name, style.get(f"{W}styleId"))
                if value and value != "auto":
                    assert contrast_on_white(value) >= 4.5, (path.name, style.get(f"{W}styleId"), value)


# --- the fonts travel with the file ----------------------------------------------------------

@pytest.fixture(scope="module")
def with_tigrinya_and_arabic(tmp_path_factory) -> Path:
    sources = copy_sources(SOURCES, tmp_path_factory.mktemp("skrifter") / "sources")
    with_voices(sources, VOICES)
    out = sources.parent / "build"
    result = run_cli("build", "--sources", sources, "--build", out, "--formats", "docx")
    assert result.code == 0, result.err
    return out / "overlamnande.docx"


def embedded_fonts(path: Path) -> dict[str, TTFont]:
    """The fonts embedded in a Word file, by name, deobfuscated (ECMA-376 Part 1, 17.8.1)."""
    files = parts(path)
    table = etree.fromstring(files["word/fontTable.xml"])
    targets = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(files["word/_rels/fontTable.xml.rels"])}
    fonts = {}
    for font in table.iter(f"{W}font"):
        for embedded in font:
            if embedded.tag.startswith(f"{W}embed"):
                key = bytes.fromhex(embedded.get(f"{W}fontKey").strip("{}").replace("-", ""))[::-1]
                data = bytearray(files["word/" + targets[embedded.get(R + "id")]])
                data[:32] = bytes(b ^ key[i % 16] for i, b in enumerate(data[:32]))
                fonts[f"{font.get(W + 'name')} {embedded.tag.removeprefix(W + 'embed')}"] = TTFont(io.BytesIO(bytes(data)))
    return fonts


def test_the_fonts_of_scripts_beyond_latin_are_embedded_as_subsets(with_tigrinya_and_arabic):
    fonts = embedded_fonts(with_tigrinya_and_arabic)
    assert sorted(fonts) == ["Noto Sans Arabic Bold", "Noto Sans Arabic Regular", "Noto Sans Ethiopic Bold",
                             "Noto Sans Ethiopic Regular"]
    ethiopic = set(fonts["Noto Sans Ethiopic Regular"].getBestCmap())
    assert {ord(c) for c in VOICES[0] if c != " "} <= ethiopic and len(ethiopic) < 40  # a subset
    assert {ord(c) for c in VOICES[1] if c != " "} <= set(fonts["Noto Sans Arabic Regular"].getBestCmap())
    settings = parts(with_tigrinya_and_arabic)["word/settings.xml"].decode()
    assert "<w:embedTrueTypeFonts/>" in settings and "<w:saveSubsetFonts/>" in settings


def drawn_in_libreoffice_without_those_fonts(docx: bytes, tmp_path: Path, monkeypatch) -> list[tuple[str, str]]:
    """(font, text) of every piece of Tigrinya or Arabic in the PDF LibreOffice makes of `docx` when
    the only fonts it has are Noto Sans's Latin ones."""
    import pipeline.libreoffice

    require("libreoffice")
    latin = tmp_path / "latin"
    latin.mkdir()
    for font in pipeline.libreoffice.FONTS.glob("NotoSans-*.ttf"):
        (latin / font.name).write_bytes(font.read_bytes())
    monkeypatch.setattr(pipeline.libreoffice, "FONTS", latin)
    with pipeline.libreoffice.LibreOffice() as office:
        pdf = office.pdf(docx)
    drawn = []
    with pymupdf.open(stream=pdf) as document:
        for page in document:
            for span in page.get_texttrace():
                text = "".join(chr(c[0]) for c in span["chars"])
                if ETHIOPIC_OR_ARABIC.search(text):
                    drawn.append((span["font"].split("+")[-1], text))
    return drawn


def test_libreoffice_without_the_fonts_draws_tigrinya_and_arabic_from_the_word_file(
        with_tigrinya_and_arabic, tmp_path, monkeypatch):
    drawn = drawn_in_libreoffice_without_those_fonts(with_tigrinya_and_arabic.read_bytes(), tmp_path, monkeypatch)
    assert sorted(font for font, _ in drawn) == ["NotoSansArabic-Regular", "NotoSansEthiopic-Regular"]
    # Arabic in the order of the eye, as drawn; every letter of both voices is there.
    assert {c for _, text in drawn for c in text if c != " "} == {c for voice in VOICES for c in voice if c != " "}


def test_without_the_embedded_fonts_libreoffice_draws_boxes(with_tigrinya_and_arabic, tmp_path, monkeypatch):
    """The check above can fail: the same file without its fonts falls back to a font without those letters."""
    files = parts(with_tigrinya_and_arabic)
    table = etree.fromstring(files["word/fontTable.xml"])
    for embedded in [e for e in table.iter() if isinstance(e.tag, str) and e.tag.startswith(f"{W}embed")]:
        embedded.getparent().remove(embedded)
    files["word/fontTable.xml"] = etree.tostring(table)
    stripped = io.BytesIO()
    with zipfile.ZipFile(stripped, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    drawn = drawn_in_libreoffice_without_those_fonts(stripped.getvalue(), tmp_path, monkeypatch)
    assert drawn and all(font.startswith("NotoSans-") for font, _ in drawn)
