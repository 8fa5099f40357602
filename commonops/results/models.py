"""The one indicator engine: indicators, targets and measurements, per period.

BOS KPIs, work-plan indicators, common-service KPIs, service-desk SLA KPIs and compact
performance measures are all `Indicator` rows. What an indicator measures (a BOS service, a
common service, a service-desk team…) is its `subject`, a generic link, so the engine never
imports the apps that use it. A period is a year and a month, month 0 meaning the whole year.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import CountryOwnedModel
from commonops.core.roles import Perm
from commonops.results import rules


class Unit(models.TextChoices):
    USD = "usd", _("USD")
    PERCENT = "percent", _("%")
    COUNT = "count", _("count")
    DAYS = "days", _("days")
    HOURS = "hours", _("hours")
    RATIO = "ratio", _("ratio")


class Direction(models.TextChoices):
    INCREASE = rules.INCREASE, _("Increase (higher is better)")
    DECREASE = rules.DECREASE, _("Decrease (lower is better)")


class IndicatorKind(models.TextChoices):
    """B5: a BOS service needs at least one cost-avoidance and one quality KPI."""

    COST_AVOIDANCE = "cost_avoidance", _("Cost avoidance")
    QUALITY = "quality", _("Quality")
    OTHER = "other", _("Other")


class Frequency(models.TextChoices):
    YEARLY = "yearly", _("Yearly")
    MONTHLY = "monthly", _("Monthly")


class ResultsModel(CountryOwnedModel):
    manage_permission = Perm.MANAGE_INDICATORS

    class Meta:
        abstract = True


class Indicator(ResultsModel):
    """Something measured against targets: a KPI, an indicator, a performance measure."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True)
    description = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.INCREASE)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices,
                            default=IndicatorKind.OTHER)
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.YEARLY)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, null=True,
                                   blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    by_agency = models.BooleanField(_("broken down by agency"), default=False)
    means_of_verification = models.CharField(_("means of verification"), max_length=300,
                                             blank=True)
    subject_type = models.ForeignKey(ContentType, verbose_name=_("measures a"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField(_("measures the object"), null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")

    class Meta:
        ordering = ["country", "name", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject_type__isnull=True, subject_id__isnull=True)
                | Q(subject_type__isnull=False, subject_id__isnull=False),
                name="results_indicator_subject_complete",
                violation_error_message=_("An indicator measures a whole object or nothing."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip()

    def get_absolute_url(self):
        return reverse("results:indicator_detail", args=[self.pk])


def _period_constraints(prefix: str, what: str):
    # One value per indicator, period and agency; "no agency" is the total, so a NULL agency
    # needs its own unique constraint (NULLs are distinct in a plain one).
    return [
        models.UniqueConstraint(
            fields=["indicator", "year", "month", "agency"], name=f"{prefix}_one_per_agency",
            condition=Q(agency__isnull=False),
            violation_error_message=what,
        ),
        models.UniqueConstraint(
            fields=["indicator", "year", "month"], name=f"{prefix}_one_total",
            condition=Q(agency__isnull=True),
            violation_error_message=what,
        ),
        models.CheckConstraint(
            condition=Q(month__gte=0, month__lte=12), name=f"{prefix}_month_range",
            violation_error_message=_("The month is 1–12, or 0 for the whole year."),
        ),
    ]


class PeriodModel(ResultsModel):
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"),
                                  on_delete=models.CASCADE, related_name="%(class)ss")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(
        _("month"), default=rules.WHOLE_YEAR, validators=[MaxValueValidator(12)],
        help_text=_("0 for the whole year."))
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Empty for the total of all agencies."))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)

    class Meta:
        abstract = True

    @property
    def period_label(self) -> str:
        return f"{self.year}" if self.month == rules.WHOLE_YEAR else f"{self.year}-{self.month:02}"


class Target(PeriodModel):
    """What an indicator should reach in a period, optionally only under a condition."""

    condition = models.CharField(
        _("applies only when"), max_length=200, blank=True,
        help_text=_("For example: at least 4 recruitments took place."))
    min_cases = models.PositiveIntegerField(
        _("applies from this many cases"), null=True, blank=True,
        help_text=_("Leave empty when the target always applies. With a number, the target "
                    "applies only when the measurement counts at least that many cases."))

    class Meta:
        ordering = ["indicator", "year", "month", "agency"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = _period_constraints(
            "results_target", _("This indicator already has a target for that period."))

    def __str__(self):
        return f"{self.indicator}: {self.period_label} → {self.value}"

    def get_absolute_url(self):
        return reverse("results:indicator_detail", args=[self.indicator_id])


class Measurement(PeriodModel):
    """The actual value of an indicator in a period, with its means of verification."""

    manage_permission = Perm.MEASURE  # the M&E focal point enters actuals

    means_of_verification = models.CharField(_("means of verification"), max_length=300,
                                             blank=True)
    note = models.TextField(_("note"), blank=True)
    condition_met = models.BooleanField(
        _("target's condition held"), null=True, blank=True,
        help_text=_("Only for targets that apply under a condition."))
    cases = models.PositiveIntegerField(
        _("number of cases"), null=True, blank=True,
        help_text=_("Only for targets that apply from a number of cases: how many there "
                    "were (recruitments, say)."))

    class Meta:
        ordering = ["indicator", "year", "month", "agency"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = _period_constraints(
            "results_measurement",
            _("This indicator already has a measurement for that period."))

    def __str__(self):
        return f"{self.indicator}: {self.period_label} = {self.value}"

    def get_absolute_url(self):
        return reverse("results:indicator_detail", args=[self.indicator_id])
