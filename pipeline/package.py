"""Stage 4d: a Word package that Word opens as its own, valid against the OOXML schema.

What the templates (python-docx's default template underneath) and the tools
leave in a rendered file that Word would repair or show wrongly:

- `docProps/app.xml` claims "Microsoft Macintosh Word", one page and no words,
  and `docProps/thumbnail.jpeg` is a blank page: both are dropped (Word writes
  its own when it saves the file);
- `word/stylesWithEffects.xml` is a Word 2010 copy of the styles that no longer
  matches them: dropped (Word 2013 and later do not use it);
- `compatibilityMode` 14 opens every file in compatibility mode in Word 365:
  15, Word 2013 and later;
- `w:updateFields` stands where the schema allows it;
- docxcompose restarts a numbered list with a second override of level 0
  where pandoc already wrote one: one override per level;
- the style that cut the Markdown fields apart (pipeline/lua/fields.lua) is
  not used in the document and leaves its styles list.
"""

from __future__ import annotations

from docx.document import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from lxml import etree

from .pandoc import FIELD_BOUNDARY

_DROPPED_PACKAGE_PARTS = (RT.EXTENDED_PROPERTIES, RT.THUMBNAIL)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
WORD_2013 = "15"
# What may follow w:updateFields in w:settings (ECMA-376 Part 1, CT_Settings), in order.
_AFTER_UPDATE_FIELDS = ["w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
                        "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
                        "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
                        "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator"]


def tidy(document: Document) -> None:
    """Make a rendered document's package one Word opens without repairing it."""
    _drop_parts(document)
    _word_2013_settings(document.settings.element)
    _one_override_per_level(document.part.numbering_part.element)
    _drop_style(document.styles.element, FIELD_BOUNDARY)


def _drop_parts(document: Document) -> None:
    package_rels = document.part.package.rels
    for rel_id in [rel.rId for rel in package_rels.values() if rel.reltype in _DROPPED_PACKAGE_PARTS]:
        package_rels.pop(rel_id)
    for rel_id in [rel.rId for rel in document.part.rels.values() if rel.reltype == _STYLES_WITH_EFFECTS]:
        document.part.rels.pop(rel_id)


def _word_2013_settings(settings: etree._Element) -> None:
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), WORD_2013)
    update = settings.find(qn("w:updateFields"))
    if update is None:
        return
    settings.remove(update)
    following = next((e for e in settings if _name(e) in _AFTER_UPDATE_FIELDS), None)
    following.addprevious(update) if following is not None else settings.append(update)


def _name(element: etree._Element) -> str:
    prefix = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
              "http://schemas.openxmlformats.org/officeDocument/2006/math": "m",
              "http://schemas.openxmlformats.org/schemaLibrary/2006/main": "sl"}
    name = etree.QName(element)
    return f"{prefix.get(name.namespace, '')}:{name.localname}"


def _one_override_per_level(numbering: etree._Element) -> None:
    """Keep the last override of each level of a list (the one docxcompose added to restart it)."""
    for num in numbering.iter(qn("w:num")):
        seen = set()
        for override in reversed(num.findall(qn("w:lvlOverride"))):
            level = override.get(qn("w:ilvl"))
            if level in seen:
                num.remove(override)
            seen.add(level)


def _drop_style(styles: etree._Element, style_id: str) -> None:
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            styles.remove(style)
