"""Common services: the catalogue of common services per country (S1–S6).

Every row belongs to one country team (`CountryOwnedModel`), so access and the audit trail
come from `core`. Rule ids (S1–S6) refer to DOMAIN.md."""

from commonops.commonservices.models.account import (
    YEAR,
    Allocation,
    AllocationShare,
    BudgetLine,
    CostSharingKey,
    Expenditure,
    FixedShare,
    Headcount,
    Payment,
    Usage,
    UsageSource,
)
from commonops.commonservices.models.agreements import (
    Agreement,
    AgreementKind,
    Contract,
    ExchangeRate,
    KeyMethod,
)
from commonops.commonservices.models.catalogue import (
    CURRENCY,
    MANAGE,
    CommonService,
    CommonServicesModel,
    ServiceStatus,
)
from commonops.commonservices.models.premises import (
    Occupancy,
    Ownership,
    Premises,
)

__all__ = [
    "CURRENCY",
    "CommonService",
    "CommonServicesModel",
    "MANAGE",
    "ServiceStatus",
    "Agreement",
    "AgreementKind",
    "Contract",
    "ExchangeRate",
    "KeyMethod",
    "Allocation",
    "AllocationShare",
    "BudgetLine",
    "CostSharingKey",
    "Expenditure",
    "FixedShare",
    "Headcount",
    "Payment",
    "Usage",
    "UsageSource",
    "YEAR",
    "Occupancy",
    "Ownership",
    "Premises",
]
