"""The documents the pipeline makes: each one's template and the sources it is built from."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from .model import Forslag, Källa, Medborgardialoger, Overlamnande, Sammankomster, Uppdrag

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parent
TEMPLATES = PROJECT / "templates"


@dataclass(frozen=True)
class Document:
    """One output document: `<name>.docx`, made from `templates/<name>.docx`."""

    name: str
    title: str
    needs: tuple[type[Källa], ...]

    @property
    def output(self) -> str:
        return f"{self.name}.docx"

    def template(self, templates: Path) -> Path:
        return templates / f"{self.name}.docx"

    def missing(self, present: dict[str, Källa]) -> list[str]:
        return [model.fil for model in self.needs if model.fil not in present]


DOCUMENTS: tuple[Document, ...] = (
    Document("uppdrag", "uppdraget", (Uppdrag,)),
    Document("sammanstallning", "sammanställningen av beredningens arbete", (Sammankomster,)),
    Document("overlamnande", "överlämnandet", (Uppdrag, Sammankomster, Medborgardialoger, Forslag, Overlamnande)),
)


def context_name(model: type[Källa]) -> str:
    """The name a template uses for a source file: its file name without '.yaml'."""
    return model.fil.removesuffix(".yaml")


def fingerprint(template: Path, sources: list[Källa], titles: dict[str, str]) -> str:
    """What the document is made from: the pipeline's code, the template and the validated sources.

    The sources count by their content, not their bytes, so a new comment or
    a re-indented line in a YAML file rebuilds nothing.
    """
    digest = hashlib.sha256()
    for path in [*sorted(PACKAGE.glob("*.py")), template]:
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for source in sources:
        digest.update(source.model_dump_json().encode("utf-8"))
    digest.update(json.dumps(titles, sort_keys=True).encode("utf-8"))
    return digest.hexdigest()
