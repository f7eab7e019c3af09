"""Write the first versions of the Word templates in templates/.

Run once (`make templates`) to start from clean templates. After that the
.docx files are the truth: the municipality's communicator gives them the
house style in Word, and this script must not be run over their work.
Programmatic writing gives every `{{ field }}` a clean run of its own, which
Word-typed tags do not always have (docxtpl PR #10).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


# --- building blocks ----------------------------------------------------------

def new_document(title: str, subject: str, landscape: bool = False):
    doc = Document()
    _swedish_defaults(doc)
    _pandoc_styles(doc)
    _readable_colours(doc)
    _plain_title(doc)
    a4(doc.sections[0], landscape)
    props = doc.core_properties
    props.title, props.subject = title, subject
    props.author = "{{ uppdrag.beredning if uppdrag is defined else 'Beredningen' }}"
    props.last_modified_by, props.comments, props.keywords = "", "", ""
    props.revision = 1
    return doc


def a4(section, landscape: bool = False) -> None:
    """An A4 page with 2.2 cm margins, upright or turned."""
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.PORTRAIT
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))


def text_width(section):
    return section.page_width - section.left_margin - section.right_margin


def _swedish_defaults(doc) -> None:
    """sv-SE as the language of every run, so spelling and PDF /Lang are Swedish."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    lang.set(qn("w:eastAsia"), "sv-SE")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    normal = doc.styles["Normal"]
    normal.font.name = "Noto Sans"  # shipped in fonts/, so both PDF engines have it
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)


# WCAG 2.1 AA (1.4.3) asks text a contrast of 4.5:1 on its background (white); a little more, so
# that rounding in any reader keeps it.
READABLE = 4.6


def _plain_title(doc) -> None:
    """The Title style without Word 2010's rule under it: LibreOffice draws that rule untagged, which
    PDF/UA forbids, and the Typst PDF draws none."""
    properties = doc.styles["Title"].element.pPr
    for border in properties.findall(qn("w:pBdr")) if properties is not None else ():
        properties.remove(border)


def _readable_colours(doc) -> None:
    """Every paragraph and character style's text colour readable on white (WCAG 1.4.3): a colour
    with too little contrast is darkened in its own hue, and given as a colour of its own, not of
    the theme (Word would take the theme's, #4F81BD at 4.0:1, over it)."""
    for style in doc.styles.element.findall(qn("w:style")):
        if style.get(qn("w:type")) not in ("paragraph", "character"):
            continue  # a table style's colours go with its own shading
        for colour in style.iter(qn("w:color")):
            value = colour.get(qn("w:val"))
            if not value or value == "auto":
                continue
            for theme in ("w:themeColor", "w:themeShade", "w:themeTint"):
                colour.attrib.pop(qn(theme), None)
            colour.set(qn("w:val"), _darkened(value))


def _darkened(value: str) -> str:
    rgb = [int(value[i:i + 2], 16) for i in (0, 2, 4)]
    while contrast_on_white(rgb) < READABLE:
        rgb = [int(c * 0.9) for c in rgb]
    return "".join(f"{c:02X}" for c in rgb)


