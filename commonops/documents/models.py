"""Documents and knowledge (D1–D3, K1–K3): the country repository with classification,
versions and requests; the log of confidential access; the classification of files other
areas store; the knowledge base, the roster of experts and the templates, shared by all
countries.

Files go through Django's storage API (`default_storage`): local files in the embedded
mode, object storage in production by settings only (docs/deployment.md). A file is never
served from a public URL: every download goes through `documents.classification`.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import BaseModel, BaseQuerySet, CountryOwnedModel, ServiceLine
from commonops.core.roles import Perm
from commonops.documents import rules


class Classification(models.TextChoices):
    """D1."""

    PUBLIC = rules.PUBLIC, _("Public")
    INTERNAL = rules.INTERNAL, _("Internal")
    CONFIDENTIAL = rules.CONFIDENTIAL, _("Confidential")


class Area(models.TextChoices):
    """The folders of the country repository (D2)."""

    OMT = "omt", _("OMT")
    BOS = "bos", _("Business Operations Strategy")
    TASK_FORCES = "task_forces", _("Task forces")
    AGREEMENTS = "agreements", _("Agreements and contracts")
    AUDITS = "audits", _("Audits")
    SERVICE_DESK = "service_desk", _("Service desk")
    OTHER = "other", _("Other")


class RequestStatus(models.TextChoices):
    PENDING = rules.PENDING, _("Pending")
    GRANTED = rules.GRANTED, _("Granted")
    REFUSED = rules.REFUSED, _("Refused")


class DocumentsModel(CountryOwnedModel):
    manage_permission = Perm.UPLOAD_DOCUMENTS

    class Meta:
        abstract = True


class DocumentQuerySet(BaseQuerySet):
    """`visible_to` is D1 here: a document is seen only by those who may read it."""

    def visible_to(self, user):
        from commonops.documents import classification

        return classification.readable(self, user)


class VersionQuerySet(BaseQuerySet):
    def visible_to(self, user):
        from commonops.documents import classification

        return classification.readable(self, user, prefix="document__")


class RequestQuerySet(BaseQuerySet):
    """D2: a request is seen by the requesting agency, the document's owner and the
    repository's keepers."""

    def visible_to(self, user):
        from commonops.core import access

        scoped = access.scope_queryset(self, user)
        if user is None or not user.is_authenticated:
            return scoped
        keeper = access.scope_for(user, Perm.KEEP_REPOSITORY)
        mine = models.Q(requested_by_id=user.pk) | models.Q(document__owner_id=user.pk)
        if getattr(user, "agency_id", None):
            mine |= models.Q(agency_id=user.agency_id)
        if keeper.everywhere:
            return scoped
        return scoped.filter(mine | models.Q(country_id__in=keeper.country_ids))


def _version_path(instance, filename):
    # the name is already safe (rules.safe_name); the folder holds no user input
    return f"documents/{instance.country_id}/{instance.document_id}/v{instance.number}-{filename}"


