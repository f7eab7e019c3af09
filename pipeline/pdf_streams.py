"""No stream whose end a PDF/A validator reads one byte early.

A compressed stream whose last byte happens to be CR is followed by the LF
before `endstream`; CR LF is itself an end-of-line marker, so a reader takes
the stream to end one byte early and its /Length to be wrong (ISO 19005-2
6.1.7.1; `page`, the validator the suite runs, reports it as veraPDF would).
Typst and LibreOffice (through pikepdf's save) write such streams by chance,
about one in 256. The last four bytes of a compressed stream are the checksum
of what was compressed, so compressing again does not help: drawing
instructions get a space more at their end, which draws nothing; any other
stream is stored uncompressed, which PDF/A allows.
"""

from __future__ import annotations

import io
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pikepdf

_AMBIGUOUS = b"\r\nendstream"
MOST_PASSES = 3


def unambiguous_stream_ends(pdf: bytes) -> bytes:
    """`pdf`, with every stream that ends in CR rewritten; as it is when it has none (most PDFs, for
    which pikepdf is not even loaded: the Typst workers run this, pipeline/typst_worker.py)."""
    if _AMBIGUOUS not in pdf:
        return pdf
    import pikepdf

    for _ in range(MOST_PASSES):
        if _AMBIGUOUS not in pdf:
            break
        with pikepdf.open(io.BytesIO(pdf)) as document:
            drawings = _drawings(document)
            for stream in [o for o in document.objects if isinstance(o, pikepdf.Stream)]:
                if stream.read_raw_bytes().endswith(b"\r"):
                    _rewrite(stream, stream.objgen in drawings)
            out = io.BytesIO()
            # Every other stream as it was: not decoded, not compressed again.
            document.save(out, deterministic_id=True, compress_streams=False,
                          stream_decode_level=pikepdf.StreamDecodeLevel.none)
            pdf = out.getvalue()
    return pdf


def _drawings(document: pikepdf.Pdf) -> set[tuple[int, int]]:
    """The streams of drawing instructions: pages' contents and form XObjects."""
    import pikepdf

    found = set()
    for page in document.pages:
        contents = page.obj.get("/Contents")
        for stream in contents if isinstance(contents, pikepdf.Array) else [contents]:
            if isinstance(stream, pikepdf.Stream):
                found.add(stream.objgen)
    for stream in document.objects:
        if isinstance(stream, pikepdf.Stream) and stream.get("/Subtype") == pikepdf.Name.Form:
            found.add(stream.objgen)
    return found


def _rewrite(stream: pikepdf.Stream, drawing: bool) -> None:
    import pikepdf

    try:
        data = stream.read_bytes()
    except pikepdf.PdfError:
        return  # a filter pikepdf cannot decode (a JPEG): left as it is
    if drawing:
        packed = zlib.compress(data, 9)
        while packed.endswith(b"\r"):
            data += b" "
            packed = zlib.compress(data, 9)
        stream.write(packed, filter=pikepdf.Name.FlateDecode)
    elif not data.endswith(b"\r"):
        stream.write(data)
