"""H1–H3 and the delivery rules of commonops/reports/rules.py, by example and by property."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.reports import rules
from commonops.reports.rules import SAVINGS_TARGET, Expansion, expansion, savings_rate


def test_the_savings_target_is_ten_per_cent():
    assert SAVINGS_TARGET == Decimal("10")


def test_savings_rate_is_a_percentage_to_one_decimal_rounded_half_up():
    assert savings_rate(Decimal("125000"), Decimal("1000000")) == Decimal("12.5")
    assert savings_rate(Decimal("1"), Decimal("3")) == Decimal("33.3")
    assert savings_rate(Decimal("2"), Decimal("3")) == Decimal("66.7")
    # 0.05 % exactly: half up
    assert savings_rate(Decimal("5"), Decimal("10000")) == Decimal("0.1")
    assert savings_rate(Decimal("4.9"), Decimal("10000")) == Decimal("0.0")
    assert savings_rate(100, 1000) == Decimal("10.0")


def test_savings_rate_is_none_for_a_zero_baseline():
    assert savings_rate(Decimal("500"), Decimal("0")) is None
    assert savings_rate(Decimal("0"), Decimal("0.00")) is None


def test_a_negative_baseline_raises():
    with pytest.raises(ValueError):
        savings_rate(Decimal("10"), Decimal("-1"))


def test_a_cost_increase_gives_a_negative_rate():
    assert savings_rate(Decimal("-2500"), Decimal("100000")) == Decimal("-2.5")
    # half up means away from zero for negative amounts too
    assert savings_rate(Decimal("-5"), Decimal("10000")) == Decimal("-0.1")


def test_the_target_is_met_at_ten_per_cent_and_above():
    assert rules.meets_savings_target(Decimal("10.0"))
    assert not rules.meets_savings_target(Decimal("9.9"))
    assert not rules.meets_savings_target(None)


@given(realised=st.decimals(min_value=-10**9, max_value=10**9, places=2),
       baseline=st.decimals(min_value=Decimal("0.01"), max_value=10**10, places=2))
def test_the_rate_has_one_decimal_and_the_sign_of_the_realised_amount(realised, baseline):
    rate = savings_rate(realised, baseline)
    assert rate == rate.quantize(Decimal("0.1"))
    assert abs(rate - realised * 100 / baseline) <= Decimal("0.05")
    if realised > 0:
        assert rate >= 0
    if realised < 0:
        assert rate <= 0


def _launches(spec):
    """{"VN": {2025: 3}} -> one (code, year) pair per launched service."""
    return [(code, year) for code, years in spec.items() for year, n in years.items()
            for _ in range(n)]


def test_expansion_counts_the_countries_with_three_launches_in_the_year():
    launches = _launches({"VN": {2025: 3, 2024: 1}, "KE": {2025: 2, 2024: 5},
                          "JO": {2025: 4}, "SN": {2026: 3}})
    assert expansion(launches, 2025) == Expansion(2025, ["JO", "VN"], 2, False)
    assert expansion(launches, 2024) == Expansion(2024, ["KE"], 1, False)
    assert expansion(launches, 2023) == Expansion(2023, [], 0, False)


def test_expansion_is_met_with_ten_countries():
    ten = _launches({f"C{n}": {2025: 3} for n in range(10)})
    assert expansion(ten, 2025).met
    assert expansion(ten, 2025).count == 10
    assert not expansion(ten[3:], 2025).met  # one country now has only zero launches


def test_expansion_takes_other_thresholds():
    launches = _launches({"VN": {2025: 2}, "KE": {2025: 1}})
    assert expansion(launches, 2025, min_countries=1, min_services=2) == Expansion(
        2025, ["VN"], 1, True)
    assert expansion(iter(launches), 2025, min_countries=2, min_services=1).met


@given(st.lists(st.tuples(st.sampled_from(["AA", "BB", "CC", "DD"]),
                          st.integers(2020, 2023))), st.integers(2020, 2023))
def test_expansion_countries_are_sorted_and_each_has_enough_launches(launches, year):
    result = expansion(launches, year)
    assert result.countries == sorted(result.countries)
    assert result.count == len(result.countries)
    assert result.met == (result.count >= 10)
    for code in {c for c, _y in launches}:
        enough = sum(1 for c, y in launches if c == code and y == year) >= 3
        assert (code in result.countries) is enough


def test_cumulative_expansion_counts_distinct_countries_against_ten_a_year():
    years = [Expansion(2021, ["AA", "BB"], 2, False), Expansion(2022, ["BB", "CC"], 2, False),
             Expansion(2023, [], 0, False)]
    rows = rules.cumulative_expansion(years)
    assert [(r.year, r.countries, r.target, r.met) for r in rows] == [
        (2021, 2, 10, False), (2022, 3, 20, False), (2023, 3, 30, False)]
    small = rules.cumulative_expansion(years, min_countries=1)
    assert [r.met for r in small] == [True, True, True]


def test_competition_ranking_highest_first_with_ties_and_gaps():
    assert rules.rank([10, 30, 20, 30, None, 5]) == [4, 1, 3, 1, None, 5]
    assert rules.rank([]) == []


def test_percent_is_none_without_a_whole():
    assert rules.percent(1, 3) == Decimal("33.3")
    assert rules.percent(5, 0) is None
    assert rules.percent(None, 5) is None


@pytest.mark.parametrize("frequency, day, key, start, year", [
    ("monthly", date(2027, 1, 15), "2027-01", date(2027, 1, 1), 2026),
    ("monthly", date(2026, 5, 31), "2026-05", date(2026, 5, 1), 2026),
    ("quarterly", date(2026, 5, 31), "2026-Q2", date(2026, 4, 1), 2026),
    ("quarterly", date(2027, 3, 31), "2027-Q1", date(2027, 1, 1), 2026),
    ("quarterly", date(2026, 12, 1), "2026-Q4", date(2026, 10, 1), 2026),
    ("yearly", date(2027, 7, 4), "2027", date(2027, 1, 1), 2026),
])
def test_delivery_periods_and_the_year_they_report_on(frequency, day, key, start, year):
    assert rules.period_key(frequency, day) == key
    assert rules.period_start(frequency, day) == start
    assert rules.delivered_year(frequency, day) == year


def test_an_unknown_frequency_raises():
    with pytest.raises(ValueError):
        rules.period_key("weekly", date(2026, 1, 1))


@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(rules.FREQUENCIES))
def test_every_day_of_a_period_has_the_same_key(day, frequency):
    start = rules.period_start(frequency, day)
    assert start <= day
    assert rules.period_key(frequency, start) == rules.period_key(frequency, day)


def test_dashboards_open_on_the_last_complete_year():
    assert rules.reporting_year(date(2026, 11, 28)) == 2025
