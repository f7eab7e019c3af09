"""A Word file put into a template as a sub-document (the Markdown fields), in time linear in its size.

docxtpl's `Subdoc` attaches a .docx with docxcompose's composer, which, for
each paragraph and table of the sub-document, lists the template's ~340
style ids anew through python-docx objects (`[s.style_id for s in
self.doc.styles]`, three places in `add_styles` and `add_linked_styles`).
At 2,000 meetings that was 1.7 million `StyleFactory` calls and half the
render. `FastStylesComposer` gives those two methods a view of the template
whose `styles` lists the ids with one lxml query (again only when a style was
added), and maps style ids by name from the XML as well (docxcompose made a
python-docx object of each style of both documents for every document);
everything else, and the Word file that comes out, is docxcompose's own
(tested byte for byte).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from docx.styles import BabelFish
from docxtpl.subdoc import Subdoc, SubdocComposer

_STYLE_IDS = "w:style/@w:styleId"


class _StyleId:
    __slots__ = ("style_id",)

    def __init__(self, style_id: str):
        self.style_id = style_id


class _StylesById:
    """The template's styles as docxcompose reads them: iterated for their ids, `.element` for the rest.
    The ids are read again only when a style was added (docxcompose only ever appends one)."""

    def __init__(self, element: Any):
        self.element = element
        self._styles: list[_StyleId] = []  # made once per reading: docxcompose lists them for every paragraph
        self._read_at = -1

    def __iter__(self) -> Iterator[_StyleId]:
        if len(self.element) != self._read_at:
            self._styles = [_StyleId(style_id) for style_id in self.element.xpath(_STYLE_IDS)]
            self._read_at = len(self.element)
        return iter(self._styles)


class _StyleIdView:
    """The template document, with `styles` read as ids; every other attribute is the document's own."""

    def __init__(self, document: Any, styles: _StylesById):
        self._document = document
        self.styles = styles

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)


def _ids_and_names(document: Any) -> Iterator[tuple[str, str | None]]:
    """Each style's id and name as python-docx's `Style.style_id` and `Style.name` give them."""
    for style in document.styles.element.style_lst:
        name = style.name_val
        yield style.styleId, BabelFish.internal2ui(name) if name is not None else None


class FastStylesComposer(SubdocComposer):
    def __init__(self, doc: Any, mappings: dict[str, dict] | None = None):
        super().__init__(doc)
        self._mappings = {} if mappings is None else mappings

    def _create_style_id_mapping(self, doc):
        """docxcompose's own mapping of style ids by name, read from the XML, not through a python-docx
        object for each of the template's styles; once for all documents given the same `mappings`."""
        if not self._mappings:
            self._mappings.update(id2name=dict(_ids_and_names(doc)),
                                  name2id={name: style_id for style_id, name in _ids_and_names(self.doc)})
        self._style_id2name, self._style_name2id = self._mappings["id2name"], self._mappings["name2id"]

    def add_styles(self, doc, element):
        with self._style_ids_read_fast():
            super().add_styles(doc, element)

    def add_linked_styles(self, doc, element):
        with self._style_ids_read_fast():
            super().add_linked_styles(doc, element)

    @contextmanager
    def _style_ids_read_fast(self) -> Iterator[None]:
        """Within `with`, `self.doc` is the fast view (add_styles calls add_linked_styles: once is enough)."""
        document = self.doc
        if not isinstance(document, _StyleIdView):
            if getattr(self, "_styles_by_id", None) is None:
                self._styles_by_id = _StylesById(document.styles.element)
            self.doc = _StyleIdView(document, self._styles_by_id)
        try:
            yield
        finally:
            self.doc = document


class FastSubdoc(Subdoc):
    """docxtpl's `Subdoc` of a python-docx document, attached with `FastStylesComposer`. `mappings`:
    kept by the caller for the next document made from the same template with the same `document`
    (render.MarkdownFields), whose style mappings are the same."""

    def __init__(self, tpl: Any, document: Any, mappings: dict[str, dict] | None = None):
        self.tpl = tpl
        self.docx = tpl.get_docx()
        self.subdocx = document
        FastStylesComposer(self.docx, mappings).attach_parts(self.subdocx)
