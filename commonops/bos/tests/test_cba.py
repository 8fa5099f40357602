"""B4: the CBA contract (commonops/bos/cba.py), by example and by property."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.bos.cba import CbaLine, cba_summary, labour_amount, unit_price_amount

D = Decimal


def line(year, side, amount, kind="monetary", nature="recurring"):
    return CbaLine(year=year, side=side, kind=kind, nature=nature, amount=D(amount))


def test_labour_line_is_hours_times_rate_to_the_cent():
    assert labour_amount(D("37.5"), D("48.333")) == D("1812.49")
    assert labour_amount(D("1"), D("0.005")) == D("0.01")  # half up


def test_unit_price_line_is_price_difference_times_volume():
    assert unit_price_amount(D("12.50"), D("10.00"), D("400")) == D("1000.00")
    with pytest.raises(ValueError):
        unit_price_amount(D("10"), D("12"), D("1"))


def test_worked_example():
    lines = [
        line(1, "cost", "10000", nature="one_time"),
        line(1, "cost", "2000", kind="labour"),
        line(1, "benefit", "5000"),
        line(2, "cost", "2000", kind="labour"),
        line(2, "benefit", "8000"),
        line(3, "benefit", "8000"),
    ]
    s = cba_summary(lines)
    assert s.total_cost == D("14000.00")
    assert s.total_benefit == D("21000.00")
    assert s.net_benefit == D("7000.00")
    assert s.benefit_cost_ratio == D("1.50")
    assert s.payback_year == 3  # cumulative: -7000, -1000, 7000
    assert s.npv == D("7000.00")
    assert [y.cumulative for y in s.years] == [D("-7000.00"), D("-1000.00"), D("7000.00")]


def test_npv_discounts_from_the_second_year():
    s = cba_summary([line(1, "cost", "100"), line(2, "benefit", "110")],
                    discount_rate=D("0.10"))
    assert s.npv == D("0.00")
    s = cba_summary([line(3, "benefit", "100")], discount_rate=D("0.05"))
    assert s.npv == D("90.70")  # 100 / 1.1025


def test_no_cost_means_no_ratio_and_payback_in_year_one():
    s = cba_summary([line(1, "benefit", "10")])
    assert s.benefit_cost_ratio is None
    assert s.payback_year == 1


def test_never_paying_back_gives_none():
    s = cba_summary([line(1, "cost", "10"), line(2, "benefit", "5")])
    assert s.payback_year is None
    assert s.net_benefit == D("-5.00")


def test_empty_cba_is_all_zero():
    s = cba_summary([])
    assert (s.total_cost, s.total_benefit, s.net_benefit, s.npv) == (D(0),) * 4
    assert s.benefit_cost_ratio is None and s.payback_year is None


@pytest.mark.parametrize("bad", [
    CbaLine(1, "gain", "monetary", "recurring", D(1)),
    CbaLine(1, "cost", "time", "recurring", D(1)),
    CbaLine(1, "cost", "monetary", "sometimes", D(1)),
    CbaLine(1, "cost", "monetary", "recurring", D(-1)),
    CbaLine(0, "cost", "monetary", "recurring", D(1)),
])
def test_bad_lines_raise_value_error(bad):
    with pytest.raises(ValueError):
        cba_summary([bad])


amounts = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False,
                      allow_infinity=False)
lines_strategy = st.lists(st.builds(
    CbaLine, year=st.integers(1, 7), side=st.sampled_from(["cost", "benefit"]),
    kind=st.sampled_from(["monetary", "labour", "other"]),
    nature=st.sampled_from(["one_time", "recurring"]), amount=amounts), max_size=30)


@given(lines_strategy)
def test_totals_add_up(lines):
    s = cba_summary(lines)
    assert s.total_cost == sum((x.amount for x in lines if x.side == "cost"), D(0))
    assert s.total_benefit == sum((x.amount for x in lines if x.side == "benefit"), D(0))
    assert s.net_benefit == s.total_benefit - s.total_cost
    assert s.npv == s.net_benefit  # no discounting
    if s.years:
        assert s.years[-1].cumulative == s.net_benefit


@given(lines_strategy)
def test_payback_year_is_the_first_non_negative_cumulative(lines):
    s = cba_summary(lines)
    running, expected = D(0), None
    for year in range(1, max((x.year for x in lines), default=0) + 1):
        running += sum((x.amount if x.side == "benefit" else -x.amount
                        for x in lines if x.year == year), D(0))
        if running >= 0:
            expected = year
            break
    assert s.payback_year == expected


@given(lines_strategy, st.decimals(min_value=0, max_value=1, places=3))
def test_discounting_never_increases_a_positive_value(lines, rate):
    plain, discounted = cba_summary(lines), cba_summary(lines, discount_rate=rate)
    benefits_only = all(x.side == "benefit" for x in lines)
    if benefits_only:
        assert discounted.npv <= plain.npv
    assert discounted.total_cost == plain.total_cost


@given(st.decimals(min_value=0, max_value=10**4, places=2),
       st.decimals(min_value=0, max_value=10**3, places=2))
def test_labour_amount_is_to_the_cent(hours, rate):
    amount = labour_amount(hours, rate)
    assert amount == amount.quantize(D("0.01"))
    assert abs(amount - hours * rate) <= D("0.005")
