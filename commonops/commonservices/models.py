"""Common services: the catalogue of common services per country (S1–S6).

Every row belongs to one country team (`CountryOwnedModel`), so access and the audit trail
come from `core`. Rule ids (S1–S6) refer to DOMAIN.md.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import BaseModel, CountryOwnedModel, Modality, ServiceLine

MANAGE = "commonservices.manage"
CURRENCY = RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, as in ISO 4217."))


class CommonServicesModel(CountryOwnedModel):
    manage_permission = MANAGE

    class Meta:
        abstract = True


class ServiceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    DISCONTINUED = "discontinued", _("Discontinued")


class CommonService(CommonServicesModel):
    """A common service of a country team: who manages it, who uses it, and how (S1)."""

    name = models.CharField(_("name"), max_length=150)
    service_line = models.CharField(_("service line"), max_length=20,
                                    choices=ServiceLine.choices)
    description = models.TextField(_("description"), blank=True)
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices,
                                default=Modality.IN_HOUSE)
    provider_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("managing agencies"), related_name="+",
        related_query_name="provided_common_service", blank=True)
    client_agencies = models.ManyToManyField(
        "core.Agency", verbose_name=_("client agencies"), related_name="+",
        related_query_name="used_common_service", blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ServiceStatus.choices,
                              default=ServiceStatus.ACTIVE)
    # The BOS entry the service implements (B3 stock-take or B4 opportunity).
    opportunity = models.ForeignKey("bos.Opportunity", verbose_name=_("BOS opportunity"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="common_services")
    stocktake_entry = models.ForeignKey("bos.StocktakeEntry",
                                        verbose_name=_("BOS stock-take entry"), null=True,
                                        blank=True, on_delete=models.SET_NULL,
                                        related_name="common_services")

    class Meta:
        ordering = ["service_line", "name"]
        verbose_name = _("common service")
        verbose_name_plural = _("common services")
        constraints = [models.UniqueConstraint(
            fields=["country", "name"], name="common_service_unique_name",
            violation_error_message=_("This country team already has a common service with "
                                      "this name."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("commonservices:service_detail", args=[self.pk])


# ---------------------------------------------------------------------------------------------
# Agreements and contracts (S2)
# ---------------------------------------------------------------------------------------------


class AgreementKind(models.TextChoices):
    MOU = "mou", _("Memorandum of understanding (MOU)")
    SLA = "sla", _("Service-level agreement (SLA)")


class KeyMethod(models.TextChoices):
    """S1: how a service's yearly budget is shared among its client agencies."""

    EQUAL = "equal", _("Equal split")
    HEADCOUNT = "headcount", _("Headcount")
    USAGE = "usage", _("Usage")
    FLOOR_AREA = "floor_area", _("Floor area")
    FIXED = "fixed", _("Fixed percentages")


class Agreement(CommonServicesModel):
    """S2: an MOU or SLA: provider, participating agencies, services, period, key, metrics."""

    kind = models.CharField(_("kind"), max_length=3, choices=AgreementKind.choices,
                            default=AgreementKind.MOU)
    title = models.CharField(_("title"), max_length=200)
    provider = models.ForeignKey("core.Agency", verbose_name=_("provider"),
                                 on_delete=models.PROTECT, related_name="+")
    parties = models.ManyToManyField("core.Agency", verbose_name=_("participating agencies"),
                                     related_name="+", blank=True)
    services = models.ManyToManyField(CommonService, verbose_name=_("services"),
                                      related_name="agreements", blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    cost_sharing_key = models.CharField(_("cost-sharing key"), max_length=10,
                                        choices=KeyMethod.choices, default=KeyMethod.EQUAL)
    performance_metrics = models.TextField(_("performance metrics"), blank=True)
    signed_file = models.FileField(_("signed copy"), upload_to="commonservices/agreements/",
                                   blank=True)

    class Meta:
        ordering = ["-ends_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__gte=models.F("starts_on")),
            name="agreement_ends_after_it_starts",
            violation_error_message=_("An agreement cannot end before it starts."))]

    def __str__(self):
        return f"{self.get_kind_display().split(' (')[0]}: {self.title}"

    def get_absolute_url(self):
        return reverse("commonservices:agreement_detail", args=[self.pk])


