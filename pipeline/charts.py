"""The documents' pictures, drawn with Pillow in the shipped font: bar charts of a survey's closed
questions and of the dialogues' participation, and the work as a timeline.

A chart is a PNG made the same way from the same counts (no timestamps in the
file), so a rebuild with nothing changed writes the same Word file. Every chart
comes with a text that says all it shows (WCAG 1.1.1): the question and every
answer with its count and share.
"""

from __future__ import annotations

import functools
import io
from datetime import date

from PIL import Image, ImageDraw, ImageFont

from .options import FONTS
from .model import Enkätfråga, Medborgardialog, Sammankomst, Uppdrag
from .values import month_name, swedish_date

DPI = 300  # print resolution: crisp on paper at the size the documents show them
WIDTH_MM = 150
BAR_MM = 5
GAP_MM = 2
LABEL_SHARE = 0.38  # of the width, for the answers' texts
COLOUR, TEXT = (31, 78, 121), (0, 0, 0)  # the headings' blue, 8.6:1 on white
LINE = (200, 200, 200)  # the timeline's rows


def _px(mm: float) -> int:
    return round(mm / 25.4 * DPI)


@functools.cache
def _font(size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONTS / "NotoSans-Regular.ttf"), size_px)


def share(count: int, total: int) -> int:
    """A whole percentage; 0 when nobody answered."""
    return round(count * 100 / total) if total else 0


def bar_chart(question: Enkätfråga) -> tuple[bytes, float]:
    """A survey question's answers as bars: the chart as PNG bytes and its height in millimetres."""
    return _bars([(a.svar, a.antal, f"{a.antal} ({share(a.antal, question.besvarad)} %)") for a in question.svar])


# 30 bars of 7 mm stand 21 cm tall, within the text of an A4 page.
BARS_PER_PICTURE = 30


def participation_charts(dialogues: list[Medborgardialog]) -> list[tuple[bytes, float, list[Medborgardialog]]]:
    """How many took part in each dialogue, as bars on one scale: a picture for each BARS_PER_PICTURE
    dialogues, so that none is taller than a page; each with its dialogues."""
    shown = counted(dialogues)
    items = [(d.rubrik, d.antal_deltagare.antal, str(d.antal_deltagare)) for d in shown]
    return [(*_bars(items[at:at + BARS_PER_PICTURE], scale=items), shown[at:at + BARS_PER_PICTURE])
            for at in range(0, len(items), BARS_PER_PICTURE)]


def counted(dialogues: list[Medborgardialog]) -> list[Medborgardialog]:
    return [d for d in dialogues if d.antal_deltagare]


def participation_text(dialogues: list[Medborgardialog]) -> str:
    parts = ", ".join(f"{d.rubrik} {d.antal_deltagare}" for d in counted(dialogues))
    return f"Stapeldiagram över hur många som deltog i medborgardialogerna: {parts}."


def _bars(items: list[tuple[str, int, str]], scale: list[tuple[str, int, str]] | None = None) -> tuple[bytes, float]:
    """Horizontal bars: each item's label, a bar as long as its count, and the count's text beside it;
    bars as long as they are among `scale` (the items of all pictures of one chart)."""
    scale = items if scale is None else scale
    most = max((count for _, count, _ in scale), default=0) or 1
    width, bar, gap = _px(WIDTH_MM), _px(BAR_MM), _px(GAP_MM)
    height = len(items) * (bar + gap) + gap
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = _font(round(bar * 0.7))
    label_width = round(width * LABEL_SHARE)
    # Room beside the longest bar for the widest count's text, so no text runs off the picture.
    bar_room = width - label_width - _px(3) - round(max((draw.textlength(shown, font=font) for _, _, shown in scale),
                                                         default=0))
    for i, (label, count, shown) in enumerate(items):
        top = gap + i * (bar + gap)
        draw.text((label_width - _px(3), top + bar / 2), _fitted(draw, label, font, label_width - _px(3)),
                  fill=TEXT, font=font, anchor="rm")
        length = max(round(bar_room * count / most), 1 if count else 0)
        if length:
            draw.rectangle((label_width, top, label_width + length, top + bar), fill=COLOUR)
        draw.text((label_width + length + _px(2), top + bar / 2), shown, fill=TEXT, font=font, anchor="lm")
    return _png(image), height / DPI * 25.4


