"""The secretaries' guide: long enough to be one, in Swedish, and its pictures are the current output.

The pictures are rendered again from a fresh build of the example (scripts/guide_pictures.py, the
same code `make guide` runs) and must be byte for byte the ones in docs/bilder/: a change to a
template or the pipeline that changes what a page shows fails here until `make guide` is run.
"""

from __future__ import annotations

import re
import sys

from support import ROOT

sys.path.insert(0, str(ROOT / "scripts"))

from guide_pictures import PICTURES, PICTURES_FOLDER, guide_pictures  # noqa: E402

GUIDE = ROOT / "docs" / "guide.md"
TOPICS = ("## Installera", "## Starta en ny beredning", "## Första bygget", "## Källfilerna",
          "## När något är fel", "## Utkast till överlämnandet", "## Läsa in en enkät", "## Redigera mallarna i Word",
          "## Välja PDF-motor", "## Skicka till partigrupperna", "## Personuppgifter")


def test_the_guide_covers_the_secretarys_work():
    text = GUIDE.read_text(encoding="utf-8")
    assert len(re.findall(r"\w+", text)) >= 1200
    for topic in TOPICS:
        assert f"\n{topic}\n" in text, topic
    for source in ("uppdrag", "sammankomster", "medborgardialoger", "forslag", "overlamnande"):
        assert f"### {source}.yaml" in text, source


def test_every_picture_is_shown_and_has_a_text():
    shown = re.findall(r"!\[([^\]]*)\]\(bilder/([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert sorted(name for _, name in shown) == sorted(PICTURES)
    assert all(alt.strip() for alt, _ in shown)
    assert sorted(p.name for p in PICTURES_FOLDER.glob("*.png")) == sorted(PICTURES)


def test_the_pictures_are_the_current_output():
    stale = [name for name, data in guide_pictures().items() if (PICTURES_FOLDER / name).read_bytes() != data]
    assert not stale, f"{', '.join(stale)}: the output has changed since the pictures were made; run `make guide`"
