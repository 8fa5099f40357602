"""Senior managers' compacts (C1, C2) and oversight recommendations (C3).

A compact belongs to a senior manager, an office and a year. Its objectives (programme,
priorities, management) carry expected accomplishments and performance measures; a
measure is a `results` indicator (its subject is the measure) with a target for the
compact's year. The manager acknowledges it and the endorser endorses it, each on a date;
then it is read-only and a correction is a new version.

The standard C2 measures are computed from the office's figures (staff, compliance,
spending, documents, appeals) and its oversight recommendations, never typed twice.
Every row belongs to a country (`CountryOwnedModel`). Rule ids refer to DOMAIN.md.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.compacts import rules
from commonops.core.models import CountryOwnedModel
from commonops.core.roles import Perm

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]
MONEY = {"max_digits": 14, "decimal_places": 2}


class Office(CountryOwnedModel):
    """An office or department whose head keeps a compact (an agency's country office,
    say)."""

    manage_permission = Perm.COMPACT_DATA

    name = models.CharField(_("name"), max_length=200)
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [models.UniqueConstraint(
            fields=["country", "name"], name="office_name_once_per_country",
            violation_error_message=_("This country team already has an office of that "
                                      "name."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("compacts:office_detail", args=[self.pk])


# --- C1: the compact -------------------------------------------------------------------------


class CompactStatus(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    ACKNOWLEDGED = rules.ACKNOWLEDGED, _("Acknowledged by the manager")
    ENDORSED = rules.ENDORSED, _("Signed")


class Compact(CountryOwnedModel):
    """C1: a senior manager's compact for an office and a year (one version of it)."""

    manage_permission = Perm.COMPACT_DRAFT

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT,
                               related_name="compacts")
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("senior manager"),
                                on_delete=models.PROTECT, related_name="compacts")
    endorser = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("endorser"),
                                 null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    budget_reference = models.TextField(
        _("programme budget documents"),
        help_text=_("Where the programme objectives and measures are set out (the budget "
                    "documents), when they are not repeated here."))
    version = models.PositiveSmallIntegerField(_("version"), default=1, editable=False)
    supersedes = models.OneToOneField("self", verbose_name=_("corrects"), null=True,
                                      blank=True, editable=False, on_delete=models.PROTECT,
                                      related_name="superseded_by")
    status = models.CharField(_("status"), max_length=12, choices=CompactStatus.choices,
                              default=CompactStatus.DRAFT, editable=False)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True,
                                       editable=False)
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True, editable=False)
    endorsed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("endorsed by"),
                                    null=True, blank=True, editable=False,
                                    on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)

    class Meta:
        ordering = ["country", "-year", "office__name", "-version"]
        verbose_name = _("compact")
        verbose_name_plural = _("compacts")
        constraints = [models.UniqueConstraint(
            fields=["manager", "office", "year", "version"], name="compact_version_once",
            violation_error_message=_("This manager already has a compact for this office "
                                      "and year: correct it with a new version."))]

    def __str__(self):
        label = _("Compact %(year)s — %(manager)s, %(office)s") % {
            "year": self.year, "manager": self.manager, "office": self.office}
        return f"{label} (v{self.version})" if self.version > 1 else str(label)

    def get_absolute_url(self):
        return reverse("compacts:compact_detail", args=[self.pk])

    @property
    def editable(self) -> bool:
        return rules.may_edit(self.status)


class Section(models.TextChoices):
    PROGRAMME = "programme", _("Programme objectives")
    PRIORITY = "priority", _("Programme priorities")
    MANAGEMENT = "management", _("Management objectives")


class ManagementArea(models.TextChoices):
    COMMUNICATIONS = "communications", _("Internal communications and staff relations")
    SPECIAL = rules.SPECIAL, _("Special objectives")
    HUMAN_RESOURCES = rules.HUMAN_RESOURCES, _("Human resources management")
    FINANCE = rules.FINANCE, _("Financial management")
    OVERSIGHT = rules.OVERSIGHT, _("Oversight body recommendations")
    CONDUCT = rules.CONDUCT, _("Conduct")


