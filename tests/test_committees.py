"""Whole committees of random shape, built with both PDF engines: every fragment of the sources is
found in every format (issue 8, part 4).

hypothesis draws a meeting record (1 to 300 meetings, 0 to 80 items in a meeting, items of 1 to
1,000 words, empty and very long cells, words longer than a column) whose text is drawn from
Markdown, Typst, Jinja, Word-XML and YAML metacharacters, Swedish, Arabic, Hebrew and Ethiopic
words, and puts it beside the example's other sources, with party and member names drawn the same
way. Each committee is built, and must build (the build's own proof, pipeline/proof.py, passes);
then, independently of that proof, every text (tagged with a unique word) and every word of it must
stand in the Word file, the PDF and the web page of the compilation and of the handover, whose
appendix holds the compilation, the tags in order where a format has no pages.

CI runs three edges (300 meetings, 80 items in one meeting, items of 1,000 words) and a few
derandomized examples, the same every run; `make proptest` runs many random ones.
"""

from __future__ import annotations

import copy
import os
import random
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

import docx
import pymupdf
import yaml
from docx.oxml.ns import qn
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from lxml import html

from pipeline.proof import words
from support import validator_failures, SOURCES, copy_sources, require, run_cli

LONG_RUN = os.environ.get("BEREDNING_EXAMPLES")
EXAMPLES = int(LONG_RUN or 3)

METACHARACTERS = [
    # Markdown
    "*", "**", "_", "#", "##", "- ", "+ ", "1.", "> ", "`", "```", "[", "]", "(", ")", "!", "<div>", "</div>",
    "<!--", "-->", "|", "~~", "^", "\\", "{.klass}", "$x$", "\\newcommand", "***",
    # Typst
    "=", "= rubrik", "+ x", "/ term:", "#set", "#let x = 1", "@ref", "<etikett>", "//", "/*", "*/", "$", "~",
    # Jinja
    "{{", "}}", "{%", "%}", "{#", "#}", "{{ uppdrag.kommun }}", "{% for x in y %}", "{{ 7*7 }}",
    # Word XML
    "<w:p>", "</w:t>", "&amp;", "&lt;", "]]>", "<![CDATA[", "&#x0;", "\"", "'",
    # YAML
    ": ", "- ", "? ", "&anker", "*alias", "!tagg", "|", ">", "%", "@", "`", "---", "...", ",", "[ ]", "{ }",
]
WORDS = [
    "beredning", "medborgardialog", "återkoppling", "Tranemo", "öppna", "möten", "ÅÄÖ", "integration", "x",
    "مرحبا", "بكم", "شكرا", "שלום", "עולם", "ሰላም", "ትግርኛ", "ቋንቋ", "2018", "42",
]
# A word longer than a column: an address, a made-up name (not a repeated letter, which any
# reader of text, the proof included, may find at more than one place).
LONG_WORD = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzåäö0123456789"), min_size=40, max_size=130)
TOKEN = st.sampled_from(WORDS) | st.sampled_from(METACHARACTERS) | LONG_WORD