class Contract(CommonServicesModel):
    """S2: a contract negotiated by the OMT; at or above the threshold it needs an MOU."""

    reference = models.CharField(_("reference"), max_length=60)
    vendor = models.CharField(_("vendor"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="USD",
                                validators=[CURRENCY])
    value_usd = models.DecimalField(_("value (USD)"), max_digits=14, decimal_places=2,
                                    editable=False, default=0,
                                    help_text=_("At the rate of the start month."))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    services = models.ManyToManyField(CommonService, verbose_name=_("services"),
                                      related_name="contracts", blank=True)
    agreement = models.ForeignKey(Agreement, verbose_name=_("covering MOU"), null=True,
                                  blank=True, on_delete=models.SET_NULL,
                                  related_name="contracts",
                                  limit_choices_to={"kind": AgreementKind.MOU})

    class Meta:
        ordering = ["ends_on", "reference"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "reference"], name="contract_unique_reference",
                violation_error_message=_("A contract with this reference already exists.")),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="contract_ends_after_it_starts",
                violation_error_message=_("A contract cannot end before it starts.")),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="contract_value_not_negative",
                violation_error_message=_("The value cannot be negative.")),
        ]

    def __str__(self):
        return f"{self.reference} — {self.vendor}"

    def get_absolute_url(self):
        return reverse("commonservices:contract_detail", args=[self.pk])


class ExchangeRate(BaseModel):
    """S3: the UN operational rate of exchange of a currency for a month (units per USD).

    Shared reference data kept by the administrator."""

    currency = models.CharField(_("currency"), max_length=3, validators=[CURRENCY])
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    rate = models.DecimalField(_("units per USD"), max_digits=18, decimal_places=6,
                               validators=[MinValueValidator(Decimal("0.000001"))])

    manage_permission = "core.manage_reference"

    class Meta:
        ordering = ["currency", "-month"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "month"], name="one_rate_per_currency_and_month",
                violation_error_message=_("This currency already has a rate for this month.")),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="rate_month_is_first_day",
                violation_error_message=_("Give the month as its first day.")),
            models.CheckConstraint(
                condition=models.Q(rate__gt=0), name="rate_is_positive",
                violation_error_message=_("A rate must be above zero.")),
        ]

    def __str__(self):
        return f"{self.currency} {self.month:%Y-%m}: {self.rate}"

    def get_absolute_url(self):
        return reverse("commonservices:exchangerate_detail", args=[self.pk])


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


# ---------------------------------------------------------------------------------------------
# Premises (S5)
# ---------------------------------------------------------------------------------------------


class Ownership(models.TextChoices):
    OWNED = "owned", _("Owned by the UN")
    LEASED = "leased", _("Leased")
    GOVERNMENT = "government", _("Provided by the government")
    RENT_FREE = "rent_free", _("Rent-free (other)")


class Premises(CommonServicesModel):
    """S5: a building or compound shared by agencies."""

    name = models.CharField(_("name"), max_length=150)
    address = models.TextField(_("address"))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2,
                                  validators=[MinValueValidator(0)])
    desk_capacity = models.PositiveIntegerField(_("desks (capacity)"), default=0)
    desks_occupied = models.PositiveIntegerField(_("desks (occupied)"), default=0)
    ownership = models.CharField(_("ownership"), max_length=10, choices=Ownership.choices,
                                 default=Ownership.LEASED)

    class Meta:
        ordering = ["name"]
        verbose_name = _("premises")
        verbose_name_plural = _("premises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(desks_occupied__lte=models.F("desk_capacity")),
                name="premises_desks_within_capacity",
                violation_error_message=_("More desks occupied than there are.")),
            models.UniqueConstraint(
                fields=["country", "name"], name="premises_unique_name",
                violation_error_message=_("Premises with this name already exist.")),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("commonservices:premises_detail", args=[self.pk])


class Occupancy(CommonServicesModel):
    """S5: an agency's occupied area (and desks) in premises; drives floor-area keys."""

    premises = models.ForeignKey(Premises, verbose_name=_("premises"),
                                 on_delete=models.CASCADE, related_name="occupancies")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    area_m2 = models.DecimalField(_("occupied area (m²)"), max_digits=10, decimal_places=2,
                                  validators=[MinValueValidator(0)])
    desks = models.PositiveIntegerField(_("desks"), default=0)

    class Meta:
        ordering = ["premises", "agency__acronym"]
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        constraints = [models.UniqueConstraint(
            fields=["premises", "agency"], name="one_occupancy_per_agency",
            violation_error_message=_("This agency is already listed in these premises."))]

    def __str__(self):
        return f"{self.premises}: {self.agency} {self.area_m2} m²"

    def get_absolute_url(self):
        return reverse("commonservices:occupancy_detail", args=[self.pk])
