"""One look: the Typst PDF takes its furniture and type from the Word file.

The Word template is the one definition of how a document looks: what its
header and footer say, and the size, weight, slant and colour of its title,
subtitle, headings and body text (a communicator changes them in Word). The
LibreOffice PDF shows them as they are; pandoc drops them on the way to Typst,
so they are read here and handed to templates/pdf/dokument.typ as sys.inputs.
"""

from __future__ import annotations

from typing import Mapping

from docx.oxml.ns import qn
from lxml import etree

from .proof import shown_text

# The paragraph styles the Typst template sets as Word does, by style id.
STYLES = ("Normal", "Title", "Subtitle", "Exempelmarkering", "Header", *(f"Heading{n}" for n in range(1, 7)))
_OFF = {"0", "false", "off"}


def furniture(parts: Mapping[str, bytes], body: etree._Element) -> dict[str, str]:
    """'header-left', 'header-right', 'footer-left': what the first section's header and footer show,
    left and right of the tab (the page number is each PDF engine's own)."""
    section = next(body.iter(qn("w:sectPr")), None)
    targets = {rel.get("Id"): rel.get("Target") for rel in etree.fromstring(parts[_RELS])}
    found = {"header-left": "", "header-right": "", "footer-left": ""}
    for kind, prefix in (("w:headerReference", "header"), ("w:footerReference", "footer")):
        reference = next((r for r in section.iter(qn(kind)) if r.get(qn("w:type"), "default") == "default"),
                         None) if section is not None else None
        target = targets.get(reference.get(qn("r:id"))) if reference is not None else None
        if target is None or f"word/{target}" not in parts:
            continue
        lines = [_with_tabs(p) for p in etree.fromstring(parts[f"word/{target}"]).iter(qn("w:p"))]
        left, _, right = "\n".join(lines).strip().partition("\t")
        found[f"{prefix}-left"] = " ".join(left.split())
        if prefix == "header":
            found["header-right"] = " ".join(right.split())
    return found


_RELS = "word/_rels/document.xml.rels"


def _with_tabs(paragraph: etree._Element) -> str:
    """What the paragraph shows, its tabs kept as tabs."""
    for tab in list(paragraph.iter(qn("w:tab"))):
        if tab.getparent().tag == qn("w:r"):
            text = etree.Element(qn("w:t"))
            text.text = "\t"
            tab.getparent().replace(tab, text)
    return shown_text(paragraph)


def style_look(styles: etree._Element) -> dict[str, str]:
    """sys.inputs for dokument.typ: '<style>-size' (points), '-weight', '-style', '-fill' for each of STYLES."""
    by_id = {style.get(qn("w:styleId")): style for style in styles.iter(qn("w:style"))}
    defaults = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    look: dict[str, str] = {}
    for name in STYLES:
        properties = _run_properties(name, by_id, defaults)
        look[f"{name}-size"] = f"{int(properties.get('sz', '22')) / 2:g}"
        look[f"{name}-weight"] = "bold" if properties.get("b") else "regular"
        look[f"{name}-style"] = "italic" if properties.get("i") else "normal"
        look[f"{name}-fill"] = properties.get("color", "000000")
    return look


def _run_properties(name: str, by_id: dict[str, etree._Element], defaults: etree._Element | None) -> dict:
    """The style's size, bold, italic and colour, from its own run properties, else the style it is
    based on, else the document's defaults."""
    chain, seen = [], set()
    while name in by_id and name not in seen:
        seen.add(name)
        chain.append(by_id[name].find(qn("w:rPr")))
        based = by_id[name].find(qn("w:basedOn"))
        name = based.get(qn("w:val")) if based is not None else ""
    chain.append(defaults)
    found: dict = {}
    for properties in reversed([p for p in chain if p is not None]):
        for key in ("sz", "b", "i", "color"):
            element = properties.find(qn(f"w:{key}"))
            if element is None:
                continue
            value = element.get(qn("w:val"))
            if key in ("b", "i"):
                found[key] = value is None or value not in _OFF
            elif value and value != "auto":
                found[key] = value
    return found
