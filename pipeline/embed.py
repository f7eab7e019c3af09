"""Stage 4d: the fonts of scripts beyond Latin travel inside the Word file.

A party group opens the .docx on whatever machine it has: without a font for
Tigrinya or Arabic, Word and LibreOffice draw boxes. So each font that
pipeline/scripts.py named for a run (Noto Sans Arabic, Ethiopic, …) is
embedded as Word embeds fonts (ECMA-376 Part 1, 17.8.1): subset to the
characters the document uses (fontTools), obfuscated with its key, listed in
the font table, and `w:embedTrueTypeFonts` set. Word and LibreOffice then
draw those letters from the file itself. The Latin body font is left to the
reader's machine (Word substitutes a sans-serif), as embedding it would put
several hundred kilobytes into every file for letters every machine has.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from .options import FONTS
from .scripts import SCRIPTS

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The shipped font files of each font a run may name for its script: regular and, where there is one, bold.
_FACES = {font: {"embedRegular": f"{font.replace(' ', '')}-Regular.ttf", "embedBold": f"{font.replace(' ', '')}-Bold.ttf"}
          for _, font, _ in SCRIPTS.values()}
# What may stand before w:embedTrueTypeFonts in w:settings (CT_Settings), in order.
_BEFORE_EMBEDDING = {qn(f"w:{name}") for name in (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData")}
# w:font's children in the schema's order; the embedding elements come last.
_FONT_CHILDREN = ["w:altName", "w:panose1", "w:charset", "w:family", "w:notTrueType", "w:pitch", "w:sig",
                  "w:embedRegular", "w:embedBold", "w:embedItalic", "w:embedBoldItalic"]


def embed_fonts(document: Document, parts: list[etree._Element]) -> None:
    """Embed, subset, every font of _FACES that a run of `parts` (body, headers, footers) names."""
    used = _characters_by_font(parts)
    if not used:
        return
    font_table = next(rel.target_part for rel in document.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    table = etree.fromstring(font_table.blob)
    for number, (font, characters) in enumerate(sorted(used.items()), start=1):
        entry = _font_entry(table, font)
        for kind, file_name in _FACES[font].items():
            path = FONTS / file_name
            if not path.is_file():
                continue
            key = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{font}/{kind}/{characters}")).upper()
            data = _obfuscated(_subset(path, characters), key)
            part = Part(PackURI(f"/word/fonts/font{number}{kind.removeprefix('embed').lower()}.odttf"),
                        OBFUSCATED_FONT, data, document.part.package)
            rel_id = font_table.relate_to(part, RT.FONT)
            element = OxmlElement(f"w:{kind}")
            element.set(qn("r:id"), rel_id)
            element.set(qn("w:fontKey"), f"{{{key}}}")
            _insert_in_order(entry, element)
    font_table._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
    _ask_readers_to_use_them(document.settings.element)


def _characters_by_font(parts: list[etree._Element]) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for part in parts:
        for run in part.iter(qn("w:r")):
            fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            if fonts is None:
                continue
            text = "".join(t.text or "" for t in run.iter(qn("w:t")))
            for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
                font = fonts.get(qn(attribute))
                if font in _FACES and text:
                    found.setdefault(font, set()).update(text)
    return {font: "".join(sorted(characters)) for font, characters in found.items()}


def _font_entry(table: etree._Element, name: str) -> etree._Element:
    for font in table.findall(qn("w:font")):
        if font.get(qn("w:name")) == name:
            for kind in ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic"):
                for old in font.findall(qn(f"w:{kind}")):
                    font.remove(old)
            return font
    font = etree.SubElement(table, qn("w:font"))
    font.set(qn("w:name"), name)
    for tag, value in (("w:charset", "00"), ("w:family", "swiss"), ("w:pitch", "variable")):
        etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    return font


def _insert_in_order(font: etree._Element, element: etree._Element) -> None:
    rank = _FONT_CHILDREN.index(f"w:{etree.QName(element).localname}")
    later = next((child for child in font if _FONT_CHILDREN.index(f"w:{etree.QName(child).localname}") > rank), None)
    later.addprevious(element) if later is not None else font.append(element)


def _subset(path: Path, characters: str) -> bytes:
    """The font with only the glyphs of `characters` (and what shaping them needs)."""
    from fontTools import subset  # only a document with such a script pays for loading it

    options = subset.Options()
    options.layout_features = ["*"]  # Arabic's joining forms and Ethiopic's ligatures stay
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters + " ")
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = None
    font.save(out)
    return out.getvalue()


def _obfuscated(font: bytes, key: str) -> bytes:
    """ECMA-376's font obfuscation: the first 32 bytes XOR the key's 16 bytes, in reverse order."""
    secret = bytes.fromhex(key.replace("-", ""))[::-1]
    head = bytes(byte ^ secret[i % 16] for i, byte in enumerate(font[:32]))
    return head + font[32:]


def _ask_readers_to_use_them(settings: etree._Element) -> None:
    for name in ("w:embedTrueTypeFonts", "w:saveSubsetFonts"):
        if settings.find(qn(name)) is not None:
            continue
        element = OxmlElement(name)
        later = next((child for child in settings if child.tag not in _BEFORE_EMBEDDING
                      and child.tag != qn("w:embedTrueTypeFonts")), None)
        later.addprevious(element) if later is not None else settings.append(element)
