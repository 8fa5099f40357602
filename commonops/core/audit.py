"""The audit trail mechanism: every create, update and delete of a `BaseModel` row.

One mechanism for every write path:
- `save()` and `delete()` (pages, API, admin, actions, imports, tasks) through model signals
  connected in `CoreConfig.ready()`;
- `QuerySet.update()`, `bulk_create()` and `bulk_update()` through `BaseQuerySet`, which
  calls the functions below (plain Django would skip the signals there);
- `QuerySet.delete()` sends the delete signals for each row already.

Who and through which request comes from a context variable: `AuditRequestMiddleware` sets
it for web, API and admin requests; management commands, tasks and imports wrap their work
in `audit_context(...)`.
"""

import contextvars
import datetime
import decimal
import functools
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

_context: contextvars.ContextVar["AuditContext | None"] = contextvars.ContextVar(
    "commonops_audit_context", default=None
)
# Set while bulk_update runs: Django implements it with QuerySet.update(), which would
# otherwise record each change a second time.
_in_bulk_update: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "commonops_audit_in_bulk_update", default=False
)
_SKIPPED_FIELDS = frozenset({"created_at", "updated_at", "created_by", "updated_by"})
_SECRET = "•••"


@dataclass
class AuditContext:
    source: str = "system"
    actor: object = None
    request: object = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def current_actor(self):
        if self.request is not None:
            # Read at write time: DRF authenticates (token or session) inside the view,
            # after the middleware has run, and sets the user on the Django request.
            user = getattr(self.request, "user", None)
            return user if user is not None and user.is_authenticated else None
        return self.actor

    def current_source(self) -> str:
        if self.request is None:
            return self.source
        path = self.request.path
        if path.startswith("/api/"):
            return "api"
        if path.startswith("/admin/"):
            return "admin"
        return "web"


def current() -> AuditContext:
    return _context.get() or AuditContext()


@contextmanager
def audit_context(*, source: str, actor=None, request=None):
    """Attribute every write inside the block to `actor` and `source` (command, task, import)."""
    token = _context.set(AuditContext(source=source, actor=actor, request=request))
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def acting(by):
    """Attribute writes to `by` unless a request or an explicit actor already says who.

    Actions take the person acting as `by`; this makes the audit trail name them also when
    an action runs outside a request (a command, a task, a test) without its own context.
    """
    ctx = _context.get()
    if by is None or (ctx is not None and (ctx.request is not None or ctx.actor is not None)):
        yield
        return
    token = _context.set(AuditContext(source=ctx.source if ctx else "system", actor=by))
    try:
        yield
    finally:
        _context.reset(token)


def audited_action(func):
    """Decorator for actions: one transaction, and the audit trail names `by`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with transaction.atomic(), acting(kwargs.get("by")):
            return func(*args, **kwargs)

    return wrapper


def bind_request(request):
    return _context.set(AuditContext(request=request))


def unbind(token):
    _context.reset(token)


# --- values ---------------------------------------------------------------------------------


def _plain(value):
    """A JSON-safe form of a field value."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def _plain_row(row: dict | None) -> dict | None:
    return None if row is None else {key: _plain(value) for key, value in row.items()}


def _tracked_fields(model):
    exclude = getattr(model, "audit_exclude", frozenset())
    return [
        f for f in model._meta.concrete_fields
        if f.name not in _SKIPPED_FIELDS and f.name not in exclude and not f.primary_key
    ]


def _snapshot(instance) -> dict:
    return {f.attname: _plain(f.value_from_object(instance)) for f in _tracked_fields(
        type(instance))}


def _diff(model, before: dict | None, after: dict | None) -> dict:
    secret = getattr(model, "audit_secret", frozenset())
    changes = {}
    for f in _tracked_fields(model):
        old = before.get(f.attname) if before is not None else None
        new = after.get(f.attname) if after is not None else None
        if before is not None and after is not None and old == new:
            continue
        if before is None and new in (None, ""):
            continue
        if after is None and old in (None, ""):
            continue
        if f.name in secret:
            old, new = (_SECRET if old else None), (_SECRET if new else None)
        changes[f.name] = [old, new]
    return changes


def _entry(model, *, action, object_id, object_repr, country_id, changes, ctx, now):
    from commonops.core.models import AuditEntry

    actor = ctx.current_actor()
    request = ctx.request
    return AuditEntry(
        at=now,
        actor=actor,
        actor_name=(actor.get_username() if actor is not None else ""),
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(object_id),
        object_repr=str(object_repr)[:200],
        country_id=country_id,
        changes=changes,
        source=ctx.current_source(),
        request_method=(request.method if request is not None else ""),
        request_path=(request.get_full_path()[:300] if request is not None else ""),
        request_id=ctx.request_id,
        remote_addr=(request.META.get("REMOTE_ADDR") if request is not None else None),
    )


def _is_audited(model) -> bool:
    return getattr(model, "audited", False)


