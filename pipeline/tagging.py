"""A picture in LibreOffice's tagged PDF is a Figure a screen reader finds.

LibreOffice 7.4 (Debian 12) writes an inline picture's Figure element, with
its alternative text, but leaves it empty and draws the picture itself as an
artifact, so assistive technology skips it (PDF/UA-1 7.3, WCAG 1.1.1). This
gives each empty Figure, in reading order, the picture drawn as an artifact,
in page order, as its marked content. A LibreOffice that tags its pictures
leaves no empty Figure, and nothing is changed.
"""

from __future__ import annotations

import pikepdf


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
