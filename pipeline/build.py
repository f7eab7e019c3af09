"""The pipeline, top to bottom: read → check → render → publish.

Nothing is written to the build folder until every source has been read and
checked and every changed document has been rendered in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .documents import DOCUMENTS, TEMPLATES, Document, context_name, fingerprint
from .errors import BeredningError, Problem, TemplateError, shown_path
from .publish import BuildStatus, publish, reproducible_zip
from .rules import Checked, check_rules
from .validate import read_sources


@dataclass
class Report:
    """What a build did, document by document, for the CLI to tell."""

    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, list[str]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def check(sources: Path) -> Checked:
    """Read and check every source file; raise `SourceErrors` listing every problem."""
    return check_rules(read_sources(sources))


def build(sources: Path, out: Path, templates: Path = TEMPLATES) -> Report:
    """Build every document the sources allow into `out`, rendering only what changed."""
    checked = check(sources)
    report = Report(warnings=checked.warnings)
    status = BuildStatus(out)
    rendered: dict[str, bytes] = {}
    failures: list[str] = []
    for document in DOCUMENTS:
        missing = document.missing(checked.sources.models)
        if missing:
            report.skipped.append((document.output, missing))
            continue
        print_at = fingerprint(_template(document, templates), _sources(checked, document), checked.titles)
        if status.is_current(document.output, print_at):
            report.unchanged.append(document.output)
            continue
        try:
            rendered[document.output] = _render(document, checked, templates)
        except TemplateError as error:
            failures.append(str(error))
            continue
        status.record(document.output, print_at, rendered[document.output])
        report.built.append(document.output)
    if failures:
        raise TemplateError("\n".join(failures))
    if rendered:
        publish(out, rendered)
        status.save()
    return report


def _render(document: Document, checked: Checked, templates: Path) -> bytes:
    # Imported here: docxtpl and python-docx cost a tenth of a second that a
    # build with nothing changed should not pay.
    from .render import render_document

    sources = {context_name(model): checked.sources.get(model) for model in document.needs}
    return reproducible_zip(render_document(_template(document, templates), sources, checked.titles))


def _template(document: Document, templates: Path) -> Path:
    path = document.template(templates)
    if not path.is_file():
        raise BeredningError(f"{shown_path(path)}: mallen för {document.title} saknas")
    return path


def _sources(checked: Checked, document: Document) -> list:
    return [checked.sources.get(model) for model in document.needs]
