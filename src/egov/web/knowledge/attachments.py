"""What an attachment may be: PDF and office documents, recognised by their content.

A file is accepted when its extension is one of :data:`KINDS` and its first bytes (or, for the
zip-based formats, its entries) are what that format starts with, so ``report.pdf`` holding an
HTML page or a renamed executable is refused. Files are stored under a random name; the name a
user gave is shown only after :func:`egov.web.markdown.safe_filename` made it safe.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Final

#: Largest accepted attachment, in bytes.
MAX_SIZE: Final = 20 * 1024 * 1024

_OLE: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class Kind:
    extension: str
    content_type: str
    label: str
    container: str  # "pdf", "ole", "ooxml:<folder>/", "odf:<mimetype>"


KINDS: Final = {
    kind.extension: kind
    for kind in (
        Kind("pdf", "application/pdf", "PDF", "pdf"),
        Kind("doc", "application/msword", "Word 97–2003", "ole"),
        Kind("xls", "application/vnd.ms-excel", "Excel 97–2003", "ole"),
        Kind("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97–2003", "ole"),
        Kind(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word",
            "ooxml:word/",
        ),
        Kind(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel",
            "ooxml:xl/",
        ),
        Kind(
            "pptx",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "PowerPoint",
            "ooxml:ppt/",
        ),
        Kind(
            "odt",
            "application/vnd.oasis.opendocument.text",
            "OpenDocument text",
            "odf:application/vnd.oasis.opendocument.text",
        ),
        Kind(
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
            "OpenDocument spreadsheet",
            "odf:application/vnd.oasis.opendocument.spreadsheet",
        ),
        Kind(
            "odp",
            "application/vnd.oasis.opendocument.presentation",
            "OpenDocument presentation",
            "odf:application/vnd.oasis.opendocument.presentation",
        ),
    )
}


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_content(name: str, content: bytes) -> tuple[Kind | None, list[str]]:
    """The kind of an upload named ``name`` and every reason it is refused (none: accepted).

    >>> check_content("a.pdf", b"%PDF-1.7 ...")[0].extension
    'pdf'
    >>> check_content("a.pdf", b"<html><script>alert(1)</script>")[1]
    ['the file is named .pdf but its content is not a PDF']
    >>> check_content("run.exe", b"MZ")[1]
    ['.exe files are not accepted: PDF, DOC, XLS, PPT, DOCX, XLSX, PPTX, ODT, ODS, ODP only']
    """
    extension = extension_of(name)
    kind = KINDS.get(extension)
    problems: list[str] = []
    if kind is None:
        accepted = ", ".join(k.upper() for k in KINDS)
        shown = f".{extension} files" if extension else "files without an extension"
        return None, [f"{shown} are not accepted: {accepted} only"]
    if not content:
        problems.append("the file is empty")
    elif len(content) > MAX_SIZE:
        problems.append(
            f"the file is {len(content) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_SIZE // 1_048_576} MB"
        )
    elif not _content_matches(kind, content):
        problems.append(f"the file is named .{extension} but its content is not a {kind.label}")
    return kind, problems


def _content_matches(kind: Kind, content: bytes) -> bool:
    if kind.container == "pdf":
        return content[:1024].lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF-")
    if kind.container == "ole":
        return content.startswith(_OLE)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = archive.namelist()
        if kind.container.startswith("ooxml:"):
            folder = kind.container.removeprefix("ooxml:")
            return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)
        mimetype = kind.container.removeprefix("odf:")
        return "mimetype" in names and archive.read("mimetype").strip() == mimetype.encode()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False
