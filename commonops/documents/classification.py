"""The one classification and download check (D1) for every file the platform keeps.

- `readable(queryset, user)`: the repository's documents a person may read (list, search,
  API, exports), in SQL.
- `may_read_document(user, document)` / `may_read_stored(user, obj)`: the same rule for one
  file, through `rules.may_read`.
- `serve(...)`: the only way a file leaves the platform: access checked on every call,
  confidential reads logged, a safe name, no inline markup.
- `stored_file_response(request, obj, file, name)`: what other areas call to serve the
  files they store (meeting papers, signed agreements, ticket attachments) after their own
  visibility check.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse, Http404
from django.utils import timezone

from commonops.core import access
from commonops.core.roles import GLOBAL_ROLES, REGION_ROLES, Role
from commonops.documents import rules

_CACHE = "_commonops_documents_reader"


class _Profile:
    """A person's roles grouped by where they hold them (read once per request)."""

    def __init__(self, user):
        self.user_id = user.pk
        self.agency_id = getattr(user, "agency_id", None)
        self.by_country: dict[int, set[str]] = {}
        self.by_region: dict[int, set[str]] = {}
        self.everywhere: set[str] = set()
        for role, country_id, region_id in access.assignments(user):
            if role in GLOBAL_ROLES:
                self.everywhere.add(role)
            elif role in REGION_ROLES:
                self.by_region.setdefault(region_id, set()).add(role)
            else:
                self.by_country.setdefault(country_id, set()).add(role)

    def reader(self, country_id, region_id) -> rules.Reader:
        roles = (self.by_country.get(country_id, set()) | self.by_region.get(region_id, set())
                 | self.everywhere)
        return rules.Reader(user_id=self.user_id, agency_id=self.agency_id,
                            roles_here=frozenset(roles),
                            works_here=country_id in self.by_country,
                            audits_everywhere=Role.AUDITOR in self.everywhere)


def _profile(user) -> _Profile:
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = _Profile(user)
        setattr(user, _CACHE, cached)
    return cached


def reader_for(user, country) -> rules.Reader:
    if user is None or not user.is_authenticated or not user.is_active:
        return rules.Reader(user_id=None)
    return _profile(user).reader(country.pk, country.region_id)