def contrast_on_white(rgb: list[int]) -> float:
    """WCAG 2.1's contrast ratio of a colour against white."""
    def linear(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
    return 1.05 / (luminance + 0.05)


def _pandoc_styles(doc) -> None:
    """The paragraph styles pandoc writes, based on Normal so Markdown looks like the rest."""
    for name in ("Body Text", "First Paragraph", "Compact"):
        if name not in [s.name for s in doc.styles]:
            style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = doc.styles["Normal"]
    quote = doc.styles.add_style("Citat", WD_STYLE_TYPE.PARAGRAPH)
    quote.base_style = doc.styles["Normal"]
    quote.font.italic = True
    quote.paragraph_format.left_indent = Cm(1)
    for name in ("Titelsida", "Innehållsförteckning"):
        # The PDF and HTML draw their own title page and contents (templates/pdf/rensa.lua).
        doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = doc.styles["Normal"]
    notice = doc.styles.add_style("Exempelmarkering", WD_STYLE_TYPE.PARAGRAPH)
    notice.base_style = doc.styles["Normal"]
    notice.font.bold = True
    notice.font.size = Pt(9)


def para(container, *runs, style: str | None = None):
    """A paragraph of runs: plain strings, or ('i', text) / ('b', text) for italic and bold."""
    paragraph = container.add_paragraph(style=style)
    for run in runs:
        kind, text = run if isinstance(run, tuple) else ("", run)
        r = paragraph.add_run(text)
        r.italic = "i" in kind or None
        r.bold = "b" in kind or None
    return paragraph


def tag(container, text: str):
    """A paragraph holding only a `{%p ... %}` tag; docxtpl removes it on rendering."""
    return container.add_paragraph(f"{{%p {text} %}}")


def field(paragraph, instruction: str, placeholder: str = "1"):
    """A Word field (PAGE, NUMPAGES, TOC) as begin/instruction/separate/result/end runs."""
    def fld(kind):
        run = OxmlElement("w:r")
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            char.set(qn("w:dirty"), "true")
        run.append(char)
        return run

    instr_run = OxmlElement("w:r")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    instr_run.append(instr)
    result = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = placeholder
    result.append(text)
    for element in (fld("begin"), instr_run, fld("separate"), result, fld("end")):
        paragraph._p.append(element)


def update_fields_on_open(doc) -> None:
    """Word refreshes the table of contents when the document is opened (docxtpl #34)."""
    setting = OxmlElement("w:updateFields")
    setting.set(qn("w:val"), "true")
    doc.settings.element.append(setting)


def header_footer(doc, header: str, footer: str, section=None) -> None:
    """Header and footer with one right-aligned tab stop at the section's own text width, upright or
    turned A4 (Word's Header and Footer styles have US Letter's stops, mid-page on A4)."""
    section = section or doc.sections[0]
    section.header.is_linked_to_previous = section.footer.is_linked_to_previous = False
    head = _furniture(doc, section.header, section, "Header")
    head.add_run(header)
    _page_footer(doc, section.footer, section, footer)


def _page_footer(doc, part, section, footer: str) -> None:
    foot = _furniture(doc, part, section, "Footer")
    foot.add_run(f"{footer}\tSida ")
    field(foot, "PAGE")
    foot.add_run(" av ")
    field(foot, "NUMPAGES")


def no_header_on_the_title_page(doc, footer: str) -> None:
    """A title page has no header, its footer the other pages' (the Typst PDF draws it so too)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    section.first_page_footer.is_linked_to_previous = False
    _page_footer(doc, section.first_page_footer, section, footer)


def _furniture(doc, part, section, style: str):
    paragraph = part.paragraphs[0]
    paragraph.style = style
    style_properties = doc.styles[style].element.pPr
    for stops in style_properties.findall(qn("w:tabs")) if style_properties is not None else ():
        style_properties.remove(stops)
    paragraph.paragraph_format.tab_stops.add_tab_stop(text_width(section), WD_TAB_ALIGNMENT.RIGHT)
    return paragraph


def table(doc, widths_cm: list[float], header: list[str] | None, style: str = "Table Grid"):
    t = doc.add_table(rows=0, cols=len(widths_cm))
    t.style = doc.styles[style]
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    for column, width in zip(t.columns, widths_cm):
        column.width = Cm(width)
    if header:
        row = t.add_row()
        _repeat_as_header(row)
        for cell, text in zip(row.cells, header):
            cell.paragraphs[0].add_run(text).bold = True
    return t


def _repeat_as_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    tr_pr.append(flag)


def _keep_on_one_page(row) -> None:
    """A meeting's row is not split between two pages when it fits on one (pipeline/layout.py lets
    a taller row break)."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def row_tag(t, text: str) -> None:
    """A table row holding only a `{%tr ... %}` tag; docxtpl removes the row."""
    row = t.add_row()
    row.cells[0].paragraphs[0].text = f"{{%tr {text} %}}"


def cell_widths(row, widths_cm):
    for cell, width in zip(row.cells, widths_cm):
        cell.width = Cm(width)


def example_notice(doc) -> None:
    tag(doc, "if exempeldata")
    para(doc, "EXEMPELDATA – dokumentet bygger på påhittade exempeluppgifter, inte på beredningens verkliga arbete.",
         style="Exempelmarkering")
    tag(doc, "endif")


def markdown(container, expression: str) -> None:
    """A paragraph that the Markdown field's own paragraphs replace."""
    container.add_paragraph(f"{{{{p {expression}|markdown }}}}")


def bullets(container, loop: str, text, style: str = "List Bullet") -> None:
    tag(container, f"for {loop}")
    para(container, *(text if isinstance(text, tuple) else (text,)), style=style)
    tag(container, "endfor")


def first_paragraph(cell):
    """Table cells start with one empty paragraph; use it rather than leave it blank."""
    return cell.paragraphs[0]


# --- uppdrag.docx ---------------------------------------------------------------

MILESTONES = (("Vägledningsdebatt", "vägledningsdebatt"), ("Överlämnande av uppdrag", "överlämnande"),
              ("Överlämningsdebatt", "överlämningsdebatt"))


def milestones(doc, style: str | None = None) -> None:
    """'Vägledningsdebatt: Kommunfullmäktige i mars 2018', one line for each milestone the assignment
    names, the organ where it names one."""
    for label, key in MILESTONES:
        stone = f"uppdrag.milstolpar.{key}"
        tag(doc, f"if {stone}")
        para(doc, f"{label}: {{% if {stone}.organ %}}{{{{ {stone}.organ }}}} i {{% endif %}}{{{{ {stone}.tid }}}}",
             style=style)
        tag(doc, "endif")


def budget(doc, end: str = "") -> None:
    tag(doc, "if uppdrag.budget_exklusive_arvoden is not none")
    para(doc, f"Budget exklusive arvoden: {{{{ uppdrag.budget_exklusive_arvoden|kronor }}}}{end}")
    tag(doc, "endif")


def when_given(doc, expression: str, *runs, style: str | None = None) -> None:
    """A paragraph only when the sources have `expression`: a section of a particular assignment,
    left out, never replaced by a sentence saying so, when the committee has nothing to put there."""
    tag(doc, f"if {expression}")
    para(doc, *runs, style=style)
    tag(doc, "endif")


