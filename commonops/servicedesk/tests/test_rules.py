"""The desk's pure rules: assignment (T3, the contract), transitions (T1), SLA due times in
the country calendar (T2), and the KPI helpers (T5, T6)."""

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonops.core.calendars import WorkingCalendar
from commonops.servicedesk import rules
from commonops.servicedesk.rules import AgentLoad, pick_assignee

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


# --- T3 pick_assignee: examples --------------------------------------------------------------


def test_the_agent_with_the_fewest_open_tickets_gets_the_ticket():
    agents = [AgentLoad(1, 3, T0), AgentLoad(2, 1, T0), AgentLoad(3, 2, None)]
    assert pick_assignee(agents) == 2


def test_a_tie_goes_to_the_agent_never_assigned_first():
    agents = [AgentLoad(1, 2, T0), AgentLoad(5, 2, None), AgentLoad(3, 2, T0 - timedelta(1))]
    assert pick_assignee(agents) == 5


def test_a_tie_goes_to_the_agent_assigned_least_recently():
    agents = [AgentLoad(1, 2, T0), AgentLoad(2, 2, T0 - timedelta(hours=1)),
              AgentLoad(3, 2, T0 + timedelta(hours=1))]
    assert pick_assignee(agents) == 2


def test_a_full_tie_goes_to_the_lowest_id():
    assert pick_assignee([AgentLoad(9, 0, None), AgentLoad(4, 0, None)]) == 4
    assert pick_assignee([AgentLoad(9, 1, T0), AgentLoad(4, 1, T0)]) == 4


def test_agents_who_are_away_are_skipped_even_with_no_tickets():
    agents = [AgentLoad(1, 0, None, available=False), AgentLoad(2, 7, T0)]
    assert pick_assignee(agents) == 2


def test_nobody_available_gives_none():
    assert pick_assignee([]) is None
    assert pick_assignee([AgentLoad(1, 0, None, available=False)]) is None


def test_aware_times_in_different_zones_compare_as_instants():
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    earlier_in_hanoi = datetime(2026, 3, 2, 15, 0, tzinfo=hanoi)  # 08:00 UTC
    later_utc = datetime(2026, 3, 2, 8, 30, tzinfo=timezone.utc)
    assert pick_assignee([AgentLoad(1, 0, later_utc), AgentLoad(2, 0, earlier_in_hanoi)]) == 2


# --- T3 pick_assignee: properties ------------------------------------------------------------

loads = st.lists(st.builds(
    AgentLoad, agent_id=st.integers(1, 10_000), open_tickets=st.integers(0, 50),
    last_assigned_at=st.one_of(st.none(), st.datetimes(
        min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1),
        timezones=st.just(timezone.utc))),
    available=st.booleans()), max_size=12, unique_by=lambda a: a.agent_id)


@given(loads)
def test_the_pick_is_available_and_has_the_fewest_open_tickets(agents):
    picked = pick_assignee(agents)
    available = [a for a in agents if a.available]
    if not available:
        assert picked is None
        return
    chosen = next(a for a in agents if a.agent_id == picked)
    assert chosen.available
    assert chosen.open_tickets == min(a.open_tickets for a in available)
    tied = [a for a in available if a.open_tickets == chosen.open_tickets]
    if any(a.last_assigned_at is None for a in tied):
        assert chosen.last_assigned_at is None
        assert chosen.agent_id == min(a.agent_id for a in tied if a.last_assigned_at is None)
    else:
        earliest = min(a.last_assigned_at for a in tied)
        assert chosen.last_assigned_at == earliest
        assert chosen.agent_id == min(a.agent_id for a in tied
                                      if a.last_assigned_at == earliest)


@given(loads, st.randoms())
def test_the_pick_does_not_depend_on_the_order_of_the_agents(agents, rng):
    shuffled = list(agents)
    rng.shuffle(shuffled)
    assert pick_assignee(shuffled) == pick_assignee(agents)


# --- T1 transitions --------------------------------------------------------------------------


def test_a_resolved_ticket_can_be_reopened_or_closed_only():
    assert rules.TRANSITIONS[rules.RESOLVED] == {rules.CLOSED, rules.REOPENED}


def test_a_closed_ticket_only_reopens():
    assert rules.can_move(rules.CLOSED, rules.REOPENED)
    assert not rules.can_move(rules.CLOSED, rules.IN_PROGRESS)


def test_a_new_ticket_cannot_jump_to_reopened():
    assert not rules.can_move(rules.NEW, rules.REOPENED)
    assert not rules.can_move("nonsense", rules.NEW)


