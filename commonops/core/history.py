"""The change history as people read it: each changed field by its label, a reference by the
object it points to, a choice by its label, numbers and dates as everywhere else
(core.display), structured values as short text.

`AuditEntry.changes` keeps the raw form (field names, ids, ISO dates) for auditors and the
CSV export of the audit trail; this module only reads it. `describe(entries)` resolves the
references of a whole page of entries with one query per kind of object referenced.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.core import display

SECRET = "•••"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def describe(entries) -> list:
    """`entries` as a list, each with `.readable`: its changes as `Change` rows, in the
    order of the model's fields."""
    entries = list(entries)
    wanted = defaultdict(set)  # model -> primary keys referenced
    plans = []
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        plan = _plan(model, entry.changes or {})
        plans.append(plan)
        for _name, _field, target, values in plan:
            if target is not None:
                wanted[target].update(v for v in values if v not in (None, ""))
    objects = {model: _load(model, pks) for model, pks in wanted.items()}
    for entry, plan in zip(entries, plans, strict=True):
        entry.readable = [
            Change(_label(field, name),
                   *(_show(field, target, value, objects) for value in values))
            for name, field, target, values in plan]
    return entries


def _plan(model, changes: dict) -> list:
    """(name, field, referenced model or None, [before, after]) per changed field."""
    order = {f.name: i for i, f in enumerate(model._meta.fields)} if model else {}
    generic = _generic_keys(model, changes)
    plan = []
    for name, values in sorted(changes.items(), key=lambda kv: (order.get(kv[0], 999), kv[0])):
        field = _field(model, name)
        target = None
        if isinstance(field, models.ForeignKey):
            target = field.related_model
        elif name in generic:
            target = generic[name]
        values = list(values) if isinstance(values, (list, tuple)) else [None, values]
        plan.append((name, field, target, (values + [None, None])[:2]))
    return plan


def _generic_keys(model, changes) -> dict:
    """For a generic reference (an indicator's subject, say): its id field -> the model
    its content-type field names in these changes."""
    if model is None:
        return {}
    keys = {}
    for gfk in model._meta.private_fields:
        if not isinstance(gfk, GenericForeignKey):
            continue
        ct_field = model._meta.get_field(gfk.ct_field)
        type_ids = [v for v in changes.get(ct_field.name, [None, None]) if v]
        if type_ids:
            content_type = ContentType.objects.get_for_id(type_ids[-1])
            keys[gfk.fk_field] = content_type.model_class()
    return keys


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _load(model, pks) -> dict:
    if model is None:
        return {}
    if model is ContentType:
        return {pk: ContentType.objects.get_for_id(pk) for pk in pks}
    try:
        rows = model._base_manager.filter(pk__in=pks)
    except (ValueError, TypeError):
        return {}
    return {str(obj.pk): obj for obj in rows}


def _label(field, name) -> str:
    if field is not None and getattr(field, "verbose_name", None):
        return capfirst(field.verbose_name)
    return capfirst(name.replace("_", " "))


def _show(field, target, value, objects) -> str:
    if value is None or value == "" or value == []:
        return display.DASH
    if value == SECRET:
        return value
    if target is not None:
        if target is ContentType:
            content_type = objects.get(ContentType, {}).get(value)
            return capfirst(content_type.name) if content_type else str(value)
        obj = objects.get(target, {}).get(str(value))
        return str(obj) if obj is not None else _("(deleted, was #%(id)s)") % {"id": value}
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(field, (models.DecimalField, models.FloatField)):
        try:
            return display.field_value(field, Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        return display.moment(moment) if moment else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        day = parse_date(value)
        return display.day(day) if day else value
    if isinstance(value, (dict, list)):
        return _structured(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return display.day(value)
    return str(display.in_reader_language(value))


def _structured(value) -> str:
    """A dict or list stored in a JSON field, as short text: "method: usage; weights: 12
    values"."""
    if isinstance(value, list):
        if len(value) <= 3 and all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(str(v) for v in value)
        return ngettext("%(n)s value", "%(n)s values", len(value)) % {"n": len(value)}
    parts = []
    for key, item in value.items():
        shown = _structured(item) if isinstance(item, (dict, list)) else str(item)
        parts.append(f"{capfirst(str(key).replace('_', ' '))}: {shown}")
    return "; ".join(parts)