class Objective(CountryOwnedModel):
    """C1: an objective of a compact with its expected accomplishment."""

    manage_permission = Perm.COMPACT_DRAFT

    compact = models.ForeignKey(Compact, verbose_name=_("compact"), on_delete=models.CASCADE,
                                related_name="objectives")
    section = models.CharField(_("section"), max_length=12, choices=Section.choices)
    area = models.CharField(_("management area"), max_length=16,
                            choices=ManagementArea.choices, blank=True)
    objective = models.TextField(_("objective"))
    expected_accomplishment = models.TextField(_("expected accomplishment"))
    budget_reference = models.CharField(
        _("budget document"), max_length=200, blank=True,
        help_text=_("For a programme objective: the budget document that sets it out."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["compact", "section", "position", "id"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        constraints = [models.CheckConstraint(
            condition=Q(section="management") | Q(area=""),
            name="objective_area_for_management_only",
            violation_error_message=_("Only a management objective has a management area."))]

    def __str__(self):
        return self.objective[:80]

    def get_absolute_url(self):
        return reverse("compacts:objective_detail", args=[self.pk])


class PerformanceMeasure(CountryOwnedModel):
    """C1, C2: a performance measure of an objective: a results indicator with its target
    for the compact's year. A standard C2 measure is computed from the office's figures."""

    manage_permission = Perm.COMPACT_DRAFT

    objective = models.ForeignKey(Objective, verbose_name=_("objective"),
                                  on_delete=models.CASCADE, related_name="measures")
    indicator = models.OneToOneField("results.Indicator", verbose_name=_("indicator"),
                                     null=True, blank=True, editable=False,
                                     on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(
        _("performance measure as written in the compact"),
        help_text=_("For example: vacancy rate for posts funded for more than one year to "
                    "be no more than 5%."))
    standard = models.CharField(
        _("computed from the figures"), max_length=40, blank=True, editable=False,
        choices=[(key, measure.name) for key, measure in rules.STANDARD_MEASURES.items()])

    class Meta:
        ordering = ["objective", "id"]
        verbose_name = _("performance measure")
        verbose_name_plural = _("performance measures")

    def __str__(self):
        return self.indicator.name if self.indicator_id else str(_("performance measure"))

    def get_absolute_url(self):
        return reverse("compacts:performancemeasure_detail", args=[self.pk])


class ReviewKind(models.TextChoices):
    MID_YEAR = rules.MID_YEAR, _("Mid-year review")
    END_OF_YEAR = rules.END_OF_YEAR, _("End-of-year review")


class CompactReview(CountryOwnedModel):
    """C1: the manager's mid-year or end-of-year review of a signed compact."""

    manage_permission = Perm.COMPACT_DRAFT

    compact = models.ForeignKey(Compact, verbose_name=_("compact"), on_delete=models.CASCADE,
                                related_name="reviews")
    kind = models.CharField(_("review"), max_length=12, choices=ReviewKind.choices)
    reviewed_on = models.DateField(_("reviewed on"))
    self_evaluation = models.TextField(_("self-evaluation"))
    challenges = models.TextField(_("challenges and constraints"), blank=True)
    broader_interests = models.TextField(
        _("contribution to the broader interests of the United Nations"), blank=True)

    class Meta:
        ordering = ["compact", "kind"]
        verbose_name = _("compact review")
        verbose_name_plural = _("compact reviews")
        constraints = [models.UniqueConstraint(
            fields=["compact", "kind"], name="one_review_of_each_kind",
            violation_error_message=_("This compact already has that review: change it."))]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.compact}"

    def get_absolute_url(self):
        return reverse("compacts:compactreview_detail", args=[self.pk])


# --- C2: the figures behind the standard measures -------------------------------------------


class FigureModel(CountryOwnedModel):
    manage_permission = Perm.COMPACT_DATA

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        abstract = True


class StaffKind(models.TextChoices):
    POSTS = rules.POSTS, _("Posts funded for more than one year")
    VACANT = rules.VACANT, _("Vacant posts")
    SELECTION = rules.SELECTION, _("Selections")
    STAFF_START = rules.STAFF_START, _("Staff at the start of the year")
    STAFF_END = rules.STAFF_END, _("Staff at the end of the year")
    RECRUITMENT = rules.RECRUITMENT, _("Recruitments to geographical posts")


class Level(models.TextChoices):
    PROFESSIONAL = rules.PROFESSIONAL, _("Professional and above")
    GENERAL = rules.GENERAL, _("General Service")


class Gender(models.TextChoices):
    FEMALE = rules.FEMALE, _("Women")
    MALE = rules.MALE, _("Men")


class NationalityStatus(models.TextChoices):
    UNREPRESENTED = rules.UNREPRESENTED, _("Unrepresented Member State")
    UNDERREPRESENTED = rules.UNDERREPRESENTED, _("Under-represented Member State")
    WITHIN_RANGE = rules.WITHIN_RANGE, _("Within range")
    OVERREPRESENTED = rules.OVERREPRESENTED, _("Over-represented Member State")


class StaffFigure(FigureModel):
    """C2: a count of posts, vacancies, selections, staff or recruitments, by level, gender
    and nationality status where it matters."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    kind = models.CharField(_("what is counted"), max_length=16, choices=StaffKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    nationality = models.CharField(_("nationality status"), max_length=20,
                                   choices=NationalityStatus.choices, blank=True)
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        ordering = ["office", "-year", "kind", "level", "gender", "nationality"]
        verbose_name = _("staff figure")
        verbose_name_plural = _("staff figures")
        constraints = [models.UniqueConstraint(
            fields=["office", "year", "kind", "level", "gender", "nationality"],
            name="staff_figure_once",
            violation_error_message=_("This figure is already entered: change it."))]

    def __str__(self):
        parts = [self.get_kind_display(), self.get_level_display(), self.get_gender_display(),
                 self.get_nationality_display()]
        return f"{self.office} {self.year}: {', '.join(p for p in parts if p)} = {self.count}"

    def get_absolute_url(self):
        return reverse("compacts:stafffigure_detail", args=[self.pk])


class ComplianceKind(models.TextChoices):
    APPRAISAL = rules.APPRAISALS, _("Performance appraisals")
    DISCLOSURE = rules.DISCLOSURES, _("Financial disclosures")
    TRAINING = rules.TRAININGS, _("Integrity training")


class ComplianceFigure(FigureModel):
    """C2: how many staff had to complete something, and how many did, in time."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    kind = models.CharField(_("what"), max_length=12, choices=ComplianceKind.choices)
    required = models.PositiveIntegerField(_("staff who must"))
    completed = models.PositiveIntegerField(_("staff who did, in time"))

    class Meta:
        ordering = ["office", "-year", "kind"]
        verbose_name = _("compliance figure")
        verbose_name_plural = _("compliance figures")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "kind"], name="compliance_figure_once",
                violation_error_message=_("This figure is already entered: change it.")),
            models.CheckConstraint(
                condition=Q(completed__lte=F("required")), name="compliance_at_most_all",
                violation_error_message=_("More staff cannot have done it than had to.")),
        ]

    def __str__(self):
        return (f"{self.office} {self.year}: {self.get_kind_display()} "
                f"{self.completed}/{self.required}")

    def get_absolute_url(self):
        return reverse("compacts:compliancefigure_detail", args=[self.pk])


