"""The common-service account: budgets, keys and their inputs, allocations (S1), expenditures
(S3) and payments (S4)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.commonservices.models.agreements import KeyMethod
from commonops.commonservices.models.catalogue import CURRENCY, CommonService, CommonServicesModel

# ---------------------------------------------------------------------------------------------
# Budgets, keys and allocations (S1)
# ---------------------------------------------------------------------------------------------

YEAR = [MinValueValidator(2000), MaxValueValidator(2100)]


class BudgetLine(CommonServicesModel):
    """S1: one line of a service's yearly budget, in USD."""

    service = models.ForeignKey(CommonService, verbose_name=_("service"),
                                on_delete=models.CASCADE, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    line = models.CharField(_("budget line"), max_length=100)
    amount = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["service__name", "-year", "line"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "year", "line"], name="one_budget_line_per_service_year",
                violation_error_message=_("This service already has this budget line for "
                                          "this year.")),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="budget_not_negative",
                violation_error_message=_("A budget cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.service} {self.year}: {self.line}"

    def get_absolute_url(self):
        return reverse("commonservices:budgetline_detail", args=[self.pk])


class UsageSource(models.TextChoices):
    ENTERED = "entered", _("Entered or imported")
    SERVICE_DESK = "service_desk", _("Service-desk ticket volumes")


class CostSharingKey(CommonServicesModel):
    """S1: how a service's budget of one year is shared. The row an allocation locks."""

    service = models.ForeignKey(CommonService, verbose_name=_("service"),
                                on_delete=models.CASCADE, related_name="keys")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    method = models.CharField(_("method"), max_length=10, choices=KeyMethod.choices,
                              default=KeyMethod.EQUAL)
    usage_source = models.CharField(_("usage from"), max_length=12,
                                    choices=UsageSource.choices, default=UsageSource.ENTERED,
                                    help_text=_("For a usage key only."))
    usage_unit = models.CharField(_("usage unit"), max_length=40, blank=True,
                                  help_text=_("For example tickets, calls, trips."))
    premises = models.ForeignKey("Premises", verbose_name=_("premises"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="+",
                                 help_text=_("For a floor-area key: the premises whose "
                                             "occupied areas count (all premises if empty)."))

    class Meta:
        ordering = ["service__name", "-year"]
        verbose_name = _("cost-sharing key")
        verbose_name_plural = _("cost-sharing keys")
        constraints = [models.UniqueConstraint(
            fields=["service", "year"], name="one_key_per_service_year",
            violation_error_message=_("This service already has a key for this year."))]

    def __str__(self):
        return f"{self.service} {self.year}: {self.get_method_display()}"

    def get_absolute_url(self):
        return reverse("commonservices:costsharingkey_detail", args=[self.pk])


class FixedShare(CommonServicesModel):
    """S1: an agency's percentage in a fixed-percentage key (all of them add up to 100)."""

    key = models.ForeignKey(CostSharingKey, verbose_name=_("key"), on_delete=models.CASCADE,
                            related_name="fixed_shares")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(_("percentage"), max_digits=6, decimal_places=3,
                                  validators=[MinValueValidator(0), MaxValueValidator(100)])

    class Meta:
        ordering = ["key", "agency__acronym"]
        verbose_name = _("fixed share")
        verbose_name_plural = _("fixed shares")
        constraints = [models.UniqueConstraint(
            fields=["key", "agency"], name="one_fixed_share_per_agency",
            violation_error_message=_("This agency already has a percentage in this key."))]

    def __str__(self):
        return f"{self.agency}: {self.percent}%"

    def get_absolute_url(self):
        return self.key.get_absolute_url()


class Headcount(CommonServicesModel):
    """S1: an agency's staff count in the country for a year (drives headcount keys)."""

    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    headcount = models.PositiveIntegerField(_("headcount"))

    class Meta:
        ordering = ["-year", "agency__acronym"]
        verbose_name = _("headcount")
        verbose_name_plural = _("headcounts")
        constraints = [models.UniqueConstraint(
            fields=["country", "agency", "year"], name="one_headcount_per_agency_year",
            violation_error_message=_("This agency already has a headcount for this year."))]

    def __str__(self):
        return f"{self.agency} {self.year}: {self.headcount}"

    def get_absolute_url(self):
        return reverse("commonservices:headcount_detail", args=[self.pk])


class Usage(CommonServicesModel):
    """S1: metered units of a service used by a client agency in a year."""

    service = models.ForeignKey(CommonService, verbose_name=_("service"),
                                on_delete=models.CASCADE, related_name="usages")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    units = models.DecimalField(_("units"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["service__name", "-year", "agency__acronym"]
        verbose_name = _("usage")
        verbose_name_plural = _("usage")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "agency", "year"], name="one_usage_per_service_agency_year",
                violation_error_message=_("This agency already has usage for this service "
                                          "and year.")),
            models.CheckConstraint(
                condition=models.Q(units__gte=0), name="usage_not_negative",
                violation_error_message=_("Usage cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.service} {self.year}: {self.agency} {self.units}"

    def get_absolute_url(self):
        return reverse("commonservices:usage_detail", args=[self.pk])


class Allocation(CommonServicesModel):
    """S1: a service's budget of one year shared among its client agencies, saved with the
    inputs it was computed from so that it can always be explained. One per service and
    year; recomputing it is an explicit, audited step."""

    # PROTECT: a service with allocations or spending is discontinued, not deleted, so
    # past years can always be explained (S1).
    service = models.ForeignKey(CommonService, verbose_name=_("service"),
                                on_delete=models.PROTECT, related_name="allocations")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR)
    method = models.CharField(_("method"), max_length=10, choices=KeyMethod.choices)
    total = models.DecimalField(_("budget shared (USD)"), max_digits=14, decimal_places=2)
    inputs = models.JSONField(_("inputs"), default=dict)
    computed_at = models.DateTimeField(_("computed"))
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("computed by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)

    class Meta:
        ordering = ["service__name", "-year"]
        verbose_name = _("cost allocation")
        verbose_name_plural = _("cost allocations")
        constraints = [models.UniqueConstraint(
            fields=["service", "year"], name="one_allocation_per_service_year",
            violation_error_message=_("This service's budget for this year is already "
                                      "allocated; recompute it instead."))]

    def __str__(self):
        return f"{self.service} {self.year}"

    def get_absolute_url(self):
        return reverse("commonservices:allocation_detail", args=[self.pk])


class AllocationShare(CommonServicesModel):
    """S1: one agency's share of an allocation, with the weight it was computed from."""

    allocation = models.ForeignKey(Allocation, verbose_name=_("allocation"),
                                   on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("weight"), max_digits=18, decimal_places=4)
    amount = models.DecimalField(_("share (USD)"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["allocation", "agency__acronym"]
        verbose_name = _("allocation share")
        verbose_name_plural = _("allocation shares")
        constraints = [models.UniqueConstraint(
            fields=["allocation", "agency"], name="one_share_per_agency",
            violation_error_message=_("This agency already has a share."))]

    def __str__(self):
        return f"{self.allocation}: {self.agency} {self.amount}"

    def get_absolute_url(self):
        return self.allocation.get_absolute_url()


# ---------------------------------------------------------------------------------------------
# Expenditures and payments (S3, S4)
# ---------------------------------------------------------------------------------------------


class Expenditure(CommonServicesModel):
    """S3: money spent on a service, in local currency at the month's UN rate."""

    service = models.ForeignKey(CommonService, verbose_name=_("service"),
                                on_delete=models.PROTECT, related_name="expenditures")
    spent_on = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    budget_line = models.CharField(_("budget line"), max_length=100)
    description = models.CharField(_("description"), max_length=200, blank=True)
    amount_local = models.DecimalField(_("amount"), max_digits=16, decimal_places=2,
                                       validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[CURRENCY])
    rate = models.DecimalField(_("rate (units per USD)"), max_digits=18, decimal_places=6,
                               editable=False)
    amount_usd = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2,
                                     editable=False)

    class Meta:
        ordering = ["-spent_on", "service__name"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        constraints = [models.CheckConstraint(
            condition=models.Q(amount_local__gte=0), name="expenditure_not_negative",
            violation_error_message=_("An expenditure cannot be negative."))]
        indexes = [models.Index(fields=["country", "year"])]

    def __str__(self):
        return f"{self.service} {self.spent_on}: {self.amount_local} {self.currency}"

    def get_absolute_url(self):
        return reverse("commonservices:expenditure_detail", args=[self.pk])


class Payment(CommonServicesModel):
    """S4: a payment received from an agency towards its shares of a year, in USD."""

    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("for year"), validators=YEAR)
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("amount (USD)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        ordering = ["-received_on", "agency__acronym"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(
            condition=models.Q(amount__gt=0), name="payment_positive",
            violation_error_message=_("A payment must be above zero."))]

    def __str__(self):
        return f"{self.agency} {self.year}: {self.amount}"

    def get_absolute_url(self):
        return reverse("commonservices:payment_detail", args=[self.pk])