def test_every_status_is_reachable_and_has_a_label():
    reachable = {rules.NEW} | set().union(*rules.TRANSITIONS.values())
    assert reachable == set(rules.STATUS_LABELS)


# --- T1 numbers, mail threading, attachments -------------------------------------------------


def test_ticket_numbers_are_per_country_and_year():
    assert rules.ticket_number("VN", 2026, 123) == "VN-2026-000123"


def test_a_reply_subject_carries_the_ticket_number():
    assert rules.number_in_subject("Re: [VN-2026-000123] Printer jams") == "VN-2026-000123"
    assert rules.number_in_subject("Printer jams") is None


def test_attachments_are_refused_by_type_and_size():
    assert rules.attachment_problem("report.pdf", 1000) is None
    assert rules.attachment_problem("setup.exe", 1000) == "type"
    assert rules.attachment_problem("noextension", 1000) == "type"
    assert rules.attachment_problem("big.png", rules.MAX_ATTACHMENT_BYTES + 1) == "size"
    assert rules.attachment_problem("empty.txt", 0) == "empty"


# --- T2 due times in the calendar (the calendar contract) ------------------------------------

HANOI = WorkingCalendar(holidays=(date(2026, 4, 30), date(2026, 5, 1)),
                        tz="Asia/Ho_Chi_Minh")
AMMAN = WorkingCalendar(weekend=(4, 5), day_end=time(16), tz="Asia/Amman")


