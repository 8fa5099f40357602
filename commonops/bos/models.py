"""The Business Operations Strategy (B1–B8): one BOS per country per Cooperation Framework
cycle, with its kick-off, stock-take of existing common services, opportunities with their
cost-benefit analysis, results framework (outcomes; KPIs are `results` indicators whose
subject is an opportunity), plan and budget, and annual reporting.

Every row is owned by the country of its BOS (`CountryOwnedModel`), so access and the audit
trail come from `core`. Rule ids refer to DOMAIN.md.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import BOS_LINE_CHOICES, CountryOwnedModel, Modality
from commonops.core.roles import Perm

MONEY = {"max_digits": 14, "decimal_places": 2}


class BosModel(CountryOwnedModel):
    manage_permission = Perm.BOS_EDIT

    class Meta:
        abstract = True


class BosStatus(models.TextChoices):
    """B1: the workflow of a BOS."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for quality assurance")
    CLEARED = "cleared", _("Cleared")
    ENDORSED = "endorsed", _("Endorsed by the UNCT")
    SIGNED_OFF = "signed_off", _("Signed off by the RC")


class Bos(BosModel):
    """B1: a country's Business Operations Strategy for one Cooperation Framework cycle."""

    title = models.CharField(_("title"), max_length=200)
    start_year = models.PositiveSmallIntegerField(
        _("first year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    end_year = models.PositiveSmallIntegerField(
        _("last year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=BosStatus.choices,
                              default=BosStatus.DRAFT, editable=False)
    # kick-off (B1: edited by the OMT chair and the RC only)
    kickoff_on = models.DateField(_("kick-off meeting"), null=True, blank=True)
    scope = models.TextField(_("scope and ambition"), blank=True)
    service_lines = models.JSONField(_("service lines"), default=list, blank=True)
    participating_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("participating agencies"), blank=True, related_name="+")
    discount_rate = models.DecimalField(
        _("discount rate"), max_digits=5, decimal_places=4, default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Used for the net present value of each CBA, e.g. 0.05 for 5%."))
    # workflow record
    submitted_on = models.DateField(_("submitted for QA on"), null=True, blank=True,
                                    editable=False)
    qa_due_on = models.DateField(_("QA due on"), null=True, blank=True, editable=False)
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True, editable=False)
    endorsed_on = models.DateField(_("endorsed on"), null=True, blank=True, editable=False)
    signed_off_on = models.DateField(_("signed off on"), null=True, blank=True,
                                     editable=False)
    return_reason = models.TextField(_("reason for return to draft"), blank=True,
                                     editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # B1: the kick-off (the BOS row itself) is edited by the OMT chair and the RC only
    manage_permission = Perm.BOS_KICKOFF

    class Meta:
        ordering = ["country", "-start_year"]
        verbose_name = _("BOS")
        verbose_name_plural = _("BOS")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "start_year"], name="one_bos_per_country_cycle",
                violation_error_message=_("This country already has a BOS for this cycle.")),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")), name="bos_ends_after_start",
                violation_error_message=_("The last year cannot come before the first.")),
        ]

    def __str__(self):
        return f"{self.country} BOS {self.start_year}–{self.end_year}"

    def get_absolute_url(self):
        return reverse("bos:bos_detail", args=[self.pk])

    @property
    def cycle_length(self) -> int:
        return self.end_year - self.start_year + 1

    @property
    def locked(self) -> bool:
        """Signed off: read-only (B1)."""
        return self.status == BosStatus.SIGNED_OFF

    @property
    def editable(self) -> bool:
        """Content changes only while the BOS is a draft."""
        return self.status == BosStatus.DRAFT


class StocktakeAction(models.TextChoices):
    DISCONTINUE = "discontinue", _("Discontinue")
    CONTINUE = "continue", _("Continue as is")
    SCALE_UP = "scale_up", _("Scale up")
    SCALE_DOWN = "scale_down", _("Scale down")
    MODIFY = "modify", _("Modify")