class Document(DocumentsModel):
    """D1, D2: a document of the country repository, in the folder of its area, with its
    classification, owner, tags and the objects it belongs to. Its file is in its versions
    (D3); `current_version` is the latest."""

    title = models.CharField(_("title"), max_length=200)
    area = models.CharField(_("folder"), max_length=16, choices=Area.choices,
                            default=Area.OMT)
    classification = models.CharField(_("classification"), max_length=12,
                                      choices=Classification.choices,
                                      default=Classification.INTERNAL)
    allowed_roles = models.CharField(
        _("roles allowed"), max_length=300, blank=True,
        help_text=_("For a confidential document: the roles that may read it."))
    allowed_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("agencies allowed"), blank=True, related_name="+",
        help_text=_("For a confidential document: the agencies whose staff may read it."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="+")
    dated = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True,
                            help_text=_("Words separated by commas."))
    service_line = models.CharField(_("service line"), max_length=16, blank=True,
                                    choices=ServiceLine.choices)
    meeting = models.ForeignKey("governance.Meeting", verbose_name=_("meeting"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    minutes = models.ForeignKey("governance.Minutes", verbose_name=_("minutes"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    task_force = models.ForeignKey("governance.TaskForce", verbose_name=_("task force"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    bos = models.ForeignKey("bos.Bos", verbose_name=_("BOS"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    agreement = models.ForeignKey("commonservices.Agreement", verbose_name=_("agreement"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    contract = models.ForeignKey("commonservices.Contract", verbose_name=_("contract"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    ticket = models.ForeignKey("servicedesk.Ticket", verbose_name=_("ticket"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    current_version = models.ForeignKey("DocumentVersion", verbose_name=_("current version"),
                                        null=True, blank=True, editable=False,
                                        on_delete=models.SET_NULL, related_name="+")
    # what full-text search reads: title, description, tags and the current version's text
    search_text = models.TextField(blank=True, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)  # PostgreSQL only

    objects = DocumentQuerySet.as_manager()

    audit_exclude = frozenset({"search_text", "search_vector"})
    LINKS = ("meeting", "minutes", "task_force", "bos", "agreement", "contract", "ticket")

    class Meta:
        ordering = ["-dated", "title"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["country", "area", "-dated"],
                                name="document_folder")]
        # the GIN index on search_vector is made by a PostgreSQL-only migration operation

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:document_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """What a person quotes to ask for a document they cannot read (D2)."""
        return f"DOC-{self.pk}"

    @property
    def role_set(self) -> frozenset:
        return rules.roles_from_text(self.allowed_roles)


class DocumentVersion(DocumentsModel):
    """D3: one uploaded file of a document; a new version never replaces the old ones."""

    document = models.ForeignKey(Document, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_version_path, max_length=300)
    name = models.CharField(_("file name"), max_length=130)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    kind = models.CharField(_("kind of file"), max_length=8)
    sha256 = models.CharField(_("checksum"), max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True, editable=False)

    objects = VersionQuerySet.as_manager()
    audit_exclude = frozenset({"text"})

    class Meta:
        ordering = ["document", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [models.UniqueConstraint(
            fields=["document", "number"], name="document_version_once",
            violation_error_message=_("This version of the document already exists."))]

    def __str__(self):
        return f"{self.document} v{self.number}"

    def get_absolute_url(self):
        return reverse("documents:version_download", args=[self.pk])

    @property
    def previewable(self) -> bool:
        return rules.may_preview(self.kind)


class DocumentRequest(DocumentsModel):
    """D2: an agency asks for a document it cannot read; the owner grants or refuses."""

    manage_permission = Perm.VIEW

    document = models.ForeignKey(Document, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("core.Agency", verbose_name=_("for the agency"),
                               on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("why it is needed"))
    status = models.CharField(_("status"), max_length=8, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("document request")
        verbose_name_plural = _("document requests")
        constraints = [models.UniqueConstraint(
            fields=["document", "agency"], condition=models.Q(status=rules.PENDING),
            name="document_request_one_pending",
            violation_error_message=_("Your agency has already asked for this document."))]

    def __str__(self):
        return f"{self.document.reference} — {self.agency}"

    def get_absolute_url(self):
        return reverse("documents:request_detail", args=[self.pk])


class FileClassification(DocumentsModel):
    """D1 for a file another area stores (a meeting paper, a signed agreement, a ticket
    attachment): without one, such a file is internal."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE,
                                     related_name="+")
    object_id = models.PositiveBigIntegerField()
    classification = models.CharField(_("classification"), max_length=12,
                                      choices=Classification.choices,
                                      default=Classification.INTERNAL)
    allowed_roles = models.CharField(_("roles allowed"), max_length=300, blank=True)
    allowed_agencies = models.ManyToManyField("core.Agency", verbose_name=_("agencies allowed"),
                                              blank=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["content_type", "object_id"]
        verbose_name = _("classification of a stored file")
        verbose_name_plural = _("classifications of stored files")
        constraints = [models.UniqueConstraint(
            fields=["content_type", "object_id"], name="stored_file_classified_once",
            violation_error_message=_("This file is already classified."))]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.get_classification_display()}"

    def get_absolute_url(self):
        return reverse("documents:stored_file", args=[self.content_type_id, self.object_id])

    @property
    def role_set(self) -> frozenset:
        return rules.roles_from_text(self.allowed_roles)


class AccessLog(models.Model):
    """D1: one read of a confidential file: who, when, which file, how. Never changed."""

    at = models.DateTimeField(_("when"), db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    country = models.ForeignKey("core.Country", verbose_name=_("country"),
                                on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, verbose_name=_("document"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="access_log")
    version = models.ForeignKey(DocumentVersion, verbose_name=_("version"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    file_name = models.CharField(_("file"), max_length=200)
    how = models.CharField(_("how"), max_length=10, choices=[
        ("download", _("Download")), ("preview", _("Preview")), ("api", _("Through the API"))])

    country_lookup = "country"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("confidential access")
        verbose_name_plural = _("confidential accesses")
        indexes = [models.Index(fields=["country", "-at"], name="access_log_country")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.file_name}"


# --- knowledge, shared by all countries (K1–K3) -------------------------------------------


class KnowledgeModel(BaseModel):
    manage_permission = Perm.MANAGE_KNOWLEDGE

    class Meta:
        abstract = True


class KnowledgeItem(KnowledgeModel):
    """K1: a country's experience or good practice, for every country team to learn from."""

    title = models.CharField(_("title"), max_length=200)
    country = models.ForeignKey("core.Country", verbose_name=_("country"),
                                on_delete=models.PROTECT, related_name="+")
    service_line = models.CharField(_("service line"), max_length=16,
                                    choices=ServiceLine.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    summary = models.TextField(_("summary"))
    results = models.TextField(_("results"), blank=True)
    cost_avoidance = models.DecimalField(_("cost avoidance (USD)"), max_digits=14,
                                         decimal_places=2, null=True, blank=True)
    bos = models.ForeignKey("bos.Bos", verbose_name=_("BOS"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+",
                            help_text=_("The BOS whose reported figures back the results."))
    lessons = models.TextField(_("lessons learned"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    tags = models.CharField(_("tags"), max_length=200, blank=True,
                            help_text=_("Words separated by commas."))
    attachments = models.ManyToManyField(Document, verbose_name=_("attachments"), blank=True,
                                         related_name="+")

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:knowledgeitem_detail", args=[self.pk])


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited")
    UNAVAILABLE = "unavailable", _("Not available")


class Expert(KnowledgeModel):
    """K2: a common-services expert on the roster."""

    name = models.CharField(_("name"), max_length=150)
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField(_("e-mail"), blank=True)
    region = models.ForeignKey("core.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    skills = models.CharField(_("skills"), max_length=300,
                              help_text=_("Words separated by commas."))
    service_lines = models.CharField(_("service lines"), max_length=200,
                                     help_text=_("Service lines separated by commas."))
    languages = models.CharField(_("languages"), max_length=60,
                                 help_text=_("ISO 639-1 codes separated by commas, such as "
                                             "en,fr."))
    availability = models.CharField(_("availability"), max_length=12,
                                    choices=Availability.choices,
                                    default=Availability.AVAILABLE)
    past_assignments = models.TextField(_("past assignments"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("documents:expert_detail", args=[self.pk])

    @property
    def service_line_labels(self) -> list[str]:
        labels = dict(ServiceLine.choices)
        return [str(labels.get(code, code)) for code in self.service_lines.split(",") if code]


class SupportRequest(DocumentsModel):
    """K2: a country's request for an expert's support; it becomes a ticket of the HQ
    referral desk."""

    manage_permission = Perm.RAISE_TICKETS

    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT,
                               related_name="support_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("what support is needed"))
    ticket = models.OneToOneField("servicedesk.Ticket", verbose_name=_("ticket"),
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")

    def __str__(self):
        return f"{self.subject} ({self.expert})"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url()


class TemplateKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding")
    SLA = "sla", _("Service-level agreement")
    BOS = "bos", _("Business Operations Strategy")
    MINUTES = "minutes", _("Minutes")
    TOR = "tor", _("Terms of reference")
    OTHER = "other", _("Other")


class Template(KnowledgeModel):
    """K3: a template or sample document, versioned; "use this template" copies its
    latest version into a country's repository."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=TemplateKind.choices)
    area = models.CharField(_("folder it goes to"), max_length=16, choices=Area.choices,
                            default=Area.OMT)
    description = models.TextField(_("description"), blank=True)
    current_version = models.ForeignKey("TemplateVersion", verbose_name=_("current version"),
                                        null=True, blank=True, editable=False,
                                        on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("template")
        verbose_name_plural = _("templates")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:template_detail", args=[self.pk])


def _template_path(instance, filename):
    return f"templates/{instance.template_id}/v{instance.number}-{filename}"


class TemplateVersion(KnowledgeModel):
    """K3: one version of a template's file."""

    template = models.ForeignKey(Template, verbose_name=_("template"),
                                 on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_template_path, max_length=300)
    name = models.CharField(_("file name"), max_length=130)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    kind = models.CharField(_("kind of file"), max_length=8)
    sha256 = models.CharField(_("checksum"), max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    text = models.TextField(_("text"), blank=True, editable=False)

    audit_exclude = frozenset({"text"})

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [models.UniqueConstraint(
            fields=["template", "number"], name="template_version_once",
            violation_error_message=_("This version of the template already exists."))]

    def __str__(self):
        return f"{self.template} v{self.number}"

    def get_absolute_url(self):
        return reverse("documents:template_download", args=[self.pk])
