"""Survey rules (Q1): the satisfaction rate and the smallest group shown on its own.

Pure functions: plain values in, values out.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

# Q1: a breakdown (by agency, say) is shown only for groups of at least this many answers,
# so that nobody's answer can be told from the group's.
MIN_GROUP_SIZE = 5

SATISFIED = (4, 5)

# Q1: a survey is built as a draft, opened for answers, then closed for good
DRAFT, OPEN, CLOSED = "draft", "open", "closed"


def may_open(status: str) -> bool:
    """Q1: a draft opens once (its questions are fixed from then on)."""
    return status == DRAFT


def may_invite(status: str) -> bool:
    """Q1: invitations go out while the survey is open."""
    return status == OPEN


def may_close(status: str) -> bool:
    return status == OPEN


def satisfaction_rate(scores: Iterable[int]) -> Decimal | None:
    """Q1 contract: the percentage of scores that are 4 or 5, to one decimal place.

    None when there are no scores; a score outside 1..5 raises ValueError.
    """
    total = satisfied = 0
    for score in scores:
        if isinstance(score, bool) or score not in (1, 2, 3, 4, 5):
            raise ValueError(f"a score is 1 to 5, not {score!r}")
        total += 1
        satisfied += score in SATISFIED
    if total == 0:
        return None
    return (Decimal(satisfied) * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def shown_in_breakdown(group_size: int) -> bool:
    """Q1: whether a group (an agency's answers, say) is large enough to be shown."""
    return group_size >= MIN_GROUP_SIZE
