"""Every write of documents and knowledge (D1–D3, K1–K3): one transaction each, the
permission checked here whatever the caller (pages, API, demo, tasks)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import delete_managed, save_managed, validated_save
from commonops.documents import classification, files, queries, rules
from commonops.documents.models import (
    Document,
    DocumentRequest,
    DocumentVersion,
    Expert,
    FileClassification,
    KnowledgeItem,
    RequestStatus,
    SupportRequest,
    Template,
    TemplateVersion,
)

HQ_REFERRAL_TEAM = "HQ referral desk"
HQ_REFERRAL_CATEGORY = "Common-services expert support"


def _check_classification(data: dict) -> None:
    problem = rules.classification_problem(
        data.get("classification", rules.INTERNAL), roles=data.get("allowed_roles") or (),
        agencies=data.get("allowed_agencies") or ())
    if problem == "names_nobody":
        raise ValidationError({"allowed_roles": _(
            "A confidential document names the roles or agencies that may read it.")})
    if problem == "names_for_open":
        raise ValidationError({"allowed_roles": _(
            "Only a confidential document names roles and agencies; public and internal "
            "documents are open to everyone they are classified for.")})


def _classification_data(data: dict) -> dict:
    data = dict(data)
    _check_classification(data)
    if "allowed_roles" in data:
        data["allowed_roles"] = rules.roles_text(data["allowed_roles"] or ())
    return data


def may_change(user, document: Document) -> bool:
    """The owner, the task force's chair for its files (G10), or the repository's keeper
    (D2), as long as they may read the document."""
    if not classification.may_read_document(user, document):
        return False
    if document.owner_id == user.pk:
        return True
    if document.task_force_id and document.task_force.chair_id == user.pk:
        return True
    return access.can(user, Perm.KEEP_REPOSITORY, document.country_id)


def _require_change(user, document) -> None:
    if not may_change(user, document):
        raise PermissionDenied(_("Only the document's owner or the repository's keeper may "
                                 "change it."))


def _store_version(document: Document, upload, *, by, note: str = "") -> DocumentVersion:
    inspected = files.inspect(upload)
    numbers = document.versions.values_list("number", flat=True)
    version = DocumentVersion(document=document, country_id=document.country_id,
                              number=rules.next_version(numbers), name=inspected.name,
                              size=inspected.size, kind=inspected.kind,
                              sha256=inspected.sha256, text=inspected.text, note=note)
    upload.seek(0)
    version.file.save(inspected.name, upload, save=False)
    version.full_clean()
    version.save()
    Document.objects.filter(pk=document.pk).update(current_version=version)
    document.current_version = version
    queries.refresh_search(document, version)
    return version


@audited_action
def document_create(*, by, data: dict) -> Document:
    """D1–D3: file a document in the country's repository with its first version."""
    data = dict(data)
    upload = data.pop("file", None)
    note = data.pop("note", "")
    country = data.get("country")
    access.require(by, Perm.UPLOAD_DOCUMENTS, country,
                   _("You may not add documents to this repository."))
    if upload is None:
        raise ValidationError({"file": _("Choose the file to upload.")})
    data = _classification_data(data)
    data.setdefault("dated", None)
    if not data["dated"] and country is not None:
        data["dated"] = country.today()
    data["area"] = rules.area_for(data.get("area", ""),
                                  has_task_force=bool(data.get("task_force")))
    document = Document(owner=by)
    validated_save(document, data)
    _store_version(document, upload, by=by, note=note)
    return document


@audited_action
def document_update(*, document: Document, by, data: dict) -> Document:
    _require_change(by, document)
    data = dict(data)
    data.pop("file", None)
    data.pop("note", None)
    if data.get("country") is not None and data["country"].pk != document.country_id:
        raise ValidationError({"country": _("A document stays in its country's repository.")})
    data = _classification_data({"classification": document.classification,
                                 "allowed_roles": sorted(document.role_set),
                                 **data})
    if "allowed_agencies" not in data and data["classification"] != rules.CONFIDENTIAL:
        data["allowed_agencies"] = []
    task_force = data.get("task_force", document.task_force)
    data["area"] = rules.area_for(data.get("area", document.area),
                                  has_task_force=task_force is not None)
    validated_save(document, data)
    queries.refresh_search(document)
    return document


