"""The premises register and who occupies what (S5)."""


from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.commonservices.models.catalogue import CommonServicesModel

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