class SpendingFigure(FigureModel):
    """C2: non-post spending of a month against the monthly plan."""

    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    planned = models.DecimalField(_("planned (USD)"), **MONEY,
                                  validators=[MinValueValidator(0)])
    actual = models.DecimalField(_("spent (USD)"), **MONEY, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["office", "-year", "month"]
        verbose_name = _("non-post spending figure")
        verbose_name_plural = _("non-post spending figures")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "month"], name="spending_figure_once",
                violation_error_message=_("This month is already entered: change it.")),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="spending_month_1_to_12",
                violation_error_message=_("A month is 1 to 12.")),
        ]

    def __str__(self):
        return f"{self.office} {self.year}-{self.month:02}: {self.actual}/{self.planned}"

    def get_absolute_url(self):
        return reverse("compacts:spendingfigure_detail", args=[self.pk])


class DocumentSubmission(FigureModel):
    """C2: a document for a governing body, with its slot date and when it went in."""

    reference = models.CharField(_("document"), max_length=200)
    slot_date = models.DateField(_("slot date"))
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)

    class Meta:
        ordering = ["office", "-slot_date"]
        verbose_name = _("document submission")
        verbose_name_plural = _("document submissions")

    def __str__(self):
        return f"{self.reference} ({self.slot_date:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("compacts:documentsubmission_detail", args=[self.pk])