@audited_action
def document_delete(*, document: Document, by) -> None:
    _require_change(by, document)
    names = list(document.versions.values_list("file", flat=True))
    storage = DocumentVersion._meta.get_field("file").storage
    document.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


@audited_action
def version_add(*, document: Document, by, file, note: str = "") -> DocumentVersion:
    """D3: a new version; the old ones are kept."""
    _require_change(by, document)
    return _store_version(document, file, by=by, note=note)


# --- requests (D2) ---------------------------------------------------------------------------


def may_request(user) -> bool:
    """D2, before any document is named: the staff of a participating agency working in a
    country team may ask for documents (of their own countries)."""
    return getattr(user, "agency_id", None) is not None and classification.works_in_a_country(
        user)


def require_may_request(user) -> None:
    if not may_request(user):
        raise PermissionDenied(_("Only the staff of the country's participating agencies may "
                                 "request its documents."))


@audited_action
def request_create(*, by, data: dict) -> DocumentRequest:
    """D2: any participating agency may request a document it cannot read."""
    document = data["document"]
    require_may_request(by)
    access.require(by, Perm.VIEW, document.country_id)
    reader = classification.reader_for(by, document.country)
    if not reader.works_here:
        raise PermissionDenied(_("Only the staff of the country's participating agencies may "
                                 "request its documents."))
    allowed, why = rules.may_request(
        already_reads=classification.may_read_document(by, document),
        pending=queries.request_pending(document, by.agency_id))
    if not allowed:
        raise ValidationError({"reference": {
            "reads": _("You may already read this document."),
            "pending": _("Your agency has already asked for this document."),
        }[why]})
    request = DocumentRequest(document=document, country_id=document.country_id,
                              requested_by=by, agency_id=by.agency_id)
    return validated_save(request, {"reason": data.get("reason", "")})


def may_decide(user, request: DocumentRequest) -> bool:
    """The owner of the document decides (D2)."""
    return request.document.owner_id == user.pk


def _decide(request, *, by, status, answer):
    if not may_decide(by, request):
        raise PermissionDenied(_("Only the document's owner grants or refuses a request."))
    if not rules.may_decide(request.status):
        raise ValidationError(_("This request has already been answered."))
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.answer = answer
    request.full_clean()
    request.save()
    return request


@audited_action
def request_grant(*, request: DocumentRequest, by, answer: str = "") -> DocumentRequest:
    """D2: the owner grants: the requesting agency's staff may read the document."""
    return _decide(request, by=by, status=RequestStatus.GRANTED, answer=answer)


@audited_action
def request_refuse(*, request: DocumentRequest, by, answer: str) -> DocumentRequest:
    """D2: the owner refuses, saying why."""
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Say why the request is refused.")})
    return _decide(request, by=by, status=RequestStatus.REFUSED, answer=answer)


# --- files other areas store ---------------------------------------------------------------


def may_classify_stored(user, obj) -> bool:
    return (access.can(user, Perm.KEEP_REPOSITORY, obj.country_id)
            or access.can_manage(user, obj)) and classification.may_read_stored(
        user, obj, classification.classification_of_stored(obj))


@audited_action
def stored_file_classify(*, obj, by, data: dict) -> FileClassification:
    """D1 for a meeting paper, a signed agreement or a ticket attachment."""
    from django.contrib.contenttypes.models import ContentType

    if not may_classify_stored(by, obj):
        raise PermissionDenied(_("You may not classify this file."))
    data = _classification_data(data)
    row = classification.classification_of_stored(obj) or FileClassification(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk,
        country_id=obj.country_id, owner=by)
    return validated_save(row, data)


# --- knowledge base (K1) ---------------------------------------------------------------------


@audited_action
def knowledge_item_create(*, by, data: dict) -> KnowledgeItem:
    return save_managed(KnowledgeItem(), by=by, data=data)


@audited_action
def knowledge_item_update(*, knowledge_item: KnowledgeItem, by, data: dict) -> KnowledgeItem:
    return save_managed(knowledge_item, by=by, data=data)


