"""B1, B2, B5, B7 rules of commonops/bos/rules.py, by example and by property."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.bos import rules
from commonops.core.calendars import WorkingCalendar


def test_the_workflow_goes_one_way_and_back_to_draft():
    state = rules.DRAFT
    for step in ("submit", "clear", "endorse", "sign_off"):
        state = rules.next_state(state, step)
    assert state == rules.SIGNED_OFF
    for state in (rules.SUBMITTED, rules.CLEARED, rules.ENDORSED):
        assert rules.next_state(state, "return") == rules.DRAFT


@pytest.mark.parametrize("state, step", [
    ("draft", "clear"), ("draft", "sign_off"), ("submitted", "endorse"),
    ("cleared", "sign_off"), ("signed_off", "return"), ("draft", "return"),
    ("signed_off", "submit"), ("draft", "publish"),
])
def test_a_step_from_the_wrong_state_raises(state, step):
    with pytest.raises(ValueError):
        rules.next_state(state, step)


@pytest.mark.parametrize("state", rules.STATES)
def test_b7_results_are_reported_only_once_the_bos_is_signed_off(state):
    assert rules.may_report_results(state) is (state == "signed_off")


def test_qa_is_due_ten_working_days_later_in_the_country_calendar():
    # Jordan works Sunday to Thursday; 2026-05-25/26/27 are holidays there
    jordan = WorkingCalendar(weekend=(4, 5), holidays=(date(2026, 5, 25), date(2026, 5, 26),
                                                        date(2026, 5, 27)))
    assert rules.qa_due(date(2026, 5, 17), jordan) == date(2026, 6, 3)
    assert not rules.qa_late(date(2026, 5, 17), date(2026, 6, 3), jordan)
    assert rules.qa_late(date(2026, 5, 17), date(2026, 6, 4), jordan)


def test_benefits_count_for_four_years_then_the_service_moves():
    assert [rules.benefit_counted(y, 2022) for y in range(2021, 2028)] == [
        False, True, True, True, True, False, False]
    assert not rules.due_for_stocktake(2022, 2025)
    assert rules.due_for_stocktake(2022, 2026)
    assert not rules.benefit_counted(2024, None) and not rules.due_for_stocktake(None, 2030)


def test_missing_kpi_kinds():
    assert rules.missing_kpi_kinds([]) == ["cost_avoidance", "quality"]
    assert rules.missing_kpi_kinds(["quality", "other"]) == ["cost_avoidance"]
    assert rules.missing_kpi_kinds(["quality", "cost_avoidance"]) == []


def test_steps_done_follow_the_facts():
    facts = rules.BosFacts(state="endorsed", kicked_off=True, service_lines=2, agencies=3,
                           stocktake_entries=0, opportunities_with_cba=1, selected_services=1,
                           services_missing_kpis=0, activities=0)
    done = rules.steps_done(facts)
    assert done == {"kickoff": True, "stocktake": False, "opportunities": True,
                    "results": True, "plan": False, "qa": True, "sign_off": False}
    assert list(done) == [key for key, _label in rules.STEPS]


@given(st.decimals(min_value=-10**6, max_value=10**6, places=2),
       st.integers(min_value=1, max_value=25))
def test_equal_split_adds_up_to_the_cent(total, parts):
    shares = rules.split_equally(total, list(range(parts)))
    assert sum(shares.values(), Decimal(0)) == total
    assert max(shares.values()) - min(shares.values()) <= Decimal("0.01")


def test_split_of_nothing_is_empty():
    assert rules.split_equally(Decimal("10"), []) == {}
