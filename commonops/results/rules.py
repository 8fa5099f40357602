"""The results engine's rules: the status of an indicator against its target (B6), and
whether a conditional target applies at all (C2).

Pure functions: plain values in, values out. Every page, export, report and API call that
shows a status computes it here.
"""

from decimal import Decimal

from django.utils.translation import gettext_noop

INCREASE = "increase"  # higher is better
DECREASE = "decrease"  # lower is better
DIRECTIONS = (INCREASE, DECREASE)

MET = "met"
PROGRESS = "progress"
NOT_MET = "not_met"
NO_DATA = "no_data"
NOT_APPLICABLE = "not_applicable"  # a conditional target whose condition did not hold (C2)
STATUSES = (MET, PROGRESS, NOT_MET, NO_DATA, NOT_APPLICABLE)

# Shown to people; translated where displayed.
STATUS_LABELS = {
    MET: gettext_noop("Target met"),
    PROGRESS: gettext_noop("Not met, but progress"),
    NOT_MET: gettext_noop("Not met, no progress"),
    NO_DATA: gettext_noop("No data"),
    NOT_APPLICABLE: gettext_noop("Not applicable"),
}

# 0 stands for the whole year in a (year, month) period; 1–12 for a month.
WHOLE_YEAR = 0


def kpi_status(*, direction: str, target, actual, baseline=None) -> str:
    """B6 contract: "met", "progress", "not_met" or "no_data".

    "no_data" when actual is None; "met" when actual reaches the target in the indicator's
    direction; "progress" when not met but strictly better than a given baseline.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction: {direction!r}")
    if actual is None:
        return NO_DATA
    if target is not None:
        reached = actual >= target if direction == INCREASE else actual <= target
        if reached:
            return MET
    if baseline is not None:
        better = actual > baseline if direction == INCREASE else actual < baseline
        if better:
            return PROGRESS
    return NOT_MET


def measure_status(*, direction: str, target, actual, min_cases: int | None = None,
                   cases: int | None = None) -> str:
    """C2 contract (also `commonops.compacts.rules.measure_status`): a conditional target.

    "not_applicable" when `min_cases` is given and `cases` is None or below it (C2: "when
    there are 4 or more recruitments"); otherwise `kpi_status` without a baseline ("met",
    "not_met" or "no_data"). An unknown direction raises ValueError, whatever the cases.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction: {direction!r}")
    if min_cases is not None and (cases is None or cases < min_cases):
        return NOT_APPLICABLE
    return kpi_status(direction=direction, target=target, actual=actual)


def period_status(*, direction: str, target, actual, baseline=None,
                  min_cases: int | None = None, cases: int | None = None,
                  condition_met: bool | None = None) -> str:
    """The status of one period of an indicator, with its target's condition (B6, C2).

    The target applies as `measure_status` decides (a number of cases), and a condition
    stated in words applies unless the measurement says it did not hold
    (`condition_met` False); a target that does not apply is "not_applicable". Otherwise
    `kpi_status` with the baseline, so that progress still shows.
    """
    applies = measure_status(direction=direction, target=target, actual=actual,
                             min_cases=min_cases, cases=cases) != NOT_APPLICABLE
    if not applies or condition_met is False:
        return NOT_APPLICABLE
    return kpi_status(direction=direction, target=target, actual=actual, baseline=baseline)


def progress_share(*, direction: str, target, actual, baseline=None) -> Decimal | None:
    """How far the actual has come from the baseline towards the target, 0–100 (for bars).

    None when there is no actual, no target, or no distance to cover.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown direction: {direction!r}")
    if actual is None or target is None:
        return None
    start = Decimal(baseline) if baseline is not None else Decimal(0)
    distance = Decimal(target) - start
    if distance == 0:
        return None
    share = (Decimal(actual) - start) / distance * 100
    return max(Decimal(0), min(Decimal(100), share)).quantize(Decimal("0.1"))
