"""S1: the `allocate` contract — examples first, then properties over random budgets and
keys (shares always add up to the total to the cent)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.commonservices.cost_sharing import allocate

D = Decimal


def test_equal_split_gives_the_leftover_cent_to_the_first_key():
    assert allocate(D("100.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": D("33.34"), "b": D("33.33"), "c": D("33.33")}


def test_largest_remainder_gets_the_leftover_cent():
    # 10.00 by 1:2 → 3.333… and 6.666…: the second has the larger remainder
    assert allocate(D("10.00"), {"a": 1, "b": 2}) == {"a": D("3.33"), "b": D("6.67")}


def test_ties_go_to_the_key_that_comes_first():
    shares = allocate(D("0.02"), {"x": 1, "y": 1, "z": 1})
    assert shares == {"x": D("0.01"), "y": D("0.01"), "z": D("0.00")}


def test_order_of_the_weights_is_kept():
    assert list(allocate(D("5"), {"z": 1, "a": 3, "m": 2})) == ["z", "a", "m"]


def test_zero_weight_gets_nothing():
    assert allocate(D("99.99"), {"a": 0, "b": D("2.5")}) == {"a": D("0.00"), "b": D("99.99")}


def test_total_is_taken_to_the_cent_half_up():
    assert allocate(D("10.005"), {"a": 1}) == {"a": D("10.01")}


def test_zero_total_gives_zeros():
    assert allocate(D("0"), {"a": 1, "b": 1}) == {"a": D("0.00"), "b": D("0.00")}


@pytest.mark.parametrize("total, weights", [
    (D("-1"), {"a": 1}),
    (D("10"), {"a": -1, "b": 2}),
    (D("10"), {"a": 0, "b": 0}),
    (D("10"), {}),
])
def test_bad_input_raises_value_error(total, weights):
    with pytest.raises(ValueError):
        allocate(total, weights)


weights_strategy = st.lists(
    st.one_of(st.integers(min_value=0, max_value=10_000),
              st.decimals(min_value=0, max_value=100_000, places=3, allow_nan=False,
                          allow_infinity=False)),
    min_size=1, max_size=25,
).filter(lambda ws: sum(Decimal(w) for w in ws) > 0)
totals = st.decimals(min_value=0, max_value=D("9999999999.99"), places=2, allow_nan=False,
                     allow_infinity=False)


@given(totals, weights_strategy)
def test_shares_always_add_up_to_the_total_to_the_cent(total, ws):
    shares = allocate(total, dict(enumerate(ws)))
    assert sum(shares.values()) == total
    assert list(shares) == list(range(len(ws)))
    assert all(share.as_tuple().exponent == -2 for share in shares.values())


@given(totals, weights_strategy)
def test_each_share_is_within_a_cent_of_its_exact_part(total, ws):
    weight_sum = sum(Decimal(w) for w in ws)
    shares = allocate(total, dict(enumerate(ws)))
    for i, w in enumerate(ws):
        exact = total * Decimal(w) / weight_sum
        assert abs(shares[i] - exact) < D("0.01") + D("1e-12")
        if Decimal(w) == 0:
            assert shares[i] == 0