# --- signal receivers -----------------------------------------------------------------------


def on_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    ctx = current()
    actor = ctx.current_actor()
    if actor is not None and hasattr(instance, "updated_by_id"):
        instance.updated_by = actor
        if instance._state.adding:
            instance.created_by = actor
    instance._audit_before = None
    if not instance._state.adding and instance.pk is not None:
        attnames = [f.attname for f in _tracked_fields(sender)]
        instance._audit_before = _plain_row(
            sender._base_manager.using(instance._state.db or "default")
            .filter(pk=instance.pk).values(*attnames).first()
        )


def on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = None if created else getattr(instance, "_audit_before", None)
    after = _snapshot(instance)
    changes = _diff(sender, before, after)
    if not created and not changes:
        return
    ctx = current()
    _entry(
        sender, action="create" if created else "update", object_id=instance.pk,
        object_repr=instance, country_id=instance.owning_country_id(), changes=changes,
        ctx=ctx, now=timezone.now(),
    ).save()


def on_post_delete(sender, instance, **kwargs):
    ctx = current()
    _entry(
        sender, action="delete", object_id=instance.pk, object_repr=instance,
        country_id=instance.owning_country_id(), changes=_diff(sender, _snapshot(instance),
                                                              None),
        ctx=ctx, now=timezone.now(),
    ).save()


def connect(model) -> None:
    from django.db.models.signals import post_delete, post_save, pre_save

    uid = f"commonops-audit-{model._meta.label_lower}"
    pre_save.connect(on_pre_save, sender=model, dispatch_uid=uid)
    post_save.connect(on_post_save, sender=model, dispatch_uid=uid)
    post_delete.connect(on_post_delete, sender=model, dispatch_uid=uid)


# --- bulk writes ----------------------------------------------------------------------------


def audited_update(queryset, values: dict, do_update):
    """`QuerySet.update()` that writes one audit row per changed row, in one transaction."""
    model = queryset.model
    if not _is_audited(model) or _in_bulk_update.get():
        return do_update(**values)
    ctx = current()
    actor = ctx.current_actor()
    if actor is not None and "updated_by" not in values and hasattr(model, "updated_by_id"):
        values = {**values, "updated_by": actor}
    if hasattr(model, "updated_at") and "updated_at" not in values:
        values = {**values, "updated_at": timezone.now()}
    attnames = [f.attname for f in _tracked_fields(model)]
    with transaction.atomic(using=queryset.db):
        before = {row["pk"]: _plain_row(row) for row in queryset.values("pk", *attnames)}
        count = do_update(**values)
        if not before:
            return count
        _record_updates(model, before, model._base_manager.using(queryset.db)
                        .filter(pk__in=before), ctx)
    return count


def audited_bulk_update(queryset, objs, fields, do_bulk_update):
    model = queryset.model
    if not _is_audited(model):
        return do_bulk_update()
    ctx = current()
    objs = list(objs)
    attnames = [f.attname for f in _tracked_fields(model)]
    with transaction.atomic(using=queryset.db):
        before = {
            row["pk"]: _plain_row(row)
            for row in model._base_manager.using(queryset.db)
            .filter(pk__in=[o.pk for o in objs]).values("pk", *attnames)
        }
        token = _in_bulk_update.set(True)
        try:
            count = do_bulk_update()
        finally:
            _in_bulk_update.reset(token)
        _record_updates(model, before, objs, ctx)
    return count


def _record_updates(model, before: dict, objs, ctx) -> None:
    """One update row per object whose tracked fields differ from `before` (by pk)."""
    now = timezone.now()
    entries = []
    for obj in objs:
        changes = _diff(model, before.get(obj.pk), _snapshot(obj))
        if changes:
            entries.append(_entry(
                model, action="update", object_id=obj.pk, object_repr=obj,
                country_id=obj.owning_country_id(), changes=changes, ctx=ctx, now=now,
            ))
    _bulk_write(entries)


def record_bulk_create(model, created) -> None:
    if not _is_audited(model):
        return
    ctx = current()
    now = timezone.now()
    _bulk_write([
        _entry(model, action="create", object_id=obj.pk, object_repr=obj,
               country_id=obj.owning_country_id(), changes=_diff(model, None, _snapshot(obj)),
               ctx=ctx, now=now)
        for obj in created if obj.pk is not None
    ])


def _bulk_write(entries) -> None:
    from commonops.core.models import AuditEntry

    if entries:
        # AuditEntry is not a BaseModel, so this does not audit itself.
        AuditEntry.objects.bulk_create(entries, batch_size=500)


def history_for(obj, *, limit: int = 50):
    """The audit rows of one object, newest first, each with its changes as people read
    them (`entry.readable`, see core.history)."""
    from commonops.core.history import describe
    from commonops.core.models import AuditEntry

    return describe(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            object_id=str(obj.pk),
        )
        .select_related("content_type")
        .order_by("-at", "-id")[:limit]
    )
