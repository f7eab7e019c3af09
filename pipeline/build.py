"""The pipeline, top to bottom: read → check → render → convert → publish.

Nothing is written to the build folder until every source has been read and
checked and every changed document has been rendered and converted in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .convert import FORMATS, Rendered, choose_engine, engine_name, make_html, make_pdfs
from .documents import DOCUMENTS, FONTS, TEMPLATES, Document, context_name, fingerprint
from .errors import BeredningError, Problem, TemplateError, shown_path
from .pandoc import PDF_TEMPLATES
from .publish import BuildStatus, publish
from .reproducible import stamp
from .rules import Checked, check_rules
from .validate import read_sources


@dataclass
class Report:
    """What a build did, file by file, for the CLI to tell."""

    engine: str = ""
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class Plan:
    document: Document
    sources: dict
    fingerprint: str
    outputs: list[str]


def check(sources: Path) -> Checked:
    """Read and check every source file; raise `SourceErrors` listing every problem."""
    return check_rules(read_sources(sources))


def build(sources: Path, out: Path, templates: Path = TEMPLATES, engine: str = "auto",
          formats: tuple[str, ...] = FORMATS) -> Report:
    """Build every document the sources allow into `out`, making only what changed."""
    checked = check(sources)
    engine = choose_engine(engine) if "pdf" in formats else ""
    report = Report(engine=engine_name(engine) if engine else "", warnings=checked.warnings)
    status = BuildStatus(out)
    stale = _stale(checked, templates, engine, formats, status, report)
    rendered = _render_all(stale, checked, templates)
    files = _converted(rendered, engine, formats)
    for plan in stale:
        for name in plan.outputs:
            status.record(name, plan.fingerprint, files[name])
            report.built.append(name)
    if files:
        publish(out, files)
        status.save()
    return report


def _stale(checked: Checked, templates: Path, engine: str, formats: tuple[str, ...], status: BuildStatus,
           report: Report) -> list[Plan]:
    """The documents whose sources, template, pipeline or engine changed since the last build."""
    plans = []
    for document in DOCUMENTS:
        missing = document.missing(checked.sources.models)
        if missing:
            report.skipped.append((document.output(), missing))
            continue
        sources = {context_name(m): checked.sources.get(m) for m in (*document.needs, *document.uses)
                   if checked.sources.get(m) is not None}
        made_from = [_template(document, templates), *_conversion_files(formats)]
        extra = {"titles": checked.titles, "engine": engine, "stamp": stamp(document.facts(sources).date)}
        plan = Plan(document, sources, fingerprint(made_from, list(sources.values()), extra),
                    [document.output(f".{suffix}") for suffix in formats])
        if all(status.is_current(name, plan.fingerprint) for name in plan.outputs):
            report.unchanged += plan.outputs
        else:
            plans.append(plan)
    return plans


def _render_all(plans: list[Plan], checked: Checked, templates: Path) -> list[Rendered]:
    """Render every stale document to Word in memory; report every template's faults together."""
    # Imported here: docxtpl and python-docx cost a tenth of a second that a
    # build with nothing changed should not pay.
    from .render import render_document

    rendered, failures = [], []
    for plan in plans:
        facts = plan.document.facts(plan.sources)
        when = stamp(facts.date)
        try:
            docx = render_document(_template(plan.document, templates), plan.sources, checked.titles, facts, when)
        except TemplateError as error:
            failures.append(str(error))
            continue
        rendered.append(Rendered(plan.document, facts, when, docx))
    if failures:
        raise TemplateError("\n".join(failures))
    return rendered


def _converted(rendered: list[Rendered], engine: str, formats: tuple[str, ...]) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if "docx" in formats:
        files.update({item.document.output(): item.docx for item in rendered})
    if "pdf" in formats:
        files.update(make_pdfs(rendered, engine))
    if "html" in formats:
        files.update({item.document.output(".html"): make_html(item) for item in rendered})
    return files


def _template(document: Document, templates: Path) -> Path:
    path = document.template(templates)
    if not path.is_file():
        raise BeredningError(f"{shown_path(path)}: mallen för {document.title} saknas")
    return path


def _conversion_files(formats: tuple[str, ...]) -> list[Path]:
    """The files besides the Word template that shape the PDF and HTML."""
    if not {"pdf", "html"} & set(formats):
        return []
    return sorted([*PDF_TEMPLATES.glob("*"), *FONTS.glob("*.ttf")])
