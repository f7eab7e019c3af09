"""The pipeline, top to bottom: read → check → plan → render → convert → publish.

Nothing is written to the build folder until every source has been read and
checked and every changed document has been rendered and converted in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel

from .convert import Conversions, Rendered, choose_engine, engine_name
from .documents import DOCUMENTS, Document, Facts, context_name, fingerprint
from .errors import BeredningError, TemplateError, shown_path
from .model import SOURCES
from .options import FONTS, FORMATS, TEMPLATES
from .pandoc import one_pandoc
from .privacy import publishable
from .publish import STATUS_FILE, BuildStatus, claim, publish
from .report import Report
from .reproducible import stamp
from .rules import Checked, check_rules
from .unchanged import inputs_digest, remember
from .validate import read_sources


@dataclass
class Plan:
    """One Word file to render, and the files in the build folder made from it, by format."""

    key: str
    template: Path
    values: dict[str, Any]
    facts: Facts
    when: datetime
    fingerprint: str
    outputs: dict[str, str]


def check(sources: Path, strict: bool = False, today: date | None = None) -> Checked:
    """Read and check every source file; raise `SourceErrors` listing every problem (and, when
    `strict`, every warning). `today` decides which of the process's deadlines have passed."""
    return check_rules(read_sources(sources), strict, today)


def build(sources: Path, out: Path, templates: Path = TEMPLATES, engine: str = "auto",
          formats: tuple[str, ...] = FORMATS, waiting: Callable[[], None] = lambda: None,
          strict: bool = False, today: date | None = None, inputs: str | None = None) -> Report:
    """Build every document the sources allow into `out`, making only what changed. `inputs`: the
    digest of all the build is made from (unchanged.inputs_digest), when the caller has taken it."""
    refuse_another_committees_build(sources, out)
    if inputs is None:  # taken before a source is read, so a source edited meanwhile is never vouched for
        inputs = inputs_digest(sources, out, templates, engine, formats, strict, today)
    report = Report()
    with report.stage("read and check"):
        checked = check(sources, strict, today)
    engine = choose_engine(engine) if "pdf" in formats else ""
    report.engine, report.warnings = engine_name(engine) if engine else "", checked.warnings
    with claim(out, waiting):
        status = BuildStatus(out)
        plans = document_plans(checked, templates, engine, formats, status, report)
        files = make(plans, checked, engine, status, report)
        with report.stage("publish"):
            publish(out, files, status)
        remember(out, inputs, report, [*report.built, *report.unchanged, STATUS_FILE])
    return report


def refuse_another_committees_build(sources: Path, out: Path) -> None:
    """A committee's build folder is `build/` inside its sources folder (or, for a project's `sources/`,
    beside it); building other sources into it would overwrite that committee's documents."""
    if out.name != "build":
        return
    for owner in (out.parent, out.parent / "sources"):
        if owner.resolve() != sources.resolve() and any((owner / model.fil).is_file() for model in SOURCES):
            raise BeredningError(f"{shown_path(out)}: byggmappen hör till källorna i {shown_path(owner)}; bygg "
                                 f"{shown_path(sources)} i sin egen byggmapp (utan --build blir det "
                                 f"{shown_path(sources / 'build')})")


def document_plans(checked: Checked, templates: Path, engine: str, formats: tuple[str, ...], status: BuildStatus,
                   report: Report) -> list[Plan]:
    """The documents whose sources, template, pipeline or engine changed since the last build."""
    plans = []
    for document in DOCUMENTS:
        missing = document.missing(checked.sources.models)
        if missing:
            report.skipped.append((document.output(), missing))
            continue
        # A source the document may use but that does not exist yet is None: its sections are left out.
        sources = {context_name(m): checked.sources.get(m) for m in (*document.needs, *document.uses)}
        template = template_path(document, templates)
        # Example data anywhere in the document's sources marks every copy, also one made of a single item.
        example = any(source.exempeldata for source in sources.values() if source is not None)
        for name, values in document.copies(sources):
            values["exempeldata"] = example
            facts = document.facts(values)
            plan = new_plan(name, template, {**values, "utkast": facts.draft, "datum": facts.date}, facts, checked,
                            {suffix: f"{name}.{suffix}" for suffix in formats}, engine)
            if facts.draft:
                report.drafts.append(name)
            keep_if_stale(plan, status, report, plans)
    return plans


