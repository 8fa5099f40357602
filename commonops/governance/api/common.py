"""What the governance viewsets share with each other on top of core's `ScopedViewSet`:
writes refused before their data is read, and the edit conflict's answer."""

from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from commonops.core import access
from commonops.core.roles import Perm

STAMPS = ["created_at", "updated_at"]


def described(plural: str, writes: str) -> str:
    return f"{plural}, within the caller's scope: {writes}."


class RefuseEarly:
    """A caller who may not write here gets 403 before their data is even read: creating
    needs `create_permission` somewhere (the action then checks the row's country),
    changing or deleting needs the model's manage permission in the object's country."""

    create_permission = Perm.GOVERN

    def create(self, request, *args, **kwargs):
        if not access.can(request.user, self.create_permission):
            raise exceptions.PermissionDenied(_("Your roles do not allow this."))
        return super().create(request, *args, **kwargs)

    def get_object(self):
        obj = super().get_object()
        if self.action in ("update", "partial_update", "destroy") and not access.can_manage(
                self.request.user, obj):
            raise exceptions.PermissionDenied(_("Your roles do not allow this."))
        return obj


class Conflict(exceptions.APIException):
    """409: someone else changed the object since the caller read it. `current` is the
    object as it is now, added to the error body under `error.current`."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "edit_conflict"

    def __init__(self, detail, current):
        super().__init__(detail)
        self.current = current
