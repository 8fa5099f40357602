"""S1 contract: exact cost sharing by weights (DOMAIN.md, `allocate`).

Pure: Decimals and mappings in, an ordered dict out. Every allocation, statement, import
preview and API call computes shares with this function.
"""

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from commonops.core.money import CENT, to_cent


def allocate(total: Decimal, weights: Mapping) -> dict:
    """Share `total` (taken to the cent) by `weights`: each key gets total × weight / sum,
    rounded down to the cent; the cents left over go one each to the largest remainders,
    ties to the key that comes first. The result keeps the keys' order and adds up exactly
    to the total. Zero weights get 0.00; a negative weight, a negative total or weights
    that are all zero raise ValueError."""
    total = to_cent(total)
    if total < 0:
        raise ValueError("The total to share cannot be negative.")
    keys = list(weights)
    values = [Decimal(weights[key]) for key in keys]
    if any(value < 0 for value in values):
        raise ValueError("A weight cannot be negative.")
    weight_sum = sum(values, Decimal(0))
    if not keys or weight_sum == 0:
        raise ValueError("At least one weight must be above zero.")
    cents = int(total / CENT)
    # Fractions keep every quotient exact, whatever the Decimal context's precision.
    weight_sum = Fraction(weight_sum)
    shares = []
    remainders = []
    for value in values:
        exact = cents * Fraction(value) / weight_sum
        whole = math.floor(exact)
        shares.append(whole)
        remainders.append(exact - whole)
    left = cents - sum(shares)
    # largest remainder first; sorted() is stable, so ties keep the weights' order
    order = sorted(range(len(keys)), key=lambda i: remainders[i], reverse=True)
    for i in order[:left]:
        shares[i] += 1
    return {key: (Decimal(share) * CENT).quantize(CENT)
            for key, share in zip(keys, shares, strict=True)}
