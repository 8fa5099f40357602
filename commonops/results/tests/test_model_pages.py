"""Indicators, targets and measurements get the generic page, API, access, audit and
query-count checks (vn-me, the M&E focal point, manages them; a member only reads)."""

import itertools
from decimal import Decimal

from commonops.core.models import User
from commonops.core.testing import ModelCase, model_case_tests
from commonops.results import actions, views

_seq = itertools.count(1)


def _me(world):
    return world.user("vn-me")


def _indicator(world, **fields):
    n = next(_seq)
    # "Access…" sorts near the top of Viet Nam's list, on its first page.
    return actions.indicator_create(by=_me(world), data={
        "country": world.country("VN"), "name": f"Access to the help line {n}",
        "unit": "percent", "baseline": Decimal("50"), **fields})


def _target(world):
    return actions.target_create(by=_me(world), data={
        "indicator": _indicator(world), "year": 2026, "value": Decimal(80)})


def _measurement(world):
    return actions.measurement_create(by=_me(world), data={
        "indicator": _indicator(world), "year": 2025, "value": Decimal(65)})


INDICATOR = ModelCase(
    pages=views.IndicatorPages,
    make=_indicator,
    create_data=lambda w: {"country": w.country("VN"), "name": "Average days to recruit",
                           "code": "HR-1", "unit": "days", "direction": "decrease",
                           "kind": "quality", "frequency": "yearly", "baseline": "90",
                           "baseline_year": 2024, "by_agency": False,
                           "means_of_verification": "HR records", "description": ""},
    edit_data=lambda obj: {"country": obj.country, "name": obj.name + " (renamed)",
                           "code": obj.code, "unit": obj.unit, "direction": obj.direction,
                           "kind": obj.kind, "frequency": obj.frequency,
                           "baseline": "55.00", "baseline_year": 2024,
                           "by_agency": obj.by_agency, "description": "",
                           "means_of_verification": obj.means_of_verification},
    api_basename="indicator", manager="vn-me",
)
TARGET = ModelCase(
    pages=views.TargetPages,
    make=_target,
    create_data=lambda w: {"indicator": _indicator(w), "year": 2027, "month": 0,
                           "agency": None, "value": "85", "condition": ""},
    edit_data=lambda obj: {"indicator": obj.indicator, "year": obj.year, "month": obj.month,
                           "agency": obj.agency, "value": "90.00",
                           "condition": obj.condition},
    api_basename="target", manager="vn-me", changed_field="value",
)
MEASUREMENT = ModelCase(
    pages=views.MeasurementPages,
    make=_measurement,
    create_data=lambda w: {"indicator": _indicator(w), "year": 2025, "month": 0,
                           "agency": None, "value": "72.5",
                           "means_of_verification": "Survey report", "note": ""},
    edit_data=lambda obj: {"indicator": obj.indicator, "year": obj.year, "month": obj.month,
                           "agency": obj.agency, "value": "70.00",
                           "means_of_verification": obj.means_of_verification,
                           "note": obj.note},
    api_basename="measurement", manager="vn-me", changed_field="value",
)
CASES = [INDICATOR, TARGET, MEASUREMENT]

TestResultsModelPages = model_case_tests(CASES)


def test_every_audited_results_model_has_page_tests():
    from django.apps import apps

    audited = {m.__name__ for m in apps.get_app_config("results").get_models()
               if getattr(m, "audited", False)}
    assert audited - {case.model.__name__ for case in CASES} == set()


def test_the_cases_use_someone_with_the_rights(db):
    # vn-me manages indicators and measures; vn-member may do neither.
    from commonops.core import access
    from commonops.core.roles import Perm

    me, member = User.objects.get(username="vn-me"), User.objects.get(username="vn-member")
    vn = me.duty_country_id
    assert access.can(me, Perm.MANAGE_INDICATORS, vn) and access.can(me, Perm.MEASURE, vn)
    assert not access.can(member, Perm.MANAGE_INDICATORS, vn)
    assert not access.can(member, Perm.MEASURE, vn)
