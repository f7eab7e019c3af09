"""Stage 4: merge the checked sources into a Word template, in memory.

Templates are rendered with autoescape (so `&` and `<` in the sources cannot
break the file), in a sandbox, and with a strict undefined: a field the
sources do not provide stops the build with its name instead of leaving a
blank in the document. Markdown fields become real Word paragraphs, lists and
emphasis through one pandoc call per document.
"""

from __future__ import annotations

import io
import re
import threading
from concurrent.futures import Future
from copy import deepcopy
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable
from xml.sax.saxutils import quoteattr

import jinja2
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from .contents import write_contents
from .documents import Facts
from .embed import embed_fonts
from .errors import TemplateError, shown_path
from .layout import fit_tables
from .proof import Printed, shown_text, style_of
from .charts import (bar_chart, chart_text, counted, participation_charts, participation_text, share, timeline,
                     timeline_text)
from .model import SOURCES, Enkätfråga, Källa, Uppdrag, texts
from .package import tidy
from .pandoc import FIELD_BOUNDARY, SERVER, markdown_to_docx
from .pictures import for_print
from .reproducible import stable_docx
from .scripts import fonts_for_scripts
from .subdoc import FastSubdoc
from .values import Markdown, genitive, kronor, quoted, relative_levels, short_date, swedish_date

if TYPE_CHECKING:
    from .report import Report


class Fragment:
    """A piece of Word XML that Jinja inserts as it is (it has `__html__`), and the text it shows."""

    def __init__(self, elements: Iterable[etree._Element]):
        elements = list(elements)
        self.xml = "".join(etree.tostring(e, encoding="unicode") for e in elements)
        self.text = " ".join(shown_text(p) for e in elements for p in e.iter(qn("w:p")))

    def __html__(self) -> str:
        return self.xml

    def __str__(self) -> str:
        return self.xml


