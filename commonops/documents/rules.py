"""Documents and knowledge as pure rules (DOMAIN.md D1–D3, K1): who may read a classified
file, how versions are numbered, what an upload may be, and which experiences are alike.

Plain values in, values out: no ORM, settings or clock. The repository's queryset filter
(`documents.classification.readable`) states the same D1 rule in SQL; tests hold the two
to the same answers.
"""

import posixpath
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field

PUBLIC = "public"
INTERNAL = "internal"
CONFIDENTIAL = "confidential"

PENDING = "pending"
GRANTED = "granted"
REFUSED = "refused"


@dataclass(frozen=True)
class Reader:
    """What D1 needs to know of a person, in the country of the file.

    `roles_here`: the roles they hold that cover the country (held in it, in its region or
    everywhere); `works_here`: they hold a role in the country itself (its agencies'
    staff); `audits_everywhere`: an auditor, who reads every country's records.
    """

    user_id: int | None
    agency_id: int | None = None
    roles_here: frozenset = frozenset()
    works_here: bool = False
    audits_everywhere: bool = False


@dataclass(frozen=True)
class Classified:
    """A classified file as D1 reads it."""

    classification: str
    owner_id: int | None = None
    allowed_roles: frozenset = frozenset()
    allowed_agency_ids: frozenset = frozenset()
    granted_agency_ids: frozenset = frozenset()  # D2: agencies whose request was granted


def may_read(doc: Classified, reader: Reader) -> bool:
    """D1. Public: whoever sees the country. Internal: the staff of the country's
    participating agencies (and auditors). Confidential: only the roles and agencies it
    names, the agencies granted a request (D2), and its owner. The caller has already
    checked that the reader sees the country at all."""
    if reader.user_id is None:
        return False
    if doc.classification == PUBLIC:
        return True
    if doc.classification == INTERNAL:
        return reader.works_here or reader.audits_everywhere
    if doc.owner_id is not None and doc.owner_id == reader.user_id:
        return True
    if reader.roles_here & doc.allowed_roles:
        return True
    if reader.works_here and reader.agency_id is not None:
        return reader.agency_id in doc.allowed_agency_ids | doc.granted_agency_ids
    return False


def must_log(classification: str) -> bool:
    """D1: every access to a confidential file is logged."""
    return classification == CONFIDENTIAL


def roles_text(roles) -> str:
    """Allowed roles as stored: ",rc,omt_chair," (so that `contains ",rc,"` is exact)."""
    ordered = sorted(set(roles))
    return f",{','.join(ordered)}," if ordered else ""


def roles_from_text(text: str) -> frozenset:
    return frozenset(part for part in (text or "").split(",") if part)


# --- D3 versions ---------------------------------------------------------------------------


def next_version(numbers) -> int:
    """D3: a new version takes the next number; the old ones are kept."""
    return max(numbers, default=0) + 1


# --- requests (D2) -------------------------------------------------------------------------


def may_decide(status: str) -> bool:
    """A request is granted or refused once, while it is pending."""
    return status == PENDING


def may_request(*, already_reads: bool, pending: bool) -> tuple[bool, str]:
    """D2: an agency asks for a document it cannot read, once at a time."""
    if already_reads:
        return False, "reads"
    if pending:
        return False, "pending"
    return True, ""


# --- upload safety ------------------------------------------------------------------------

# kind -> (content type, may be shown inline in the browser)
KINDS = {
    "pdf": ("application/pdf", True),
    "png": ("image/png", True),
    "jpeg": ("image/jpeg", True),
    "gif": ("image/gif", True),
    "webp": ("image/webp", True),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             False),
    "odt": ("application/vnd.oasis.opendocument.text", False),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", False),
    "odp": ("application/vnd.oasis.opendocument.presentation", False),
    "ole": ("application/octet-stream", False),  # older Word, Excel, PowerPoint files
    "text": ("text/plain", False),
}
EXTENSION_OF = {"pdf": "pdf", "png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp",
                "docx": "docx", "xlsx": "xlsx", "pptx": "pptx", "odt": "odt", "ods": "ods",
                "odp": "odp", "ole": "doc", "text": "txt"}
_OLE_EXTENSIONS = {"doc", "xls", "ppt"}
_TEXT_EXTENSIONS = {"txt", "csv", "md"}
# markup a browser would run or render: never accepted as text
_MARKUP = re.compile(rb"<\s*(!doctype|html|svg|script|iframe|object|body|\?xml)", re.IGNORECASE)


