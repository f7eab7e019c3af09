"""What a build can be asked for and where its defaults live.

Kept free of the pipeline's heavier modules, so the command line can read its
arguments (and a build with nothing changed can end, pipeline/unchanged.py)
without loading pydantic, the models or a converter.
"""

from __future__ import annotations

import functools
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parent
TEMPLATES = PROJECT / "templates"
FONTS = PROJECT / "fonts"
SCHEMA_FOLDER = PROJECT / "schema"

ENGINES = ("auto", "typst", "libreoffice")
FORMATS = ("docx", "pdf", "html")


@functools.cache
def without_outlines() -> tuple[Path, ...]:
    """The fonts in fonts/ that hold pictures instead of outlines (colour emoji)."""
    from fontTools.ttLib import TTFont

    return tuple(path for path in sorted(FONTS.glob("*.ttf"))
                 if not {"glyf", "CFF ", "CFF2"} & set(TTFont(path, lazy=True).keys()))