def sentence(most_words: int) -> st.SearchStrategy[str]:
    """A one-line text of tokens, with at least one word in it."""
    return st.builds(lambda words_, tokens: " ".join(words_ + tokens),
                     st.lists(st.sampled_from(WORDS), min_size=1, max_size=max(1, most_words // 2)),
                     st.lists(TOKEN, max_size=max(0, most_words - 1)))


MARKDOWN_LINES = st.sampled_from(["# ", "## ", "### ", "- ", "1. ", "> ", "", "", "*", "**", "`"])


@st.composite
def markdown(draw) -> str:
    """A Markdown text in which every word is shown: headings, lists, quotes, emphasis, code, and
    what a Markdown field shows literally (raw HTML, TeX, attributes); no links or notes, whose
    targets are not shown, and no entities ('&amp;' is shown as '&')."""
    paragraphs = []
    for _ in range(draw(st.integers(1, 4))):
        start = draw(MARKDOWN_LINES)
        body = draw(sentence(12)).replace("[", "(").replace("]", ")").replace("<!--", "<!").replace("&", "+")
        ends = {"*": "*", "**": "**", "`": "`"}
        paragraphs.append(f"{start}{body}{ends.get(start, '')}")
    return "\n\n".join(paragraphs)


@st.composite
def meeting_record(draw) -> dict:
    """sammankomster.yaml of random shape, never more than about 30,000 words in all."""
    meetings = draw(st.integers(1, 6) | st.integers(7, 300))
    items = draw(st.integers(0, min(80, 3_000 // meetings)))
    most_words = min(1_000, 30_000 // max(1, meetings * items))
    day, rows = date(2017, 1, 2), []
    for n in range(meetings):
        count = draw(st.integers(0, items))
        contents = [draw(_item(most_words)) for _ in range(count)]
        rows.append({"datum": (day + timedelta(days=n)).isoformat(), "typ": "studiebesök",
                     "rubrik": draw(sentence(8)), "plats": draw(sentence(4)),
                     "innehåll": contents, "dokument": draw(st.lists(sentence(6), max_size=3))})
    periods = [{"rubrik": draw(sentence(5)), "beskrivning": draw(markdown()), "sammankomster": rows[at:at + 10]}
               for at in range(0, meetings, 10)]
    return {"rubrik": draw(sentence(6)), "perioder": periods}


def _item(most_words: int) -> st.SearchStrategy:
    words_ = st.integers(1, most_words).flatmap(sentence)
    label = st.sampled_from(["Besök", "Genomgång", "Beslut"])
    return st.one_of(words_, st.dictionaries(label, words_, min_size=1, max_size=1),
                     st.dictionaries(label, st.lists(sentence(10), min_size=1, max_size=4), min_size=1, max_size=1))


@st.composite
def committee(draw) -> dict[str, dict]:
    """Changed source files by name: the meeting record, and party groups and members by random names."""
    handover = yaml.safe_load((SOURCES / "overlamnande.yaml").read_text("utf-8"))
    for n, group in enumerate(handover["partigrupper"]):  # parties are told apart by name
        group["parti"], group["gruppledare"] = f"Parti{n} {draw(sentence(3))}", draw(sentence(3))
    for member in handover["ledamöter"]:
        member["namn"] = draw(sentence(3))
    return {"sammankomster.yaml": draw(meeting_record()), "overlamnande.yaml": handover}


def tagged(record: dict) -> dict:
    """The record with a unique word ("ζ17ζ", of letters no other text here has) at the start of every text."""
    count = iter(range(1_000_000))

    def tag(text: str) -> str:
        return f"ζ{next(count)}ζ {text}"

    record["rubrik"] = tag(record["rubrik"])
    for period in record["perioder"]:
        period["rubrik"], period["beskrivning"] = tag(period["rubrik"]), tag(period["beskrivning"])
        for meeting in period["sammankomster"]:
            meeting["rubrik"], meeting["plats"] = tag(meeting["rubrik"]), tag(meeting["plats"])
            meeting["innehåll"] = [tag(item) if isinstance(item, str) else
                                   {label: tag(text) if isinstance(text, str) else [tag(t) for t in text]
                                    for label, text in item.items()} for item in meeting["innehåll"]]
            meeting["dokument"] = [tag(text) for text in meeting["dokument"]]
    return record


def texts_of(record: dict, every_column: bool = True) -> list[str]:
    """Every text of the record, in the order the compilation shows them; or only the headings and
    the content column, whose order holds when a meeting with many items is cut into several rows
    (the other columns' texts then stand beside the first of them)."""
    found = [record["rubrik"]]
    for period in record["perioder"]:
        found += [period["rubrik"], period["beskrivning"]]
        for meeting in period["sammankomster"]:
            found += [meeting["rubrik"], meeting["plats"]] if every_column else []
            for item in meeting["innehåll"]:
                found += [item] if isinstance(item, str) else [t for text in item.values()
                                                               for t in ([text] if isinstance(text, str) else text)]
            found += meeting["dokument"] if every_column else []
    return found


def docx_text(path: Path) -> str:
    document = docx.Document(path)
    parts = []
    for block in document.element.body.iterchildren():
        parts += [t.text or "" for t in block.iter(qn("w:t"))]
    return " ".join(parts)


MARGIN = 2.2 * 72 / 2.54  # the templates' margins, where the headers and footers stand (points)
COLUMNS = "Datum Sammankomst Innehåll Dokument som utarbetas"  # the table's header row, on every page


def pdf_text(path: Path) -> str:
    """The PDF's text without headers, footers and the repeated table header row, which may stand
    between the two halves of a word broken at a page's end."""
    with pymupdf.open(path) as pdf:
        pages = [page.get_text(clip=page.rect + (0, MARGIN, 0, -MARGIN)) for page in pdf]
    return "".join(words(" ".join(pages))).replace("".join(words(COLUMNS)), "")


def page_text(path: Path) -> str:
    return " ".join(html.document_fromstring(path.read_bytes()).body.itertext())


def shortfalls(texts: list[str], shown: str, paged: bool, ordered: list[str] = ()) -> list[str]:
    """What of `texts` a format does not show: a text's tag, or a word of it (a right-to-left run is
    drawn in the order of the eye, so words are looked for one by one); and where the format has no
    pages, tags out of order. On pages, a word too long for its line may be broken and its halves
    drawn apart (the other cells of its row between them, when the row breaks across two pages):
    the proof puts such words together, this test looks for their start only. `ordered` are the
    texts whose tags must come in order."""
    joined = "".join(words(shown))
    missing = [word for text in texts for word in words(text) if (word if paged and len(word) <= 30 or not paged
                                                                   else word[:10]) not in joined]
    tags = [int(n) for n in re.findall(r"ζ(\d+)ζ", joined)]
    expected = sorted(int(n) for text in texts for n in re.findall(r"^ζ(\d+)ζ", text))
    in_order = sorted(int(n) for text in ordered for n in re.findall(r"^ζ(\d+)ζ", text))
    if not paged and [n for n in tags if n in set(in_order)] != in_order:
        missing.append("tags out of order")
    return missing + [f"ζ{n}ζ" for n in expected if n not in set(tags)]


def build_and_read(files: dict[str, dict], engine: str) -> None:
    with tempfile.TemporaryDirectory() as work:
        sources = copy_sources(SOURCES, Path(work) / "sources")
        files["sammankomster.yaml"] = tagged(files["sammankomster.yaml"])
        for name, data in files.items():
            (sources / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        out = Path(work) / "build"
        result = run_cli("build", "--sources", sources, "--build", out, "--pdf-engine", engine)
        if result.code:
            kept = shutil.copytree(sources, Path(tempfile.mkdtemp(prefix="beredning-utan-bygge-")) / "sources")
            raise AssertionError(f"{result.err}\n(the sources are kept in {kept})")
        texts, ordered = texts_of(files["sammankomster.yaml"]), texts_of(files["sammankomster.yaml"], every_column=False)
        for reader, suffix in ((docx_text, ".docx"), (pdf_text, ".pdf"), (page_text, ".html")):
            assert shortfalls(texts, reader(out / f"sammanstallning{suffix}"), suffix == ".pdf", ordered) == [], suffix
            assert shortfalls(texts[1:], reader(out / f"overlamnande{suffix}"), True) == [], suffix
        groups = [f"{g['parti']}: {g['gruppledare']}" for g in files["overlamnande.yaml"]["partigrupper"]]
        assert shortfalls(groups, pdf_text(out / "overlamnande.pdf"), True) == []
        for name in ("uppdrag", "sammanstallning", "overlamnande"):  # PDF/A-2b and PDF/UA-1, whatever the text
            assert validator_failures(out / f"{name}.pdf") == [], name


def fixed(meetings: int, items: int, words_per_item: int, seed: int = 1) -> dict[str, dict]:
    """A committee of a given shape, its text drawn (seeded) from the same tokens: the edges CI must
    always try, however hypothesis draws."""
    draw = random.Random(seed)

    def text(count: int) -> str:
        tokens = [draw.choice(WORDS + METACHARACTERS) for _ in range(count - 1)]
        long_word = "".join(draw.choice("abcdefghijklmnopqrstuvwxyzåäö0123456789") for _ in range(90))
        return " ".join([draw.choice(WORDS), *tokens, *([long_word] if count > 20 else [])])

    rows = [{"datum": (date(2017, 1, 2) + timedelta(days=n)).isoformat(), "typ": "studiebesök", "rubrik": text(6),
             "plats": text(3), "innehåll": [text(words_per_item) for _ in range(items)], "dokument": [text(4)]}
            for n in range(meetings)]
    record = {"rubrik": text(5), "perioder": [{"rubrik": text(4), "beskrivning": text(30), "sammankomster": rows[at:at + 10]}
                                              for at in range(0, meetings, 10)]}
    handover = yaml.safe_load((SOURCES / "overlamnande.yaml").read_text("utf-8"))
    return {"sammankomster.yaml": record, "overlamnande.yaml": handover}


EDGES = [fixed(300, 1, 8), fixed(1, 80, 12), fixed(2, 2, 1_000)]  # many meetings, many items, long items


PROPERTIES = settings(max_examples=EXAMPLES, deadline=None, derandomize=not LONG_RUN, database=None,
                      phases=[Phase.explicit, Phase.generate],  # a build a try: no shrinking, the case is printed whole
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def edges(test):
    for files in EDGES:
        test = example(files=copy.deepcopy(files))(test)
    return test


@PROPERTIES
@given(files=committee())
@edges
def test_every_fragment_of_any_committee_reaches_every_format_with_typst(files):
    build_and_read(files, "typst")


@PROPERTIES
@given(files=committee())
@edges
def test_every_fragment_of_any_committee_reaches_every_format_with_libreoffice(files):
    require("libreoffice")
    build_and_read(files, "libreoffice")