def logo(doc) -> None:
    tag(doc, "if uppdrag.logotyp")
    doc.add_paragraph("{{ uppdrag.logotyp|bild(alt=uppdrag.logotyp_text) }}")
    tag(doc, "endif")


def uppdrag() -> Document:
    doc = new_document("{{ uppdrag.rubrik }}", "{{ uppdrag.ämne }}")
    header_footer(doc, "{{ uppdrag.kommun }}", "{{ uppdrag.beredning }}")
    example_notice(doc)
    logo(doc)
    doc.add_heading("{{ uppdrag.rubrik }}", level=1)
    para(doc, ("b", "Ämne: "), "{{ uppdrag.ämne }}")
    para(doc, ("b", "Beredning: "), "{{ uppdrag.beredning }}")
    tag(doc, "if uppdrag.diarienummer")
    para(doc, ("b", "Diarienummer: "), "{{ uppdrag.diarienummer }}")
    tag(doc, "endif")
    doc.add_heading("Uppdragsbeskrivning:", level=2)
    markdown(doc, "uppdrag.uppdragsbeskrivning")
    tag(doc, "if uppdrag.tjänstemän.sakkunnig or uppdrag.tjänstemän.processekreterare or "
             "uppdrag.milstolpar.in_order() or uppdrag.budget_exklusive_arvoden is not none")
    doc.add_heading("Medverkande tjänstemän:", level=2)
    when_given(doc, "uppdrag.tjänstemän.sakkunnig", "Sakkunnig: {{ uppdrag.tjänstemän.sakkunnig }}")
    when_given(doc, "uppdrag.tjänstemän.processekreterare",
               "Processekreterare: {{ uppdrag.tjänstemän.processekreterare }}")
    milestones(doc)
    budget(doc)
    tag(doc, "endif")
    doc.add_paragraph()
    para(doc, "{% if uppdrag.ort %}{{ uppdrag.ort }} {% endif %}{{ uppdrag.datum|datum }}")
    doc.add_paragraph()
    tag(doc, "if uppdrag.presidium")
    doc.add_heading("KOMMUNFULLMÄKTIGES PRESIDIUM", level=2)
    signatures = doc.add_table(rows=2, cols=3)
    _repeat_as_header(signatures.rows[0])  # each name heads its column: its holder's role (PDF/UA, WCAG 1.3.1)
    for row, key in zip(signatures.rows, ("namn", "roll")):
        row.cells[0].paragraphs[0].text = "{%tc for person in uppdrag.presidium %}"
        row.cells[1].paragraphs[0].text = f"{{{{ person.{key} }}}}"
        row.cells[2].paragraphs[0].text = "{%tc endfor %}"
    doc.add_paragraph()
    tag(doc, "endif")
    tag(doc, "if uppdrag.regler")
    para(doc, "{{ uppdrag.regler.inledning }}")
    bullets(doc, "regel in uppdrag.regler.punkter", "{{ regel }}")
    tag(doc, "endif")
    return doc


# --- the meeting compilation, used alone and as the handover's appendix ---------

COMPILATION_WIDTHS = [2.2, 6.8, 9.0, 7.2]


def compilation_periods(doc, heading_level: int) -> None:
    """Per period: heading, narrative, and the table Datum | Sammankomst | Innehåll | Dokument."""
    tag(doc, "for period in sammankomster.perioder")
    tag(doc, "set kolumner = period.kolumner or sammankomster.kolumner")
    doc.add_heading("{{ period.rubrik }}", level=heading_level)
    tag(doc, "if period.beskrivning")
    markdown(doc, "period.beskrivning")
    tag(doc, "endif")
    t = table(doc, COMPILATION_WIDTHS, ["{{ kolumner.datum }}", "{{ kolumner.sammankomst }}",
                                        "{{ kolumner.innehåll }}", "{{ kolumner.dokument }}"])
    row_tag(t, "for m in period.sammankomster")
    row = t.add_row()
    _keep_on_one_page(row)
    cell_widths(row, COMPILATION_WIDTHS)
    date_cell, meeting_cell, content_cell, documents_cell = row.cells
    first_paragraph(date_cell).text = "{{ m.datum|kortdatum }}"
    first_paragraph(meeting_cell).text = "{{ m.rubrik }}"
    tag(meeting_cell, "if m.plats_och_deltagare")
    para(meeting_cell, ("i", "{{ m.plats_och_deltagare }}"))
    tag(meeting_cell, "endif")
    _content_items(content_cell)
    first_paragraph(documents_cell).text = "{%p for d in m.dokument %}"
    para(documents_cell, "{{ d }}", style="List Bullet")
    tag(documents_cell, "endfor")
    _empty_when(documents_cell, "not m.dokument")
    row_tag(t, "endfor")
    doc.add_paragraph()
    tag(doc, "endfor")


def _content_items(cell) -> None:
    """Each item its own bullet; a label in italics; a label over a list as its own line."""
    first_paragraph(cell).text = "{%p for punkt in m.innehåll %}"
    tag(cell, "if punkt.punkter")
    para(cell, ("i", "{{ punkt.etikett }}"), ":")
    bullets(cell, "text in punkt.punkter", "{{ text }}")
    tag(cell, "else")
    para(cell, ("i", "{{ punkt.etikett or '' }}"), "{{ ': ' if punkt.etikett else '' }}{{ punkt.text }}", style="List Bullet")
    tag(cell, "endif")
    tag(cell, "endfor")
    _empty_when(cell, "not m.innehåll")


