"""Equal sources give equal bytes: fixed times inside .docx, .pdf and .zip files.

The time written into every output is SOURCE_DATE_EPOCH when it is set (the
reproducible-builds convention), else the document's own date from the
sources, never the time of the build.
"""

from __future__ import annotations

import io
import os
import struct
import uuid
import zipfile
from datetime import date, datetime, time, timezone
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import docx.document
    import pikepdf

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def stamp(document_date: date) -> datetime:
    """The time to write into a document dated `document_date`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    return datetime.combine(document_date, time(12, 0), tzinfo=timezone.utc)


def stable_docx(document: "docx.document.Document") -> bytes:
    """The Word file python-docx saves, member for member and in its order, with every member's time
    fixed: compressed once (saving it and then fixing the times compressed every member twice)."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    members = _Members()
    PackageWriter._write_content_types_stream(members, package.parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, package.parts)
    out = io.BytesIO()
    write_zip(out, members)
    return out.getvalue()


class _Members(list):
    """python-docx's package writer's target (its PhysPkgWriter's `write`): the members, in order."""

    def write(self, pack_uri, blob: bytes) -> None:
        self.append((pack_uri.membername, blob))


def write_zip(target, members: list[tuple[str, bytes]], when: tuple[int, ...] = ZIP_EPOCH,
              compression: int = zipfile.ZIP_DEFLATED) -> None:
    """Write members in the given order, with fixed times and permissions."""
    with zipfile.ZipFile(target, "w", compression) as archive:
        for name, data in members:
            member = zipfile.ZipInfo(name, when)
            member.compress_type = compression
            member.external_attr = 0o644 << 16
            archive.writestr(member, data)


def stable_pdf(data: bytes, when: datetime, repair: Callable[["pikepdf.Pdf"], None] = lambda pdf: None) -> bytes:
    """A PDF with its dates set to `when` and ids derived from its content (for LibreOffice's output),
    `repair` done to it on the way (pipeline/libreoffice_pdf.py)."""
    import pikepdf  # here: a build with nothing to convert does without it (40 ms)

    pdf = pikepdf.open(io.BytesIO(data))
    repair(pdf)
    identity = str(uuid.uuid5(uuid.NAMESPACE_URL, str(pdf.docinfo.get("/Title", "")) + when.isoformat()))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
            meta[key] = when.isoformat()
        meta["xmpMM:DocumentID"] = f"uuid:{identity}"
        meta["xmpMM:InstanceID"] = f"uuid:{identity}"
    for intent in pdf.Root.get("/OutputIntents", []):
        _date_icc_profile(intent.get("/DestOutputProfile"), when)
    stamp_text = pikepdf.String(when.strftime("D:%Y%m%d%H%M%S+00'00'"))
    pdf.docinfo["/CreationDate"] = stamp_text
    pdf.docinfo["/ModDate"] = stamp_text
    for key in ("/ID", "/DocChecksum"):  # LibreOffice's random id and its checksum of the build time
        if key in pdf.trailer:
            del pdf.trailer[key]
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _date_icc_profile(profile, when: datetime) -> None:
    """LibreOffice's colour profile carries the time it was made (ICC header bytes 24–35).

    Its profile id is zero, so the date can be set without invalidating it.
    """
    import pikepdf

    if not isinstance(profile, pikepdf.Stream):
        return
    data = bytearray(profile.read_bytes())
    if len(data) < 128 or any(data[84:100]):
        return
    data[24:36] = struct.pack(">6H", when.year, when.month, when.day, when.hour, when.minute, when.second)
    profile.write(bytes(data))