class _Template(DocxTemplate):
    """docxtpl's template, noting the values printed into the body in the order they are printed,
    for the build's proof that every format shows them (pipeline/proof.py)."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.shown: list[str] = []
        self._recording = False

    def build_xml(self, context, jinja_env=None):
        self._recording = True
        try:
            return super().build_xml(context, jinja_env)
        finally:
            self._recording = False

    def render_properties(self, context, jinja_env=None) -> None:
        """Nothing: the properties come from the sources (_set_properties), not from the template's
        own, which may hold a field longer than python-docx allows a property to be."""

    def printed(self, value: Any) -> Any:
        if self._recording and not isinstance(value, (InlineImage, Pictures)):
            self.shown.append(value.text if isinstance(value, Fragment) else str(value))
        return value


def render_document(template: Path, values: dict[str, Any], titles: dict[str, str], facts: Facts,
                    when: datetime, pictures: dict[str, Path] | None = None,
                    fields: MarkdownFields | None = None, texts: list[Markdown] | None = None) -> tuple[bytes, Printed]:
    """Render `template` with the named sources (and other values); return the .docx as bytes (the
    same bytes for the same input) and the values printed into its body. `fields`: the Markdown
    of every document of this template, converted together (else this document's own); `texts`:
    this document's Markdown fields, `markdown_of(values.values())`, when already known."""
    tpl = _Template(template)
    texts = markdown_of(values.values()) if texts is None else texts
    fragments = (fields or MarkdownFields(template, texts)).fragments(tpl, texts)
    env = _environment(tpl, fragments, titles, pictures or {})
    env.finalize = tpl.printed
    context: dict[str, Any] = dict(values)
    context.setdefault("exempeldata", any(isinstance(v, Källa) and v.exempeldata for v in values.values()))
    try:
        tpl.render(context, env, autoescape=True)
    except jinja2.TemplateError as error:
        raise TemplateError(_template_message(template, tpl, error)) from error
    _place_field_headings(tpl)
    printed = Printed.of(tpl.shown, tpl.docx.element.body)
    fit_tables(tpl.docx.element.body)
    write_contents(tpl.docx.element.body)
    _number_lists_in_order(tpl)
    _bullets_in_shipped_fonts(tpl)
    fonts_for_scripts(_parts(tpl))
    embed_fonts(tpl.docx, _parts(tpl))
    _set_properties(tpl, facts, when)
    tidy(tpl.docx)
    return stable_docx(tpl.docx), printed


def _parts(tpl: DocxTemplate) -> list[etree._Element]:
    """The body, headers and footers: every part that shows text."""
    furniture = [rel.target_part.element for rel in tpl.docx.part.rels.values()
                 if rel.reltype in (RT.HEADER, RT.FOOTER)]
    return [tpl.docx.element.body, *furniture]


# The core-properties part's namespaces by their true names: docxcompose rebinds python-docx's 'cp'
# prefix on import, so python-docx's own setters write some of these into another namespace.
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC, _DCTERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _set_properties(tpl: DocxTemplate, facts: Facts, when: datetime) -> None:
    """Every document property anew from the sources, whatever the template's own say: title,
    subject, the committee as author, last editor and keywords, the document's date, revision 1,
    Swedish; no name of anyone who edited the template, nothing of the building machine."""
    element = tpl.docx.core_properties._element
    element[:] = []
    stamp = when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for namespace, name, value in (
            (_DC, "title", facts.title), (_DC, "subject", facts.subject), (_DC, "creator", facts.author),
            (_CORE, "keywords", facts.committee), (_CORE, "lastModifiedBy", facts.author), (_CORE, "revision", "1"),
            (_DCTERMS, "created", stamp), (_DCTERMS, "modified", stamp), (_DC, "language", "sv-SE"),
            *([(_CORE, "contentStatus", "Utkast")] if facts.draft else [])):
        child = etree.SubElement(element, f"{{{namespace}}}{name}", nsmap={"dcterms": _DCTERMS, "xsi": _XSI})
        child.text = value
        if namespace == _DCTERMS:
            child.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")


_BULLETS = ("•", "–", "•")  # in Noto Sans, unlike Word's Symbol and Wingdings bullets


def _bullets_in_shipped_fonts(tpl: DocxTemplate) -> None:
    """Draw list bullets in Noto Sans: Word's defaults use Symbol, Wingdings and Courier New, which a
    PDF engine replaces with a font of the machine (LibreOffice's OpenSymbol), not one of fonts/."""
    numbering = tpl.docx.part.numbering_part.element
    for level in numbering.iter(qn("w:lvl")):
        kind = level.find(qn("w:numFmt"))
        if kind is None or kind.get(qn("w:val")) != "bullet":
            continue
        text = level.find(qn("w:lvlText"))
        if text is not None:
            text.set(qn("w:val"), _BULLETS[int(level.get(qn("w:ilvl"), "0")) % len(_BULLETS)])
        for fonts in level.iter(qn("w:rFonts")):
            for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(script), "Noto Sans")


def _number_lists_in_order(tpl: DocxTemplate) -> None:
    """Give list definitions sequential ids: docxcompose draws them at random, which
    would make two builds of the same sources differ. Unique ids still keep lists apart."""
    numbering = tpl.docx.part.numbering_part.element
    for n, nsid in enumerate(numbering.iter(qn("w:nsid"))):
        nsid.set(qn("w:val"), f"{0x10000000 + n:08X}")


class Picture(InlineImage):
    """An inline picture with alternative text, which accessible PDFs (PDF/UA) require."""

    def __init__(self, tpl: DocxTemplate, image: io.BytesIO, height_mm: float, alt: str):
        super().__init__(tpl, image, height=Mm(height_mm))
        self.alt = alt

    def _insert_image(self):
        return re.sub(r"(<wp:docPr\b[^>]*?)(/?>)", lambda m: f"{m[1]} descr={quoteattr(self.alt)}{m[2]}",
                      super()._insert_image(), count=1)


def _picture(tpl: DocxTemplate, pictures: dict[str, Path], picture: str, height_mm: float, alt: str | None) -> Picture:
    """A picture the rules found inside the sources folder; never a path the template names itself;
    always with a text saying what it shows, from the sources (WCAG 1.1.1)."""
    if not alt or not str(alt).strip():
        raise jinja2.TemplateRuntimeError(f"filtret 'bild' fick ingen text om vad '{picture}' visar; skriv "
                                          "bild(alt=uppdrag.logotyp_text) i mallen")
    if picture not in pictures:
        raise jinja2.TemplateRuntimeError(f"filtret 'bild' fick '{picture}', som inte är en bild i källorna")
    if isinstance(height_mm, bool) or not isinstance(height_mm, (int, float)) or not 1 <= height_mm <= 250:
        raise jinja2.TemplateRuntimeError(f"filtret 'bild' fick höjden {height_mm!r}; ange millimeter, 1–250")
    return Picture(tpl, for_print(pictures[picture], height_mm), height_mm, str(alt))


