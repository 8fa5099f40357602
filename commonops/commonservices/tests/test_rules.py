"""S2/S3 rules as plain values: MOU coverage, expiry warnings, currency conversion, fixed
percentages and the 2% variance flag."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.commonservices import rules

D = Decimal


def test_contract_at_the_threshold_needs_an_mou():
    assert rules.needs_mou(D("50000.00"))
    assert not rules.needs_mou(D("49999.99"))


def test_large_contract_without_an_mou_is_uncovered_and_with_one_is_not():
    assert rules.is_uncovered(D("80000"), has_mou=False)
    assert not rules.is_uncovered(D("80000"), has_mou=True)
    assert not rules.is_uncovered(D("100"), has_mou=False)


def test_threshold_can_be_configured():
    assert rules.is_uncovered(D("20000"), False, threshold=D("10000"))


@pytest.mark.parametrize("days, state", [
    (-1, rules.EXPIRED), (0, rules.EXPIRES_WITHIN_30), (30, rules.EXPIRES_WITHIN_30),
    (31, rules.EXPIRES_WITHIN_90), (90, rules.EXPIRES_WITHIN_90), (91, None)])
def test_expiry_warnings_90_and_30_days_ahead(days, state):
    today = date(2026, 1, 1)
    assert rules.expiry_state(date.fromordinal(today.toordinal() + days), today) == state


def test_local_amount_is_converted_at_the_rate_to_the_cent():
    assert rules.to_usd(D("2550000"), D("25500")) == D("100.00")
    assert rules.to_usd(D("1"), D("3")) == D("0.33")


def test_a_zero_rate_is_refused():
    with pytest.raises(ValueError):
        rules.to_usd(D("1"), D("0"))


def test_fixed_percentages_must_add_up_to_100():
    assert rules.fixed_percentages_error({"a": 60, "b": 40}) is None
    assert rules.fixed_percentages_error({"a": 60, "b": 30}) == \
        "The percentages must add up to 100."
    assert rules.fixed_percentages_error({"a": 120, "b": -20}) is not None
    assert rules.fixed_percentages_error({}) is not None


def test_variance_over_two_percent_is_flagged_either_way():
    assert rules.variance(D("100"), D("102")).flagged is False
    assert rules.variance(D("100"), D("102.01")).flagged is True
    assert rules.variance(D("100"), D("97.99")).flagged is True
    v = rules.variance(D("200"), D("190"))
    assert (v.variance, v.percent) == (D("-10.00"), D("-5.0"))


def test_spending_without_a_budget_is_flagged():
    v = rules.variance(D("0"), D("5"))
    assert v.flagged and v.percent is None


@given(st.decimals(min_value=1, max_value=10**9, places=2),
       st.decimals(min_value=0, max_value=10**9, places=2))
def test_variance_is_actual_minus_budget(budget, actual):
    v = rules.variance(budget, actual)
    assert v.budget + v.variance == v.actual
    assert v.flagged == (abs(actual - budget) / budget > D("0.02"))


def test_a_past_year_is_compared_whole_and_a_future_one_not_at_all():
    today = date(2026, 11, 14)
    assert rules.comparison_period(2025, today) == rules.Period(2025, 12)
    assert rules.comparison_period(2027, today) == rules.Period(2027, 0)


def test_the_current_year_is_compared_up_to_the_last_month_over():
    period = rules.comparison_period(2026, date(2026, 11, 14))
    assert period.months == 10
    assert period.ends_before == date(2026, 11, 1)
    assert rules.comparison_period(2026, date(2026, 1, 31)).months == 0
    assert rules.comparison_period(2026, date(2026, 12, 31)).ends_before == date(2026, 12, 1)
    assert rules.Period(2026, 12).ends_before == date(2027, 1, 1)


def test_the_budget_for_the_months_elapsed_is_spread_evenly_to_the_cent():
    assert rules.budget_for_period(D("120000"), rules.Period(2026, 10)) == D("100000.00")
    assert rules.budget_for_period(D("100"), rules.Period(2026, 1)) == D("8.33")
    assert rules.budget_for_period(D("100"), rules.Period(2026, 12)) == D("100.00")
    assert rules.budget_for_period(D("100"), rules.Period(2026, 0)) == D("0.00")


def test_a_service_spending_on_plan_in_november_is_not_flagged():
    """S3 in a partial year: ten months spent at the planned pace are on budget, not 17%
    under it."""
    period = rules.comparison_period(2026, date(2026, 11, 20))
    budget, spent_to_october = D("120000"), D("100500")
    assert rules.variance(budget, spent_to_october).flagged  # against the whole year: flagged
    v = rules.variance(rules.budget_for_period(budget, period), spent_to_october)
    assert (v.percent, v.flagged) == (D("0.5"), False)
