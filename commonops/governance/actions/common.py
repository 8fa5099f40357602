"""What the governance actions share: the permission check, fields fixed at creation, and
the optimistic lock's refusal."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.core import access


class EditConflict(Exception):
    """Someone else saved the same text since it was opened (optimistic locking)."""

    def __init__(self, current):
        super().__init__(_("Someone else saved this in the meantime."))
        self.current = current


def require(by, perm: str, country) -> None:
    """`by` holds `perm` in `country` (PermissionDenied with a sentence otherwise)."""
    access.require(by, perm, country, _("Your roles do not allow this."))


def without_fixed(instance, data: dict, *names: str) -> dict:
    """`data` without the fields set once at creation (an OMT's meeting stays that OMT's):
    giving another value for one of them is refused, giving the same one is ignored."""
    errors = {name: _("This cannot be changed once set.") for name in names
              if name in data and data[name] != getattr(instance, name)}
    if errors:
        raise ValidationError(errors)
    return {name: value for name, value in data.items() if name not in names}