def _chart(tpl: DocxTemplate, question: Any) -> Picture:
    """A survey question's answers as a bar chart, with all it shows in its alternative text."""
    if not isinstance(question, Enkätfråga) or not question.svar:
        raise jinja2.TemplateRuntimeError("filtret 'diagram' används på en enkätfråga med svar: "
                                          "{{ fråga|diagram }} i en loop över dialog.resultat.enkät.frågor")
    png, height_mm = bar_chart(question)
    return Picture(tpl, io.BytesIO(png), height_mm, chart_text(question))


def _timeline(tpl: DocxTemplate, meetings: Any, assignment: Any, dialogues: Any) -> Picture:
    """The work as a timeline: meetings, dialogues and milestones; its text says every one."""
    if not isinstance(assignment, Uppdrag):
        raise jinja2.TemplateRuntimeError("filtret 'tidslinje' behöver uppdraget: "
                                          "{{ sammankomster.alla|tidslinje(uppdrag, dialoger) }}")
    meetings, dialogues = list(meetings or []), list(dialogues or [])
    png, height_mm = timeline(meetings, dialogues, assignment)
    return Picture(tpl, io.BytesIO(png), height_mm, timeline_text(meetings, dialogues, assignment))


def _participation(tpl: DocxTemplate, dialogues: Any) -> Picture | Pictures:
    dialogues = list(dialogues or [])
    if not counted(dialogues):
        raise jinja2.TemplateRuntimeError("filtret 'deltagande' behöver dialoger med antal_deltagare; "
                                          "skriv {%p if ... %} runt bilden")
    pieces = [Picture(tpl, io.BytesIO(png), height_mm, participation_text(shown))
              for png, height_mm, shown in participation_charts(dialogues)]
    return pieces[0] if len(pieces) == 1 else Pictures(pieces)


class Pictures:
    """Pictures one under the other in one paragraph: a chart too tall for a page, in pieces that are not."""

    def __init__(self, pictures: list[Picture]):
        self.pictures = pictures

    def __html__(self) -> str:
        return '</w:t></w:r><w:r><w:br/></w:r><w:r><w:t xml:space="preserve">'.join(
            picture.__html__() for picture in self.pictures)

    __str__ = __html__


class _Sandbox(SandboxedEnvironment):
    """The sandbox, compiling each template text once per run: the 300 feedback letters of a large
    committee share one template, whose compilation took a fifth of each letter's render. The code
    does not depend on the values or the filters' bodies, only on the text and these settings."""

    _compiled: dict[str, Any] = {}

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        if raw or name or filename or defer_init or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)
        if source not in self._compiled:
            if len(self._compiled) > 64:
                self._compiled.clear()
            self._compiled[source] = super().compile(source)
        return self._compiled[source]


def _environment(tpl: DocxTemplate, fragments: dict[str, Fragment], titles: dict[str, str],
                 pictures: dict[str, Path]) -> jinja2.Environment:
    """A sandbox with a strict undefined and the filters the templates may use."""
    env = _Sandbox(undefined=jinja2.StrictUndefined, autoescape=True)

    def markdown(text: str) -> Fragment:
        if not isinstance(text, Markdown) or text not in fragments:
            raise jinja2.TemplateRuntimeError(f"filtret 'markdown' används på ett fält som inte är Markdown: {str(text)[:40]!r}")
        return fragments[text]

    def title(ident: str) -> str:
        if ident not in titles:
            raise jinja2.TemplateRuntimeError(f"filtret 'titel' fick '{ident}', som inte är ett id i källorna")
        return titles[ident]

    env.filters.update(
        datum=swedish_date,
        kortdatum=short_date,
        kronor=kronor,
        citat=quoted,
        markdown=markdown,
        titel=title,
        bild=lambda picture, höjd=18, alt=None: _picture(tpl, pictures, picture, höjd, alt),
        diagram=lambda question: _chart(tpl, question),
        andel=lambda count, total: f"{share(count, total)} %",
        genitiv=genitive,
        tidslinje=lambda meetings, assignment, dialogues=(): _timeline(tpl, meetings, assignment, dialogues),
        deltagande=lambda dialogues: _participation(tpl, dialogues),
        räknade=counted,
    )
    return env


