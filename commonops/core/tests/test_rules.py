from decimal import Decimal

import pytest

from commonops.core.rules import may_grant, typology_for


@pytest.mark.parametrize(
    ("expenditure", "typology"),
    [("0", "small"), ("40000000", "small"), ("40000000.01", "medium"),
     ("100000000", "medium"), ("100000000.01", "large")],
)
def test_typology_b8_boundaries_belong_to_the_smaller_class(expenditure, typology):
    assert typology_for(Decimal(expenditure)) == typology


def test_typology_rejects_negative_expenditure():
    with pytest.raises(ValueError):
        typology_for(Decimal("-1"))


def test_a_role_can_be_granted_only_with_rights_the_granter_holds():
    assert may_grant(frozenset({"a", "b"}), frozenset({"a"}))
    assert not may_grant(frozenset({"a"}), frozenset({"a", "b"}))