def _empty_when(cell, condition: str) -> None:
    """Word needs a paragraph in every cell, also when the list is empty."""
    tag(cell, f"if {condition}")
    cell.add_paragraph()
    tag(cell, "endif")


def sammanstallning() -> Document:
    doc = new_document("{{ sammankomster.rubrik }}", "Sammanställning av beredningens arbete", landscape=True)
    header_footer(doc, "{{ sammankomster.rubrik }}",
                  "{{ uppdrag.beredning if uppdrag else sammankomster.beredning }}")
    example_notice(doc)
    doc.add_heading("{{ sammankomster.rubrik }}", level=1)
    compilation_periods(doc, heading_level=2)
    return doc


# --- overlamnande.docx -----------------------------------------------------------

def overlamnande() -> Document:
    doc = new_document("{{ uppdrag.ämne }}", "Beredningens förslag till kommunfullmäktige")
    update_fields_on_open(doc)
    header_footer(doc, HANDOVER_HEADER, HANDOVER_FOOTER)
    no_header_on_the_title_page(doc, HANDOVER_FOOTER)
    _title_page(doc)
    _contents(doc)
    # Every section below the assignment exists only when the sources have something for it: the
    # handover is built from whatever sources exist (a draft until the goals and the date are there).
    section(doc, "Sammanfattning", "overlamnande and overlamnande.sammanfattning", "overlamnande.sammanfattning")
    _assignment(doc)
    _members(doc)
    doc.add_heading("Så har beredningen arbetat", level=1)
    tag(doc, "if overlamnande and overlamnande.arbetssätt")
    markdown(doc, "overlamnande.arbetssätt")
    tag(doc, "endif")
    # The work's period and size are the record's own: counted, never typed twice.
    para(doc, "Beredningen har haft {{ sammankomster.alla|length }} "
              "{{ 'sammankomst' if sammankomster.alla|length == 1 else 'sammankomster' }}"
              "{% if medborgardialoger and medborgardialoger.dialoger %} och {{ medborgardialoger.dialoger|length }} "
              "{{ 'medborgardialog' if medborgardialoger.dialoger|length == 1 else 'medborgardialoger' }}{% endif %}"
              "{% if sammankomster.alla|length == 1 %} den {{ sammankomster.alla[0].datum|datum }}"
              "{% else %} mellan {{ sammankomster.alla[0].datum|datum }} och {{ sammankomster.alla[-1].datum|datum }}"
              "{% endif %}. Alla sammankomster finns i bilagan.")
    doc.add_paragraph("{{ sammankomster.alla|tidslinje(uppdrag, medborgardialoger.dialoger if medborgardialoger "
                      "else []) }}")
    _evaluation(doc)
    _good_examples(doc)
    _dialogues(doc)
    _goals(doc)
    section(doc, "Förslag till beslut", "forslag and forslag.beslutsförslag", "forslag.beslutsförslag")
    tag(doc, "if overlamnande and overlamnande.partigrupper")
    doc.add_heading("Förankring i partigrupperna", level=1)
    para(doc, "Förslaget har presenterats för partigrupperna i kommunfullmäktige genom deras gruppledare:")
    bullets(doc, "grupp in overlamnande.partigrupper", "{{ grupp.parti }}: {{ grupp.gruppledare }}")
    tag(doc, "endif")
    _landscape_appendix(doc)
    doc.add_heading("Bilaga: {{ sammankomster.rubrik }}", level=1)
    _landscape_appendix_note(doc)
    compilation_periods(doc, heading_level=2)
    return doc


HANDOVER_HEADER = "{% if utkast %}UTKAST – {% endif %}{{ uppdrag.beredning }} – Överlämnande"
HANDOVER_FOOTER = "{% if utkast %}Utkast {% endif %}{{ datum|datum }}"


def section(doc, heading: str, condition: str, text: str, level: int = 1) -> None:
    """A heading and its Markdown text, both left out when the sources have no such text."""
    tag(doc, f"if {condition}")
    doc.add_heading(heading, level=level)
    markdown(doc, text)
    tag(doc, "endif")


def draft_notice(doc) -> None:
    """A draft says so on its title page; every other page says it in its header."""
    tag(doc, "if utkast")
    para(doc, "UTKAST – inte beredningens slutliga förslag. Överlämnandet blir färdigt när förslaget har sina mål "
              "(forslag.yaml) och överlämnandet sitt datum (overlamnande.yaml).", style="Exempelmarkering")
    tag(doc, "endif")


