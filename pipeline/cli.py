"""`beredning build|check|schema`: the command line, in Swedish, as the secretary reads it.

Exit codes: 0 done, 1 the sources or templates need fixing (the message says
where), 2 the command itself was mistyped, 128 + the signal's number when
interrupted (130 for Ctrl-C).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Callable

from .build import Report, build, check
from .convert import ENGINES, FORMATS
from .distribute import distribute
from .documents import TEMPLATES
from .errors import BeredningError, Interrupted, SourceErrors, shown_path
from .interruptions import stopping_cleanly_on_signals
from .schema import SCHEMA_FOLDER, write_schemas


UNTOUCHED = "Ingenting har byggts och byggmappen är orörd."


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show 'å' gets '?', not a traceback
        getattr(stream, "reconfigure", lambda **_: None)(errors="replace")
    args = _parser().parse_args(argv)
    with stopping_cleanly_on_signals():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except SourceErrors as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{len(error.problems)} fel i källorna; ingenting har byggts och byggmappen är orörd.", file=sys.stderr)
        return 1
    except BeredningError as error:
        print(error, file=sys.stderr)
        if error.untouched:
            print(UNTOUCHED, file=sys.stderr)
        return 1
    except Interrupted as stop:
        _say_interrupted(stop)
        return 128 + stop.signum
    except BrokenPipeError:
        # The reader stopped listening (`beredning build | head`); the work itself is done.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


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


def _build(args: argparse.Namespace) -> int:
    report = build(args.sources, args.build, args.templates, args.pdf_engine, _formats(args.formats), _waiting(args),
                   args.strict)
    _tell(report, args.build)
    return 0


def _formats(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        raise BeredningError(f"okänt format '{', '.join(unknown)}'; välj bland {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in chosen)


def _distribute(args: argparse.Namespace) -> int:
    result = distribute(args.sources, args.build, args.templates, args.pdf_engine, _waiting(args), args.strict)
    _tell(result.build, args.build)
    for name, count in result.packed:
        print(f"packade    {shown_path(args.build / name)} ({count} filer)")
    for name in result.unchanged:
        print(f"oförändrad {shown_path(args.build / name)}")
    return 0


def _check(args: argparse.Namespace) -> int:
    checked = check(args.sources, args.strict)
    for warning in checked.warnings:
        print(warning, file=sys.stderr)
    print(f"Källorna i {shown_path(args.sources)} är i ordning ({len(checked.sources.models)} filer).")
    return 0


def _schema(args: argparse.Namespace) -> int:
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
        made_by = f" ({report.engine})" if name.endswith(".pdf") else ""
        print(f"byggde     {shown_path(out / name)}{made_by}")
    for name in report.unchanged:
        print(f"oförändrad {shown_path(out / name)}")
    for name, missing in report.skipped:
        print(f"hoppade över {name}: källan {', '.join(missing)} finns inte")


def _yes(text: str) -> bool:
    return text.strip().lower() in ("1", "ja", "j", "true", "yes", "y", "on")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="beredning", description="Bygger beredningens dokument från YAML-källorna.")
    commands = parser.add_subparsers(title="kommandon", required=True, metavar="KOMMANDO")

    def with_sources(command: argparse.ArgumentParser) -> None:
        command.add_argument("--sources", "-s", type=Path, default=Path("sources"),
                             help="mappen med källfilerna (standard: sources)")
        command.add_argument("--strict", action="store_true", default=_yes(os.environ.get("STRICT", "")),
                             help="räkna varningar som fel, t.ex. inför ett utskick (standard: $STRICT)")

    def with_build(command: argparse.ArgumentParser) -> None:
        with_sources(command)
        command.add_argument("--build", "-b", type=Path, default=Path("build"), help="byggmappen (standard: build)")
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

    schema = commands.add_parser("schema", help="skriv JSON-scheman för källfilerna")
    schema.add_argument("--out", "-o", type=Path, default=SCHEMA_FOLDER, help="mappen för schemana (standard: schema)")
    schema.set_defaults(run=_schema)
    return parser


if __name__ == "__main__":
    sys.exit(main())