def sniff(head: bytes, *, zip_names=()) -> str | None:
    """The kind of a file from its first bytes (and, for a zip, its member names), never
    from its name. None: not a kind we accept (HTML, SVG, executables, archives…)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        names = set(zip_names)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        if "mimetype" in names and "content.xml" in names:
            return "odt_family"
        return None
    if b"\x00" in head or _MARKUP.search(head):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 3:  # a cut multi-byte character at the end is fine
            return None
    return "text"


def odf_kind(mimetype: bytes) -> str | None:
    return {b"application/vnd.oasis.opendocument.text": "odt",
            b"application/vnd.oasis.opendocument.spreadsheet": "ods",
            b"application/vnd.oasis.opendocument.presentation": "odp"}.get(mimetype.strip())


def kind_of(data_head: bytes, opener=None) -> str | None:
    """`sniff`, opening a zip through `opener()` (a file object) to read its members."""
    if data_head.startswith(b"PK\x03\x04") and opener is not None:
        try:
            with zipfile.ZipFile(opener()) as archive:
                names = archive.namelist()
                kind = sniff(data_head, zip_names=names)
                if kind == "odt_family":
                    kind = odf_kind(archive.read("mimetype"))
                return kind
        except (zipfile.BadZipFile, KeyError, OSError):
            return None
    kind = sniff(data_head)
    return None if kind == "odt_family" else kind


def name_matches_kind(name: str, kind: str) -> bool:
    """The extension a person gave must not pretend to be another kind."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind == "ole":
        return extension in _OLE_EXTENSIONS
    if kind == "text":
        return extension in _TEXT_EXTENSIONS
    if kind == "jpeg":
        return extension in {"jpg", "jpeg"}
    return extension == EXTENSION_OF[kind]


def safe_name(name: str, *, kind: str | None = None, limit: int = 120) -> str:
    """A file name safe on every storage: no folders, no control or shell characters, no
    leading dots, ASCII letters, digits, dot, dash and underscore only, at most `limit`
    characters, keeping the extension."""
    base = posixpath.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip(".-_")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    if kind is not None and not (extension and name_matches_kind(f"x.{extension}", kind)):
        extension = EXTENSION_OF[kind]
    extension = extension.lower()[:10]
    stem = stem.strip(".-_")[: max(1, limit - len(extension) - 1)] or "file"
    return f"{stem}.{extension}" if extension else stem


@dataclass(frozen=True)
class UploadCheck:
    ok: bool
    problem: str = ""  # "empty", "size", "type", "name"
    kind: str | None = None


def check_upload(*, name: str, size: int, kind: str | None, max_bytes: int,
                 allowed_kinds) -> UploadCheck:
    """An upload is accepted when it is not empty, within the size limit, of an accepted
    kind found from its content, and its name does not claim another kind."""
    if size <= 0:
        return UploadCheck(False, "empty")
    if size > max_bytes:
        return UploadCheck(False, "size")
    if kind is None or kind not in allowed_kinds:
        return UploadCheck(False, "type")
    if not name_matches_kind(name, kind):
        return UploadCheck(False, "name", kind)
    return UploadCheck(True, "", kind)


def may_preview(kind: str) -> bool:
    """Only PDFs and raster images are shown in the browser; never markup."""
    return KINDS.get(kind, ("", False))[1]


# --- K1: experiences like this one ---------------------------------------------------------


@dataclass(frozen=True)
class Experience:
    id: int
    service_line: str
    region_id: int | None
    tags: frozenset = field(default_factory=frozenset)


def likeness(one: Experience, other: Experience) -> int:
    """K1: how alike two experiences are: the same service line counts most, then shared
    tags, then the same region."""
    return (3 * (one.service_line == other.service_line)
            + 2 * len(one.tags & other.tags)
            + (one.region_id is not None and one.region_id == other.region_id))


def alike(one: Experience, others, *, limit: int = 5) -> list[int]:
    """The ids of the experiences most like `one` (never itself), best first; those with
    nothing in common are left out."""
    scored = [(likeness(one, other), other.id) for other in others if other.id != one.id]
    scored = [(score, id_) for score, id_ in scored if score > 0]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [id_ for _score, id_ in scored[:limit]]


def tag_set(text: str) -> frozenset:
    """Tags as typed ("fleet, Solar panels") -> {"fleet", "solar panels"}."""
    return frozenset(t.strip().lower() for t in (text or "").split(",") if t.strip())


# --- what a classification must say -------------------------------------------------------


def classification_problem(classification: str, *, roles, agencies) -> str | None:
    """D1: a confidential document names who may read it; the others name nobody."""
    if classification == CONFIDENTIAL and not roles and not agencies:
        return "names_nobody"
    if classification != CONFIDENTIAL and (roles or agencies):
        return "names_for_open"
    return None


def area_for(area: str, *, has_task_force: bool) -> str:
    """D2: a task force's files are filed in the task forces' folder of the repository."""
    return "task_forces" if has_task_force else area
