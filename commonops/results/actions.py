"""Every change to indicators, targets and measurements.

Other apps create their KPIs through these functions (with the object the KPI measures as
`subject`), so rights, validation and the audit trail are the same wherever a KPI lives.
"""

from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.models import Agency
from commonops.core.money import to_cent
from commonops.core.roles import Perm
from commonops.core.saving import apply_fields, validated_save
from commonops.results import rules
from commonops.results.models import Indicator, Measurement, Target

# Indicators whose targets an app keeps unchanged for a while (a signed compact's measures,
# C1): "app_label.model" of the subject -> callable(subject_id) -> why, or "" when free.
# Registered from the owning app's AppConfig.ready(), so the engine imports no app.
TARGET_LOCKS: dict = {}


def check_unlocked(indicator: Indicator) -> None:
    """Refuse a change to a locked indicator's definition or targets, saying why."""
    if not indicator.subject_type_id:
        return
    subject_type = ContentType.objects.get_for_id(indicator.subject_type_id)
    lock = TARGET_LOCKS.get(f"{subject_type.app_label}.{subject_type.model}")
    reason = lock(indicator.subject_id) if lock else ""
    if reason:
        raise ValidationError(reason)


def _cents(value):
    """A value as stored (2 places), so that re-recording the same value changes nothing."""
    try:
        return to_cent(str(value))
    except (InvalidOperation, ValueError):
        return value  # full_clean names the field


def _unchanged(instance, fields: dict) -> bool:
    return instance.pk is not None and all(
        getattr(instance, name) == value for name, value in fields.items())


@audited_action
def indicator_create(*, by, data: dict) -> Indicator:
    """An indicator of a country; `data` may name the object it measures as `subject`."""
    data = dict(data)
    subject = data.pop("subject", None)
    access.require(by, Perm.MANAGE_INDICATORS, data.get("country"))
    indicator = Indicator()
    if subject is not None:
        indicator.subject_type = ContentType.objects.get_for_model(subject)
        indicator.subject_id = subject.pk
    return validated_save(indicator, data)


@audited_action
def indicator_update(*, indicator: Indicator, by, data: dict) -> Indicator:
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
    check_unlocked(indicator)
    # an indicator stays in its country
    return validated_save(indicator, {k: v for k, v in data.items() if k != "country"})


@audited_action
def indicator_delete(*, indicator: Indicator, by) -> None:
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
    check_unlocked(indicator)
    indicator.delete()


def _check_period(indicator: Indicator, month: int, agency: Agency | None) -> None:
    if indicator.frequency == "yearly" and month != rules.WHOLE_YEAR:
        raise ValidationError({"month": _("This indicator is measured per year, not per month.")})
    if indicator.frequency == "monthly" and month == rules.WHOLE_YEAR:
        raise ValidationError({"month": _("This indicator is measured per month: give the month.")})
    if agency is not None and not indicator.by_agency:
        raise ValidationError({"agency": _("This indicator is not broken down by agency.")})


@audited_action
def target_set(*, indicator: Indicator, year: int, value: Decimal, month: int = rules.WHOLE_YEAR,
               agency: Agency | None = None, condition: str = "",
               min_cases: int | None = None, by) -> Target:
    """Set (create or replace) the target of an indicator for a period."""
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
    check_unlocked(indicator)
    if value is None:
        raise ValidationError({"value": _("A target needs a value.")})
    _check_period(indicator, month, agency)
    target = (Target.objects.filter(indicator=indicator, year=year, month=month, agency=agency)
              .first() or Target(indicator=indicator, country_id=indicator.country_id,
                                 year=year, month=month, agency=agency))
    fields = {"value": _cents(value), "condition": condition, "min_cases": min_cases}
    if _unchanged(target, fields):
        return target  # setting the same target again records nothing
    for name, field_value in fields.items():
        setattr(target, name, field_value)
    return validated_save(target)


@audited_action
def target_delete(*, target: Target, by) -> None:
    access.require(by, Perm.MANAGE_INDICATORS, target.country_id)
    check_unlocked(target.indicator)
    target.delete()