def new_plan(key: str, template: Path, values: dict[str, Any], facts: Facts, checked: Checked,
             outputs: dict[str, str], engine: str) -> Plan:
    """A plan to render `template`: the one place all template values pass, so personal data stops here."""
    values = {name: publishable(value) for name, value in values.items()}
    when = stamp(facts.date)
    made_from = [template, *conversion_files(tuple(outputs), template.parent), *sorted(checked.pictures.values())]
    sources = [value for value in values.values() if isinstance(value, BaseModel)]
    others = {name: value for name, value in values.items() if not isinstance(value, BaseModel)}
    extra = {"titles": checked.titles, "engine": engine, "stamp": when, "values": repr(others)}
    return Plan(key, template, values, facts, when, fingerprint(made_from, sources, extra), outputs)


def keep_if_stale(plan: Plan, status: BuildStatus, report: Report, plans: list[Plan]) -> None:
    if all(status.is_current(name, plan.fingerprint) for name in plan.outputs.values()):
        report.unchanged += plan.outputs.values()
    else:
        plans.append(plan)


def make(plans: list[Plan], checked: Checked, engine: str, status: BuildStatus, report: Report) -> dict[str, bytes]:
    """Render, convert and prove every planned file in memory, by its path in the build folder; one
    pandoc process for all conversions, one LibreOffice process for all PDFs."""
    if not plans:
        return {}  # nothing changed: no renderer, no pandoc, no PDF engine is even loaded
    from .proof import Outputs, Places, Proof  # here, like everything that is needed only to make files

    proof, word_file = Proof(Places(checked)), {plan.key: plan.outputs.get("docx", f"{plan.key}.docx") for plan in plans}

    def prove(item: Rendered, made: dict[str, bytes]) -> None:
        with report.stage("proof"):
            proof.check(Outputs(word_file[item.key], item.docx, item.printed, item.facts, engine, made.get("pdf"),
                                made.get("html")))

    with one_pandoc():
        rendered, made = render_and_convert(plans, checked, engine, report, prove)
    proof.conclude(word_file[item.key] for _, item in rendered)
    files = {name: item.docx if suffix == "docx" else made[item.key][suffix]
             for plan, item in rendered for suffix, name in plan.outputs.items()}
    for plan in plans:
        for name in plan.outputs.values():
            status.record(name, plan.fingerprint, files[name])
            report.built.append(name)
    return files


def render_and_convert(plans: list[Plan], checked: Checked, engine: str, report: Report,
                       made: Callable[[Rendered, dict[str, bytes]], None]) -> tuple[list[tuple[Plan, Rendered]],
                                                                                 dict[str, dict[str, bytes]]]:
    """Render every planned Word file in memory, each one's PDF and web page made while the next one
    renders (convert.Conversions), and each handed to `made` once they are; report every template's
    faults together, converting nothing more."""
    # Imported here: docxtpl and python-docx cost a tenth of a second that a
    # build with nothing changed should not pay (tests/test_speed.py).
    from .render import fields_ahead, markdown_of, render_document

    with report.stage("render"):
        texts = {plan.key: markdown_of(plan.values.values()) for plan in plans}

    fields = fields_ahead({template: [text for plan in plans if plan.template == template for text in texts[plan.key]]
                           for template in dict.fromkeys(plan.template for plan in plans)}, report)
    last_of_its_template = {plan.template: plan.key for plan in plans}
    conversions = Conversions(engine, report, made)
    rendered, failures = [], []
    try:
        for plan in plans:
            its_fields = fields[plan.template].result()
            try:
                with report.stage("render"):
                    docx, printed = render_document(plan.template, plan.values, checked.titles, plan.facts,
                                                    plan.when, checked.pictures, its_fields, texts.pop(plan.key))
            except TemplateError as error:
                failures.append(str(error))
                conversions.stop()
                continue
            finally:
                if last_of_its_template[plan.template] == plan.key:
                    del fields[plan.template]  # a large committee's fields need not wait for the last letter
            item = Rendered(plan.key, plan.facts, plan.when, docx, pdf_templates(plan.template.parent), printed)
            rendered.append((plan, item))
            if not failures:
                conversions.start(item, tuple(suffix for suffix in plan.outputs if suffix != "docx"))
        if failures:
            raise TemplateError("\n".join(failures))
        return rendered, conversions.finish()
    except BaseException:
        conversions.stop()
        raise


def template_path(document: Document, templates: Path) -> Path:
    path = document.template(templates)
    if not path.is_file():
        raise BeredningError(f"{shown_path(path)}: mallen för {document.title} saknas")
    return path


def pdf_templates(templates: Path) -> Path:
    """The pandoc filter and Typst template for PDF and HTML: `pdf/` beside the Word templates."""
    return templates / "pdf"


def conversion_files(formats: tuple[str, ...], templates: Path) -> list[Path]:
    """The files besides the Word template that shape the PDF and HTML."""
    if not {"pdf", "html"} & set(formats):
        return []
    return sorted([*pdf_templates(templates).glob("*"), *FONTS.glob("*.ttf")])
