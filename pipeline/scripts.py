"""Stage 4c: scripts beyond Latin in a font that has their letters.

Word and LibreOffice draw Arabic, Hebrew and Thai with a run's complex-script
font (`w:cs`), one per run; Word draws Ethiopic (Tigrinya, Amharic), Armenian
and Georgian with its ordinary one (`w:ascii`, `w:hAnsi`), LibreOffice
Ethiopic with the complex-script one, so those name both. The templates name
Noto Sans, which has none of these letters, so a reader picks a font by
itself: a dialogue voice in Hebrew then comes out as empty boxes in
LibreOffice, and on a machine without such a font in Word. So every run
holding such letters is cut where the script changes, and each piece names
the shipped Noto font of its script and its language; pipeline/embed.py then
puts those fonts into the Word file. Nothing else of the run changes.
"""

from __future__ import annotations

import copy
import re
from typing import Iterable

from docx.oxml.ns import qn
from lxml import etree

# script: (its letters, the font in fonts/, the language Word spell-checks it in)
SCRIPTS = {
    "hebrew": ("\u0590-\u05ff\ufb1d-\ufb4f", "Noto Sans Hebrew", "he-IL"),
    "arabic": ("\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff", "Noto Sans Arabic", "ar-SA"),
    "thai": ("\u0e00-\u0e7f", "Noto Sans Thai", "th-TH"),
    "ethiopic": ("\u1200-\u139f\u2d80-\u2ddf\uab00-\uab2f", "Noto Sans Ethiopic", "ti-ER"),
    "armenian": ("\u0530-\u058f\ufb13-\ufb17", "Noto Sans Armenian", "hy-AM"),
    "georgian": ("\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f", "Noto Sans Georgian", "ka-GE"),
}
# The scripts Word draws with a run's complex-script font and language; the others with its own.
COMPLEX = {"hebrew", "arabic", "thai"}
_ANY = re.compile("[" + "".join(letters for letters, _, _ in SCRIPTS.values()) + "]")
_SCRIPT = {name: re.compile(f"[{letters}]") for name, (letters, _, _) in SCRIPTS.items()}
_LETTER = re.compile(r"[^\W\d_]")


def fonts_for_scripts(parts: Iterable[etree._Element]) -> None:
    """Give every run with letters of SCRIPTS the font of its script, cutting runs that mix them."""
    for part in parts:
        if not _ANY.search(part.xpath("string()")):
            continue  # the usual case, told at once: no letter of these scripts anywhere in the part
        for run in list(part.iter(qn("w:r"))):
            text = "".join(t.text or "" for t in run.findall(qn("w:t")))
            if _ANY.search(text):
                _split(run)


def _script_of(character: str, current: str) -> str:
    """A letter's script ('' for others); a space, digit or mark goes with the letters before it."""
    for name, letters in _SCRIPT.items():
        if letters.match(character):
            return name
    return "" if _LETTER.match(character) else current


def _pieces(text: str) -> list[tuple[str, str]]:
    """(script, text) pieces of `text`, in order."""
    pieces: list[tuple[str, str]] = []
    for character in text:
        script = _script_of(character, pieces[-1][0] if pieces else "")
        if pieces and pieces[-1][0] == script:
            pieces[-1] = (script, pieces[-1][1] + character)
        else:
            pieces.append((script, character))
    return pieces


def _split(run: etree._Element) -> None:
    properties = run.find(qn("w:rPr"))
    new_runs = []
    for child in run:
        if child is properties:
            continue
        if child.tag != qn("w:t"):
            new_runs.append(_run(properties, "", child))
            continue
        for script, text in _pieces(child.text or ""):
            piece = etree.Element(qn("w:t"))
            piece.text = text
            piece.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            new_runs.append(_run(properties, script, piece))
    for new in new_runs:
        run.addprevious(new)
    run.getparent().remove(run)


def _run(properties: etree._Element | None, script: str, child: etree._Element) -> etree._Element:
    run = etree.Element(qn("w:r"))
    rpr = copy.deepcopy(properties) if properties is not None else etree.Element(qn("w:rPr"))
    if script in COMPLEX:
        _, font, language = SCRIPTS[script]
        _set(rpr, "w:rFonts", {"w:cs": font})
        _set(rpr, "w:lang", {"w:bidi": language})
    elif script:
        # Word draws these letters with the run's own font, LibreOffice Ethiopic with its complex one.
        _, font, language = SCRIPTS[script]
        _set(rpr, "w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:cs": font})
        _set(rpr, "w:lang", {"w:val": language, "w:bidi": language})
    run.append(rpr)
    run.append(child)
    return run


# The order the schema wants within w:rPr, for the elements set here and those before them.
_ORDER = ["w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps", "w:strike", "w:dstrike",
          "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden",
          "w:color", "w:spacing", "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u",
          "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang"]


def _set(rpr: etree._Element, tag: str, attributes: dict[str, str]) -> None:
    element = rpr.find(qn(tag))
    if element is None:
        element = etree.Element(qn(tag))
        later = [rpr.find(qn(name)) for name in _ORDER[_ORDER.index(tag) + 1:]]
        following = next((e for e in later if e is not None), None)
        following.addprevious(element) if following is not None else rpr.append(element)
    for name, value in attributes.items():
        element.set(qn(name), value)