# --- Markdown ---------------------------------------------------------------

def markdown_texts(value: Any) -> list[Markdown]:
    """Every Markdown field in a source, in order."""
    return [text for _, text in texts(value) if isinstance(text, Markdown)]


class MarkdownFields:
    """The Markdown fields of every document made from one template, converted by one pandoc job
    (so 300 feedback letters cost one conversion, not 300); each document then attaches only its own."""

    def __init__(self, template: Path, texts: Iterable[str]):
        self.texts = list(dict.fromkeys(texts))
        self.converted: Document | None = None
        self.chunks: dict[str, list[etree._Element]] = {}
        self.style_mappings: dict[str, dict] = {}  # the same for every document of the template (FastSubdoc)
        if self.texts:
            self.converted = Document(io.BytesIO(markdown_to_docx(self.texts, template)))
            chunks = _split_at_boundaries(self.converted.element.body)
            if len(chunks) != len(self.texts):
                raise TemplateError(f"pandoc gav {len(chunks)} Markdown-texter tillbaka av {len(self.texts)}")
            self.chunks = dict(zip(self.texts, chunks))

    def fragments(self, tpl: DocxTemplate, texts: Iterable[Markdown]) -> dict[str, Fragment]:
        """The fields `texts` (of one document's sources) as parts of `tpl`: copies of their paragraphs,
        attached to `tpl` with their styles, lists and pictures."""
        texts = list(dict.fromkeys(texts))
        if not texts:
            return {}
        body = self.converted.element.body
        kept = [element for element in body if element.tag == qn("w:sectPr")]
        copies = {text: [deepcopy(element) for element in self.chunks[text]] for text in texts}
        body[:] = [element for text in texts for element in copies[text]] + kept
        FastSubdoc(tpl, self.converted, self.style_mappings)
        return {text: Fragment(_relative_headings(copies[text])) for text in texts}


def fields_ahead(texts: dict[Path, list[Markdown]], report: Report) -> dict[Path, Future]:
    """Each template's MarkdownFields of `texts` (by template, in the order the documents need them),
    converted in a thread of its own while the documents of the templates before it render; pandoc
    takes them before any other conversion (PandocServer.first), as the rendering waits for them. A
    failure is raised where its template's fields are taken (`result()`)."""
    ahead = {template: Future() for template in texts}
    order = list(ahead.items())  # the caller lets go of each template's fields once its last document is made

    def convert() -> None:
        with SERVER.first():
            for template, fields in order:
                try:
                    with report.stage("render"):
                        fields.set_result(MarkdownFields(template, texts[template]))
                except BaseException as error:
                    fields.set_exception(error)

    threading.Thread(target=convert, name="markdown", daemon=True).start()
    return ahead


def markdown_of(sources: Iterable[Any]) -> list[Markdown]:
    """Every Markdown field of the given sources, in order."""
    return [text for source in sources for text in markdown_texts(source)]


def _split_at_boundaries(body: etree._Element) -> list[list[etree._Element]]:
    """The fields' paragraphs, cut at the boundary paragraphs of pipeline/lua/fields.lua, which
    only the reader writes (a style no Markdown can name), never at anything a text says."""
    chunks: list[list[etree._Element]] = []
    for element in body:
        if element.tag == qn("w:sectPr"):
            continue
        if element.tag == qn("w:p") and style_of(element) == FIELD_BOUNDARY:
            chunks.append([])
        elif chunks:
            chunks[-1].append(element)
    return chunks


# A field's headings carry their level within the field until the document is rendered and the
# section they stand in is known (_place_field_headings); no source text can name these styles.
_FIELD_HEADING = "BeredningFaltrubrik{}"
_HEADING = re.compile(r"Heading([1-9])")
DEEPEST_HEADING = 6  # PDF/UA and HTML know six levels


