"""What every change to common-services data shares: the rights, the MOU threshold."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.commonservices import rules
from commonops.core import access
from commonops.core.roles import Perm


def mou_threshold_usd() -> Decimal:
    """S2: the configurable threshold (setting COMMONSERVICES_MOU_THRESHOLD_USD)."""
    return Decimal(str(getattr(settings, "COMMONSERVICES_MOU_THRESHOLD_USD",
                               rules.MOU_THRESHOLD_USD)))


def _require_manage(by, country_id) -> None:
    access.require(by, Perm.MANAGE_COMMON_SERVICES, country_id,
                   _("You may not change common services in this country team."))


def _same_country(country_id, objs, field: str) -> None:
    if any(obj.country_id != country_id for obj in objs):
        raise ValidationError({field: _("Choose rows of the same country team.")})


def _split_m2m(data: dict, names) -> dict:
    return {name: data.pop(name) for name in names if name in data}
