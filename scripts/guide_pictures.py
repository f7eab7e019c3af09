"""The pictures in docs/guide.md: pages of the real output, rendered by `make guide`.

The example sources are built with the Typst engine (pip only, the same PDF on
every machine), once as they are (their survey was imported from
docs/exempel-enkat.csv), and once with only the assignment and the meetings
(a draft). The
test suite renders the pictures again and compares them with docs/bilder/, so
the guide never shows an old look.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from pathlib import Path

import pymupdf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.cli import main as beredning  # noqa: E402

PICTURES_FOLDER = ROOT / "docs" / "bilder"
DPI = 60
# picture: (build, document, text that the page shows (the first such page; None: page 1))
PICTURES = {
    "uppdrag.png": ("exempel", "uppdrag.pdf", None),
    "sammanstallning.png": ("exempel", "sammanstallning.pdf", None),
    "overlamnande-titelsida.png": ("exempel", "overlamnande.pdf", None),
    "overlamnande-enkat.png": ("exempel", "overlamnande.pdf", "Enkätens svar"),
    "overlamnande-mal.png": ("exempel", "overlamnande.pdf", "Policyområden:"),
    "utkast.png": ("utkast", "overlamnande.pdf", None),
}


def _run(*args: str | Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = beredning([str(a) for a in args])
    if code != 0:
        raise SystemExit(f"beredning {' '.join(map(str, args))} misslyckades")


def built_examples(work: Path) -> dict[str, Path]:
    """The example's PDFs, and a draft's, in `work`; by build name."""
    full, draft = work / "exempel", work / "utkast"
    shutil.copytree(ROOT / "sources", full / "sources")
    (draft / "sources").mkdir(parents=True)
    for name in ("uppdrag.yaml", "sammankomster.yaml"):
        text = (ROOT / "sources" / name).read_text(encoding="utf-8").replace("dialog: ", "# dialog: ")
        (draft / "sources" / name).write_text(text, encoding="utf-8")
    for folder in (full, draft):
        _run("build", folder / "sources", "--build", folder / "build", "--formats", "pdf", "--pdf-engine", "typst")
    return {"exempel": full / "build", "utkast": draft / "build"}


def rendered(builds: dict[str, Path]) -> dict[str, bytes]:
    pictures = {}
    for name, (build, document, showing) in PICTURES.items():
        with pymupdf.open(builds[build] / document) as pdf:
            pages = [page for page in pdf if showing is None or showing in page.get_text()]
            if not pages:
                raise SystemExit(f"{document}: ingen sida visar '{showing}'")
            pictures[name] = pages[0].get_pixmap(dpi=DPI).tobytes("png")
    return pictures


def guide_pictures() -> dict[str, bytes]:
    with tempfile.TemporaryDirectory(prefix="beredning-guide-") as work:
        return rendered(built_examples(Path(work)))


def main() -> int:
    PICTURES_FOLDER.mkdir(parents=True, exist_ok=True)
    for name, data in guide_pictures().items():
        path = PICTURES_FOLDER / name
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            print(f"skrev {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
