"""C1–C3 through the actions: a compact from draft to signed, read-only afterwards, new
versions, measures computed from their figures, oversight recommendations and reminders.
Bad input gets a clear message and changes nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.compacts import actions, queries, rules, tasks
from commonops.compacts.models import (
    Compact,
    OversightRecommendation,
    OversightReminder,
    PerformanceMeasure,
    Section,
)
from commonops.compacts.tests.helpers import (
    compact,
    office,
    recommendation,
    signed,
    user,
)
from commonops.results import actions as results_actions
from commonops.results.models import Indicator, Measurement, Target

pytestmark = pytest.mark.django_db
D = Decimal


def _measure(c, standard):
    return PerformanceMeasure.objects.select_related("indicator").get(
        objective__compact=c, standard=standard)


def _actual(measure, year=2026):
    return Measurement.objects.filter(indicator=measure.indicator, year=year,
                                      month=0).values_list("value", flat=True).first()


def test_c2_a_new_compact_starts_from_the_standard_measures_with_their_targets():
    c = compact()
    measures = PerformanceMeasure.objects.filter(objective__compact=c)
    assert sorted(m.standard for m in measures) == sorted(rules.STANDARD_MEASURES)
    vacancy = _measure(c, rules.VACANCY)
    target = Target.objects.get(indicator=vacancy.indicator, year=2026)
    assert (target.value, vacancy.indicator.direction) == (D("5.00"), "decrease")
    geography = Target.objects.get(indicator=_measure(c, rules.GEOGRAPHY).indicator)
    assert geography.min_cases == 4
    assert c.objectives.filter(section=Section.MANAGEMENT).count() == len(
        rules.STANDARD_OBJECTIVES)


def test_c1_a_measure_without_a_target_is_refused_and_nothing_changes():
    c = compact()
    objective = c.objectives.first()
    before = (PerformanceMeasure.objects.count(), Indicator.objects.count())
    with pytest.raises(ValidationError, match="needs a target"):
        actions.performance_measure_create(by=user("vn-senior"), data={
            "objective": objective, "name": "Town halls held", "unit": "count",
            "direction": "increase", "target": None})
    assert (PerformanceMeasure.objects.count(), Indicator.objects.count()) == before


def test_c1_acknowledged_by_the_manager_then_endorsed_then_read_only():
    c = compact()
    with pytest.raises(PermissionDenied):  # the endorser does not acknowledge for them
        actions.compact_acknowledge(compact=c, by=user("vn-endorser"))
    with pytest.raises(ValidationError, match="acknowledges the compact before"):
        actions.compact_endorse(compact=c, by=user("vn-endorser"))
    actions.compact_acknowledge(compact=c, by=user("vn-senior"), today=date(2026, 2, 4))
    with pytest.raises(PermissionDenied):  # a manager never endorses their own compact
        actions.compact_endorse(compact=c, by=user("vn-senior"))
    actions.compact_endorse(compact=c, by=user("vn-endorser"), today=date(2026, 2, 5))
    c.refresh_from_db()
    assert (c.status, c.acknowledged_on, c.endorsed_on, c.endorsed_by.username) == (
        "endorsed", date(2026, 2, 4), date(2026, 2, 5), "vn-endorser")


def test_c1_editing_a_signed_compact_is_refused_everywhere_and_nothing_changes():
    c = signed(compact())
    objective = c.objectives.first()
    measure = _measure(c, rules.VACANCY)
    with pytest.raises(ValidationError, match="new version"):
        actions.compact_update(compact=c, by=user("vn-senior"),
                               data={"budget_reference": "Changed"})
    with pytest.raises(ValidationError, match="new version"):
        actions.objective_update(objective=objective, by=user("vn-senior"),
                                 data={"objective": "Changed"})
    with pytest.raises(ValidationError, match="new version"):
        actions.performance_measure_update(performance_measure=measure, by=user("vn-senior"),
                                           data={"target": D(10)})
    # the results engine's own pages and API refuse it too (C1)
    target = Target.objects.get(indicator=measure.indicator, year=2026)
    with pytest.raises(ValidationError, match="new version"):
        results_actions.target_update(target=target, by=user("vn-senior"),
                                      data={"value": D(10)})
    c.refresh_from_db()
    target.refresh_from_db()
    assert (c.budget_reference, target.value) == ("Country programme document.", D("5.00"))


def test_c1_a_correction_is_a_new_version_the_signed_one_stays():
    c = signed(compact())
    new = actions.compact_revise(compact=c, by=user("vn-senior"))
    assert (new.version, new.status, new.supersedes_id) == (2, "draft", c.pk)
    assert PerformanceMeasure.objects.filter(objective__compact=new).count() == \
        PerformanceMeasure.objects.filter(objective__compact=c).count()
    actions.performance_measure_update(
        performance_measure=_measure(new, rules.VACANCY), by=user("vn-senior"),
        data={"target": D(4)})
    assert Target.objects.get(indicator=_measure(c, rules.VACANCY).indicator).value == D(5)
    with pytest.raises(ValidationError, match="latest signed version"):
        actions.compact_revise(compact=c, by=user("vn-senior"))


def test_c1_the_endorser_returns_an_acknowledged_compact_with_a_reason():
    c = compact()
    actions.compact_acknowledge(compact=c, by=user("vn-senior"))
    with pytest.raises(ValidationError, match="Say why"):
        actions.compact_return(compact=c, by=user("vn-endorser"), reason="")
    actions.compact_return(compact=c, by=user("vn-endorser"), reason="Add a priority.")
    c.refresh_from_db()
    assert (c.status, c.return_reason, c.acknowledged_on) == ("draft", "Add a priority.",
                                                             None)


def test_c1_reviews_are_of_a_signed_compact():
    c = compact()
    data = {"compact": c, "kind": "mid_year", "reviewed_on": date(2026, 7, 1),
            "self_evaluation": "On track."}
    with pytest.raises(ValidationError, match="signed compact"):
        actions.compact_review_create(by=user("vn-senior"), data=data)
    signed(c)
    review = actions.compact_review_create(by=user("vn-senior"), data=data)
    assert review.get_kind_display() == "Mid-year review"


def test_c2_the_measures_actuals_are_computed_from_the_figures():
    o = office()
    c = compact(the_office=o)
    me = user("vn-senior")
    for kind, count in ((rules.POSTS, 40), (rules.VACANT, 3)):
        actions.staff_figure_create(by=me, data={"office": o, "year": 2026, "kind": kind,
                                                 "count": count})
    assert _actual(_measure(c, rules.VACANCY)) == D("7.50")
    for nationality, count in ((rules.UNDERREPRESENTED, 1), (rules.WITHIN_RANGE, 2)):
        actions.staff_figure_create(by=me, data={
            "office": o, "year": 2026, "kind": rules.RECRUITMENT, "level": "professional",
            "nationality": nationality, "count": count})
    card = queries.scorecard(c)
    geography = next(r for r in card.rows if r.measure.standard == rules.GEOGRAPHY)
    assert (geography.cases, geography.summary.status) == (3, "not_applicable")
    actions.staff_figure_create(by=me, data={
        "office": o, "year": 2026, "kind": rules.RECRUITMENT, "level": "professional",
        "nationality": rules.UNREPRESENTED, "count": 1})
    geography = next(r for r in queries.scorecard(c).rows
                     if r.measure.standard == rules.GEOGRAPHY)
    assert (geography.cases, geography.summary.actual, geography.summary.status) == (
        4, D("50.00"), "met")


def test_c2_figures_change_the_actuals_of_a_signed_compact_too():
    o = office()
    c = signed(compact(the_office=o))
    figure = actions.compliance_figure_create(by=user("vn-senior"), data={
        "office": o, "year": 2026, "kind": rules.APPRAISALS, "required": 40,
        "completed": 38})
    assert _actual(_measure(c, rules.APPRAISAL)) == D("95.00")
    actions.compliance_figure_update(compliance_figure=figure, by=user("vn-senior"),
                                     data={"completed": 40})
    assert _actual(_measure(c, rules.APPRAISAL)) == D("100.00")


def test_c2_more_completed_than_required_is_refused():
    with pytest.raises(ValidationError, match="More staff"):
        actions.compliance_figure_create(by=user("vn-senior"), data={
            "office": office(), "year": 2026, "kind": rules.TRAININGS, "required": 3,
            "completed": 4})


def test_c3_a_recommendation_implemented_before_it_was_issued_is_refused():
    o = office()
    rec = recommendation(o, issued=date(2026, 3, 1), target=date(2026, 6, 30))
    with pytest.raises(ValidationError, match="before it was issued"):
        actions.recommendation_implement(oversight_recommendation=rec, by=user("vn-senior"),
                                         implemented_on=date(2026, 2, 27), evidence="Memo",
                                         today=date(2026, 7, 1))
    rec.refresh_from_db()
    assert (rec.status, rec.implemented_on, rec.events.count()) == ("open", None, 1)


def test_c3_status_history_and_evidence_and_the_rates_feed_the_compacts_measure():
    o = office()
    c = compact(the_office=o)
    on_time = recommendation(o, issued=date(2026, 1, 5), target=date(2026, 3, 31))
    late = recommendation(o, issued=date(2026, 1, 5), target=date(2026, 3, 31))
    actions.recommendation_start(oversight_recommendation=on_time, by=user("vn-senior"),
                                 today=date(2026, 2, 1))
    actions.recommendation_implement(oversight_recommendation=on_time, by=user("vn-senior"),
                                     implemented_on=date(2026, 3, 30),
                                     evidence="Signed procedure", today=date(2026, 4, 2))
    actions.recommendation_implement(oversight_recommendation=late, by=user("vn-senior"),
                                     implemented_on=date(2026, 5, 15), evidence="Memo",
                                     today=date(2026, 5, 16))
    on_time.refresh_from_db()
    assert [e.status for e in on_time.events.all()] == ["open", "in_progress", "implemented"]
    assert on_time.evidence == "Signed procedure"
    rates = queries.oversight_rates(o, year=2026, today=date(2026, 12, 31))
    assert (rates.on_time_rate, rates.within_three_months_rate) == (D("50.0"), D("100.0"))
    actions.measures_refresh(office=o, year=2026, today=date(2026, 12, 31))
    assert _actual(_measure(c, rules.OVERSIGHT_ON_TIME)) == D("50.00")
    assert _actual(_measure(c, rules.OVERSIGHT_THREE_MONTHS)) == D("100.00")


def test_c3_a_closed_recommendation_does_not_move_again():
    rec = recommendation(office(), issued=date(2026, 1, 5), target=date(2026, 3, 31))
    actions.recommendation_close(oversight_recommendation=rec, by=user("vn-senior"),
                                 note="Withdrawn.")
    with pytest.raises(ValidationError, match="cannot become"):
        actions.recommendation_start(oversight_recommendation=rec, by=user("vn-senior"))


def test_c3_the_target_date_cannot_precede_the_issue():
    with pytest.raises(ValidationError, match="cannot come before"):
        recommendation(office(), issued=date(2026, 5, 1), target=date(2026, 4, 1))


def _at(day: date):
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)


def test_c3_reminders_go_out_once_each_and_again_when_the_target_moves(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rec = recommendation(office(), issued=date(2030, 1, 5), target=date(2030, 5, 20))
    mine = OversightReminder.objects.filter(recommendation=rec)
    tasks.send_reminders(now=_at(date(2030, 5, 10)))
    assert not mine.exists()  # more than a week ahead
    tasks.send_reminders(now=_at(date(2030, 5, 14)))
    tasks.send_reminders(now=_at(date(2030, 5, 15)))  # a second run, or a second worker
    assert list(mine.values_list("kind", flat=True)) == ["before"]
    tasks.send_reminders(now=_at(date(2030, 5, 21)))
    tasks.send_reminders(now=_at(date(2030, 5, 22)))
    assert sorted(mine.values_list("kind", flat=True)) == ["after", "before"]
    subjects = [m.subject for m in mail.outbox if rec.report in m.subject]
    assert len(subjects) == 2
    actions.oversight_recommendation_update(oversight_recommendation=rec, by=user("vn-senior"),
                                            data={"target_date": date(2030, 6, 30)})
    tasks.send_reminders(now=_at(date(2030, 6, 25)))
    assert mine.filter(target_date=date(2030, 6, 30), kind="before").count() == 1
    actions.recommendation_implement(oversight_recommendation=rec, by=user("vn-senior"),
                                     implemented_on=date(2030, 6, 26), evidence="Done",
                                     today=date(2030, 6, 26))
    tasks.send_reminders(now=_at(date(2030, 7, 5)))
    assert not mine.filter(target_date=date(2030, 6, 30), kind="after").exists()


def test_c3_two_workers_claiming_the_same_reminder_send_it_once():
    rec = recommendation(office(), issued=date(2030, 1, 5), target=date(2030, 5, 20))
    owner = user("vn-senior")
    assert tasks._claim(rec, "before", owner) is True
    assert tasks._claim(rec, "before", owner) is False


def test_people_without_the_right_cannot_draft_or_track(outsider):
    with pytest.raises(PermissionDenied):
        actions.compact_create(by=user("vn-member"), data={"office": office(), "year": 2026})
    count = OversightRecommendation.objects.count()
    with pytest.raises(PermissionDenied):
        actions.oversight_recommendation_create(by=outsider, data={
            "office": office(), "source_body": "oios", "report": "R", "text": "T",
            "risk": "low", "owner": outsider, "issued_on": date(2026, 1, 1),
            "target_date": date(2026, 2, 1)})
    assert OversightRecommendation.objects.count() == count


def test_c1_only_a_senior_manager_keeps_a_compact_and_an_endorser_endorses():
    with pytest.raises(ValidationError, match="not a senior manager"):
        actions.compact_create(by=user("admin"), data={
            "office": office(), "manager": user("vn-member"), "year": 2026})
    with pytest.raises(ValidationError, match="does not endorse"):
        compact(endorser="vn-member")


def test_every_compact_write_is_kept_in_the_trail():
    from commonops.core.testing import _audit_rows

    c = compact()
    assert _audit_rows(Compact, c.pk, "create").get().actor.username == "vn-senior"
    signed(c)
    assert [e.actor.username for e in _audit_rows(Compact, c.pk, "update").order_by(
        "at", "id")] == ["vn-senior", "vn-endorser"]


def test_a_past_years_measures_are_computed_as_of_its_last_day():
    assert rules.as_of_for(2025, date(2026, 3, 1)) == date(2025, 12, 31)
    assert rules.as_of_for(2026, date(2026, 3, 1)) == date(2026, 3, 1)


def test_c2_the_daily_run_recomputes_this_years_measures():
    from django.utils import timezone

    o = office()
    year = o.country.today().year
    c = compact(the_office=o, year=year)
    for kind, count in ((rules.POSTS, 20), (rules.VACANT, 2)):
        actions.staff_figure_create(by=user("vn-senior"), data={
            "office": o, "year": year, "kind": kind, "count": count})
    vacancy = _measure(c, rules.VACANCY)
    Measurement.objects.filter(indicator=vacancy.indicator).update(value=D(99))
    assert tasks.refresh_measures(now=timezone.now()) >= 1
    assert _actual(vacancy, year) == D("10.00")
