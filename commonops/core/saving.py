"""How every action writes a row: apply the values, check the permission, validate the whole
row (`full_clean`, which also reports the database constraints' messages), save, then set
many-to-many values. Audit rows are left to `core.audit`.

    @audited_action
    def premises_create(*, by, data: dict) -> Premises:
        return save_managed(Premises(), by=by, data=data)

`save_managed` and `delete_managed` are for rows whose only rule is the model's manage
permission in the row's country (`access.can_manage`); an action with rules of its own
checks them and ends with `validated_save`.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from commonops.core import access


def apply_fields(instance, data: dict | None) -> dict:
    """Set the plain fields of `data` on `instance`; return the many-to-many values, which
    can only be set once the row is saved."""
    m2m = {}
    for name, value in (data or {}).items():
        field = instance._meta.get_field(name)
        if field.many_to_many:
            m2m[name] = value
        else:
            setattr(instance, name, value)
    return m2m


def validated_save(instance, data: dict | None = None, *, exclude=None):
    """Apply `data`, validate the whole row, save it, then set its many-to-many values."""
    m2m = apply_fields(instance, data)
    instance.full_clean(exclude=exclude)
    instance.save()
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance


def require_manage(by, obj) -> None:
    """`by` needs the model's manage permission in the row's country."""
    if not access.can_manage(by, obj):
        raise PermissionDenied(_("You may not change this."))


def save_managed(instance, *, by, data: dict):
    """Create or change a row that needs only the model's manage permission: checked in the
    country it belongs to now and in the one it moves to."""
    if instance.pk is not None:
        require_manage(by, instance)
    m2m = apply_fields(instance, data)
    require_manage(by, instance)
    return validated_save(instance, m2m)


def delete_managed(instance, *, by) -> None:
    require_manage(by, instance)
    instance.delete()