class StocktakeEntry(BosModel):
    """B3: an existing common service in the stock-take, with what the BOS does with it."""

    bos = models.ForeignKey(Bos, verbose_name=_("BOS"), on_delete=models.CASCADE,
                            related_name="stocktake")
    name = models.CharField(_("common service"), max_length=200)
    service_line = models.CharField(_("service line"), max_length=20, choices=BOS_LINE_CHOICES)
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices)
    managing_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("managing agencies"), related_name="+")
    participating_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("participating agencies"), blank=True, related_name="+")
    implemented_since = models.PositiveSmallIntegerField(
        _("implemented since"), validators=[MinValueValidator(1950), MaxValueValidator(2100)])
    action = models.CharField(_("action"), max_length=12, choices=StocktakeAction.choices)
    comments = models.TextField(_("comments"), blank=True)
    from_opportunity = models.OneToOneField(
        "Opportunity", verbose_name=_("moved from opportunity"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="stocktake_entry", editable=False)

    class Meta:
        ordering = ["bos", "service_line", "name"]
        verbose_name = _("stock-take entry")
        verbose_name_plural = _("stock-take entries")
        constraints = [models.UniqueConstraint(
            fields=["bos", "name"], name="stocktake_name_once_per_bos",
            violation_error_message=_("This BOS already lists a service with this name."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bos:stocktakeentry_detail", args=[self.pk])


class Approach(models.TextChoices):
    """B4: how the CBA figures were obtained."""

    EXACT = "exact", _("Exact (from agency data)")
    ESTIMATED = "estimated", _("Estimated (from other countries' figures)")


class Opportunity(BosModel):
    """B4: a new or changed common service, with its cost-benefit analysis. Selected
    opportunities are the common services of the results framework (B5) and the plan."""

    bos = models.ForeignKey(Bos, verbose_name=_("BOS"), on_delete=models.CASCADE,
                            related_name="opportunities")
    name = models.CharField(_("common service"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    service_line = models.CharField(_("service line"), max_length=20, choices=BOS_LINE_CHOICES)
    managing_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("managing agencies"), related_name="+")
    participating_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("participating agencies"), blank=True, related_name="+")
    approach = models.CharField(_("approach"), max_length=10, choices=Approach.choices,
                                default=Approach.EXACT)
    data_sources = models.TextField(_("data sources"), blank=True)
    selected = models.BooleanField(_("selected for the plan"), default=False)
    implementation_start = models.PositiveSmallIntegerField(
        _("joint implementation since"), null=True, blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The calendar year of CBA horizon year 1."))

    class Meta:
        ordering = ["bos", "service_line", "name"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [models.UniqueConstraint(
            fields=["bos", "name"], name="opportunity_name_once_per_bos",
            violation_error_message=_("This BOS already has an opportunity with this name."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bos:opportunity_detail", args=[self.pk])


class Grade(models.TextChoices):
    """B4: staff grades of the rate table (Professional, General Service, National Officer)."""

    P1 = "P-1", "P-1"
    P2 = "P-2", "P-2"
    P3 = "P-3", "P-3"
    P4 = "P-4", "P-4"
    P5 = "P-5", "P-5"
    G1 = "G-1", "G-1"
    G2 = "G-2", "G-2"
    G3 = "G-3", "G-3"
    G4 = "G-4", "G-4"
    G5 = "G-5", "G-5"
    G6 = "G-6", "G-6"
    G7 = "G-7", "G-7"
    NOA = "NO-A", "NO-A"
    NOB = "NO-B", "NO-B"
    NOC = "NO-C", "NO-C"
    NOD = "NO-D", "NO-D"


class GradeRate(BosModel):
    """B4: the hourly cost of a grade at the duty station, per country and year.

    A country's reference table (it prices every CBA's labour), changed by those who keep
    the country's settings, not by every task-force member who writes a CBA."""

    manage_permission = Perm.CHANGE_COUNTRY

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    grade = models.CharField(_("grade"), max_length=4, choices=Grade.choices)
    hourly_rate = models.DecimalField(_("hourly cost (USD)"), **MONEY,
                                      validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["country", "-year", "grade"]
        verbose_name = _("grade rate")
        verbose_name_plural = _("grade rates")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year", "grade"], name="grade_rate_once_per_year",
                violation_error_message=_("This grade already has a rate for this year.")),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="grade_rate_not_negative",
                violation_error_message=_("A rate cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.grade} {self.year}: {self.hourly_rate}"

    def get_absolute_url(self):
        return reverse("bos:graderate_detail", args=[self.pk])


class Side(models.TextChoices):
    COST = "cost", _("Cost")
    BENEFIT = "benefit", _("Benefit")


class Kind(models.TextChoices):
    MONETARY = "monetary", _("Monetary")
    LABOUR = "labour", _("Labour")
    OTHER = "other", _("Other")


class Nature(models.TextChoices):
    ONE_TIME = "one_time", _("One-time")
    RECURRING = "recurring", _("Recurring")


class CbaEntry(BosModel):
    """B4: one line of an opportunity's cost-benefit analysis, in USD.

    A labour line stores hours and grade and takes its amount from the grade rate table;
    a monetary line may store (old − new unit price) × volume. `amount` is always the
    figure that counts (`cba.CbaLine`)."""

    opportunity = models.ForeignKey(Opportunity, verbose_name=_("opportunity"),
                                    on_delete=models.CASCADE, related_name="cba_lines")
    year = models.PositiveSmallIntegerField(_("horizon year"),
                                            validators=[MinValueValidator(1)])
    side = models.CharField(_("side"), max_length=7, choices=Side.choices)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    nature = models.CharField(_("nature"), max_length=9, choices=Nature.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(_("amount (USD)"), **MONEY, validators=[MinValueValidator(0)])
    hours = models.DecimalField(_("hours"), max_digits=10, decimal_places=2, null=True,
                                blank=True, validators=[MinValueValidator(0)])
    grade = models.CharField(_("grade"), max_length=4, choices=Grade.choices, blank=True)
    hourly_rate = models.DecimalField(_("hourly rate used"), **MONEY, null=True, blank=True,
                                      editable=False)
    old_unit_price = models.DecimalField(_("old unit price"), **MONEY, null=True, blank=True,
                                         validators=[MinValueValidator(0)])
    new_unit_price = models.DecimalField(_("new unit price"), **MONEY, null=True, blank=True,
                                         validators=[MinValueValidator(0)])
    volume = models.DecimalField(_("volume"), max_digits=12, decimal_places=2, null=True,
                                 blank=True, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["opportunity", "year", "side", "kind", "id"]
        verbose_name = _("CBA line")
        verbose_name_plural = _("CBA lines")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="cba_amount_not_negative",
                violation_error_message=_("An amount cannot be negative.")),
            models.CheckConstraint(
                condition=Q(year__gte=1), name="cba_year_from_one",
                violation_error_message=_("Horizon years start at 1.")),
        ]

    def __str__(self):
        return f"{self.opportunity} Y{self.year} {self.side} {self.kind}: {self.amount}"

    def get_absolute_url(self):
        return reverse("bos:cbaentry_detail", args=[self.pk])


class Outcome(BosModel):
    """B5: the outcome the BOS aims for in one service line."""

    bos = models.ForeignKey(Bos, verbose_name=_("BOS"), on_delete=models.CASCADE,
                            related_name="outcomes")
    service_line = models.CharField(_("service line"), max_length=20, choices=BOS_LINE_CHOICES)
    statement = models.TextField(_("outcome statement"))

    class Meta:
        ordering = ["bos", "service_line"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [models.UniqueConstraint(
            fields=["bos", "service_line"], name="one_outcome_per_line",
            violation_error_message=_("This BOS already has an outcome for this service line."))]

    def __str__(self):
        return f"{self.get_service_line_display()}: {self.statement[:60]}"

    def get_absolute_url(self):
        return reverse("bos:outcome_detail", args=[self.pk])


class Activity(BosModel):
    """The plan and budget: an activity towards an outcome, with its owner and funding."""

    outcome = models.ForeignKey(Outcome, verbose_name=_("outcome"), on_delete=models.CASCADE,
                                related_name="activities")
    opportunity = models.ForeignKey(Opportunity, verbose_name=_("common service"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="activities")
    name = models.CharField(_("activity"), max_length=200)
    owner = models.ForeignKey("core.Agency", verbose_name=_("owner agency"),
                              on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    budget = models.DecimalField(_("budget (USD)"), **MONEY, validators=[MinValueValidator(0)])
    funded = models.DecimalField(_("funds secured (USD)"), **MONEY, default=0,
                                 validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["outcome", "starts_on", "name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start",
                violation_error_message=_("An activity ends on or after the day it starts.")),
            models.CheckConstraint(
                condition=Q(budget__gte=0, funded__gte=0), name="activity_money_not_negative",
                violation_error_message=_("Budget and funds cannot be negative.")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bos:activity_detail", args=[self.pk])

    @property
    def funding_gap(self):
        return max(self.budget - self.funded, 0)


class AnnualResult(BosModel):
    """B7: what one agency realised from one common service in one year: cost avoidance,
    funds spent, and its feedback."""

    opportunity = models.ForeignKey(Opportunity, verbose_name=_("common service"),
                                    on_delete=models.CASCADE, related_name="annual_results")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    realised_cost_avoidance = models.DecimalField(_("realised cost avoidance (USD)"), **MONEY,
                                                  validators=[MinValueValidator(0)])
    funds_spent = models.DecimalField(_("funds spent (USD)"), **MONEY, default=0,
                                      validators=[MinValueValidator(0)])
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        ordering = ["opportunity", "year", "agency__acronym"]
        verbose_name = _("annual result")
        verbose_name_plural = _("annual results")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "agency", "year"], name="annual_result_once",
                violation_error_message=_("This agency already reported this service for "
                                          "this year.")),
            models.CheckConstraint(
                condition=Q(realised_cost_avoidance__gte=0, funds_spent__gte=0),
                name="annual_result_not_negative",
                violation_error_message=_("Amounts cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.opportunity} {self.year} {self.agency}"

    def get_absolute_url(self):
        return reverse("bos:annualresult_detail", args=[self.pk])