@functools.cache
def _palette() -> Image.Image:
    """White, black, the blue and the grey line, and the steps between them that smooth their edges: white
    stays white (an adaptive palette averages it with its edges into a grey background)."""
    ends = [(255, 255, 255), TEXT, COLOUR, LINE]
    colours = list(ends)
    for a, b in ((ends[0], TEXT), (ends[0], COLOUR), (COLOUR, TEXT)):
        colours += [tuple(round(x + (y - x) * step / 12) for x, y in zip(a, b)) for step in range(1, 12)]
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour] + [0] * 3 * (256 - len(colours)))
    return palette


def _png(image: Image.Image) -> bytes:
    """The picture in its few colours: a third of the size of a full-colour PNG, and the same bytes every time.
    zlib's usual level, not `optimize` (its highest): 15 % larger, five times as fast (0.26 s instead of 1.46 s
    for the participation of 333 dialogues)."""
    data = io.BytesIO()
    image.quantize(palette=_palette(), dither=Image.Dither.NONE).save(data, format="PNG")
    return data.getvalue()


# --- the work as a timeline -----------------------------------------------------------------------

TIMELINE_HEIGHT_MM = 42
ROWS = ("Sammankomster", "Dialoger", "Milstolpar")


def timeline(meetings: list[Sammankomst], dialogues: list[Medborgardialog], assignment: Uppdrag) -> tuple[bytes, float]:
    """Meetings, dialogues and milestones on one time axis, month by month, from the assignment's day."""
    first, last = _span(meetings, dialogues, assignment)
    width, height = _px(WIDTH_MM), _px(TIMELINE_HEIGHT_MM)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font, small = _font(_px(3.2)), _font(_px(2.6))
    left, right = _px(30), width - _px(6)
    rows = {name: _px(6 + 9 * i) for i, name in enumerate(ROWS)}
    axis = _px(33)
    days = max((last - first).days, 1)

    def x(day: date) -> float:
        return left + (right - left) * (day - first).days / days

    for name, y in rows.items():
        draw.text((left - _px(3), y), name, fill=TEXT, font=font, anchor="rm")
        draw.line((left, y, right, y), fill=LINE, width=1)
    draw.line((left, axis, right, axis), fill=TEXT, width=2)
    for month in _months(first, last):
        draw.line((x(month), axis, x(month), axis + _px(1.5)), fill=TEXT, width=2)
        draw.text((x(month), axis + _px(2)), f"{month_name(month.month)[:3]} {month.year % 100:02d}", fill=TEXT,
                  font=small, anchor="mt")
    r = _px(1.2)
    for meeting in meetings:
        cx, cy = x(meeting.datum), rows["Sammankomster"]
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=COLOUR)
    for dialogue in dialogues:
        cx, cy = x(dialogue.datum), rows["Dialoger"]
        draw.polygon([(cx, cy - r * 1.5), (cx + r * 1.5, cy), (cx, cy + r * 1.5), (cx - r * 1.5, cy)], fill=COLOUR)
    for _, stone in assignment.milstolpar.in_order():
        cx, cy = x(stone.tid.första_dag), rows["Milstolpar"]
        draw.polygon([(cx, cy - r * 1.6), (cx + r * 1.5, cy + r), (cx - r * 1.5, cy + r)], fill=COLOUR)
    return _png(image), TIMELINE_HEIGHT_MM


def _span(meetings: list[Sammankomst], dialogues: list[Medborgardialog], assignment: Uppdrag) -> tuple[date, date]:
    days = [assignment.datum, *(m.datum for m in meetings), *(d.datum for d in dialogues),
            *(stone.tid.sista_dag for _, stone in assignment.milstolpar.in_order())]
    return min(days).replace(day=1), max(days)


def _months(first: date, last: date) -> list[date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, len(months) // 12)  # at most a dozen labels, however long the work
    return months[::step]


def timeline_text(meetings: list[Sammankomst], dialogues: list[Medborgardialog], assignment: Uppdrag) -> str:
    """Everything the timeline shows, in words."""
    stones = ", ".join(f"{key} {stone.tid}" for key, stone in assignment.milstolpar.in_order())
    held = "; ".join(f"{d.rubrik} {swedish_date(d.datum)}" for d in dialogues)
    text = (f"Tidslinje över beredningens arbete: {len(meetings)} "
            f"{'sammankomst' if len(meetings) == 1 else 'sammankomster'}")
    if meetings:
        text += f" från {swedish_date(meetings[0].datum)} till {swedish_date(meetings[-1].datum)}"
    text += f"; {len(dialogues)} {'medborgardialog' if len(dialogues) == 1 else 'medborgardialoger'}"
    text += f" ({held})" if held else ""
    return text + (f"; milstolparna {stones}." if stones else ".")


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
