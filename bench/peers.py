"""The peers of `make bench`, each doing the same work as a part of our build, in this one process.

`python bench/peers.py SOURCES OUT.json` times, best of three, the render of
the meeting compilation (templates/sammanstallning.docx) two ways:
- ours: `render_document` as the build calls it (Markdown fields by pandoc,
  tables fitted, fonts embedded, properties set, the values it printed noted);
- raw docxtpl: the same template and the same sources as plain strings and
  lists (pydantic's `model_dump`), every filter the template uses the identity,
  `DocxTemplate.render` and `save`: the least a docxtpl render can do.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2.sandbox import SandboxedEnvironment

from pipeline.build import check, document_plans, Report
from pipeline.options import TEMPLATES
from pipeline.pandoc import one_pandoc
from pipeline.publish import BuildStatus
from pipeline.render import MarkdownFields, markdown_of, render_document

DOCUMENT = "sammanstallning"


def best_of_three(work) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def plain(value):
    """A source as docxtpl's users would hand it over: dicts, lists and strings."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value if isinstance(value, (str, int, float, bool, type(None))) else str(value)


class Identity(dict):
    """Every filter the template names, as the identity: raw docxtpl has none of ours."""

    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return lambda value, *args, **kwargs: value

    def get(self, name, default=None):
        return self[name]


def main(sources: Path, out: Path) -> None:
    checked = check(sources)
    with_nothing_built = BuildStatus(out.parent / "peers-empty")
    plan = next(p for p in document_plans(checked, TEMPLATES, "", ("docx",), with_nothing_built, Report())
                if p.key == DOCUMENT)

    def ours():
        texts = markdown_of(plan.values.values())
        fields = MarkdownFields(plan.template, texts)
        render_document(plan.template, plan.values, checked.titles, plan.facts, plan.when, checked.pictures, fields,
                        texts)

    context = {name: plain(value) for name, value in plan.values.items()}
    # `sammankomster.alla` is a property, not a field: give the plain context the same list.
    context["sammankomster"]["alla"] = [m for p in context["sammankomster"]["perioder"] for m in p["sammankomster"]]

    def raw():
        template = DocxTemplate(plan.template)
        env = SandboxedEnvironment()
        env.filters = Identity(env.filters)
        template.render(context, env)
        template.save(io.BytesIO())

    with one_pandoc():
        results = {"ours_s": best_of_three(ours), "raw_docxtpl_s": best_of_three(raw)}
    out.write_text(json.dumps(results), "utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
