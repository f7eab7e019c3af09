"""`beredning new DIR`: a new committee's folder, ready to fill in and to build at once.

The skeletons (pipeline/skeleton/) hold every source file with what to fill in,
in Swedish comments, and 'FYLL I: ...' where a text must be written; each such
text is a warning of `beredning check` until it is replaced. The JSON Schemas
are written into the folder itself and the files point at them relatively, so
the editor's help works wherever the folder is moved or copied.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .errors import BeredningError, shown_path
from .publish import write_atomically
from .schema import write_schemas

SKELETON = Path(__file__).resolve().parent / "skeleton"


def new_committee(folder: Path, today: date | None = None) -> list[Path]:
    """Write the skeletons, schemas, README and .gitignore into `folder` (new or empty); return them."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BeredningError(f"{shown_path(folder)}: mappen finns redan och är inte tom; välj ett nytt namn, "
                             "så skrivs ingenting över")
    folder.mkdir(parents=True, exist_ok=True)
    values = {"{idag}": (today or date.today()).isoformat(), "{mapp}": shown_path(folder),
              "{beredning}": f"Beredningen i {folder.resolve().name}"}
    written = []
    for skeleton in sorted(SKELETON.iterdir()):
        text = skeleton.read_text(encoding="utf-8")
        for key, value in values.items():
            text = text.replace(key, value)
        write_atomically(folder / skeleton.name, text.encode("utf-8"))
        written.append(folder / skeleton.name)
    # The build folder is the committee's own; git (if the folder is kept in it) leaves it out.
    write_atomically(folder / ".gitignore", b"build/\n")
    written += write_schemas(folder / "schema")
    return written