def works_in_a_country(user) -> bool:
    """Does the person hold a role in some country team (not only a regional or global
    one)? Only such staff ask for a country's documents (D2)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(_profile(user).by_country)


def _roles_q(roles, prefix) -> Q:
    q = Q(pk__in=[])
    for role in roles:
        q |= Q(**{f"{prefix}allowed_roles__contains": f",{role},"})
    return q


def readable(queryset, user, *, prefix: str = ""):
    """D1 in SQL: narrow a queryset of documents (or of rows reaching one through
    `prefix`, e.g. "document__") to what `user` may read. Mirrors `rules.may_read`."""
    from commonops.documents.models import Document, DocumentRequest

    queryset = access.scope_queryset(queryset, user)
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    profile = _profile(user)
    works_in = list(profile.by_country)
    public = Q(**{f"{prefix}classification": rules.PUBLIC})
    internal = Q(**{f"{prefix}classification": rules.INTERNAL})
    if Role.AUDITOR not in profile.everywhere:
        internal &= Q(**{f"{prefix}country_id__in": works_in})
    confidential = Q(**{f"{prefix}owner_id": user.pk})
    if profile.everywhere:
        confidential |= _roles_q(profile.everywhere, prefix)
    for region_id, roles in profile.by_region.items():
        confidential |= Q(**{f"{prefix}country__region_id": region_id}) & _roles_q(roles,
                                                                                  prefix)
    for country_id, roles in profile.by_country.items():
        confidential |= Q(**{f"{prefix}country_id": country_id}) & _roles_q(roles, prefix)
    if profile.agency_id is not None and works_in:
        document_ref = OuterRef(f"{prefix}pk" if prefix else "pk")
        named = Document.allowed_agencies.through.objects.filter(
            document_id=document_ref, agency_id=profile.agency_id)
        granted = DocumentRequest.objects.filter(
            document_id=document_ref, agency_id=profile.agency_id, status=rules.GRANTED)
        confidential |= Q(**{f"{prefix}country_id__in": works_in}) & (
            Q(Exists(named)) | Q(Exists(granted)))
    confidential &= Q(**{f"{prefix}classification": rules.CONFIDENTIAL})
    return queryset.filter(public | internal | confidential)


def _classified(obj, *, granted=frozenset()) -> rules.Classified:
    return rules.Classified(
        classification=obj.classification, owner_id=obj.owner_id,
        allowed_roles=obj.role_set,
        allowed_agency_ids=frozenset(a.pk for a in obj.allowed_agencies.all()),
        granted_agency_ids=frozenset(granted))


def may_read_document(user, document) -> bool:
    """D1 for one document the person can already see the country of."""
    if not access.can(user, "core.view", document.country_id):
        return False
    granted = document.requests.filter(status=rules.GRANTED).values_list("agency_id",
                                                                         flat=True)
    return rules.may_read(_classified(document, granted=granted),
                          reader_for(user, document.country))


def classification_of_stored(obj):
    """The FileClassification of a file another area stores, or None (then internal)."""
    from commonops.documents.models import FileClassification

    return FileClassification.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
    ).prefetch_related("allowed_agencies").first()


def may_read_stored(user, obj, classification=None) -> bool:
    """D1 for a stored file; without a classification it is internal."""
    if not access.can(user, "core.view", obj.country_id):
        return False
    doc = (_classified(classification) if classification is not None
           else rules.Classified(classification=rules.INTERNAL))
    return rules.may_read(doc, reader_for(user, obj.country))


def log_access(*, user, country_id, file_name, how, document=None, version=None,
               stored=None) -> None:
    from commonops.documents.models import AccessLog

    AccessLog.objects.create(
        at=timezone.now(), user=user, country_id=country_id, file_name=file_name[:200],
        how=how, document=document, version=version,
        content_type=ContentType.objects.get_for_model(stored) if stored is not None else None,
        object_id=stored.pk if stored is not None else None)


def content_type_for(kind: str, *, inline: bool) -> str:
    """The content type a file of this kind is sent with: its own, except text and files
    of no known kind, which are sent as plain bytes unless shown inline."""
    if not inline and kind in ("text", "unknown"):
        return "application/octet-stream"
    return rules.KINDS.get(kind, ("application/octet-stream", False))[0]


# what a download and a preview may answer (the API documents them)
DOWNLOAD_TYPES = sorted({content_type_for(kind, inline=False)
                         for kind in [*rules.KINDS, "unknown"]})
PREVIEW_TYPES = sorted({content_type_for(kind, inline=True)
                        for kind in rules.KINDS if rules.may_preview(kind)})


def serve(file, *, name: str, kind: str | None = None, inline: bool = False) -> FileResponse:
    """A file as a response that no browser will run: a sniffed content type, `nosniff`,
    inline only for PDFs and images (in a sandbox), otherwise an attachment."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError, OSError):
        raise Http404("The file is missing.") from None
    if kind is None:
        head = handle.read(2048)
        handle.seek(0)
        kind = rules.kind_of(head, opener=lambda: handle) or "unknown"
        handle.seek(0)
    inline = inline and rules.may_preview(kind)
    content_type = content_type_for(kind, inline=inline)
    response = FileResponse(handle, as_attachment=not inline,
                            filename=rules.safe_name(name) or "file",
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'; " \
                                          "object-src 'self'"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(request, obj, file, name: str, *, how: str = "download"):
    """Serve a file that another area stores with `obj` (a meeting paper, a signed
    agreement, a ticket attachment), after that area's own visibility check: D1 applies
    (404 when the person may not read it) and a confidential read is logged."""
    classification = classification_of_stored(obj)
    if not may_read_stored(request.user, obj, classification):
        raise Http404
    if classification is not None and rules.must_log(classification.classification):
        log_access(user=request.user, country_id=obj.country_id, file_name=name, how=how,
                   stored=obj)
    return serve(file, name=name)
