"""Pages of the Business Operations Strategy (B1–B8).

Every page needs a login; rows are scoped with `visible_to` / `get_visible_or_404`, so an
outsider gets 404; writes need the permission (403 otherwise) and call exactly one function
of bos/actions.py. An action's ValidationError is shown with status 400 and nothing changes.

Stock-take entries, opportunities, CBA lines, outcomes, activities, grade rates and annual
results use the generic `ObjectPages`; the BOS overview, workflow steps, prioritisation,
results framework, plan, annual report, documents and imports are views of their own."""

from commonops.bos.views.overview import (
    bos_home,
    cumulative_chart,
    document_pdf,
    document_xlsx,
    kpi_add,
    opportunity_context,
    opportunity_move,
    opportunity_select,
    overview_context,
    plan,
    prioritisation,
    report,
    report_pdf,
    report_xlsx,
    results_framework,
    this_year,
    year_param,
)
from commonops.bos.views.pages import (
    PAGES,
    ActivityPages,
    AnnualResultPages,
    BosPages,
    CbaEntryPages,
    GradeRatePages,
    OpportunityPages,
    OutcomePages,
    StocktakeEntryPages,
)
from commonops.bos.views.uploads import (
    cba_import,
    graderate_import,
)

__all__ = [
    "ActivityPages",
    "AnnualResultPages",
    "BosPages",
    "CbaEntryPages",
    "GradeRatePages",
    "OpportunityPages",
    "OutcomePages",
    "PAGES",
    "StocktakeEntryPages",
    "bos_home",
    "cumulative_chart",
    "document_pdf",
    "document_xlsx",
    "kpi_add",
    "opportunity_context",
    "opportunity_move",
    "opportunity_select",
    "overview_context",
    "plan",
    "prioritisation",
    "report",
    "report_pdf",
    "report_xlsx",
    "results_framework",
    "this_year",
    "year_param",
    "cba_import",
    "graderate_import",
]
