"""Pictures the sources name (a logo): checked when the sources are checked, and made no larger than
print needs before they go into a document.

A picture must lie inside the sources folder, be a whole PNG or JPEG of the
kind its name says, and be of a size a document can hold. Opening it with
Pillow when the sources are checked finds a truncated or mislabelled file
before any document is rendered. A picture with more pixels than 300 dpi at
its printed size needs is scaled down when it goes into a document, so no
PDF engine drops it or runs out of memory over it.
"""

from __future__ import annotations

import functools
import io
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from PIL import Image

from .errors import BeredningError, reason

MOST_BYTES = 5 * 1024 * 1024
MOST_PIXELS = 40_000_000
PRINT_DPI = 300
KINDS = {"PNG": ("PNG", (".png",)), "JPEG": ("JPEG", (".jpg", ".jpeg"))}


class PictureProblem(Exception):
    """What is wrong with a picture, in the secretary's words."""


def checked_picture(folder: Path, picture: str) -> Path:
    """The path of a picture the sources name, once it is known to be fit for a document."""
    try:
        path = (folder / picture).resolve()
        if not path.is_relative_to(folder.resolve()):
            raise PictureProblem(f"'{picture}' pekar ut ur källmappen (via en symbolisk länk); lägg bilden i källmappen")
        if not path.is_file():
            raise PictureProblem(f"bilden '{picture}' finns inte i källmappen")
        size = path.stat().st_size
    except RuntimeError as error:  # how Python 3.11 says that links go round in a loop
        raise PictureProblem(f"bilden '{picture}' kan inte öppnas (symboliska länkar pekar i en ring)") from error
    except OSError as error:
        raise PictureProblem(f"bilden '{picture}' kan inte öppnas ({reason(error)})") from error
    if size > MOST_BYTES:
        raise PictureProblem(f"bilden '{picture}' är större än {MOST_BYTES // 2**20} MB; spara den mindre")
    _check_content(path, picture)
    return path


def _check_content(path: Path, picture: str) -> None:
    """Open the picture as Pillow does and read it through, without decoding more than a fraction."""
    try:
        with _no_pillow_size_limit(), Image.open(path) as image:
            _check_kind(image, path, picture)
            _check_pixels(image, picture)
            _read_through(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        if "cannot identify image file" in str(error):
            raise PictureProblem(f"'{picture}' är ingen PNG- eller JPEG-bild") from error
        raise PictureProblem(f"bilden '{picture}' är skadad eller ofullständig och kan inte läsas; "
                             "spara den på nytt") from error


@contextmanager
def _no_pillow_size_limit() -> Iterator[None]:
    """Pillow refuses to open a picture of over 179 megapixels, without saying its size; only its header
    is read before `_check_pixels`, which says it in Swedish."""
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            yield
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _check_kind(image: Image.Image, path: Path, picture: str) -> None:
    if image.format not in KINDS:
        raise PictureProblem(f"'{picture}' är en {image.format}-bild; bara PNG och JPEG kan användas")
    name, suffixes = KINDS[image.format]
    if path.suffix.lower() not in suffixes:
        raise PictureProblem(f"'{picture}' är en {name}-bild men heter {path.suffix}; byt filändelse till {suffixes[0]}")


def _check_pixels(image: Image.Image, picture: str) -> None:
    width, height = image.size
    if width * height > MOST_PIXELS:
        raise PictureProblem(f"bilden '{picture}' har {width} × {height} bildpunkter, över "
                             f"{MOST_PIXELS // 1_000_000} miljoner; spara den i lägre upplösning "
                             "(en logotyp behöver sällan över 1 000 punkter på höjden)")


def _read_through(image: Image.Image) -> None:
    """Find a cut-off or damaged file: a PNG's chunks and their checksums, a JPEG decoded at 1/8 size."""
    if image.format == "PNG":
        image.verify()
    else:
        image.draft("RGB", (max(image.size[0] // 8, 1), max(image.size[1] // 8, 1)))
        image.load()


def for_print(path: Path, height_mm: float) -> io.BytesIO:
    """The picture as it goes into a document `height_mm` high: itself if it is small enough,
    else scaled down to PRINT_DPI at that height."""
    stat = path.stat()
    return io.BytesIO(_for_print(path, round(height_mm / 25.4 * PRINT_DPI), stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=8)
def _for_print(path: Path, most_height: int, mtime_ns: int, size: int) -> bytes:
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.size[1] <= most_height:
                return data
            return _scaled(image, max(round(image.size[0] * most_height / image.size[1]), 1), most_height)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise BeredningError(f"bilden {path.name} kunde inte läsas när dokumentet gjordes ({error})") from error


def _scaled(image: Image.Image, width: int, height: int) -> bytes:
    """The picture at `width` × `height`, in its own format; the same bytes for the same picture."""
    out = io.BytesIO()
    if image.format == "JPEG":
        image.draft("RGB", (width, height))  # decode at the smallest scale that is still large enough
        image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS).save(out, "JPEG", quality=90)
    else:
        transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        mode = "RGBA" if transparent else "L" if image.mode in ("1", "L") else "RGB"
        image.convert(mode).resize((width, height), Image.Resampling.LANCZOS).save(out, "PNG")
    return out.getvalue()
