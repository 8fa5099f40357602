"""Agreements (MOUs and SLAs), contracts (S2) and the UN operational rates of exchange (S3)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.commonservices.models.catalogue import CURRENCY, CommonService, CommonServicesModel
from commonops.core.models import BaseModel

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
