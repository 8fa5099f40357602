"""Uploads: what a file is (from its content), whether it is accepted (size, kind, name,
the antivirus hook), its checksum, and the text full-text search reads from it.

Settings (commonops/settings.py, docs/deployment.md):
- DOCUMENTS_MAX_UPLOAD_MB: the largest file accepted (default 25);
- DOCUMENTS_ALLOWED_KINDS: the kinds accepted (default every kind of `rules.KINDS`);
- DOCUMENTS_SCANNER: dotted path of a callable `scan(file, name) -> str | None` that
  returns a reason to refuse the file (an antivirus) or None; empty by default.
"""

import hashlib
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from commonops.documents import rules

log = logging.getLogger(__name__)

TEXT_LIMIT = 200_000  # characters of extracted text kept for search


def max_bytes() -> int:
    return settings.DOCUMENTS_MAX_UPLOAD_MB * 1024 * 1024


@dataclass(frozen=True)
class Inspected:
    name: str  # the safe name it is stored under
    size: int
    kind: str
    sha256: str
    text: str


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    return head


def inspect(upload, *, field: str = "file") -> Inspected:
    """Check an uploaded file and describe it; a ValidationError on `field` says why it is
    refused (nothing is stored then)."""
    name = getattr(upload, "name", "") or ""
    size = upload.size or 0
    kind = rules.kind_of(_head(upload), opener=lambda: upload) if size else None
    upload.seek(0)
    check = rules.check_upload(name=name, size=size, kind=kind, max_bytes=max_bytes(),
                               allowed_kinds=set(settings.DOCUMENTS_ALLOWED_KINDS))
    if not check.ok:
        message = {
            "empty": _("The file is empty."),
            "size": _("The file is larger than %(limit)s MB.") % {
                "limit": settings.DOCUMENTS_MAX_UPLOAD_MB},
            "type": _("This kind of file is not accepted: send a PDF, an image (PNG, JPEG, "
                      "GIF, WebP), an office document or plain text."),
            "name": _("The file's name does not match what it contains: rename it with "
                      "the right extension (.%(extension)s).") % {
                "extension": rules.EXTENSION_OF.get(check.kind or "", "")},
        }[check.problem]
        raise ValidationError({field: message})
    if settings.DOCUMENTS_SCANNER:
        reason = import_string(settings.DOCUMENTS_SCANNER)(upload, name)
        upload.seek(0)
        if reason:
            raise ValidationError({field: _("The file was refused by the virus check: "
                                            "%(reason)s") % {"reason": reason}})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    text = extract_text(upload, check.kind)
    upload.seek(0)
    return Inspected(name=rules.safe_name(name, kind=check.kind), size=size, kind=check.kind,
                     sha256=digest.hexdigest(), text=text)


# --- text for search ------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()[:TEXT_LIMIT]


def _xml_text(data: bytes) -> str:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return ""
    return " ".join(t for t in root.itertext() if t.strip())


def _pdf_text(stream) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(stream)
        parts = []
        for page in reader.pages[:200]:
            parts.append(page.extract_text() or "")
            if sum(len(p) for p in parts) > TEXT_LIMIT:
                break
        return " ".join(parts)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return ""


def _xlsx_text(stream) -> str:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return ""
    parts = []
    for sheet in workbook.worksheets:
        parts.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
            if len(parts) > 50_000:
                break
    workbook.close()
    return " ".join(parts)


def _zip_xml_text(stream, members) -> str:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = [n for n in archive.namelist() if members(n)]
            return " ".join(_xml_text(archive.read(n)) for n in sorted(names)[:300])
    except (zipfile.BadZipFile, KeyError, OSError):
        return ""


def extract_text(upload, kind: str) -> str:
    """The words of a file for search; empty when there are none to read."""
    upload.seek(0)
    data = upload.read()
    stream = io.BytesIO(data)
    try:
        if kind == "pdf":
            text = _pdf_text(stream)
        elif kind == "xlsx":
            text = _xlsx_text(stream)
        elif kind == "docx":
            text = _zip_xml_text(stream, lambda n: n == "word/document.xml")
        elif kind == "pptx":
            text = _zip_xml_text(stream, lambda n: n.startswith("ppt/slides/slide"))
        elif kind in ("odt", "ods", "odp"):
            text = _zip_xml_text(stream, lambda n: n == "content.xml")
        elif kind == "text":
            text = data.decode("utf-8", errors="replace")
        else:
            text = ""
    except Exception:  # a damaged file keeps its upload, only its words are missing
        log.warning("could not read the text of an uploaded %s file", kind, exc_info=True)
        text = ""
    return _squeeze(text)
