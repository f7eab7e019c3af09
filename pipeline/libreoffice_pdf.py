"""What LibreOffice 7.4's PDF/A-2b and PDF/UA-1 export gets wrong, put right.

Found by the validators the suite runs (page, outloud: tests/test_validators.py):

- an inline picture's Figure element, with its alternative text, is left
  empty and the picture drawn as an artifact, so assistive technology skips
  it (PDF/UA-1 7.3, WCAG 1.1.1): each empty Figure, in reading order, gets
  the picture drawn as an artifact, in page order, as its marked content (a
  LibreOffice that tags its pictures leaves no empty Figure);
- a page with links (the contents) has no /Tabs /S (PDF/UA-1 7.18.3);
- the PDF/UA claim (`pdfuaid:part`) is not declared as a PDF/A extension
  schema, which PDF/A-2b requires of every property outside its own
  (ISO 19005-2 6.6.2.3);
- the keywords are the Word file's split at every space.
"""

from __future__ import annotations

import pikepdf


def put_right(pdf: pikepdf.Pdf, keywords: str) -> None:
    pictures_in_their_figures(pdf)
    for page in pdf.pages:
        if "/Annots" in page.obj:
            page.obj.Tabs = pikepdf.Name("/S")
    _declare_pdf_ua_schema(pdf)
    pdf.docinfo["/Keywords"] = keywords
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdf:Keywords"] = keywords


def pictures_in_their_figures(pdf: pikepdf.Pdf) -> None:
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return
    figures = [element for element in _elements(root) if element.get("/S") == "/Figure" and "/K" not in element]
    if not figures:
        return
    parents = _parent_arrays(root)
    for page in pdf.pages:
        if not figures:
            break
        figures = _tag_pictures_on(pdf, page, figures, parents)


def _elements(node):
    """The structure elements below `node`, in reading order."""
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type", "/StructElem") == "/StructElem" and "/S" in kid:
            yield kid
            yield from _elements(kid)


def _parent_arrays(root) -> dict[int, pikepdf.Array]:
    """The parent tree's arrays (the structure element of each marked content), by page key."""
    numbers = root.ParentTree.get("/Nums", pikepdf.Array())
    return {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers) - 1, 2)}


def _tag_pictures_on(pdf: pikepdf.Pdf, page: pikepdf.Page, figures: list, parents: dict[int, pikepdf.Array]) -> list:
    """Mark each picture drawn as an artifact on `page` as the next figure's content; the figures left."""
    key = page.obj.get("/StructParents")
    if key is None or int(key) not in parents:
        return figures
    marked = parents[int(key)]
    operations = list(pikepdf.parse_content_stream(page))
    changed = False
    for start, end in _artifact_blocks(operations):
        if not figures or not _draws_picture(page, operations[start:end]):
            continue
        figure = figures.pop(0)
        number = len(marked)
        operations[start] = pikepdf.ContentStreamInstruction(
            [pikepdf.Name("/Figure"), pikepdf.Dictionary(MCID=number)], pikepdf.Operator("BDC"))
        marked.append(figure)
        figure.K = number
        figure.Pg = page.obj
        changed = True
    if changed:
        page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
    return figures


def _artifact_blocks(operations) -> list[tuple[int, int]]:
    """(start, end) of each `/Artifact BMC … EMC` at the top level of marked content."""
    blocks, depth, start = [], 0, None
    for index, (operands, operator) in enumerate(operations):
        name = str(operator)
        if name in ("BMC", "BDC"):
            if depth == 0 and name == "BMC" and operands and operands[0] == pikepdf.Name("/Artifact"):
                start = index
            depth += 1
        elif name == "EMC" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append((start, index))
                start = None
    return blocks


def _draws_picture(page: pikepdf.Page, operations) -> bool:
    objects = page.obj.get("/Resources", {}).get("/XObject", {})
    return any(str(operator) == "Do" and objects.get(operands[0], {}).get("/Subtype") == "/Image"
               for operands, operator in operations)


_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
# The PDF/A extension schema for the PDF/UA identification schema (ISO 14289-1 5.4), as a PDF/A
# file must declare it.
_PDF_UA_SCHEMA = f"""<rdf:Description xmlns:rdf="{_RDF}" rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""


def _declare_pdf_ua_schema(pdf: pikepdf.Pdf) -> None:
    from lxml import etree

    metadata = pdf.Root.get("/Metadata")
    if metadata is None or b"pdfaExtension:schemas" in metadata.read_bytes():
        return
    xmp = metadata.read_bytes()
    root = etree.fromstring(xmp[xmp.index(b"<x:xmpmeta"):xmp.rindex(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")])
    root.find(f"{{{_RDF}}}RDF").append(etree.fromstring(_PDF_UA_SCHEMA))
    packet = etree.tostring(root, encoding="UTF-8")
    metadata.write(b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' + packet +
                   b'\n<?xpacket end="w"?>')
