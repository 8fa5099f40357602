"""The catalogue of common services (S1), and what every common-services row shares."""


from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import CountryOwnedModel, Modality, ServiceLine

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
