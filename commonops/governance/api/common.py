"""What the governance viewsets share with each other on top of core's `ScopedViewSet`
(which refuses a write the caller may not make before its data is read, through the pages'
`may_create` and `access.can_manage`): the edit conflict's answer."""

from rest_framework import exceptions, status

STAMPS = ["created_at", "updated_at"]


def described(plural: str, writes: str) -> str:
    return f"{plural}, within the caller's scope: {writes}."


class Conflict(exceptions.APIException):
    """409: someone else changed the object since the caller read it. `current` is the
    object as it is now, added to the error body under `error.current`."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "edit_conflict"

    def __init__(self, detail, current):
        super().__init__(detail)
        self.current = current
