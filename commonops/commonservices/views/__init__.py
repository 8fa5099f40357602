"""Pages of common services (S1–S5).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call one function of
commonservices/actions.py. An action's ValidationError is shown with status 400 and nothing
changes. Catalogue, agreements, contracts, budgets, keys, inputs, expenditures, payments and
premises use the generic `ObjectPages`; allocation, statements, the annual report and
imports are workflow pages of their own."""

from commonops.commonservices.views.account import (
    agreement_signed_copy,
    allocation_add,
    annual_report,
    annual_report_pdf,
    annual_report_xlsx,
    import_index,
    import_page,
    key_percentages,
    overview,
    service_kpis,
    statement_index,
    statement_page,
    statement_pdf,
    statement_xlsx,
)
from commonops.commonservices.views.pages import (
    PAGES,
    AgreementPages,
    AllocationPages,
    BudgetLinePages,
    CommonServicePages,
    ContractPages,
    CostSharingKeyPages,
    ExchangeRatePages,
    ExpenditurePages,
    HeadcountPages,
    OccupancyPages,
    PaymentPages,
    PremisesPages,
    UsagePages,
)

__all__ = [
    "agreement_signed_copy",
    "AgreementPages",
    "AllocationPages",
    "BudgetLinePages",
    "CommonServicePages",
    "ContractPages",
    "CostSharingKeyPages",
    "ExchangeRatePages",
    "ExpenditurePages",
    "HeadcountPages",
    "OccupancyPages",
    "PAGES",
    "PaymentPages",
    "PremisesPages",
    "UsagePages",
    "allocation_add",
    "annual_report",
    "annual_report_pdf",
    "annual_report_xlsx",
    "import_index",
    "import_page",
    "key_percentages",
    "overview",
    "service_kpis",
    "statement_index",
    "statement_page",
    "statement_pdf",
    "statement_xlsx",
]
