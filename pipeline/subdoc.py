"""A Word file put into a template as a sub-document (the Markdown fields), in time linear in its size.

docxtpl's `Subdoc` attaches a .docx with docxcompose's composer, which, for
each paragraph and table of the sub-document, lists the template's ~340
style ids anew through python-docx objects (`[s.style_id for s in
self.doc.styles]`, three places in `add_styles` and `add_linked_styles`).
At 2,000 meetings that was 1.7 million `StyleFactory` calls and half the
render. `FastStylesComposer` gives those two methods a view of the template
whose `styles` lists the ids with one lxml query; everything else, and the
Word file that comes out, is docxcompose's own (tested byte for byte).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from docxtpl.subdoc import Subdoc, SubdocComposer

_STYLE_IDS = "w:style/@w:styleId"


class _StyleId:
    __slots__ = ("style_id",)

    def __init__(self, style_id: str):
        self.style_id = style_id


class _StylesById:
    """The template's styles as docxcompose reads them: iterated for their ids, `.element` for the rest."""

    def __init__(self, element: Any):
        self.element = element

    def __iter__(self) -> Iterator[_StyleId]:
        return (_StyleId(style_id) for style_id in self.element.xpath(_STYLE_IDS))


class _StyleIdView:
    """The template document, with `styles` read as ids; every other attribute is the document's own."""

    def __init__(self, document: Any):
        self._document = document
        self.styles = _StylesById(document.styles.element)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._document, name)


class FastStylesComposer(SubdocComposer):
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
            self.doc = _StyleIdView(document)
        try:
            yield
        finally:
            self.doc = document


class FastSubdoc(Subdoc):
    """docxtpl's `Subdoc` of a python-docx document, attached with `FastStylesComposer`."""

    def __init__(self, tpl: Any, document: Any):
        self.tpl = tpl
        self.docx = tpl.get_docx()
        self.subdocx = document
        FastStylesComposer(self.docx).attach_parts(self.subdocx)