def _title_page(doc) -> None:
    example_notice(doc)
    draft_notice(doc)
    logo(doc)
    para(doc, ("b", "{{ uppdrag.kommun }}"), style="Titelsida")
    para(doc, "{{ uppdrag.beredning }}", style="Titelsida")
    para(doc, "{{ uppdrag.ämne }}", style="Title").paragraph_format.space_before = Pt(120)
    para(doc, "Beredningens förslag till kommunfullmäktige", style="Subtitle")
    para(doc, "{% if utkast %}Utkast {% endif %}{{ datum|datum }}", style="Titelsida")
    para(doc, "Diarienummer: {{ (overlamnande.diarienummer if overlamnande) or uppdrag.diarienummer or '–' }}",
         style="Titelsida")
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.PAGE)


def _contents(doc) -> None:
    """The contents' title and its TOC field; the build writes the field's lines (pipeline/contents.py),
    in the styles Word itself writes them in."""
    para(doc, ("b", "Innehåll"), style="Innehållsförteckning")
    for level in (1, 2):
        _contents_style(doc, level)
    contents = doc.add_paragraph(style="Innehållsförteckning")
    field(contents, 'TOC \\o "1-2" \\h \\z \\u', "")
    contents.add_run().add_break(WD_BREAK.PAGE)