def test_a_p3_ticket_raised_on_friday_afternoon_is_due_on_tuesday():
    opened = datetime(2026, 3, 6, 15, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # Friday
    due = HANOI.add_business_hours(opened, 24)  # 2 h Fri + 9 Mon + 9 Tue + 4 Wed
    assert due == datetime(2026, 3, 11, 12, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_holidays_do_not_count():
    opened = datetime(2026, 4, 29, 16, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # Wednesday
    # 1 h on the 29th, then 30 April and 1 May are holidays, then the weekend
    due = HANOI.add_business_hours(opened, 2)
    assert due == datetime(2026, 5, 4, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_a_ticket_raised_at_night_in_utc_counts_from_the_next_local_opening():
    opened = datetime(2026, 3, 2, 23, 30, tzinfo=timezone.utc)  # 06:30 Tuesday in Hanoi
    due = HANOI.add_business_hours(opened, 1)
    assert due == datetime(2026, 3, 3, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_a_sunday_to_thursday_week_works_on_sunday():
    opened = datetime(2026, 3, 5, 15, 0, tzinfo=ZoneInfo("Asia/Amman"))  # Thursday
    due = AMMAN.add_business_hours(opened, 2)  # 1 h Thursday, Fri-Sat off, 1 h Sunday
    assert due == datetime(2026, 3, 8, 9, 0, tzinfo=ZoneInfo("Asia/Amman"))


@settings(max_examples=60, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 6, 1),
                    timezones=st.just(timezone.utc)),
       st.sampled_from([d for pair in rules.DEFAULT_SLA_HOURS.values() for d in pair]),
       st.sampled_from([HANOI, AMMAN]))
def test_due_times_fall_inside_business_hours_and_hold_exactly_the_target(opened, hours,
                                                                         calendar):
    due = calendar.add_business_hours(opened, hours)
    local = due.astimezone(calendar.tz)
    assert calendar.is_working_day(local.date())
    assert calendar.day_start < local.time() <= calendar.day_end
    assert calendar.business_hours_between(opened, due) == pytest.approx(hours)


@settings(max_examples=40, deadline=None)
@given(st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 1),
                    timezones=st.just(timezone.utc)),
       st.floats(0, 30), st.floats(0, 30))
def test_moving_a_due_time_by_the_paused_time_adds_up(opened, target, paused):
    # T2: on resume, due times move by the business time spent waiting
    due = HANOI.add_business_hours(opened, target)
    moved = HANOI.add_business_hours(due, paused)
    assert HANOI.business_hours_between(opened, moved) == pytest.approx(
        HANOI.business_hours_between(opened, due) + HANOI.business_hours_between(due, moved),
        abs=1e-6)
    assert moved >= due


# --- T5, T6 ----------------------------------------------------------------------------------


def test_ratings_of_one_or_two_are_low():
    assert [rules.is_low_rating(s) for s in (1, 2, 3, 4, 5)] == [True, True, False, False,
                                                                False]
    with pytest.raises(ValueError):
        rules.is_low_rating(6)


@given(st.lists(st.floats(0, 1000), min_size=1, max_size=50))
def test_the_median_offset_finds_the_lower_median(values):
    ordered = sorted(values)
    middle = ordered[rules.median_offset(len(values))]
    below = sum(1 for v in ordered if v < middle)
    assert below <= len(values) // 2
    assert rules.median_offset(0) is None


def test_shares_are_percentages_to_one_decimal():
    from decimal import Decimal

    assert rules.share(2, 3) == Decimal("66.7")
    assert rules.share(1, 0) is None


@given(st.dictionaries(st.integers(1, 5), st.integers(0, 400), max_size=5))
def test_the_satisfaction_of_counts_is_the_survey_rule_of_the_scores(counts):
    from commonops.surveys.rules import satisfaction_rate

    scores = [score for score, n in counts.items() for _ in range(n)]
    assert rules.satisfaction_of_counts(counts) == satisfaction_rate(scores)


def test_the_satisfaction_of_counts_refuses_a_score_outside_1_to_5():
    with pytest.raises(ValueError):
        rules.satisfaction_of_counts({6: 1})


# --- T6 roll-ups: what a ticket counts for, and the exact median of a histogram ----------

MONTHS = st.tuples(st.integers(2025, 2027), st.integers(1, 12))
FACTS = st.builds(
    rules.RollupFacts, team_id=st.integers(1, 3), assignee_id=st.none() | st.integers(1, 3),
    category_id=st.integers(1, 3), agency_id=st.integers(1, 3), opened=MONTHS,
    resolved=st.none() | MONTHS, first_response_met=st.none() | st.booleans(),
    resolution_met=st.none() | st.booleans(), reopened=st.booleans(),
    hours_to_resolve=st.none() | st.integers(0, 9000).map(lambda n: n / 100),
    rating=st.none() | st.tuples(st.integers(2025, 2027), st.integers(1, 12),
                                 st.integers(1, 5)))


def _add(total, counts):
    for key, row in counts.items():
        target = total.setdefault(key, {})
        for name, n in row.items():
            target[name] = target.get(name, 0) + n
    return {k: {n: v for n, v in row.items() if v} for k, row in total.items()
            if any(row.values())}


@given(st.none() | FACTS, st.none() | FACTS)
def test_a_change_adds_to_the_roll_ups_what_turns_before_into_after(before, after):
    counts, hours = rules.rollup_delta(before, after)
    assert _add(rules.rollup_counts(before), counts) == _add({}, rules.rollup_counts(after))
    merged = dict(rules.hours_counts(before))
    for key, n in hours.items():
        merged[key] = merged.get(key, 0) + n
    assert {k: n for k, n in merged.items() if n} == rules.hours_counts(after)
    assert rules.rollup_delta(after, after) == ({}, {})


def test_an_opened_ticket_counts_once_and_a_resolved_one_in_its_resolution_month():
    facts = rules.RollupFacts(team_id=1, assignee_id=None, category_id=2, agency_id=3,
                              opened=(2026, 1), resolved=(2026, 2), first_response_met=True,
                              resolution_met=False, reopened=True, hours_to_resolve=7.25,
                              rating=(2026, 3, 4))
    assert rules.rollup_counts(facts) == {
        (2026, 1, 1, None, 2, 3): {"opened": 1},
        (2026, 2, 1, None, 2, 3): {"resolved": 1, "first_response_on_time": 1,
                                   "first_response_measured": 1, "resolution_measured": 1,
                                   "reopened": 1, "timed": 1},
        (2026, 3, 1, None, 2, 3): {"rated_4": 1}}
    assert rules.hours_counts(facts) == {(2026, 2, 7.25): 1}


@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 5)), max_size=30),
       st.integers(0, 60))
def test_locate_finds_the_kth_entry_of_a_histogram(counts, k):
    entries = sorted(value for value, n in counts for _ in range(n))
    found = rules.locate(counts, k)
    if k >= len(entries):
        assert found is None
    else:
        value, rank = found
        assert value == entries[k]
        assert rank == k - entries.index(value)


@given(st.lists(st.integers(0, 20000).map(lambda n: n / 100), min_size=1, max_size=200))
def test_the_whole_hour_then_the_value_gives_the_exact_lower_median(hours):
    """T6 as the KPI page reads it: the whole-hour histogram says which hour holds the
    median and its rank there; the values of that hour give it exactly."""
    import statistics

    by_hour, by_value = {}, {}
    for h in hours:
        by_hour[rules.hour_of(h)] = by_hour.get(rules.hour_of(h), 0) + 1
        by_value[h] = by_value.get(h, 0) + 1
    hour, rank = rules.locate(by_hour.items(), rules.median_offset(len(hours)))
    inside = [(v, n) for v, n in by_value.items() if rules.hour_of(v) == hour]
    assert rules.locate(inside, rank)[0] == statistics.median_low(hours)
