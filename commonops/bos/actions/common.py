"""Rules every change to a BOS shares: the rights, the draft rule (B1), the service lines (B2)."""


from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.bos import rules
from commonops.bos.models import (
    BOS_LINE_CHOICES,
    Bos,
    BosStatus,
)
from commonops.core import access

SERVICE_LINES = {value for value, _label in BOS_LINE_CHOICES}


def _require(by, perm: str, country) -> None:
    access.require(by, perm, country, _("Your roles do not allow this."))


def _check_draft(bos: Bos) -> None:
    """B1: content changes only while the BOS is a draft; a signed-off BOS is read-only."""
    if bos.status == BosStatus.SIGNED_OFF:
        raise ValidationError(_("This BOS is signed off and can no longer be changed."))
    if bos.status != BosStatus.DRAFT:
        raise ValidationError(_("This BOS is %(status)s: return it to draft to change it.")
                              % {"status": bos.get_status_display().lower()})


def _check_lines(lines) -> list[str]:
    lines = list(lines or [])
    unknown = [line for line in lines if line not in SERVICE_LINES]
    if unknown:
        raise ValidationError({"service_lines": _("Unknown service line: %(lines)s.")
                               % {"lines": ", ".join(map(str, unknown))}})
    if len(set(lines)) < rules.MIN_SERVICE_LINES:  # B2
        raise ValidationError({"service_lines": _(
            "A BOS covers at least two service lines.")})
    return [value for value, _label in BOS_LINE_CHOICES if value in set(lines)]