def _contents_style(doc, level: int) -> None:
    """Word's built-in "toc N": its page numbers at the right margin after a dotted leader."""
    style = doc.styles.add_style(f"TOC {level}", WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:customStyle"), "0")
    style.element.find(qn("w:name")).set(qn("w:val"), f"toc {level}")
    style.base_style = doc.styles["Normal"]
    style.paragraph_format.left_indent = Cm(0.5 * (level - 1))
    style.paragraph_format.space_after = Pt(3)
    stop = style.paragraph_format.tab_stops.add_tab_stop(text_width(doc.sections[0]), WD_TAB_ALIGNMENT.RIGHT)
    stop._tab.set(qn("w:leader"), "dot")


def _assignment(doc) -> None:
    """The assignment as the council gave it: its text, milestones, budget and who signed it."""
    doc.add_heading("Uppdraget", level=1)
    para(doc, "Kommunfullmäktige gav den {{ uppdrag.datum|datum }} {{ uppdrag.beredning }} i uppdrag: {{ uppdrag.ämne }}.")
    markdown(doc, "uppdrag.uppdragsbeskrivning")
    milestones(doc, style="List Bullet")
    budget(doc, end=".")
    when_given(doc, "uppdrag.tjänstemän.sakkunnig", "Sakkunnig: {{ uppdrag.tjänstemän.sakkunnig }}.")
    when_given(doc, "uppdrag.tjänstemän.processekreterare",
               "Processekreterare: {{ uppdrag.tjänstemän.processekreterare }}.")
    when_given(doc, "uppdrag.presidium", "Uppdraget undertecknades av kommunfullmäktiges presidium: "
               "{% for person in uppdrag.presidium %}{{ person.namn }} ({{ person.roll }})"
               "{{ ', ' if not loop.last else '.' }}{% endfor %}")


def _members(doc) -> None:
    """The members, once the sources list them."""
    tag(doc, "if overlamnande and overlamnande.ledamöter")
    doc.add_heading("Beredningens ledamöter", level=1)
    t = table(doc, [7, 3, 6], ["Namn", "Parti", "Roll"])
    row_tag(t, "for ledamot in overlamnande.ledamöter")
    row = t.add_row()
    for cell, key in zip(row.cells, ("namn", "parti", "roll")):
        cell.paragraphs[0].text = f"{{{{ ledamot.{key} }}}}"
    row_tag(t, "endfor")
    tag(doc, "endif")


def _evaluation(doc) -> None:
    """Only a policy review evaluates a policy's strategic areas."""
    tag(doc, "if overlamnande and overlamnande.utvärdering")
    doc.add_heading("Utvärdering av policyns strategiska områden", level=1)
    tag(doc, "for område in overlamnande.utvärdering")
    doc.add_heading("{{ område.rubrik }}", level=2)
    doc.add_heading("Det här har fungerat", level=3)
    markdown(doc, "område.fungerat")
    doc.add_heading("Det här har inte fungerat", level=3)
    markdown(doc, "område.inte_fungerat")
    tag(doc, "endfor")
    tag(doc, "endif")


def _good_examples(doc) -> None:
    """The scan of other municipalities: the good examples written up, and the study visits the record
    shows; no section at all when there is neither (never a sentence saying so)."""
    tag(doc, "if (overlamnande and overlamnande.goda_exempel) or sammankomster.studiebesök")
    doc.add_heading("Goda exempel från andra kommuner", level=1)
    tag(doc, "for exempel in (overlamnande.goda_exempel if overlamnande else [])")
    doc.add_heading("{{ exempel.rubrik }} ({{ exempel.kommun }})", level=2)
    markdown(doc, "exempel.beskrivning")
    tag(doc, "endfor")
    tag(doc, "if sammankomster.studiebesök")
    para(doc, "Beredningens studiebesök:")
    bullets(doc, "besök in sammankomster.studiebesök",
            "{{ besök.datum|datum }}: {{ besök.rubrik }}{% if besök.plats %}, {{ besök.plats }}{% endif %}")
    tag(doc, "endif")
    tag(doc, "endif")


def _dialogues(doc) -> None:
    tag(doc, "if medborgardialoger and medborgardialoger.dialoger")
    doc.add_heading("Medborgardialoger och vad som kom fram", level=1)
    tag(doc, "if medborgardialoger.dialoger|räknade")
    doc.add_paragraph("{{ medborgardialoger.dialoger|deltagande }}")
    tag(doc, "endif")
    tag(doc, "for dialog in medborgardialoger.dialoger")
    doc.add_heading("{{ dialog.rubrik }}", level=2)
    para(doc, ("b", "När och var: "), "{{ dialog.datum|datum }}{% if dialog.plats %}, {{ dialog.plats }}{% endif %}")
    para(doc, ("b", "Metod: "), "{{ dialog.metod }}")
    when_given(doc, "dialog.målgrupper", ("b", "Målgrupper: "), "{{ dialog.målgrupper|join(', ') }}")
    when_given(doc, "dialog.antal_deltagare", ("b", "Antal deltagare: "), "{{ dialog.antal_deltagare }}")
    tag(doc, "if dialog.frågor")
    doc.add_heading("Frågor som ställdes", level=3)
    bullets(doc, "fråga in dialog.frågor", "{{ fråga }}")
    tag(doc, "endif")
    tag(doc, "if dialog.resultat.teman or dialog.resultat.röster or dialog.resultat.enkät")
    doc.add_heading("Det här kom fram", level=3)
    themes(doc, level=4)
    tag(doc, "if dialog.resultat.röster")
    doc.add_heading("Röster från dialogen", level=4)
    bullets(doc, "röst in dialog.resultat.röster", "{{ röst|citat }}", style="Citat")
    tag(doc, "endif")
    _survey(doc)
    tag(doc, "endif")
    tag(doc, "if dialog.återkoppling and dialog.återkoppling.datum")  # given; a planned one is not yet news
    doc.add_heading("Återkoppling till deltagarna", level=3)
    para(doc, "{{ dialog.återkoppling.datum|datum }}{% if dialog.återkoppling.sätt %}: "
              "{{ dialog.återkoppling.sätt }}{% endif %}")
    tag(doc, "if dialog.återkoppling.innehåll")
    markdown(doc, "dialog.återkoppling.innehåll")
    tag(doc, "endif")
    tag(doc, "endif")
    tag(doc, "endfor")
    tag(doc, "endif")


def themes(doc, level: int) -> None:
    """A dialogue's themes, each a heading over what came out of it."""
    tag(doc, "for tema in dialog.resultat.teman")
    doc.add_heading("{{ tema.rubrik }}", level=level)
    tag(doc, "if tema.beskrivning")
    markdown(doc, "tema.beskrivning")
    tag(doc, "endif")
    tag(doc, "endfor")


def _survey(doc) -> None:
    """A survey's answers (beredning import-survey): each closed question as a chart and a table, each
    open question's answers as anonymous quotations."""
    tag(doc, "if dialog.resultat.enkät")
    doc.add_heading("Enkätens svar", level=4)
    para(doc, "{{ dialog.resultat.enkät.antal_svar }} "
              "{{ 'person' if dialog.resultat.enkät.antal_svar == 1 else 'personer' }} svarade på enkäten.")
    tag(doc, "for fråga in dialog.resultat.enkät.frågor")
    doc.add_heading("{{ fråga.fråga }}", level=5)
    tag(doc, "if fråga.svar")
    doc.add_paragraph("{{ fråga|diagram }}")
    t = table(doc, [9, 3, 3], ["Svar", "Antal", "Andel"])
    row_tag(t, "for s in fråga.svar")
    row = t.add_row()
    for cell, text in zip(row.cells, ("{{ s.svar }}", "{{ s.antal }}", "{{ s.antal|andel(fråga.besvarad) }}")):
        cell.paragraphs[0].text = text
    row_tag(t, "endfor")
    doc.add_paragraph()
    tag(doc, "endif")
    bullets(doc, "röst in fråga.röster", "{{ röst|citat }}", style="Citat")
    tag(doc, "endfor")
    tag(doc, "endif")


def _goals(doc) -> None:
    tag(doc, "if forslag and forslag.mål")
    doc.add_heading("Förslag till övergripande mål", level=1)
    tag(doc, "for mål in forslag.mål")
    doc.add_heading("Mål {{ loop.index }}: {{ mål.rubrik }}", level=2)
    tag(doc, "if mål.motivering")
    markdown(doc, "mål.motivering")
    tag(doc, "endif")
    when_given(doc, "mål.policyområden", ("b", "Policyområden: "), "{{ mål.policyområden|map('titel')|join(', ') }}")
    when_given(doc, "mål.underlag", ("b", "Underlag: "), "{{ mål.underlag|map('titel')|join('; ') }}")
    tag(doc, "endfor")
    tag(doc, "endif")


def _landscape_appendix(doc) -> None:
    """The appendix's compilation table is as wide as the compilation's own page: a section of its own,
    A4 turned, with its own header and footer."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False  # the title page's own, copied by add_section
    a4(section, landscape=True)
    header_footer(doc, HANDOVER_HEADER, HANDOVER_FOOTER, section)


def _landscape_appendix_note(doc) -> None:
    para(doc, "Sammanställningen visar beredningens sammankomster period för period. Se protokollen för mer detaljer.")


# --- handlingsplan.docx: the action plan, the committee's first piece of work -----

def handlingsplan() -> Document:
    doc = new_document("Handlingsplan", "Beredningens handlingsplan")
    header_footer(doc, "{{ uppdrag.kommun if uppdrag else '' }}", "{{ uppdrag.beredning if uppdrag else '' }}")
    example_notice(doc)
    doc.add_heading("Handlingsplan för {{ uppdrag.beredning if uppdrag else 'beredningen' }}", level=1)
    when_given(doc, "uppdrag", ("b", "Uppdrag: "), "{{ uppdrag.ämne }}")
    para(doc, ("b", "Antagen: "), "{{ handlingsplan.datum|datum }}")
    tag(doc, "if handlingsplan.faser")
    doc.add_heading("Processens faser", level=2)
    t = table(doc, [9, 3.5, 3.5], ["Fas", "Från", "Till"])
    row_tag(t, "for fas in handlingsplan.faser")
    row = t.add_row()
    for cell, text in zip(row.cells, ("{{ fas.rubrik }}", "{{ fas.från }}", "{{ fas.till or '' }}")):
        cell.paragraphs[0].text = text
    row_tag(t, "endfor")
    doc.add_paragraph()
    tag(doc, "endif")
    tag(doc, "if uppdrag and uppdrag.milstolpar.in_order()")
    doc.add_heading("Milstolpar", level=2)
    milestones(doc, style="List Bullet")
    tag(doc, "endif")
    tag(doc, "if handlingsplan.utbildningsbehov")
    doc.add_heading("Utbildning", level=2)
    bullets(doc, "behov in handlingsplan.utbildningsbehov", "{{ behov }}")
    tag(doc, "endif")
    tag(doc, "if handlingsplan.omvärldsbevakning")
    doc.add_heading("Omvärldsbevakning", level=2)
    bullets(doc, "exempel in handlingsplan.omvärldsbevakning", "{{ exempel }}")
    tag(doc, "endif")
    tag(doc, "if handlingsplan.planerade_dialoger")
    doc.add_heading("Planerade medborgardialoger", level=2)
    t = table(doc, [6, 3, 5, 2.5], ["Dialog", "Metod", "Målgrupper", "När"])
    row_tag(t, "for d in handlingsplan.planerade_dialoger")
    row = t.add_row()
    for cell, text in zip(row.cells, ("{{ d.rubrik }}", "{{ d.metod }}", "{{ d.målgrupper|join(', ') }}",
                                      "{{ d.tid or '' }}")):
        cell.paragraphs[0].text = text
    row_tag(t, "endfor")
    doc.add_paragraph()
    tag(doc, "endif")
    section(doc, "Förankring i partigrupperna", "handlingsplan.förankring", "handlingsplan.förankring", level=2)
    return doc


# --- underlag-vagledningsdebatt.docx: for the council members before the guidance debate ------

def underlag_vagledningsdebatt() -> Document:
    doc = new_document("Underlag inför vägledningsdebatten", "{{ uppdrag.ämne }}")
    header_footer(doc, "{{ uppdrag.kommun }}", "{{ uppdrag.beredning }}")
    example_notice(doc)
    doc.add_heading("Underlag inför vägledningsdebatten", level=1)
    para(doc, ("b", "{{ uppdrag.beredning }}: "), "{{ uppdrag.ämne }}")
    para(doc, "{{ vagledning.datum|datum }}")
    tag(doc, "if vagledning.inledning")
    markdown(doc, "vagledning.inledning")
    tag(doc, "endif")
    doc.add_heading("Uppdraget", level=2)
    para(doc, "Kommunfullmäktige gav den {{ uppdrag.datum|datum }} {{ uppdrag.beredning }} i uppdrag: {{ uppdrag.ämne }}.")
    markdown(doc, "uppdrag.uppdragsbeskrivning")
    doc.add_heading("Arbetet hittills", level=2)
    para(doc, "Beredningen har haft {{ hittills|length }} {{ 'sammankomst' if hittills|length == 1 else 'sammankomster' }}"
              "{% if hittills %} mellan {{ hittills[0].datum|datum }} och {{ hittills[-1].datum|datum }}{% endif %}:")
    bullets(doc, "m in hittills", "{{ m.datum|datum }}: {{ m.rubrik }}")
    doc.add_paragraph("{{ hittills|tidslinje(uppdrag, dialoger_hittills) }}")
    tag(doc, "if dialoger_hittills")
    doc.add_heading("Vad dialogerna har sagt", level=2)
    tag(doc, "if dialoger_hittills|räknade")
    doc.add_paragraph("{{ dialoger_hittills|deltagande }}")
    tag(doc, "endif")
    tag(doc, "for dialog in dialoger_hittills")
    doc.add_heading("{{ dialog.rubrik }}", level=3)
    para(doc, "{{ dialog.datum|datum }}, {{ dialog.metod }}{% if dialog.antal_deltagare %}, "
              "{{ dialog.antal_deltagare }}{% endif %}.")
    themes(doc, level=4)
    bullets(doc, "röst in dialog.resultat.röster", "{{ röst|citat }}", style="Citat")
    tag(doc, "endfor")
    tag(doc, "endif")
    doc.add_heading("Frågor till kommunfullmäktige", level=2)
    para(doc, "Beredningen vill ha fullmäktiges vägledning i de här frågorna:")
    bullets(doc, "fråga in vagledning.frågor", "{{ fråga }}", style="List Number")
    return doc


# --- aterkoppling.docx: to the participants of one dialogue ---------------------

def aterkoppling() -> Document:
    doc = new_document("Återkoppling", "Återkoppling till dem som deltog")
    header_footer(doc, "{{ uppdrag.kommun }}", "{{ uppdrag.beredning }}")
    example_notice(doc)
    doc.add_heading("Tack för att du deltog: {{ dialog.rubrik }}", level=1)
    para(doc, "Den {{ dialog.datum|datum }}{% if dialog.plats %} i {{ dialog.plats }}{% endif %} "
              "{% if dialog.antal_deltagare %}deltog {{ dialog.antal_deltagare }}{% else %}deltog du{% endif %} i "
              "{{ uppdrag.beredning|genitiv }} {{ dialog.metod }}. Beredningen arbetar med uppdraget {{ uppdrag.ämne }}. "
              "Tack för att du tog dig tid och delade med dig.")
    tag(doc, "if dialog.resultat.teman or dialog.resultat.röster or dialog.resultat.enkät")
    doc.add_heading("Det här kom fram", level=2)
    themes(doc, level=3)
    tag(doc, "if dialog.resultat.enkät")
    para(doc, "{{ dialog.resultat.enkät.antal_svar }} personer svarade på enkäten.")
    tag(doc, "for fråga in dialog.resultat.enkät.frågor")
    doc.add_heading("{{ fråga.fråga }}", level=3)
    bullets(doc, "s in fråga.svar", "{{ s.svar }}: {{ s.antal }} ({{ s.antal|andel(fråga.besvarad) }})")
    bullets(doc, "röst in fråga.röster", "{{ röst|citat }}", style="Citat")
    tag(doc, "endfor")
    tag(doc, "endif")
    tag(doc, "if dialog.resultat.röster")
    doc.add_heading("Röster från dialogen", level=3)
    bullets(doc, "röst in dialog.resultat.röster", "{{ röst|citat }}", style="Citat")
    tag(doc, "endif")
    tag(doc, "endif")
    tag(doc, "if dialog.återkoppling and dialog.återkoppling.innehåll")
    doc.add_heading("Det här gör beredningen med det", level=2)
    markdown(doc, "dialog.återkoppling.innehåll")
    tag(doc, "endif")
    tag(doc, "if uppdrag.milstolpar.in_order()")
    doc.add_heading("Så går arbetet vidare", level=2)
    milestones(doc, style="List Bullet")
    tag(doc, "endif")
    when_given(doc, "uppdrag.tjänstemän.processekreterare",
               "Har du frågor? Kontakta beredningens processekreterare {{ uppdrag.tjänstemän.processekreterare }} "
               "via {{ uppdrag.kommun }}.")
    doc.add_paragraph()
    para(doc, "Med vänlig hälsning")
    para(doc, "{{ uppdrag.beredning }}")
    return doc


# --- foljebrev.docx: the cover letter to each party group's leader -------------

def foljebrev() -> Document:
    doc = new_document("Följebrev", "Dokument från beredningen")
    header_footer(doc, "{{ uppdrag.kommun }}", "{{ uppdrag.beredning }}")
    example_notice(doc)
    para(doc, ("b", "{{ uppdrag.beredning }}"))
    para(doc, "{{ datum|datum }}")
    doc.add_paragraph()
    para(doc, "Till {{ grupp.gruppledare }}, gruppledare för {{ grupp.parti }}")
    doc.add_heading("{{ uppdrag.ämne }}", level=1)
    para(doc, "Här kommer {{ uppdrag.beredning|genitiv }} dokument till partigruppen, "
              "så att gruppen kan förbereda sig inför behandlingen i kommunfullmäktige.")
    tag(doc, "if overlamnande.utskick.hälsning")
    markdown(doc, "overlamnande.utskick.hälsning")
    tag(doc, "endif")
    doc.add_heading("Bifogade dokument", level=2)
    bullets(doc, "bilaga in bilagor", "{{ bilaga.titel }} ({{ bilaga.filer }})")
    para(doc, "Filen manifest.sha256 innehåller en kontrollsumma för varje fil i utskicket. Med den kan vem som helst "
              "kontrollera att filerna är exakt de som skickades, till exempel med kommandot sha256sum -c manifest.sha256.")
    doc.add_paragraph()
    para(doc, "Med vänlig hälsning")
    para(doc, "{{ uppdrag.beredning }}")
    return doc


def main() -> int:
    TEMPLATES.mkdir(exist_ok=True)
    for name, make in (("uppdrag", uppdrag), ("sammanstallning", sammanstallning), ("overlamnande", overlamnande),
                       ("foljebrev", foljebrev), ("handlingsplan", handlingsplan),
                       ("underlag-vagledningsdebatt", underlag_vagledningsdebatt), ("aterkoppling", aterkoppling)):
        path = TEMPLATES / f"{name}.docx"
        make().save(path)
        print(f"skrev {path.relative_to(TEMPLATES.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
