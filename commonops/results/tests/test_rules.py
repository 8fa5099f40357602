"""B6: the kpi_status contract, by example and as properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonops.results.rules import (
    DECREASE,
    INCREASE,
    MET,
    NO_DATA,
    NOT_APPLICABLE,
    NOT_MET,
    PROGRESS,
    STATUS_LABELS,
    STATUSES,
    kpi_status,
    measure_status,
    period_status,
    progress_share,
)

D = Decimal


@pytest.mark.parametrize("direction, target, actual, baseline, expected", [
    (INCREASE, D(80), None, D(50), NO_DATA),
    (DECREASE, D(10), None, None, NO_DATA),
    (INCREASE, D(80), D(80), None, MET),  # reaching the target exactly is meeting it
    (INCREASE, D(80), D(95), D(50), MET),
    (INCREASE, D(80), D(60), D(50), PROGRESS),
    (INCREASE, D(80), D(50), D(50), NOT_MET),  # equal to the baseline is no progress
    (INCREASE, D(80), D(40), D(50), NOT_MET),
    (INCREASE, D(80), D(60), None, NOT_MET),  # no baseline: no progress to speak of
    (DECREASE, D(5), D(5), D(9), MET),
    (DECREASE, D(5), D(3), None, MET),
    (DECREASE, D(5), D(7), D(9), PROGRESS),
    (DECREASE, D(5), D(9), D(9), NOT_MET),
    (DECREASE, D(5), D(12), D(9), NOT_MET),
])
def test_kpi_status_examples(direction, target, actual, baseline, expected):
    assert kpi_status(direction=direction, target=target, actual=actual,
                      baseline=baseline) == expected


def test_an_unknown_direction_is_refused_even_without_data():
    with pytest.raises(ValueError):
        kpi_status(direction="sideways", target=D(1), actual=None)
    with pytest.raises(ValueError):
        progress_share(direction="up", target=D(1), actual=D(1))


def test_every_status_has_a_label():
    assert set(STATUS_LABELS) == set(STATUSES)


numbers = st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False)
directions = st.sampled_from([INCREASE, DECREASE])


@given(direction=directions, target=numbers, actual=numbers,
       baseline=st.one_of(st.none(), numbers))
def test_status_follows_the_contract(direction, target, actual, baseline):
    status = kpi_status(direction=direction, target=target, actual=actual, baseline=baseline)
    better = (lambda a, b: a > b) if direction == INCREASE else (lambda a, b: a < b)
    if actual == target or better(actual, target):
        assert status == MET
    elif baseline is not None and better(actual, baseline):
        assert status == PROGRESS
    else:
        assert status == NOT_MET


@given(direction=directions, target=numbers, baseline=st.one_of(st.none(), numbers))
def test_no_actual_is_always_no_data(direction, target, baseline):
    assert kpi_status(direction=direction, target=target, actual=None,
                      baseline=baseline) == NO_DATA


@given(target=numbers, actual=numbers, baseline=st.one_of(st.none(), numbers))
def test_the_directions_mirror_each_other(target, actual, baseline):
    mirrored = None if baseline is None else -baseline
    assert kpi_status(direction=INCREASE, target=target, actual=actual, baseline=baseline) \
        == kpi_status(direction=DECREASE, target=-target, actual=-actual, baseline=mirrored)


@given(direction=directions, target=numbers, actual=numbers,
       baseline=st.one_of(st.none(), numbers))
def test_progress_share_stays_between_0_and_100(direction, target, actual, baseline):
    share = progress_share(direction=direction, target=target, actual=actual,
                           baseline=baseline)
    assert share is None or D(0) <= share <= D(100)


def test_progress_share_examples():
    assert progress_share(direction=INCREASE, target=D(80), actual=D(65), baseline=D(50)) \
        == D("50.0")
    assert progress_share(direction=DECREASE, target=D(2), actual=D(6), baseline=D(10)) \
        == D("50.0")
    assert progress_share(direction=INCREASE, target=D(80), actual=None) is None
    assert progress_share(direction=INCREASE, target=D(50), actual=D(60), baseline=D(50)) \
        is None


# --- C2: conditional targets (measure_status) and the period status that uses it -----------


@pytest.mark.parametrize("target, actual, min_cases, cases, expected", [
    (D(20), D(25), 4, 5, MET),
    (D(20), D(10), 4, 4, NOT_MET),  # exactly the minimum: the target applies
    (D(20), D(25), 4, 3, NOT_APPLICABLE),  # fewer cases: the target does not apply
    (D(20), None, 4, None, NOT_APPLICABLE),  # no count of cases: not applicable
    (D(20), None, 4, 6, NO_DATA),
    (D(20), D(25), None, None, MET),  # no condition: the plain status
    (D(20), D(19), None, 1, NOT_MET),
])
def test_c2_conditional_target_examples(target, actual, min_cases, cases, expected):
    assert measure_status(direction=INCREASE, target=target, actual=actual,
                          min_cases=min_cases, cases=cases) == expected


def test_c2_an_unknown_direction_is_refused_even_when_not_applicable():
    with pytest.raises(ValueError):
        measure_status(direction="up", target=D(1), actual=D(1), min_cases=4, cases=0)


@given(direction=directions, target=numbers, actual=st.one_of(st.none(), numbers),
       min_cases=st.one_of(st.none(), st.integers(0, 50)),
       cases=st.one_of(st.none(), st.integers(0, 50)))
def test_c2_a_target_applies_exactly_from_its_minimum_number_of_cases(
        direction, target, actual, min_cases, cases):
    status = measure_status(direction=direction, target=target, actual=actual,
                            min_cases=min_cases, cases=cases)
    applies = min_cases is None or (cases is not None and cases >= min_cases)
    if applies:
        assert status == kpi_status(direction=direction, target=target, actual=actual)
        assert status != PROGRESS  # no baseline: met, not met or no data
    else:
        assert status == NOT_APPLICABLE


@given(direction=directions, target=numbers, actual=st.one_of(st.none(), numbers),
       baseline=st.one_of(st.none(), numbers),
       min_cases=st.one_of(st.none(), st.integers(0, 10)),
       cases=st.one_of(st.none(), st.integers(0, 10)),
       condition_met=st.sampled_from([None, True, False]))
def test_b6_c2_a_period_is_not_applicable_when_its_condition_fails_else_b6(
        direction, target, actual, baseline, min_cases, cases, condition_met):
    status = period_status(direction=direction, target=target, actual=actual,
                           baseline=baseline, min_cases=min_cases, cases=cases,
                           condition_met=condition_met)
    fails = (min_cases is not None and (cases is None or cases < min_cases)) \
        or condition_met is False
    if fails:
        assert status == NOT_APPLICABLE
    else:
        assert status == kpi_status(direction=direction, target=target, actual=actual,
                                    baseline=baseline)
