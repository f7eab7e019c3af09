"""Bar charts of a survey's closed questions, drawn with Pillow in the shipped font.

A chart is a PNG made the same way from the same counts (no timestamps in the
file), so a rebuild with nothing changed writes the same Word file. Every chart
comes with a text that says all it shows (WCAG 1.1.1): the question and every
answer with its count and share.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from .documents import FONTS
from .model import Enkätfråga

DPI = 200
WIDTH_MM = 150
BAR_MM = 5
GAP_MM = 2
LABEL_SHARE = 0.38  # of the width, for the answers' texts
COLOUR, TEXT = (31, 78, 121), (0, 0, 0)  # the headings' blue, 8.6:1 on white


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


@functools.cache
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / "NotoSans-Regular.ttf"), size_px)


def share(count: int, total: int) -> int:
    """A whole percentage; 0 when nobody answered."""
    return round(count * 100 / total) if total else 0


def bar_chart(question: Enkätfråga) -> tuple[bytes, float]:
    """The chart as PNG bytes and its height in millimetres."""
    answers = question.svar
    most = max((answer.antal for answer in answers), default=0) or 1
    width, bar, gap = _px(WIDTH_MM), _px(BAR_MM), _px(GAP_MM)
    height = len(answers) * (bar + gap) + gap
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(round(bar * 0.7))
    label_width = round(width * LABEL_SHARE)
    bar_room = width - label_width - _px(25)
    for i, answer in enumerate(answers):
        top = gap + i * (bar + gap)
        label = _fitted(draw, answer.svar, font, label_width - _px(3))
        draw.text((label_width - _px(3), top + bar / 2), label, fill=TEXT, font=font, anchor="rm")
        length = max(round(bar_room * answer.antal / most), 1 if answer.antal else 0)
        if length:
            draw.rectangle((label_width, top, label_width + length, top + bar), fill=COLOUR)
        draw.text((label_width + length + _px(2), top + bar / 2),
                  f"{answer.antal} ({share(answer.antal, question.besvarad)} %)", fill=TEXT, font=font, anchor="lm")
    data = io.BytesIO()
    # Two colours and the grey steps of their edges: a 32-colour palette draws them alike, at a third of the size.
    image.quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(data, format="PNG",
                                                                                               optimize=True)
    return data.getvalue(), height / DPI * 25.4


def _fitted(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, room: int) -> str:
    """The label, shortened with '…' when it is wider than its room (the table beside has it whole)."""
    if draw.textlength(text, font=font) <= room:
        return text
    while text and draw.textlength(text + "…", font=font) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def chart_text(question: Enkätfråga) -> str:
    """What the chart shows, in words, for whoever does not see it."""
    parts = ", ".join(f"{a.svar} {a.antal} ({share(a.antal, question.besvarad)} %)" for a in question.svar)
    return f"Stapeldiagram över svaren på frågan ”{question.fråga}”: {parts}."
