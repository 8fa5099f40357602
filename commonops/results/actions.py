"""Every change to indicators, targets and measurements.

Other apps create their KPIs through these functions (with the object the KPI measures as
`subject`), so rights, validation and the audit trail are the same wherever a KPI lives.
"""

from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.models import Agency
from commonops.core.roles import Perm
from commonops.results import rules
from commonops.results.models import Indicator, Measurement, Target


def _save(instance):
    instance.full_clean()
    instance.save()
    return instance


@audited_action
def indicator_create(*, country, name: str, unit: str, direction: str = rules.INCREASE,
                     kind: str = "other", frequency: str = "yearly", code: str = "",
                     description: str = "", baseline: Decimal | None = None,
                     baseline_year: int | None = None, by_agency: bool = False,
                     means_of_verification: str = "", subject=None, by) -> Indicator:
    access.require(by, Perm.MANAGE_INDICATORS, country)
    indicator = Indicator(
        country=country, name=name, unit=unit, direction=direction, kind=kind,
        frequency=frequency, code=code, description=description, baseline=baseline,
        baseline_year=baseline_year, by_agency=by_agency,
        means_of_verification=means_of_verification,
    )
    if subject is not None:
        indicator.subject_type = ContentType.objects.get_for_model(subject)
        indicator.subject_id = subject.pk
    return _save(indicator)


@audited_action
def indicator_update(*, indicator: Indicator, by, **fields) -> Indicator:
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
    for name, value in fields.items():
        setattr(indicator, name, value)
    return _save(indicator)


@audited_action
def indicator_delete(*, indicator: Indicator, by) -> None:
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
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
               agency: Agency | None = None, condition: str = "", by) -> Target:
    """Set (create or replace) the target of an indicator for a period."""
    access.require(by, Perm.MANAGE_INDICATORS, indicator.country_id)
    if value is None:
        raise ValidationError({"value": _("A target needs a value.")})
    _check_period(indicator, month, agency)
    target = (Target.objects.filter(indicator=indicator, year=year, month=month, agency=agency)
              .first() or Target(indicator=indicator, country_id=indicator.country_id,
                                 year=year, month=month, agency=agency))
    target.value = value
    target.condition = condition
    return _save(target)


@audited_action
def target_delete(*, target: Target, by) -> None:
    access.require(by, Perm.MANAGE_INDICATORS, target.country_id)
    target.delete()


@audited_action
def measurement_record(*, indicator: Indicator, year: int, value: Decimal,
                       month: int = rules.WHOLE_YEAR, agency: Agency | None = None,
                       means_of_verification: str = "", note: str = "",
                       condition_met: bool | None = None, by) -> Measurement:
    """Record (create or replace) the actual value of an indicator for a period."""
    access.require(by, Perm.MEASURE, indicator.country_id)
    if value is None:
        raise ValidationError({"value": _("A measurement needs a value.")})
    _check_period(indicator, month, agency)
    measurement = (
        Measurement.objects.filter(indicator=indicator, year=year, month=month, agency=agency)
        .first() or Measurement(indicator=indicator, country_id=indicator.country_id,
                                year=year, month=month, agency=agency))
    measurement.value = value
    measurement.means_of_verification = (means_of_verification
                                         or indicator.means_of_verification)
    measurement.note = note
    measurement.condition_met = condition_met
    return _save(measurement)


@audited_action
def measurement_delete(*, measurement: Measurement, by) -> None:
    access.require(by, Perm.MEASURE, measurement.country_id)
    measurement.delete()
