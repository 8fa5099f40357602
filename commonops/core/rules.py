"""Pure organisation rules (no ORM, no settings, no clock)."""

from decimal import Decimal

# B8 Typology: small up to USD 40 M of total UN expenditure, medium up to USD 100 M.
SMALL_MAX_EXPENDITURE = Decimal("40000000")
MEDIUM_MAX_EXPENDITURE = Decimal("100000000")


def typology_for(expenditure: Decimal) -> str:
    """B8: "small", "medium" or "large" for a country team's total UN expenditure (USD)."""
    if expenditure < 0:
        raise ValueError("Expenditure cannot be negative.")
    if expenditure <= SMALL_MAX_EXPENDITURE:
        return "small"
    if expenditure <= MEDIUM_MAX_EXPENDITURE:
        return "medium"
    return "large"


def may_grant(granter_permissions: frozenset[str], role_permissions: frozenset[str]) -> bool:
    """A person may only give a role whose permissions they hold themselves in that scope.

    Keeps a country's people managers from handing out more than they have (for example
    making someone a country's RC when they are only its OMT chair).
    """
    return role_permissions <= granter_permissions
