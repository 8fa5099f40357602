"""The results actions: rights, the period rules and one value per period (B5, B6)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonops.core.models import Agency, AuditEntry, User
from commonops.results import actions, queries
from commonops.results.models import Indicator, Measurement, Target

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def me(db):
    return User.objects.get(username="vn-me")


@pytest.fixture
def satisfaction(me, viet_nam):
    return actions.indicator_create(by=me, data={
        "country": viet_nam, "name": "Client satisfaction (test)", "unit": "percent",
        "kind": "quality", "baseline": D(60), "means_of_verification": "Annual client survey"})


@pytest.fixture
def by_agency(me, viet_nam):
    return actions.indicator_create(by=me, data={
        "country": viet_nam, "name": "Tickets per agency (test)", "unit": "count",
        "by_agency": True})


def test_the_me_focal_point_defines_an_indicator_and_the_trail_names_them(satisfaction, me):
    entry = AuditEntry.objects.get(object_id=str(satisfaction.pk), action="create",
                                   content_type__model="indicator")
    assert entry.actor == me


def test_an_indicator_records_what_it_measures(me, viet_nam):
    agency = Agency.objects.get(acronym="UNDP")
    indicator = actions.indicator_create(by=me, data={
        "country": viet_nam, "name": "Measures an agency", "unit": "count", "subject": agency})
    assert indicator.subject == agency
    assert list(queries.indicators_for(agency)) == [indicator]


def test_a_member_without_the_right_cannot_define_an_indicator(vn_member, viet_nam):
    with pytest.raises(PermissionDenied):
        actions.indicator_create(by=vn_member, data={
            "country": viet_nam, "name": "Not mine", "unit": "usd"})
    assert not Indicator.objects.filter(name="Not mine").exists()


def test_an_outsider_cannot_record_an_actual(satisfaction, outsider):
    with pytest.raises(PermissionDenied):
        actions.measurement_record(indicator=satisfaction, year=2025, value=D(70), by=outsider)
    assert not satisfaction.measurements.exists()


def test_a_target_without_a_value_is_refused(satisfaction, me):
    with pytest.raises(ValidationError) as error:
        actions.target_set(indicator=satisfaction, year=2026, value=None, by=me)
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        actions.target_create(by=me, data={"indicator": satisfaction, "year": 2026,
                                           "value": None})
    assert "value" in error.value.message_dict
    assert not satisfaction.targets.exists()


def test_a_month_on_a_yearly_indicator_is_refused(satisfaction, me):
    with pytest.raises(ValidationError) as error:
        actions.target_create(by=me, data={
            "indicator": satisfaction, "year": 2026, "month": 3, "value": D(80)})
    assert "per year" in error.value.message_dict["month"][0]
    assert not satisfaction.targets.exists()


def test_a_monthly_indicator_needs_the_month(me, viet_nam):
    monthly = actions.indicator_create(by=me, data={
        "country": viet_nam, "name": "Monthly", "unit": "count", "frequency": "monthly"})
    with pytest.raises(ValidationError):
        actions.measurement_create(by=me, data={
            "indicator": monthly, "year": 2026, "value": D(3)})
    assert actions.measurement_create(by=me, data={
        "indicator": monthly, "year": 2026, "month": 4, "value": D(3)}).period_label == "2026-04"


def test_an_agency_on_an_indicator_not_broken_down_is_refused(satisfaction, me):
    with pytest.raises(ValidationError) as error:
        actions.measurement_create(by=me, data={
            "indicator": satisfaction, "year": 2025, "value": D(70),
            "agency": Agency.objects.get(acronym="UNDP")})
    assert "agency" in error.value.message_dict
    assert not satisfaction.measurements.exists()


def test_a_second_target_for_a_period_is_refused_with_a_clear_message(satisfaction, me):
    actions.target_create(by=me, data={"indicator": satisfaction, "year": 2026, "value": D(80)})
    with pytest.raises(ValidationError) as error:
        actions.target_create(by=me, data={
            "indicator": satisfaction, "year": 2026, "value": D(90)})
    assert "already has a target for that period" in str(error.value)
    assert satisfaction.targets.get().value == D(80)


def test_totals_and_agency_values_are_separate_periods(by_agency, me):
    undp = Agency.objects.get(acronym="UNDP")
    actions.measurement_create(by=me, data={
        "indicator": by_agency, "year": 2025, "value": D(100)})
    actions.measurement_create(by=me, data={
        "indicator": by_agency, "year": 2025, "agency": undp, "value": D(40)})
    with pytest.raises(ValidationError):
        actions.measurement_create(by=me, data={
            "indicator": by_agency, "year": 2025, "agency": undp, "value": D(41)})
    assert by_agency.measurements.count() == 2


def test_target_set_replaces_the_period_value(satisfaction, me):
    actions.target_set(indicator=satisfaction, year=2026, value=D(80), by=me)
    actions.target_set(indicator=satisfaction, year=2026, value=D(85), condition="x", by=me)
    target = satisfaction.targets.get()
    assert (target.value, target.condition) == (D(85), "x")


def test_measurement_record_takes_the_indicators_means_of_verification(satisfaction, me):
    measurement = actions.measurement_record(indicator=satisfaction, year=2025, value=D(70),
                                             by=me)
    assert measurement.means_of_verification == "Annual client survey"


def test_moving_a_target_onto_a_taken_period_changes_nothing(satisfaction, me):
    actions.target_create(by=me, data={"indicator": satisfaction, "year": 2026, "value": D(80)})
    other = actions.target_create(by=me, data={
        "indicator": satisfaction, "year": 2027, "value": D(85)})
    with pytest.raises(ValidationError):
        actions.target_update(target=other, by=me, data={"year": 2026})
    assert Target.objects.get(pk=other.pk).year == 2027


def test_deleting_an_indicator_deletes_its_targets_and_actuals(satisfaction, me):
    actions.target_create(by=me, data={"indicator": satisfaction, "year": 2026, "value": D(80)})
    actions.measurement_create(by=me, data={
        "indicator": satisfaction, "year": 2026, "value": D(82)})
    actions.indicator_delete(indicator=satisfaction, by=me)
    assert not Target.objects.filter(indicator_id=satisfaction.pk).exists()
    assert not Measurement.objects.filter(indicator_id=satisfaction.pk).exists()


def test_summaries_give_status_per_indicator_in_constant_queries(satisfaction, by_agency, me,
                                                                 viet_nam):
    actions.target_create(by=me, data={"indicator": satisfaction, "year": 2026, "value": D(80)})
    actions.measurement_create(by=me, data={
        "indicator": satisfaction, "year": 2026, "value": D(70)})
    # an agency's value is not the total
    actions.measurement_create(by=me, data={
        "indicator": by_agency, "year": 2026, "value": D(5),
        "agency": Agency.objects.get(acronym="UNDP")})
    pair = Indicator.objects.filter(pk__in=[satisfaction.pk, by_agency.pk]).order_by("pk")
    with CaptureQueriesContext(connection) as two:
        summaries = queries.indicator_summaries(pair, year=2026)
    first, second = summaries
    assert (first.target, first.actual, first.status) == (D(80), D(70), "progress")
    assert first.status_label == "Not met, but progress"
    assert first.progress == D("50.0")
    assert (second.actual, second.status) == (None, "no_data")
    with CaptureQueriesContext(connection) as many:
        queries.indicator_summaries(Indicator.objects.filter(country=viet_nam), year=2026)
    assert len(two.captured_queries) == len(many.captured_queries) == 3


def test_indicators_missing_an_actual(satisfaction, me):
    actions.target_create(by=me, data={"indicator": satisfaction, "year": 2025, "value": D(80)})
    scope = Indicator.objects.filter(pk=satisfaction.pk)
    assert list(queries.indicators_missing_actual(scope, year=2025)) == [satisfaction]
    actions.measurement_create(by=me, data={
        "indicator": satisfaction, "year": 2025, "value": D(82)})
    assert not queries.indicators_missing_actual(scope, year=2025).exists()


def test_recording_the_same_actual_again_changes_nothing(satisfaction, me):
    first = actions.measurement_record(indicator=satisfaction, year=2025, value=D("90.80"),
                                       by=me)
    trail = AuditEntry.objects.filter(object_id=str(first.pk),
                                      content_type__model="measurement")
    assert trail.count() == 1
    actions.measurement_record(indicator=satisfaction, year=2025, value=D("90.8"), by=me)
    actions.target_set(indicator=satisfaction, year=2025, value=85, by=me)
    actions.target_set(indicator=satisfaction, year=2025, value=D("85.00"), by=me)
    assert trail.count() == 1
    assert AuditEntry.objects.filter(content_type__model="target",
                                     object_id=str(satisfaction.targets.get().pk)).count() == 1
    actions.measurement_record(indicator=satisfaction, year=2025, value=D("91"), by=me)
    assert trail.count() == 2
