"""G9: the work plan's rules — dates, progress, red/amber/green with its reasons, carrying
over — by example and as Hypothesis properties."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from commonops.workplans import rules
from commonops.workplans.rules import (
    AMBER,
    GREEN,
    NOT_RATED,
    RED,
    ActivityFacts,
    activity_rating,
)

D = Decimal
TODAY = date(2026, 6, 30)


def facts(**overrides):
    values = dict(status="in_progress", starts_on=date(2026, 1, 1),
                  ends_on=date(2026, 12, 31), progress=50, budget=D(1000), spent=D(400),
                  indicator_statuses=())
    values.update(overrides)
    return ActivityFacts(**values)


def codes(rating):
    return [reason.code for reason in rating.reasons]


def test_g9_an_activity_cannot_end_before_it_starts():
    assert rules.date_problems(date(2026, 5, 2), date(2026, 5, 1), 2026) == [
        rules.ENDS_BEFORE_START]
    assert rules.date_problems(date(2026, 5, 1), date(2026, 5, 1), 2026) == []


def test_g9_an_activity_falls_within_its_plans_year():
    assert rules.date_problems(date(2025, 12, 1), date(2026, 2, 1), 2026) == [
        rules.OUTSIDE_YEAR]


@pytest.mark.parametrize("status, progress, problem", [
    ("in_progress", 101, rules.OUT_OF_RANGE),
    ("in_progress", -1, rules.OUT_OF_RANGE),
    ("done", 90, rules.DONE_NEEDS_ALL),
    ("in_progress", 100, rules.ALL_IS_DONE),
    ("planned", 10, rules.PLANNED_HAS_PROGRESS),
    ("planned", 0, None),
    ("in_progress", 40, None),
    ("done", 100, None),
    ("cancelled", 30, None),
])
def test_g9_progress_over_100_and_other_inconsistent_reports(status, progress, problem):
    assert rules.progress_problem(status, progress) == problem


@pytest.mark.parametrize("overrides, colour, reason", [
    ({}, GREEN, "on_track"),
    ({"status": "done", "progress": 100}, GREEN, "done"),
    ({"status": "cancelled"}, NOT_RATED, "cancelled"),
    ({"ends_on": date(2026, 6, 29)}, RED, "overdue"),
    ({"progress": 35}, AMBER, "behind"),  # 49% of the year gone, 35% done: 14 behind
    ({"progress": 20}, RED, "behind"),  # 29 behind
    ({"spent": D(1050)}, AMBER, "over_budget"),
    ({"spent": D(1200)}, RED, "over_budget"),
    ({"budget": D(0), "spent": D(1)}, RED, "over_budget"),
    ({"indicator_statuses": ("not_met",)}, AMBER, "indicator_not_met"),
    ({"status": "done", "progress": 100, "indicator_statuses": ("met", "not_met")}, RED,
     "indicator_not_met"),
    ({"indicator_statuses": ("progress",)}, AMBER, "indicator_progress"),
    ({"indicator_statuses": ("not_applicable", "no_data", "met")}, GREEN, "on_track"),
])
def test_g9_red_amber_green_with_the_reason(overrides, colour, reason):
    rating = activity_rating(facts(**overrides), today=TODAY)
    assert rating.colour == colour
    assert reason in codes(rating)


def test_g9_every_reason_is_kept_and_the_worst_colour_wins():
    rating = activity_rating(facts(progress=35, spent=D(1200),
                                   indicator_statuses=("not_met",)), today=TODAY)
    assert codes(rating) == ["behind", "over_budget", "indicator_not_met"]
    assert rating.colour == RED


def test_g9_a_planned_activity_not_started_yet_is_on_track():
    rating = activity_rating(facts(status="planned", progress=0, spent=D(0),
                                   starts_on=date(2026, 9, 1)), today=TODAY)
    assert (rating.colour, codes(rating)) == (GREEN, ["on_track"])


days = st.dates(date(2026, 1, 1), date(2026, 12, 31))
statuses = st.sampled_from(rules.ACTIVITY_STATES)
money = st.decimals(0, 100000, places=2)
indicator_statuses = st.lists(st.sampled_from(
    ["met", "progress", "not_met", "no_data", "not_applicable"]), max_size=4).map(tuple)


@st.composite
def any_facts(draw):
    start = draw(days)
    end = draw(st.dates(start, date(2026, 12, 31)))
    return ActivityFacts(status=draw(statuses), starts_on=start, ends_on=end,
                         progress=draw(st.integers(0, 100)), budget=draw(money),
                         spent=draw(money), indicator_statuses=draw(indicator_statuses))


@given(any_facts(), days)
def test_g9_the_colour_is_the_worst_of_its_reasons(activity, today):
    rating = activity_rating(activity, today=today)
    assert rating.reasons
    assert rating.colour == rules.worst(r.colour for r in rating.reasons)
    if activity.status == "cancelled":
        assert rating.colour == NOT_RATED
    else:
        assert rating.colour in (RED, AMBER, GREEN)


@given(any_facts(), st.sampled_from(rules.UNFINISHED), st.integers(1, 500))
def test_g9_past_its_end_and_not_done_is_always_red(activity, status, days_late):
    late = ActivityFacts(**{**activity.__dict__, "status": status})
    today = activity.ends_on + timedelta(days=days_late)
    assert activity_rating(late, today=today).colour == RED


@given(any_facts(), days, st.integers(0, 100))
def test_g9_more_progress_never_makes_the_colour_worse(activity, today, more):
    assume(activity.status in ("planned", "in_progress"))
    better = ActivityFacts(**{**activity.__dict__,
                              "progress": min(100, activity.progress + more)})
    severity = {NOT_RATED: 0, GREEN: 1, AMBER: 2, RED: 3}
    assert severity[activity_rating(better, today=today).colour] <= severity[
        activity_rating(activity, today=today).colour]


@given(any_facts(), days, money)
def test_g9_more_spending_never_makes_the_colour_better(activity, today, extra):
    more = ActivityFacts(**{**activity.__dict__, "spent": activity.spent + extra})
    severity = {NOT_RATED: 0, GREEN: 1, AMBER: 2, RED: 3}
    assert severity[activity_rating(more, today=today).colour] >= severity[
        activity_rating(activity, today=today).colour]


@given(st.dates(date(2000, 1, 1), date(2098, 12, 31)))
def test_g9_a_carried_activity_falls_within_the_next_year(ends_on):
    starts, ends = rules.carried_dates(ends_on, ends_on.year + 1)
    assert starts == date(ends_on.year + 1, 1, 1)
    assert starts <= ends and ends.year == ends_on.year + 1
    assert ends.month == ends_on.month and ends.day <= ends_on.day


@given(money, money)
def test_g9_the_budget_carried_is_what_is_left_never_negative(budget, spent):
    left = rules.remaining_budget(budget, spent)
    assert left >= 0 and left == max(budget - spent, 0)


@given(days, st.integers(0, 400), days)
def test_g9_expected_progress_runs_from_0_to_100_with_time(start, length, today):
    end = start + timedelta(days=length)
    share = rules.expected_progress(start, end, today)
    assert 0 <= share <= 100
    assert rules.expected_progress(start, end, today + timedelta(days=1)) >= share


def test_g9_the_plans_steps():
    draft = rules.PlanFacts("draft", activities=0)
    assert not rules.may_submit(draft)
    assert rules.may_submit(rules.PlanFacts("draft", activities=2))
    assert rules.may_approve(rules.PlanFacts("submitted", 2))
    assert not rules.may_approve(rules.PlanFacts("draft", 2))
    assert rules.may_return(rules.PlanFacts("submitted", 2))
    assert not rules.may_edit_plan("approved") and rules.may_report("approved")


def test_the_hand_over_goes_once_into_a_later_draft_bos():
    ok = dict(evaluation_status="draft", bos_start_year=2022, next_start_year=2027,
              next_status="draft")
    assert rules.hand_over_problem(**ok) is None
    assert rules.hand_over_problem(**{**ok, "evaluation_status": "handed_over"}) == "already"
    assert rules.hand_over_problem(**{**ok, "next_start_year": 2022}) == "not_later"
    assert rules.hand_over_problem(**{**ok, "next_status": "signed_off"}) == "not_draft"