class AppealResponse(FigureModel):
    """C2: a staff appeal and the day the manager's written explanation went in."""

    reference = models.CharField(_("appeal"), max_length=200)
    received_on = models.DateField(_("received on"))
    answered_on = models.DateField(_("explanation submitted on"), null=True, blank=True)

    class Meta:
        ordering = ["office", "-received_on"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [models.CheckConstraint(
            condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("received_on")),
            name="appeal_answered_after_received",
            violation_error_message=_("An appeal is answered on or after the day it came "
                                      "in."))]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("compacts:appealresponse_detail", args=[self.pk])

    @property
    def days_to_answer(self) -> int | None:
        return (self.answered_on - self.received_on).days if self.answered_on else None


# --- C3: oversight recommendations ----------------------------------------------------------


class SourceBody(models.TextChoices):
    OIOS = "oios", _("Office of Internal Oversight Services")
    BOARD_OF_AUDITORS = "board", _("Board of Auditors")
    JIU = "jiu", _("Joint Inspection Unit")
    INTERNAL_AUDIT = "internal_audit", _("Agency internal audit")
    EVALUATION = "evaluation", _("Evaluation office")


class Risk(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class RecommendationStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Not started")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    IMPLEMENTED = rules.IMPLEMENTED, _("Implemented")
    CLOSED = rules.CLOSED, _("Closed by the oversight body")


class OversightRecommendation(CountryOwnedModel):
    """C3: a recommendation of an oversight body to an office, tracked to implementation."""

    manage_permission = Perm.OVERSIGHT_MANAGE

    office = models.ForeignKey(Office, verbose_name=_("office"), on_delete=models.PROTECT,
                               related_name="recommendations")
    source_body = models.CharField(_("oversight body"), max_length=16,
                                   choices=SourceBody.choices)
    report = models.CharField(_("report"), max_length=200)
    text = models.TextField(_("recommendation"))
    risk = models.CharField(_("risk"), max_length=6, choices=Risk.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField(_("issued on"))
    target_date = models.DateField(_("target date"))
    status = models.CharField(_("status"), max_length=12, choices=RecommendationStatus.choices,
                              default=RecommendationStatus.OPEN, editable=False)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True,
                                      editable=False)
    evidence = models.TextField(_("evidence of implementation"), blank=True, editable=False)

    class Meta:
        ordering = ["target_date", "id"]
        verbose_name = _("oversight recommendation")
        verbose_name_plural = _("oversight recommendations")
        indexes = [models.Index(fields=["office", "target_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__gte=F("issued_on")),
                name="recommendation_target_after_issue",
                violation_error_message=_("The target date cannot come before the "
                                          "recommendation was issued.")),
            models.CheckConstraint(
                condition=Q(implemented_on__isnull=True)
                | Q(implemented_on__gte=F("issued_on")),
                name="recommendation_implemented_after_issue",
                violation_error_message=_("A recommendation cannot be implemented before it "
                                          "was issued.")),
        ]

    def __str__(self):
        return f"{self.report}: {self.text[:60]}"

    def get_absolute_url(self):
        return reverse("compacts:oversightrecommendation_detail", args=[self.pk])


class RecommendationEvent(CountryOwnedModel):
    """C3: one step in a recommendation's history: its status from a day, with a note and
    the evidence given."""

    manage_permission = Perm.OVERSIGHT_MANAGE

    recommendation = models.ForeignKey(OversightRecommendation,
                                       verbose_name=_("recommendation"),
                                       on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=12,
                              choices=RecommendationStatus.choices)
    on = models.DateField(_("on"))
    note = models.TextField(_("note"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                           blank=True, on_delete=models.SET_NULL, related_name="+")

    audited = False  # the history is itself the record; the step is audited on its parent

    class Meta:
        ordering = ["recommendation", "on", "id"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.on:%Y-%m-%d} {self.get_status_display()}"

    def get_absolute_url(self):
        return self.recommendation.get_absolute_url()


class OversightReminder(models.Model):
    """A reminder sent about a recommendation: before or after its target date, once per
    target date. The unique constraint is the lock that keeps two workers from both
    sending it; a new target date is a new key, so the reminder goes out again."""

    recommendation = models.ForeignKey(OversightRecommendation, on_delete=models.CASCADE,
                                       related_name="+")
    kind = models.CharField(max_length=8)
    target_date = models.DateField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["recommendation", "kind", "target_date", "recipient"],
            name="oversight_reminder_once")]

    def __str__(self):
        return f"{self.kind} {self.target_date} → {self.recipient_id}"