@audited_action
def measurement_record(*, indicator: Indicator, year: int, value: Decimal,
                       month: int = rules.WHOLE_YEAR, agency: Agency | None = None,
                       means_of_verification: str = "", note: str = "",
                       condition_met: bool | None = None, cases: int | None = None,
                       by) -> Measurement:
    """Record (create or replace) the actual value of an indicator for a period."""
    access.require(by, Perm.MEASURE, indicator.country_id)
    if value is None:
        raise ValidationError({"value": _("A measurement needs a value.")})
    _check_period(indicator, month, agency)
    measurement = (
        Measurement.objects.filter(indicator=indicator, year=year, month=month, agency=agency)
        .first() or Measurement(indicator=indicator, country_id=indicator.country_id,
                                year=year, month=month, agency=agency))
    fields = {"value": _cents(value),
              "means_of_verification": means_of_verification or indicator.means_of_verification,
              "note": note, "condition_met": condition_met, "cases": cases}
    if _unchanged(measurement, fields):
        return measurement  # recording the same actual again records nothing
    for name, field_value in fields.items():
        setattr(measurement, name, field_value)
    return validated_save(measurement)


@audited_action
def measurement_compute(*, indicator: Indicator, year: int, value: Decimal | None,
                        cases: int | None = None, condition_met: bool | None = None,
                        note: str = "", by=None) -> Measurement | None:
    """Keep the actual of a period that another app computes from its own data (a compact's
    standard C2 measure from the office's figures). The calling action has checked the
    right to change that data; no person types this actual. None removes it."""
    existing = Measurement.objects.filter(indicator=indicator, year=year,
                                          month=rules.WHOLE_YEAR, agency__isnull=True).first()
    if value is None:
        if existing is not None:
            existing.delete()
        return None
    measurement = existing or Measurement(indicator=indicator, country_id=indicator.country_id,
                                          year=year, month=rules.WHOLE_YEAR)
    fields = {"value": _cents(value), "cases": cases, "condition_met": condition_met,
              "note": note, "means_of_verification": indicator.means_of_verification}
    if _unchanged(measurement, fields):
        return measurement
    for name, field_value in fields.items():
        setattr(measurement, name, field_value)
    return validated_save(measurement)


@audited_action
def measurement_delete(*, measurement: Measurement, by) -> None:
    access.require(by, Perm.MEASURE, measurement.country_id)
    measurement.delete()


# --- entry one period at a time (pages and API): a second value for a period is refused ------


def _period_row(model, *, indicator: Indicator, year: int, value: Decimal | None, what: str,
                month: int = rules.WHOLE_YEAR, agency: Agency | None = None, **fields):
    if value is None:
        raise ValidationError({"value": what})
    _check_period(indicator, month, agency)
    # full_clean checks the one-value-per-period constraints, with their messages.
    return validated_save(model(indicator=indicator, country_id=indicator.country_id, year=year,
                       month=month, agency=agency, value=value, **fields))


@audited_action
def target_create(*, by, data: dict) -> Target:
    """Add the target of a new period; a period that already has one is refused."""
    data = dict(data)
    indicator = data.pop("indicator")
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
    check_unlocked(indicator)
    return _period_row(Target, indicator=indicator, what=_("A target needs a value."), **data)


@audited_action
def target_update(*, target: Target, by, data: dict) -> Target:
    access.require(by, Perm.MANAGE_INDICATORS, target.country_id)
    check_unlocked(target.indicator)
    apply_fields(target, {k: v for k, v in data.items() if k != "indicator"})  # it stays
    if target.value is None:
        raise ValidationError({"value": _("A target needs a value.")})
    _check_period(target.indicator, target.month, target.agency)
    return validated_save(target)


@audited_action
def measurement_create(*, by, data: dict) -> Measurement:
    """Record the actual of a new period; a period that already has one is refused."""
    data = dict(data)
    indicator = data.pop("indicator")
    access.require(by, Perm.MEASURE, indicator.country_id)
    data["means_of_verification"] = (data.get("means_of_verification")
                                     or indicator.means_of_verification)
    return _period_row(Measurement, indicator=indicator,
                       what=_("A measurement needs a value."), **data)


@audited_action
def measurement_update(*, measurement: Measurement, by, data: dict) -> Measurement:
    access.require(by, Perm.MEASURE, measurement.country_id)
    apply_fields(measurement, {k: v for k, v in data.items() if k != "indicator"})  # it stays
    if measurement.value is None:
        raise ValidationError({"value": _("A measurement needs a value.")})
    _check_period(measurement.indicator, measurement.month, measurement.agency)
    return validated_save(measurement)
