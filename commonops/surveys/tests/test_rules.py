"""Q1: the satisfaction-rate contract and the smallest group shown, by example and as
properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.surveys.rules import MIN_GROUP_SIZE, satisfaction_rate, shown_in_breakdown


@pytest.mark.parametrize("scores, expected", [
    ([], None),
    ([5], Decimal("100.0")),
    ([1, 2, 3], Decimal("0.0")),
    ([4, 3], Decimal("50.0")),
    ([5, 4, 1], Decimal("66.7")),  # 66.666… rounds half up to one place
    ([4, 1, 1, 1, 1, 1, 1, 1], Decimal("12.5")),
    ([4] + [1] * 15, Decimal("6.3")),  # 6.25 rounds half up
])
def test_satisfaction_rate_examples(scores, expected):
    assert satisfaction_rate(scores) == expected


@pytest.mark.parametrize("bad", [0, 6, -1, True, "4"])
def test_a_score_outside_1_to_5_is_refused(bad):
    with pytest.raises(ValueError):
        satisfaction_rate([4, bad])


def test_it_takes_any_iterable_once():
    assert satisfaction_rate(s for s in (5, 5, 2, 1)) == Decimal("50.0")


def test_groups_below_five_are_not_shown():
    assert MIN_GROUP_SIZE == 5
    assert not shown_in_breakdown(4)
    assert shown_in_breakdown(5)


scores = st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=200)


@given(scores)
def test_rate_is_the_share_of_4_and_5_to_one_place(values):
    rate = satisfaction_rate(values)
    exact = Decimal(sum(v >= 4 for v in values)) * 100 / len(values)
    assert Decimal(0) <= rate <= Decimal(100)
    assert rate.as_tuple().exponent == -1
    assert abs(rate - exact) <= Decimal("0.05")


@given(scores)
def test_order_does_not_matter_and_3_or_less_never_counts(values):
    assert satisfaction_rate(values) == satisfaction_rate(sorted(values))
    lowered = [min(v, 3) for v in values]
    assert satisfaction_rate(lowered) == Decimal("0.0")
