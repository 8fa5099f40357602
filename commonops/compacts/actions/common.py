"""What every compacts action shares: the checks of `by` and of a signed compact."""


from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.compacts.models import (
    Compact,
    CompactStatus,
)
from commonops.core import access
from commonops.core.roles import Perm


def _require(by, perm: str, country, message: str = "") -> None:
    access.require(by, perm, country, message or _("Your roles do not allow this."))


def _signed_message() -> str:
    return _("This compact is signed and can no longer be changed: correct it with a new "
             "version.")


def _check_editable(compact: Compact) -> None:
    """C1: only a draft changes; an acknowledged one goes back to draft first, a signed one
    is corrected by a new version."""
    status = Compact.objects.filter(pk=compact.pk).values_list("status", flat=True).first()
    if status == CompactStatus.ENDORSED:
        raise ValidationError(_signed_message())
    if status != CompactStatus.DRAFT:
        raise ValidationError(_("This compact has been acknowledged: the endorser returns it "
                                "to draft before it changes."))


def may_draft(by, compact: Compact) -> bool:
    """C1: the senior manager keeps their own compact (administrators anyone's)."""
    if not access.can(by, Perm.COMPACT_DRAFT, compact.country_id):
        return False
    return by.pk == compact.manager_id or access.scope_for(by, Perm.COMPACT_DRAFT).everywhere


def _require_draft_right(by, compact: Compact) -> None:
    if not may_draft(by, compact):
        raise PermissionDenied(_("Only the senior manager keeps their compact."))
