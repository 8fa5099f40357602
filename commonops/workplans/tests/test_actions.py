"""G9: work plans through their actions — bad input changes nothing, the UNCT's approval,
quarterly progress, carrying over, the BOS link, and the end-of-cycle evaluation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.bos.models import Activity as BosActivity
from commonops.bos.models import Bos, Outcome, StocktakeEntry
from commonops.core.models import Agency, AuditEntry
from commonops.results import actions as results_actions
from commonops.results.models import Indicator
from commonops.workplans import actions, queries
from commonops.workplans.models import PlanActivity, ProgressUpdate, WorkPlan
from commonops.workplans.tests.helpers import (
    activity,
    approved,
    free_year,
    plan,
    report,
    signed_off_bos,
    user,
    viet_nam,
    vn_omt,
)

pytestmark = pytest.mark.django_db
D = Decimal


def _unchanged(model, before):
    assert model.objects.count() == before


def test_g9_an_activity_ending_before_it_starts_is_refused_and_nothing_changes():
    p = plan()
    before = PlanActivity.objects.count()
    with pytest.raises(ValidationError) as refused:
        actions.plan_activity_create(by=user("vn-chair"), data={
            "plan": p, "name": "Tender", "owner_agency": Agency.objects.get(acronym="UNDP"),
            "starts_on": date(p.year, 5, 2), "ends_on": date(p.year, 5, 1),
            "budget": D(100), "funding_source": "donor"})
    assert "cannot end before it starts" in str(refused.value)
    _unchanged(PlanActivity, before)


def test_g9_an_activity_outside_the_plans_year_is_refused():
    p = plan()
    a = activity(p)
    with pytest.raises(ValidationError, match="within"):
        actions.plan_activity_update(plan_activity=a, by=user("vn-chair"),
                                     data={"ends_on": date(p.year + 1, 1, 5)})
    a.refresh_from_db()
    assert a.ends_on.year == p.year


def test_g9_an_activity_has_one_owner_an_agency_or_a_task_force():
    p = plan()
    with pytest.raises(ValidationError, match="one owner"):
        actions.plan_activity_create(by=user("vn-chair"), data={
            "plan": p, "name": "Tender", "starts_on": date(p.year, 5, 1),
            "ends_on": date(p.year, 5, 2), "budget": D(1), "funding_source": "donor"})


def test_g9_progress_over_100_percent_is_refused_and_nothing_changes():
    p = plan()
    a = activity(p)
    approved(p)
    report(a, quarter=1, progress=30)
    with pytest.raises(ValidationError) as refused:
        report(a, quarter=2, progress=120)
    assert "0 to 100" in str(refused.value)
    a.refresh_from_db()
    assert (a.progress, ProgressUpdate.objects.filter(activity=a).count()) == (30, 1)


def test_g9_done_means_100_percent():
    p = plan()
    a = activity(p)
    approved(p)
    with pytest.raises(ValidationError, match="100%"):
        report(a, quarter=1, status="done", progress=90)


def test_g9_the_unct_approves_the_plan_and_only_then_progress_is_reported():
    p = plan()
    a = activity(p)
    with pytest.raises(ValidationError, match="approved work plan"):
        report(a)
    with pytest.raises(PermissionDenied):  # the OMT chair does not approve for the UNCT
        actions.work_plan_submit(work_plan=p, by=user("vn-chair"))
        actions.work_plan_approve(work_plan=p, by=user("vn-chair"))
    p.refresh_from_db()
    assert p.status == "submitted"
    actions.work_plan_approve(work_plan=p, by=user("vn-unct"), today=date(p.year, 1, 9))
    p.refresh_from_db()
    assert (p.status, p.approved_on) == ("approved", date(p.year, 1, 9))
    report(a, quarter=1, progress=25, spent="100")
    a.refresh_from_db()
    assert (a.status, a.progress, a.spent) == ("in_progress", 25, D("100.00"))


def test_g9_a_plan_without_activities_cannot_be_submitted():
    p = plan()
    with pytest.raises(ValidationError, match="at least one activity"):
        actions.work_plan_submit(work_plan=p, by=user("vn-chair"))


def test_g9_a_submitted_plan_is_no_longer_changed_until_the_unct_returns_it():
    p = plan()
    a = activity(p)
    actions.work_plan_submit(work_plan=p, by=user("vn-chair"))
    p.refresh_from_db()
    with pytest.raises(ValidationError, match="can no longer be changed"):
        actions.plan_activity_update(plan_activity=a, by=user("vn-chair"),
                                     data={"name": "Renamed"})
    with pytest.raises(ValidationError, match="Say why"):
        actions.work_plan_return(work_plan=p, by=user("vn-unct"), reason=" ")
    actions.work_plan_return(work_plan=p, by=user("vn-unct"), reason="Add the budget.")
    p.refresh_from_db()
    assert (p.status, p.return_reason) == ("draft", "Add the budget.")
    actions.plan_activity_update(plan_activity=a, by=user("vn-chair"),
                                 data={"name": "Renamed"})


def test_g9_an_indicator_without_a_target_is_refused():
    p = plan()
    a = activity(p)
    before = Indicator.objects.count()
    with pytest.raises(ValidationError, match="needs a target"):
        actions.activity_indicator_add(plan_activity=a, by=user("vn-chair"), name="Rate",
                                       unit="percent", direction="increase", target=None)
    assert Indicator.objects.count() == before


def test_g9_the_colour_changes_as_the_activity_moves_from_planned_to_done():
    p = plan()
    a = activity(p, starts=(1, 10), ends=(3, 31))
    actions.activity_indicator_add(plan_activity=a, by=user("vn-chair"),
                                   name="Agencies on the LTA", unit="count",
                                   direction="increase", target=D(6))
    approved(p)
    day = date(p.year, 4, 15)  # past its end, nothing done: red
    row = queries.activity_rows(p, [a], today=day)[0]
    assert (row.colour, row.rating.reasons[0].code) == ("red", "overdue")
    report(a, quarter=1, status="done", progress=100, spent="4000")
    indicator = Indicator.objects.get(subject_id=a.pk, name="Agencies on the LTA")
    results_actions.measurement_record(indicator=indicator, year=p.year, value=D(4),
                                       by=user("vn-me"))
    a.refresh_from_db()
    row = queries.activity_rows(p, [a], today=day)[0]
    assert (row.colour, [r.code for r in row.rating.reasons]) == ("red", ["indicator_not_met"])
    results_actions.measurement_record(indicator=indicator, year=p.year, value=D(7),
                                       by=user("vn-me"))
    row = queries.activity_rows(p, [a], today=day)[0]
    assert (row.colour, row.reasons) == ("green", ["Done, within budget, indicators met."])


def test_g9_unfinished_activities_are_carried_into_next_years_plan_once():
    year = free_year()
    last = plan(year=year - 1)
    unfinished = activity(last, name="Roster", ends=(11, 30), budget="9000")
    actions.activity_indicator_add(plan_activity=unfinished, by=user("vn-chair"),
                                   name="Candidates", unit="count", direction="increase",
                                   target=D(60), min_cases=3)
    finished = activity(last, name="Retreat")
    approved(last)
    report(unfinished, quarter=3, progress=70, spent="6100")
    report(finished, quarter=3, status="done", progress=100, spent="100")
    this = plan(year=year)
    carried = actions.work_plan_carry_over(work_plan=this, by=user("vn-chair"))
    assert [c.name for c in carried] == ["Roster"]
    new = carried[0]
    assert (new.budget, new.progress, new.status, new.carried_from_id) == (
        D("2900.00"), 70, "in_progress", unfinished.pk)
    assert (new.starts_on, new.ends_on) == (date(year, 1, 1), date(year, 11, 30))
    copy = Indicator.objects.get(subject_id=new.pk, name="Candidates")
    assert copy.targets.get(year=year).min_cases == 3
    with pytest.raises(ValidationError, match="already carried over"):
        actions.work_plan_carry_over(work_plan=this, by=user("vn-chair"))


def test_g9_a_bos_plan_activity_is_seen_in_the_year_not_copied():
    bos = signed_off_bos()
    outcome = Outcome.objects.create(country=bos.country, bos=bos, service_line="ict",
                                     statement="One desk.")
    bos_activity = BosActivity.objects.create(
        country=bos.country, outcome=outcome, name="Roll out the desk",
        owner=Agency.objects.get(acronym="UNDP"), starts_on=date(bos.start_year, 1, 1),
        ends_on=date(bos.end_year, 12, 31), budget=D(50000))
    p = plan(year=bos.start_year + 1, bos=bos)
    a = actions.plan_activity_create(by=user("vn-chair"), data={
        "plan": p, "bos_activity": bos_activity, "name": "ignored",
        "owner_agency": Agency.objects.get(acronym="UNICEF"),
        "starts_on": date(p.year, 2, 1), "ends_on": date(p.year, 9, 30),
        "budget": D(10000), "funding_source": "cost_sharing"})
    assert (a.name, a.title, a.the_outcome) == ("", "Roll out the desk", outcome)
    bos_activity.name = "Roll out the common desk"
    bos_activity.save()
    a.refresh_from_db()
    assert str(a) == "Roll out the common desk"  # one thing, read from the BOS
    with pytest.raises(ValidationError, match="already in the work plan"):
        actions.plan_activity_create(by=user("vn-chair"), data={
            "plan": p, "bos_activity": bos_activity,
            "owner_agency": Agency.objects.get(acronym="UNDP"),
            "starts_on": date(p.year, 2, 1), "ends_on": date(p.year, 3, 1),
            "budget": D(1), "funding_source": "donor"})
    other = plan()
    with pytest.raises(ValidationError, match="BOS plan this work plan"):
        actions.plan_activity_create(by=user("vn-chair"), data={
            "plan": other, "bos_activity": bos_activity,
            "owner_agency": Agency.objects.get(acronym="UNDP"),
            "starts_on": date(other.year, 2, 1), "ends_on": date(other.year, 3, 1),
            "budget": D(1), "funding_source": "donor"})


def test_g9_people_without_the_right_cannot_draft_or_report(outsider):
    with pytest.raises(PermissionDenied):
        actions.work_plan_create(by=user("vn-member"), data={
            "omt": vn_omt(), "year": free_year(), "title": "Mine"})
    p = plan()
    a = activity(p)
    approved(p)
    with pytest.raises(PermissionDenied):
        actions.progress_update_create(by=outsider, data={
            "activity": a, "quarter": 1, "status": "in_progress", "progress": 5,
            "spent": D(0)})


def test_g9_a_plan_stays_with_its_omt_and_its_bos_covers_its_year():
    bos = signed_off_bos()
    with pytest.raises(ValidationError, match="does not cover"):
        plan(year=bos.end_year + 3, bos=bos)


def test_the_evaluation_hands_each_service_over_into_the_next_bos_stocktake():
    bos = signed_off_bos()
    evaluation = actions.bos_evaluation_create(by=user("vn-chair"), data={
        "bos": bos, "summary": "Good cycle.", "lessons": "Start earlier."})
    verdicts = list(evaluation.verdicts.all())
    assert len(verdicts) == 2  # the selected service and the stock-take entry
    desk = next(v for v in verdicts if v.opportunity_id)
    actions.service_verdict_update(service_verdict=desk, by=user("vn-chair"),
                                   data={"action": "scale_up", "comments": "Add NRAs."})
    next_bos = Bos.objects.create(country=bos.country, title="Next", status="draft",
                                  start_year=bos.end_year + 1, end_year=bos.end_year + 5,
                                  service_lines=["ict"])
    with pytest.raises(ValidationError, match="service line of"):
        actions.bos_evaluation_hand_over(bos_evaluation=evaluation, by=user("vn-chair"),
                                         next_bos=next_bos)
    assert not StocktakeEntry.objects.filter(bos=next_bos).exists()  # all or nothing
    next_bos.service_lines = ["ict", "procurement"]
    next_bos.save()
    entries = actions.bos_evaluation_hand_over(bos_evaluation=evaluation,
                                               by=user("vn-chair"), next_bos=next_bos,
                                               today=date(bos.end_year, 11, 1))
    assert {(e.name, e.action) for e in entries} == {
        (desk.opportunity.name, "scale_up"), (verdicts[1].stocktake_entry.name, "continue")}
    desk_entry = next(e for e in entries if e.action == "scale_up")
    assert "Add NRAs." in desk_entry.comments
    assert list(desk_entry.managing_agencies.values_list("acronym", flat=True)) == ["UNDP"]
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.next_bos_id) == ("handed_over", next_bos.pk)
    with pytest.raises(ValidationError, match="already been handed over"):
        actions.bos_evaluation_hand_over(bos_evaluation=evaluation, by=user("vn-chair"),
                                         next_bos=next_bos)
    with pytest.raises(ValidationError, match="kept as it was"):
        actions.bos_evaluation_update(bos_evaluation=evaluation, by=user("vn-chair"),
                                      data={"lessons": "Changed"})


def test_only_a_signed_off_bos_is_evaluated():
    bos = signed_off_bos()
    bos.status = "draft"
    bos.save()
    with pytest.raises(ValidationError, match="signed-off"):
        actions.bos_evaluation_create(by=user("vn-chair"), data={"bos": bos, "summary": "x"})


def test_every_write_is_in_the_audit_trail():
    p = plan()
    a = activity(p)
    assert AuditEntry.objects.filter(object_id=str(a.pk), action="create",
                                     actor__username="vn-chair").exists()
    assert WorkPlan.objects.get(pk=p.pk).country == viet_nam()