def _relative_headings(chunk: list[etree._Element]) -> list[etree._Element]:
    """Mark a field's headings with their level within the field (values.relative_levels)."""
    headings = [(p, int(m[1])) for element in chunk for p in element.iter(qn("w:p"))
                if (m := _HEADING.fullmatch(style_of(p)))]
    for (paragraph, _), level in zip(headings, relative_levels([written for _, written in headings])):
        paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").set(qn("w:val"), _FIELD_HEADING.format(level))
    return chunk


def _place_field_headings(tpl: DocxTemplate) -> None:
    """Put each heading of a Markdown field below the template heading of the section it stands in
    (never at the document's top level, never skipping a level)."""
    section = 1
    for paragraph in tpl.docx.element.body.iter(qn("w:p")):
        style = paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        value = style.get(qn("w:val")) if style is not None else ""
        template_heading = _HEADING.fullmatch(value)
        if template_heading:
            section = int(template_heading[1])
        elif value.startswith(_FIELD_HEADING.format("")):
            relative = int(value.removeprefix(_FIELD_HEADING.format("")))
            style.set(qn("w:val"), f"Heading{min(section + relative, DEEPEST_HEADING)}")


# --- errors -------------------------------------------------------------------

def _template_message(template: Path, tpl: DocxTemplate, error: jinja2.TemplateError) -> str:
    """Name the template, say what is wrong and show the template's text around it."""
    name = f"{shown_path(template)} ({_part_name(tpl)})"
    if isinstance(error, jinja2.UndefinedError):
        what = f"fältet {_undefined_name(error.message or '')} finns inte i källorna"
    elif isinstance(error, jinja2.TemplateSyntaxError):
        what = f"mallen har ett syntaxfel: {_syntax_in_swedish(error.message or '')}"
    else:
        what = f"mallen kunde inte fyllas i: {error.message}"
    lines = list(getattr(error, "docx_context", None) or _context_lines(tpl, _template_line(error)))
    around = "\n".join(f"    {line.strip()}" for line in lines if line.strip())
    return f"{name}: {what}" + (f"\n  mallens text kring felet:\n{around}" if around else "")


def _syntax_in_swedish(message: str) -> str:
    """Jinja's wording of the usual slips in a template, as the communicator reads them."""
    unclosed = re.search(r"The innermost block that needs to be closed is '(\w+)'", message)
    if message.startswith("Unexpected end of template") and unclosed:
        return f"'{{% {unclosed[1]} %}}' stängs aldrig; lägg till '{{% end{unclosed[1]} %}}'"
    unknown = re.search(r"Encountered unknown tag '(\w+)'", message)
    if unknown:
        return f"okänd tagg '{{% {unknown[1]} %}}' (stavfel, eller en 'end'-tagg utan början?)"
    return message


def _undefined_name(message: str) -> str:
    """The field as the template names it: 'uppdrag.kommunnamn', or 'x' for a bare name."""
    attribute = re.search(r"'(?:[\w.]+\.)?(\w+) object' has no attribute '([^']+)'", message)
    if attribute:
        owner, name = attribute.groups()
        source = next((model for model in SOURCES if model.__name__ == owner), None)
        return f"'{source.fil.removesuffix('.yaml')}.{name}'" if source else f"'{name}' (i {owner.lower()})"
    bare = re.search(r"'([^']+)' is undefined", message)
    return f"'{bare[1]}'" if bare else message


def _template_line(error: Exception) -> int | None:
    """The line of the rendered template where Jinja stopped, from the traceback."""
    tb = error.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _part_name(tpl: DocxTemplate) -> str:
    """Where in the Word file rendering stopped: the body, a header or a footer."""
    part = getattr(tpl, "current_rendering_part", None)
    partname = str(getattr(part, "partname", ""))
    if "header" in partname:
        return "sidhuvudet"
    if "footer" in partname:
        return "sidfoten"
    return "brödtexten"


def _context_lines(tpl: DocxTemplate, line: int | None) -> list[str]:
    if line is None:
        return []
    part = getattr(tpl, "current_rendering_part", None)
    source = tpl.get_part_xml(part) if part is not None and part is not tpl.docx.part else tpl.get_xml()
    # The same preprocessing docxtpl applies before handing the XML to Jinja.
    xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(source))
    start = max(line - 3, 0)
    return [re.sub(r"<[^>]+>", "", text) for text in xml.splitlines()[start:line + 2]]

