"""`beredning build|check|schema`: the command line, in Swedish, as the secretary reads it.

Exit codes: 0 done, 1 the sources or templates need fixing (the message says
where), 2 the command itself was mistyped, 128 + the signal's number when
interrupted (130 for Ctrl-C).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .errors import BeredningError, Interrupted, SourceErrors, shown_path
from .interruptions import stopping_cleanly_on_signals
from .options import ENGINES, FORMATS, SCHEMA_FOLDER, TEMPLATES

if TYPE_CHECKING:
    from .report import Report

# Each command imports what only it needs when it runs (the pipeline itself, the survey's spreadsheet
# readers, the status, the distribution's zip files): a build that finds nothing changed
# (pipeline/unchanged.py) loads none of them.


UNTOUCHED = "ingenting har byggts och byggmappen är orörd"  # what a failed command leaves, unless it says otherwise


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show 'å' gets '?', not a traceback
        getattr(stream, "reconfigure", lambda **_: None)(errors="replace")
    args = _parser().parse_args(argv)
    with stopping_cleanly_on_signals():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        _folders(args)
        return args.run(args)
    except SourceErrors as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} fel i källorna; {getattr(args, 'untouched', UNTOUCHED)}.", file=sys.stderr)
        return 1
    except BeredningError as error:
        print(error, file=sys.stderr)
        if error.untouched:
            untouched = getattr(args, "untouched", UNTOUCHED)
            print(f"{untouched[:1].upper()}{untouched[1:]}.", file=sys.stderr)
        return 1
    except Interrupted as stop:
        _say_interrupted(stop)
        return 128 + stop.signum
    except BrokenPipeError:
        # The reader stopped listening (`beredning build | head`); the work itself is done.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


DEFAULT_SOURCES = Path("sources")


def _folders(args: argparse.Namespace) -> None:
    """The sources folder, given as MAPP or --sources, and its build folder: `build/` inside it, so that
    building one committee never writes into another's; the project's own `sources/` keeps `build/`."""
    if not hasattr(args, "sources") or not hasattr(args, "folder"):
        return
    if args.folder and args.sources and args.folder != args.sources:
        raise BeredningError(f"två källmappar angavs ({shown_path(args.folder)} och {shown_path(args.sources)}); "
                             "ange en av dem")
    args.sources = args.folder or args.sources or DEFAULT_SOURCES
    if hasattr(args, "build") and args.build is None:
        own = args.sources.resolve() == DEFAULT_SOURCES.resolve()
        args.build = Path("build") if own else args.sources / "build"


def _say_interrupted(stop: Interrupted) -> None:
    how = "Avbrutet (Ctrl-C)" if stop.signum == signal.SIGINT else f"Avbrutet ({stop})"
    done = ("byggmappen hann uppdateras först, och alla filer i den är hela och nya" if stop.published
            else "ingenting har byggts och byggmappen är orörd")
    try:
        print(f"{how}: {done}.", file=sys.stderr)
    except OSError:
        pass  # the terminal is gone (SIGHUP)


def _waiting(args: argparse.Namespace) -> Callable[[], None]:
    def tell() -> None:
        print(f"{shown_path(args.build)}: en annan byggning pågår i byggmappen; väntar tills den är klar ...",
              file=sys.stderr, flush=True)
    return tell


def _new(args: argparse.Namespace) -> int:
    from .new_committee import new_committee

    written = new_committee(args.folder)
    for path in written:
        print(f"skrev      {shown_path(path)}")
    print(f"En ny beredning finns i {shown_path(args.folder)}. Fyll i uppdrag.yaml först; "
          f"'beredning check {shown_path(args.folder)}' säger vad som återstår och "
          f"'beredning build {shown_path(args.folder)}' bygger dokumenten i {shown_path(args.folder / 'build')}.")
    return 0


def _import_survey(args: argparse.Namespace) -> int:
    from .survey import import_survey

    done = import_survey(args.file, args.sources, args.dialog)
    where = shown_path(args.sources / "medborgardialoger.yaml")
    print(f"läste      {shown_path(args.file)}: {done.respondents} svar, {done.closed} slutna och "
          f"{done.open} öppna frågor")
    if done.dropped:
        print(f"utelämnade kolumnerna om vem som svarade: {', '.join(done.dropped)}")
    if not done.changed:
        print(f"oförändrad {where}: dialogen '{done.dialogue}' har redan de här enkätsvaren")
        return 0
    print(f"skrev      {where}: enkätsvaren i dialogen '{done.dialogue}'"
          f"{' (ny; fyll i rubriken)' if done.created else ''}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from .unchanged import inputs_digest, last_build_stands

    formats = _formats(args.formats)
    inputs = inputs_digest(args.sources, args.build, args.templates, args.pdf_engine, formats, args.strict, args.idag)
    report = last_build_stands(args.build, inputs)
    if report is None:
        from .libreoffice import started_ahead

        with started_ahead(args.pdf_engine, formats):
            from .build import build

            report = build(args.sources, args.build, args.templates, args.pdf_engine, formats, _waiting(args),
                           args.strict, args.idag, inputs)
    _tell(report, args.build)
    if os.environ.get("BEREDNING_STAGE_TIMES"):  # `make bench` reads the build's seconds by stage
        Path(os.environ["BEREDNING_STAGE_TIMES"]).write_text(json.dumps(report.seconds), "utf-8")
    return 0


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise BeredningError(f"okänt format '{', '.join(unknown)}'; välj bland {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in chosen)


def _distribute(args: argparse.Namespace) -> int:
    from .distribute import distribute

    result = distribute(args.sources, args.build, args.templates, args.pdf_engine, _waiting(args), args.strict,
                        args.idag)
    _tell(result.build, args.build)
    for name, count in result.packed:
        print(f"packade    {shown_path(args.build / name)} ({count} filer)")
    for name in result.unchanged:
        print(f"oförändrad {shown_path(args.build / name)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    from .build import check

    checked = check(args.sources, args.strict, args.idag)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    warnings = f", {len(checked.warnings)} {'varning' if len(checked.warnings) == 1 else 'varningar'}" \
        if checked.warnings else ""
    print(f"Källorna i {shown_path(args.sources)} är i ordning ({len(checked.sources.models)} filer{warnings}).")
    return 0


def _status(args: argparse.Namespace) -> int:
    from .build import check
    from .status import as_text, committee_status

    today = args.idag or date.today()
    status = committee_status(check(args.sources, False, today), today)
    if args.json:
        print(json.dumps(status.as_json(), ensure_ascii=False, indent=2))
    else:
        print(as_text(status))
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    changed = write_schemas(args.out)
    for path in changed:
        print(f"skrev {shown_path(path)}")
    if not changed:
        print(f"Scheman i {shown_path(args.out)} är redan aktuella.")
    return 0


def _tell(report: Report, out: Path) -> None:
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    for name in report.built:
        made_by = [report.engine] if name.endswith(".pdf") else []
        draft = ["utkast"] if Path(name).stem in report.drafts else []
        how = f" ({', '.join(draft + made_by)})" if draft + made_by else ""
        print(f"byggde     {shown_path(out / name)}{how}")
    if report.unchanged and not report.built:  # a rebuild with nothing new says one line, not one per file
        count = len(report.unchanged)
        print(f"oförändrad {shown_path(out)}: " + (f"alla {count} filer är redan aktuella" if count > 1
                                                    else "filen är redan aktuell"))
    for name, missing in report.skipped:
        print(f"hoppade över {name}: källan {', '.join(missing)} finns inte")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"förväntade ett datum ÅÅÅÅ-MM-DD, fick '{text}'") from None


def _yes(text: str) -> bool:
    return text.strip().lower() in ("1", "ja", "j", "true", "yes", "y", "on")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="beredning", description="Bygger beredningens dokument från YAML-källorna.")
    commands = parser.add_subparsers(title="kommandon", required=True, metavar="KOMMANDO")

    def with_sources(command: argparse.ArgumentParser) -> None:
        command.add_argument("folder", nargs="?", type=Path, metavar="MAPP",
                             help="mappen med källfilerna, som --sources")
        command.add_argument("--sources", "-s", type=Path, default=None,
                             help="mappen med källfilerna (standard: sources)")
        command.add_argument("--strict", action="store_true", default=_yes(os.environ.get("STRICT", "")),
                             help="räkna varningar som fel, t.ex. inför ett utskick (standard: $STRICT)")
        command.add_argument("--idag", type=_day, default=os.environ.get("BEREDNING_IDAG") or None, metavar="DATUM",
                             help="dagen som processens frister räknas från, ÅÅÅÅ-MM-DD (standard: $BEREDNING_IDAG "
                                  "eller i dag)")

    def with_build(command: argparse.ArgumentParser) -> None:
        with_sources(command)
        command.add_argument("--build", "-b", type=Path, default=None,
                             help="byggmappen (standard: build/ i källmappen; för projektets sources: build)")
        command.add_argument("--templates", "-t", type=Path, default=TEMPLATES, help="mappen med Word-mallarna")
        command.add_argument("--pdf-engine", choices=ENGINES, default=os.environ.get("PDF_ENGINE") or "auto",
                             help="PDF-motorn: typst, libreoffice eller auto (LibreOffice om det finns); "
                                  "standard: $PDF_ENGINE eller auto")

    run = commands.add_parser("build", help="kontrollera källorna och bygg dokumenten")
    with_build(run)
    run.add_argument("--formats", default=",".join(FORMATS),
                     help="vilka format som byggs, t.ex. docx eller docx,pdf (standard: docx,pdf,html)")
    run.set_defaults(run=_build)

    send = commands.add_parser("distribute", help="bygg och packa ett utskick till varje partigrupp")
    with_build(send)
    send.set_defaults(run=_distribute)

    only_check = commands.add_parser("check", help="kontrollera källorna utan att bygga")
    with_sources(only_check)
    only_check.set_defaults(run=_check)

    survey = commands.add_parser("import-survey", help="läs in svaren från en enkät (CSV eller XLSX) i en dialog")
    survey.add_argument("file", type=Path, metavar="FIL", help="exporten från enkätverktyget, .csv eller .xlsx")
    survey.add_argument("--sources", "-s", type=Path, default=DEFAULT_SOURCES,
                        help="mappen med källfilerna (standard: sources)")
    survey.add_argument("--dialog", "-d", default=None,
                        help="id för dialogen i medborgardialoger.yaml (standard: filens namn); finns den inte "
                             "läggs den till")
    survey.set_defaults(run=_import_survey, untouched="filen medborgardialoger.yaml är orörd")

    new = commands.add_parser("new", help="skapa en mapp för en ny beredning, med källfiler att fylla i")
    new.add_argument("folder", type=Path, metavar="MAPP", help="den nya mappen")
    new.set_defaults(run=_new, untouched="ingenting har skrivits")

    status = commands.add_parser("status", help="visa var beredningen står i processen")
    with_sources(status)
    status.add_argument("--json", action="store_true", help="skriv läget som JSON, för andra verktyg")
    status.set_defaults(run=_status)

    schema = commands.add_parser("schema", help="skriv JSON-scheman för källfilerna")
    schema.add_argument("--out", "-o", type=Path, default=SCHEMA_FOLDER, help="mappen för schemana (standard: schema)")
    schema.set_defaults(run=_schema)
    return parser


if __name__ == "__main__":
    sys.exit(main())
