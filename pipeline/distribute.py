"""Stage 7: a package for each party group: the documents it receives (Word and PDF), a cover
letter to its group leader, and `manifest.sha256`, as a folder and as a zip.

Documents listed under `utskick.interna_dokument` never go out. The manifest
is in sha256sum's format, so anyone can check what was sent with
`sha256sum -c manifest.sha256`. The cover letters are rendered and converted
together with the documents: one LibreOffice process for the whole run.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from datetime import date
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .build import Report, check, document_plans, keep_if_stale, make, new_plan, refuse_another_committees_build
from .convert import choose_engine, engine_name
from .documents import DOCUMENTS, Document, Facts, document_named, named_sources
from .options import TEMPLATES
from .errors import BeredningError, shown_path
from .model import Overlamnande, Partigrupp, Uppdrag
from .publish import BuildStatus, claim, holds, publish
from .reproducible import write_zip
from .rules import Checked
from .values import folder_name

FOLDER = "utskick"
LETTER = "foljebrev"
MANIFEST = "manifest.sha256"


@dataclass
class Distribution:
    """What `distribute` did: the build's report and the packages written or left as they were."""

    build: Report
    packed: list[tuple[str, int]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def distribute(sources: Path, out: Path, templates: Path = TEMPLATES, engine: str = "auto",
               waiting: Callable[[], None] = lambda: None, strict: bool = False,
               today: date | None = None) -> Distribution:
    """Build the documents and every group's cover letter, then pack a folder and a zip per group;
    the documents and the packages are published together."""
    refuse_another_committees_build(sources, out)
    checked = check(sources, strict, today)
    uppdrag, handover = checked.sources.get(Uppdrag), checked.sources.get(Overlamnande)
    if uppdrag is None or handover is None or not handover.partigrupper:
        raise BeredningError("utskicket behöver uppdrag.yaml och partigrupperna i overlamnande.yaml "
                             "(partigrupper: med parti och gruppledare för varje grupp)")
    engine = choose_engine(engine)
    report = Distribution(Report(engine=engine_name(engine), warnings=checked.warnings))
    with claim(out, waiting):
        status = BuildStatus(out)
        plans = document_plans(checked, templates, engine, ("docx", "pdf", "html"), status, report.build)
        sent = [d for d in DOCUMENTS if d.to_party_groups and d.name not in handover.utskick.interna_dokument
                and not d.missing(checked.sources.models)]
        when = document_named("overlamnande").facts(named_sources(checked.sources.models)).date  # a draft's too
        for group in handover.partigrupper:
            keep_if_stale(_letter_plan(group, uppdrag, handover, when, sent, templates, checked, engine), status,
                          report.build, plans)
        files = make(plans, checked, engine, status, report.build)
        files.update(_packages(handover, sent, out, files, report))
        publish(out, files, status)
        _remove_packages_of_groups_no_longer_listed(out, handover)
    return report


def _letter_plan(group: Partigrupp, uppdrag: Uppdrag, handover: Overlamnande, when: date, sent: list[Document],
                 templates: Path, checked: Checked, engine: str):
    template = templates / f"{LETTER}.docx"
    if not template.is_file():
        raise BeredningError(f"{shown_path(template)}: mallen för följebrevet saknas")
    facts = Facts(title=f"Följebrev till {group.parti}", author=uppdrag.beredning,
                  subject=f"{uppdrag.ämne}: dokument till partigruppen", date=when,
                  municipality=uppdrag.kommun,
                  committee=uppdrag.beredning)
    attachments = [{"titel": d.title[:1].upper() + d.title[1:], "filer": f"{d.output()}, {d.output('.pdf')}"}
                   for d in sent]
    values = {"uppdrag": uppdrag, "overlamnande": handover, "grupp": group, "bilagor": attachments, "datum": when}
    folder = f"{FOLDER}/{folder_name(group.parti)}"
    return new_plan(f"{LETTER}-{folder_name(group.parti)}", template, values, facts, checked,
                    {"docx": f"{folder}/{LETTER}.docx", "pdf": f"{folder}/{LETTER}.pdf"}, engine)


def _packages(handover: Overlamnande, sent: list[Document], out: Path, built: dict[str, bytes],
              report: Distribution) -> dict[str, bytes]:
    """The files of every group's package that differ from the build folder: documents, manifest, zip."""
    def current(name: str) -> bytes:
        return built[name] if name in built else (out / name).read_bytes()

    files: dict[str, bytes] = {}
    for group in handover.partigrupper:
        package = _package(folder_name(group.parti), sent, current)
        changed = {name: data for name, data in package.items() if not holds(out / name, data)}
        zip_name = f"{FOLDER}/{folder_name(group.parti)}.zip"
        if changed:
            report.packed.append((zip_name, len(package) - 1))
        else:
            report.unchanged.append(zip_name)
        files.update(changed)  # publish compares only these again
    return files


def _package(folder: str, sent: list[Document], current: Callable[[str], bytes]) -> dict[str, bytes]:
    """The group's files, its manifest, and the zip of them all, keyed by path in the build folder."""
    contents = {f"{LETTER}.{suffix}": current(f"{FOLDER}/{folder}/{LETTER}.{suffix}") for suffix in ("docx", "pdf")}
    for document in sent:
        for name in (document.output(), document.output(".pdf")):
            contents[name] = current(name)
    contents[MANIFEST] = manifest(contents).encode("utf-8")
    archive = io.BytesIO()
    write_zip(archive, [(f"{folder}/{name}", contents[name]) for name in sorted(contents)])
    files = {f"{FOLDER}/{folder}/{name}": data for name, data in contents.items()}
    files[f"{FOLDER}/{folder}.zip"] = archive.getvalue()
    return files


def manifest(contents: dict[str, bytes]) -> str:
    """sha256sum's format: the hash, two spaces, the file name; one line a file, sorted by name."""
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(contents.items()))


def _remove_packages_of_groups_no_longer_listed(out: Path, handover: Overlamnande) -> None:
    current = {folder_name(group.parti) for group in handover.partigrupper}
    for path in (out / FOLDER).glob("*"):
        if path.name.removesuffix(".zip") not in current:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
