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


def holds_every_right(manager_rights: dict, person_rights: dict) -> bool:
    """A manager may change a person only when they hold every right that person holds.

    Both arguments map a permission to `(everywhere, country_ids)`: where its holder may use
    it. The same idea as `may_grant`, applied to a whole person: an OMT chair may not change
    (and so take over) the account of their Resident Coordinator, nor of an auditor or an
    administrator who happens to work in their country.
    """
    for perm, (everywhere, countries) in person_rights.items():
        manager_everywhere, manager_countries = manager_rights.get(perm, (False, frozenset()))
        if manager_everywhere:
            continue
        if everywhere or not frozenset(countries) <= frozenset(manager_countries):
            return False
    return True
