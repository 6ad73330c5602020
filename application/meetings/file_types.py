"""Which kind of file an upload is, told by its content: magic bytes, and for Office Open XML and OpenDocument the
package's own parts (a zip is read only for its names and its tiny ``mimetype`` entry, never unpacked)."""

from __future__ import annotations

import io
import zipfile

from domain.meeting_files import DOCX, JPEG, LEGACY_OFFICE, ODP, ODS, ODT, PDF, PNG, PPTX, XLSX

# The part of an OOXML package that names what it is, by kind.
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))
_ODF = frozenset({ODT, ODS, ODP})
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(content: bytes, filename: str = "") -> str | None:
    """The content type the bytes are, if one of ``ACCEPTED``; None for anything else (a program, a script, a zip
    of something else, a file cut short)."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(_OLE2):
        return LEGACY_OFFICE.get(filename.rsplit(".", 1)[-1].lower()) if "." in filename else None
    if content.startswith(b"PK\x03\x04"):
        return _zipped(content)
    return None


def _zipped(content: bytes) -> str | None:
    """An OOXML or OpenDocument package by its parts; only names and the tiny ``mimetype`` entry are read."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = set(package.namelist())
            if "mimetype" in names and package.getinfo("mimetype").file_size < 100:
                declared = package.read("mimetype").decode("ascii", "replace").strip()
                return declared if declared in _ODF else None
            if "[Content_Types].xml" in names:
                return next((kind for part, kind in _OOXML_PARTS if part in names), None)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    return None