@audited_action
def knowledge_item_delete(*, knowledge_item: KnowledgeItem, by) -> None:
    delete_managed(knowledge_item, by=by)


# --- roster (K2) -----------------------------------------------------------------------------


@audited_action
def expert_create(*, by, data: dict) -> Expert:
    return save_managed(Expert(), by=by, data=data)


@audited_action
def expert_update(*, expert: Expert, by, data: dict) -> Expert:
    return save_managed(expert, by=by, data=data)


@audited_action
def expert_delete(*, expert: Expert, by) -> None:
    delete_managed(expert, by=by)


@audited_action
def support_request_create(*, by, data: dict) -> SupportRequest:
    """K2: ask for an expert's support; the request becomes a ticket in the HQ referral
    desk's queue of the country's service desk."""
    from commonops.servicedesk.actions import ticket_raise
    from commonops.servicedesk.models import Category, Team

    country, expert = data["country"], data["expert"]
    access.require(by, Perm.RAISE_TICKETS, country,
                   _("Only people working in this country may ask for support."))
    team, _created = Team.objects.get_or_create(country=country, name=HQ_REFERRAL_TEAM)
    category, _created = Category.objects.get_or_create(
        country=country, name=HQ_REFERRAL_CATEGORY, defaults={"team": team})
    description = _("Support requested from %(expert)s (%(skills)s).") % {
        "expert": expert.name, "skills": expert.skills} + "\n\n" + data["description"]
    ticket = ticket_raise(country=country, requester=by, category=category,
                          subject=data["subject"], description=description, by=by)
    return validated_save(SupportRequest(
        country=country, expert=expert, requested_by=by, ticket=ticket,
        subject=data["subject"], description=data["description"]))


# --- templates (K3) --------------------------------------------------------------------------


@audited_action
def template_create(*, by, data: dict) -> Template:
    data = dict(data)
    upload = data.pop("file", None)
    note = data.pop("note", "")
    template = save_managed(Template(), by=by, data=data)
    if upload is not None:
        _store_template_version(template, upload, note=note)
    return template


@audited_action
def template_update(*, template: Template, by, data: dict) -> Template:
    data = dict(data)
    data.pop("file", None)
    data.pop("note", None)
    return save_managed(template, by=by, data=data)


@audited_action
def template_delete(*, template: Template, by) -> None:
    names = list(template.versions.values_list("file", flat=True))
    storage = TemplateVersion._meta.get_field("file").storage
    delete_managed(template, by=by)
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _store_template_version(template, upload, *, note=""):
    inspected = files.inspect(upload)
    numbers = template.versions.values_list("number", flat=True)
    version = TemplateVersion(template=template, number=rules.next_version(numbers),
                              name=inspected.name, size=inspected.size, kind=inspected.kind,
                              sha256=inspected.sha256, text=inspected.text, note=note)
    upload.seek(0)
    version.file.save(inspected.name, upload, save=False)
    version.full_clean()
    version.save()
    Template.objects.filter(pk=template.pk).update(current_version=version)
    template.current_version = version
    return version


@audited_action
def template_version_add(*, template: Template, by, file, note: str = "") -> TemplateVersion:
    """K3: a new version of a template; the old ones are kept."""
    if not access.can_manage(by, template):
        raise PermissionDenied(_("You may not change this template."))
    return _store_template_version(template, file, note=note)


@audited_action
def template_use(*, template: Template, by, country, title: str = "",
                 classification_level: str = rules.INTERNAL) -> Document:
    """K3: "use this template": a new document of the country's repository holding a copy
    of the template's current version, for its author to fill in."""
    version = template.current_version
    if version is None:
        raise ValidationError(_("This template has no file yet."))
    with version.file.open("rb") as source:
        upload = ContentFile(source.read(), name=version.name)
    return document_create(by=by, data={
        "country": country, "title": title or template.title, "area": template.area,
        "classification": classification_level, "description": template.description,
        "file": upload, "note": _("From the template %(template)s, version %(number)s.") % {
            "template": template.title, "number": version.number}})
