"""API conventions read by DRF's settings: pagination and the one error shape.

Kept apart from `api_base` because DRF imports these while it builds its own generic views.

Every error, whatever raised it, has one shape:

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"name": ["…"]}}}
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _fields_of(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in (value if isinstance(value, list) else [value])]
            if not isinstance(value, dict) else _fields_of(value)
            for key, value in detail.items()
        }
    return {}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(
                {("non_field_errors" if k == "__all__" else k): messages
                 for k, messages in exc.message_dict.items()}
            )
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("This is still used elsewhere and cannot be deleted.")]}
        )
        exc.status_code = 409
        exc.default_code = "in_use"
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = _fields_of(detail) if isinstance(exc, exceptions.ValidationError) else {}
    if isinstance(exc, exceptions.ValidationError):
        message = _("The request has invalid values.")
        if isinstance(detail, list):
            fields = {"non_field_errors": [str(d) for d in detail]}
        non_field = fields.get("non_field_errors")
        if non_field and len(fields) == 1:
            message = non_field[0]
        code = getattr(exc, "default_code", "invalid")
    else:
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = {"error": {"status": response.status_code, "code": code,
                               "message": message, "fields": fields}}
    return response


# --- the schema documents the errors every endpoint may answer -----------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"error": {
        "type": "object",
        "properties": {
            "status": {"type": "integer"},
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": True},
            "current": {"type": "object", "additionalProperties": True},
        },
        "required": ["status", "code", "message", "fields"],
    }},
    "required": ["error"],
}
_ERRORS = {
    "400": "Invalid values, named by field in `fields`.",
    "401": "Not signed in: send `Authorization: Token <key>`.",
    "403": "Signed in, but the caller's roles do not allow this.",
    "404": "No such object within the caller's scope (another country's object too).",
}
_WRITE_ERRORS = {
    "409": "The object changed since it was read, or is still used elsewhere.",
}


# A time of day is sent and read as the country's local "HH:MM:SS" (or "HH:MM"), without the
# UTC offset that OpenAPI's "time" format (RFC 3339) demands: the schema says so.
LOCAL_TIME = {"type": "string", "example": "08:00:00",
              "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"}


def _local_times(node):
    if isinstance(node, dict):
        if node.get("format") == "time" and node.get("type") == "string":
            node.pop("format")
            node.update(LOCAL_TIME)
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def document_errors(result, generator, request, public):
    """drf-spectacular post-processing: every operation documents the error responses it may
    give (400, 401, 403, 404; 409 for writes), all in the one error shape; times of day are
    local times."""
    _local_times(result)
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            errors = dict(_ERRORS)
            if method != "get":
                errors.update(_WRITE_ERRORS)
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
