"""Performance (H1–H3): what the dashboards and management reports need beyond the rows of
the other areas — each agency's administrative budget per country and year (the savings
baseline, H2), report subscriptions and their deliveries, and reports prepared in the
background.

Dashboards read the BOS, common services, surveys, the service desk and the OMT through
`reports.queries`; nothing here copies their figures.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import BaseModel, BaseQuerySet, CountryOwnedModel
from commonops.core.roles import Perm
from commonops.reports import rules

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class AdminBudget(CountryOwnedModel):
    """H2: an agency's existing administrative budget in a country for a year (USD) — the
    baseline its savings through common services are measured against."""

    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    amount = models.DecimalField(
        _("administrative budget (USD)"), max_digits=16, decimal_places=2,
        validators=[MinValueValidator(0, _("An administrative budget cannot be negative."))],
        error_messages={"required": _("Give the agency's administrative budget for the "
                                      "year.")})
    source = models.CharField(_("source"), max_length=200, blank=True,
                              help_text=_("Where the figure comes from, e.g. the agency's "
                                          "approved budget."))

    manage_permission = Perm.MANAGE_BASELINES

    class Meta:
        ordering = ["-year", "agency__acronym"]
        verbose_name = _("administrative budget")
        verbose_name_plural = _("administrative budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "agency", "year"], name="admin_budget_once_per_year",
                violation_error_message=_("This agency already has an administrative budget "
                                          "for this year in this country.")),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="admin_budget_not_negative",
                violation_error_message=_("An administrative budget cannot be negative.")),
        ]
        indexes = [models.Index(fields=["year", "country", "agency"])]

    def __str__(self):
        return f"{self.agency} {self.year}"

    def get_absolute_url(self):
        return reverse("reports:adminbudget_detail", args=[self.pk])


class ReportKind(models.TextChoices):
    COUNTRY = "country", _("Country annual report")
    REGION = "region", _("Regional report")
    GLOBAL = "global", _("Global report")
    AGENCY = "agency", _("Agency report")


class Frequency(models.TextChoices):
    MONTHLY = rules.MONTHLY, _("Monthly")
    QUARTERLY = rules.QUARTERLY, _("Quarterly")
    YEARLY = rules.YEARLY, _("Yearly")


class FileFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"


# A report names exactly the scope its kind needs: a country, a region, an agency, or none.
_SCOPE = (
    Q(kind=ReportKind.COUNTRY, country__isnull=False, region__isnull=True, agency__isnull=True)
    | Q(kind=ReportKind.REGION, country__isnull=True, region__isnull=False,
        agency__isnull=True)
    | Q(kind=ReportKind.GLOBAL, country__isnull=True, region__isnull=True, agency__isnull=True)
    | Q(kind=ReportKind.AGENCY, country__isnull=True, region__isnull=True,
        agency__isnull=False)
)


class OwnRowsQuerySet(BaseQuerySet):
    """Rows that belong to one person (the model's `owner_field`): each sees only theirs."""

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(**{self.model.owner_field: user})


class ReportScope(models.Model):
    """What a report is about: its kind and the country, region or agency it covers."""

    kind = models.CharField(_("report"), max_length=8, choices=ReportKind.choices)
    country = models.ForeignKey("core.Country", verbose_name=_("country team"), null=True,
                                blank=True, on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("core.Region", verbose_name=_("region"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), null=True,
                               blank=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def subject(self):
        return self.country or self.region or self.agency

    @property
    def title(self) -> str:
        subject = self.subject
        label = self.get_kind_display()
        return f"{label}: {subject}" if subject else str(label)


class Subscription(ReportScope, BaseModel):
    """A person's standing order for a report, e-mailed once per month, quarter or year."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                             on_delete=models.CASCADE, related_name="report_subscriptions")
    frequency = models.CharField(_("how often"), max_length=9, choices=Frequency.choices,
                                 default=Frequency.MONTHLY)
    file_format = models.CharField(_("format"), max_length=4, choices=FileFormat.choices,
                                   default=FileFormat.PDF)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="en")

    objects = OwnRowsQuerySet.as_manager()
    owner_field = "user"
    manage_permission = Perm.VIEW

    class Meta:
        ordering = ["kind", "frequency", "id"]
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        constraints = [models.CheckConstraint(
            condition=_SCOPE, name="subscription_scope_matches_kind",
            violation_error_message=_("Choose the country, region or agency this report "
                                      "is about."))]

    def __str__(self):
        return f"{self.title} ({self.get_frequency_display()}, {self.get_file_format_display()})"

    def get_absolute_url(self):
        return reverse("reports:subscription_list") + f"#subscription-{self.pk}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused (no longer visible to the subscriber)")


class Delivery(models.Model):
    """One delivery of a subscription in one period. The unique (subscription, period) row
    is how a delivery is claimed: when several workers run the scheduled command at once,
    only one insert succeeds, so a report goes out once per period. Bookkeeping, not a
    business record: not in the audit trail."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="deliveries")
    period = models.CharField(_("period"), max_length=8)
    year = models.PositiveSmallIntegerField(_("year reported on"))
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.QUEUED)
    claimed_at = models.DateTimeField(_("claimed"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("report delivery")
        verbose_name_plural = _("report deliveries")
        constraints = [models.UniqueConstraint(fields=["subscription", "period"],
                                               name="report_delivered_once_per_period")]

    def __str__(self):
        return f"{self.subscription_id} {self.period} {self.status}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Being prepared")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ReportRun(ReportScope, BaseModel):
    """A management report prepared in the background as PDF and XLSX, for the person who
    asked for it (with their access). Progress is written as the task goes, so the page can
    show it. The files live in the database so that any app server can hand them out.
    Not audited: a produced document, like an export; who asked and when is on the row."""

    audited = False

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"),
                                     on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    pdf = models.BinaryField(null=True, editable=False)
    xlsx = models.BinaryField(null=True, editable=False)

    objects = OwnRowsQuerySet.as_manager()
    owner_field = "requested_by"
    manage_permission = Perm.VIEW

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("prepared report")
        verbose_name_plural = _("prepared reports")
        constraints = [models.CheckConstraint(
            condition=_SCOPE, name="report_run_scope_matches_kind",
            violation_error_message=_("Choose the country, region or agency this report "
                                      "is about."))]

    def __str__(self):
        return f"{self.title} {self.year}"

    def get_absolute_url(self):
        return reverse("reports:run_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)
