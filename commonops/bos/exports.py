"""XLSX downloads of the BOS (B4–B7). Every CBA figure comes from `cba.cba_summary` through
`bos.queries`, the same as on the pages and in the PDF."""

from django.utils.translation import gettext as _

from commonops.bos import queries
from commonops.bos.models import BOS_LINE_CHOICES, Activity, Bos, CbaEntry, StocktakeEntry
from commonops.core.spreadsheets import Sheet

MONEY = "#,##0.00"
LINES = dict(BOS_LINE_CHOICES)


def cba_summary_sheet(rows) -> Sheet:
    return Sheet(_("CBA summary"), [
        _("Rank"), _("Opportunity"), _("Service line"), _("In the plan"), _("Total cost"),
        _("Total benefit"), _("Net benefit"), _("Benefit-cost ratio"), _("Payback year"),
        _("NPV")], [
        (r.rank or "", r.opportunity.name, r.opportunity.get_service_line_display(),
         _("yes") if r.opportunity.selected else _("no"), r.summary.total_cost,
         r.summary.total_benefit, r.summary.net_benefit, r.summary.benefit_cost_ratio,
         r.summary.payback_year, r.summary.npv) for r in rows],
        formats={4: MONEY, 5: MONEY, 6: MONEY, 9: MONEY})


def bos_sheets(bos: Bos) -> list[Sheet]:
    ranked = queries.prioritised(bos)
    stocktake = StocktakeEntry.objects.filter(bos=bos).prefetch_related(
        "managing_agencies", "participating_agencies")
    lines = CbaEntry.objects.filter(opportunity__bos=bos).select_related("opportunity")
    activities = Activity.objects.filter(outcome__bos=bos).select_related(
        "outcome", "owner", "opportunity")
    framework = queries.results_framework(bos, year=bos.start_year)
    kpi_rows = []
    for line, outcome, services in framework:
        for service in services:
            for summary in service.summaries:
                kpi_rows.append((
                    LINES.get(line, line), outcome.statement if outcome else "",
                    service.opportunity.name,
                    summary.indicator.name, summary.indicator.get_kind_display(),
                    summary.indicator.get_unit_display(), summary.indicator.baseline))
    return [
        Sheet(_("BOS"), [_("Field"), _("Value")], [
            (_("Country"), bos.country.name), (_("Title"), bos.title),
            (_("Cycle"), f"{bos.start_year}–{bos.end_year}"),
            (_("Status"), bos.get_status_display()),
            (_("Service lines"), ", ".join(bos.service_lines)),
            (_("Discount rate"), bos.discount_rate)]),
        Sheet(_("Stock-take"), [
            _("Common service"), _("Service line"), _("Modality"), _("Managing agencies"),
            _("Participating agencies"), _("Since"), _("Action"), _("Comments")], [
            (e.name, e.get_service_line_display(), e.get_modality_display(),
             ", ".join(a.acronym for a in e.managing_agencies.all()),
             ", ".join(a.acronym for a in e.participating_agencies.all()),
             e.implemented_since, e.get_action_display(), e.comments) for e in stocktake]),
        cba_summary_sheet(ranked),
        Sheet(_("CBA lines"), [
            _("Opportunity"), _("Horizon year"), _("Side"), _("Kind"), _("Nature"),
            _("Description"), _("Amount"), _("Hours"), _("Grade"), _("Hourly rate"),
            _("Old unit price"), _("New unit price"), _("Volume")], [
            (x.opportunity.name, x.year, x.side, x.kind, x.nature, x.description, x.amount,
             x.hours, x.grade, x.hourly_rate, x.old_unit_price, x.new_unit_price, x.volume)
            for x in lines], formats={6: MONEY}),
        Sheet(_("KPIs"), [_("Service line"), _("Outcome"), _("Common service"), _("KPI"),
                          _("Kind"), _("Unit"), _("Baseline")], kpi_rows),
        Sheet(_("Plan and budget"), [
            _("Outcome"), _("Activity"), _("Common service"), _("Owner"), _("Starts"),
            _("Ends"), _("Budget"), _("Funded"), _("Funding gap")], [
            (a.outcome.get_service_line_display(), a.name,
             a.opportunity.name if a.opportunity else "", a.owner.acronym, a.starts_on,
             a.ends_on, a.budget, a.funded, queries.gap_of(a)) for a in activities],
            formats={6: MONEY, 7: MONEY, 8: MONEY}),
    ]


def annual_report_sheets(report) -> list[Sheet]:
    return [
        Sheet(_("By service"), [
            _("Common service"), _("Horizon year"), _("Counted (B7)"), _("Estimated"),
            _("Realised"), _("Funds spent"), _("Due for the stock-take")], [
            (s.opportunity.name, s.horizon_year, _("yes") if s.counted else _("no"),
             s.estimated, s.realised, s.funds_spent,
             _("moved") if s.moved else (_("yes") if s.due_for_stocktake else _("no")))
            for s in report.services] + [
            (_("Total"), "", "", report.totals["estimated"], report.totals["realised"],
             report.totals["funds"], "")], formats={3: MONEY, 4: MONEY, 5: MONEY}),
        Sheet(_("By agency"), [_("Agency"), _("Estimated"), _("Realised"), _("Funds spent")],
              [(r["agency"].acronym, r["estimated"], r["realised"], r["funds"])
               for r in report.agencies], formats={1: MONEY, 2: MONEY, 3: MONEY}),
        Sheet(_("KPIs"), [_("KPI"), _("Unit"), _("Baseline"), _("Target"), _("Actual"),
                          _("Status")],
              [(k.indicator.name, k.indicator.get_unit_display(), k.indicator.baseline,
                k.target, k.actual, k.status_label) for k in report.kpis]),
        Sheet(_("Feedback"), [_("Common service"), _("Agency"), _("Feedback")],
              [(r.opportunity.name, r.agency.acronym, r.feedback) for r in report.feedback]),
    ]
