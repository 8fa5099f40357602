"""C1–C3: the compacts contract by its examples, and as Hypothesis properties."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.compacts import rules
from commonops.compacts.rules import (
    OversightRates,
    Recommendation,
    measure_status,
    oversight_rates,
    three_months_after,
)

D = Decimal


# --- measure_status (C2) ---------------------------------------------------------------------


@pytest.mark.parametrize("direction, target, actual, min_cases, cases, expected", [
    ("increase", D(20), D(30), 4, None, "not_applicable"),
    ("increase", D(20), D(30), 4, 3, "not_applicable"),
    ("increase", D(20), D(30), 4, 4, "met"),
    ("increase", D(20), D(10), 4, 9, "not_met"),
    ("increase", D(20), None, 4, 9, "no_data"),
    ("decrease", D(5), D(5), None, None, "met"),
    ("decrease", D(5), D("5.1"), None, None, "not_met"),
    ("increase", D(50), None, None, None, "no_data"),
])
def test_c2_measure_status_examples(direction, target, actual, min_cases, cases, expected):
    assert measure_status(direction=direction, target=target, actual=actual,
                          min_cases=min_cases, cases=cases) == expected


def test_c2_measure_status_refuses_an_unknown_direction():
    with pytest.raises(ValueError):
        measure_status(direction="flat", target=D(1), actual=D(1))


@given(target=st.decimals(-1000, 1000, places=1), actual=st.decimals(-1000, 1000, places=1))
def test_c2_measure_status_never_reports_progress(target, actual):
    for direction in ("increase", "decrease"):
        assert measure_status(direction=direction, target=target, actual=actual) in {
            "met", "not_met"}


# --- three_months_after (C3) -----------------------------------------------------------------


@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 30), date(2027, 2, 28)),
    (date(2027, 11, 30), date(2028, 2, 29)),
    (date(2026, 3, 31), date(2026, 6, 30)),
    (date(2026, 1, 15), date(2026, 4, 15)),
    (date(2026, 10, 31), date(2027, 1, 31)),
    (date(2026, 12, 31), date(2027, 3, 31)),
])
def test_c3_three_months_after_examples(day, expected):
    assert three_months_after(day) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 9, 30)))
def test_c3_three_months_after_is_three_calendar_months_later_clamped(day):
    later = three_months_after(day)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == 3
    assert later.day == day.day or (later.day < day.day and (
        later + timedelta(days=1)).month != later.month)  # clamped to the month's last day
    assert later > day


# --- oversight_rates (C3) --------------------------------------------------------------------


def test_c3_oversight_rates_example():
    as_of = date(2026, 12, 31)
    recs = [
        Recommendation(date(2026, 3, 31), date(2026, 3, 31)),  # on time (on the day)
        Recommendation(date(2026, 3, 31), date(2026, 6, 30)),  # late, within three months
        Recommendation(date(2026, 3, 31), date(2026, 7, 1)),  # too late for both
        Recommendation(date(2026, 3, 31)),  # never implemented
        Recommendation(date(2026, 11, 30), date(2026, 11, 1)),  # on time; three months
        # after (2027-02-28) is not reached yet, so not counted in the second rate
        Recommendation(date(2027, 3, 31)),  # not due yet
        Recommendation(date(2026, 6, 30), date(2027, 1, 5)),  # implemented after as_of
    ]
    assert oversight_rates(recs, as_of) == OversightRates(
        due=6, on_time=2, on_time_rate=D("33.3"), due_three_months=5, by_three_months=2,
        within_three_months_rate=D("40.0"))


def test_c3_no_due_recommendation_gives_no_rate():
    rates = oversight_rates([Recommendation(date(2027, 1, 1))], date(2026, 6, 1))
    assert (rates.due, rates.on_time_rate, rates.within_three_months_rate) == (0, None, None)
    assert oversight_rates([], date(2026, 6, 1)).on_time_rate is None


def test_c3_rates_round_half_up_to_one_decimal():
    # 1 of 8 is 12.5 exactly; 2 of 3 is 66.666… -> 66.7; 1 of 6 = 16.666… -> 16.7
    day = date(2026, 1, 1)
    done = [Recommendation(day, day)]
    assert oversight_rates(done + [Recommendation(day)] * 7, date(2026, 1, 2)) \
        .on_time_rate == D("12.5")
    assert oversight_rates(done * 2 + [Recommendation(day)], date(2026, 1, 2)) \
        .on_time_rate == D("66.7")


recommendations = st.lists(st.builds(
    Recommendation, target=st.dates(date(2020, 1, 1), date(2028, 12, 31)),
    implemented=st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2029, 12, 31)))),
    max_size=30)


@given(recommendations, st.dates(date(2020, 1, 1), date(2029, 12, 31)))
def test_c3_rates_count_within_their_denominators(recs, as_of):
    rates = oversight_rates(recs, as_of)
    assert 0 <= rates.on_time <= rates.due <= len(recs)
    assert 0 <= rates.by_three_months <= rates.due_three_months <= rates.due
    for rate in (rates.on_time_rate, rates.within_three_months_rate):
        assert rate is None or D(0) <= rate <= D(100)
    assert (rates.on_time_rate is None) == (rates.due == 0)
    # on time is also within three months, for those whose three months are over
    assert rates.by_three_months >= sum(
        1 for r in recs if three_months_after(r.target) <= as_of and r.implemented
        and r.implemented <= min(r.target, as_of))


@given(recommendations, st.dates(date(2020, 1, 1), date(2029, 12, 31)))
def test_c3_an_implementation_after_as_of_counts_as_not_yet(recs, as_of):
    trimmed = [Recommendation(r.target, r.implemented if r.implemented and
                              r.implemented <= as_of else None) for r in recs]
    assert oversight_rates(recs, as_of) == oversight_rates(trimmed, as_of)


# --- the C2 measures computed from their figures -------------------------------------------


def test_c2_representation_change_applies_only_below_parity():
    change, applies = rules.representation_change(women_start=40, staff_start=100,
                                                  women_end=42, staff_end=100)
    assert (change, applies) == (D("2.0"), True)
    change, applies = rules.representation_change(women_start=55, staff_start=100,
                                                  women_end=54, staff_end=100)
    assert (change, applies) == (D("-1.0"), False)
    assert rules.representation_change(women_start=0, staff_start=0, women_end=1,
                                       staff_end=2) == (None, None)


def test_c2_spending_deviation_is_in_per_cent_of_the_plan():
    assert rules.spending_deviation(planned=D(1000), actual=D(1025)) == D("2.5")
    assert rules.spending_deviation(planned=D(1000), actual=D(985)) == D("1.5")
    assert rules.spending_deviation(planned=D(0), actual=D(5)) is None


def test_c2_on_time_share_counts_what_is_due_or_done():
    as_of = date(2026, 6, 30)
    items = [(date(2026, 1, 10), date(2026, 1, 9)),  # on time
             (date(2026, 2, 10), date(2026, 2, 12)),  # late
             (date(2026, 6, 1), None),  # due, not done: late
             (date(2026, 9, 1), None)]  # not due yet: not counted
    assert rules.on_time_share(items, as_of=as_of) == (D("33.3"), 3)
    # appeals: three weeks of grace after the day received
    appeals = [(date(2026, 3, 1), date(2026, 3, 22)), (date(2026, 3, 1), date(2026, 3, 23))]
    assert rules.on_time_share(appeals, grace_days=rules.APPEAL_DAYS, as_of=as_of) == (
        D("50.0"), 2)


def test_c1_a_compact_is_acknowledged_only_when_every_measure_has_a_target():
    facts = rules.CompactFacts(status="draft", measures=3, measures_without_target=1)
    assert not rules.may_acknowledge(facts)
    assert rules.may_acknowledge(rules.CompactFacts(status="draft", measures=3))
    assert not rules.may_acknowledge(rules.CompactFacts(status="draft", measures=0))
    assert rules.may_endorse(rules.CompactFacts(status="acknowledged", measures=3))
    assert not rules.may_edit("endorsed") and not rules.may_edit("acknowledged")
    assert rules.may_revise(rules.CompactFacts(status="endorsed"))
    assert not rules.may_revise(rules.CompactFacts(status="endorsed", superseded=True))


def test_c3_reminders_before_and_after_the_target_date():
    target = date(2026, 5, 20)
    assert rules.reminders_due(target=target, today=date(2026, 5, 12), implemented=False) == ()
    assert rules.reminders_due(target=target, today=date(2026, 5, 13),
                               implemented=False) == ("before",)
    assert rules.reminders_due(target=target, today=date(2026, 5, 21),
                               implemented=False) == ("before", "after")
    assert rules.reminders_due(target=target, today=date(2026, 6, 21), implemented=True) == ()


def test_c3_an_implementation_cannot_precede_the_issue_nor_be_in_the_future():
    issued, today = date(2026, 3, 1), date(2026, 6, 1)
    assert rules.implementation_problem(issued_on=issued, implemented_on=date(2026, 2, 28),
                                        today=today) == "before_issued"
    assert rules.implementation_problem(issued_on=issued, implemented_on=date(2026, 6, 2),
                                        today=today) == "in_future"
    assert rules.implementation_problem(issued_on=issued, implemented_on=issued,
                                        today=today) is None
