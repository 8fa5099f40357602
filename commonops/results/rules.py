"""The results engine's rules: the status of an indicator against its target (B6).

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
STATUSES = (MET, PROGRESS, NOT_MET, NO_DATA)

# Shown to people; translated where displayed.
STATUS_LABELS = {
    MET: gettext_noop("Target met"),
    PROGRESS: gettext_noop("Not met, but progress"),
    NOT_MET: gettext_noop("Not met, no progress"),
    NO_DATA: gettext_noop("No data"),
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
