"""The BOS document for UNCT endorsement, and the annual report (B7), as A4 PDFs in the
house style of `commonops.core.pdf`. Every CBA figure comes from `cba.cba_summary` through
`bos.queries`; charts are drawn with reportlab.graphics."""

from django.utils.translation import gettext as _
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer

from commonops.bos import queries
from commonops.bos.models import BOS_LINE_CHOICES, Activity, Bos, StocktakeEntry
from commonops.core import display
from commonops.core.charts import Series, bar_chart, line_chart
from commonops.core.money import format_money
from commonops.core.pdf import DocumentStyle, render_document

LINES = dict(BOS_LINE_CHOICES)
money = display.money


def _cumulative_chart(summary, title: str):
    """B4: the same chart as on the BOS and opportunity pages."""
    return line_chart(title=title, unit="USD", labels=[str(y.year) for y in summary.years],
                      series=[Series(_("Cumulative net benefit"),
                                     [y.cumulative for y in summary.years]),
                              Series(_("Cost"), [y.cost for y in summary.years]),
                              Series(_("Benefit"), [y.benefit for y in summary.years])])


def _cba_table(t, ranked):
    rows = [[t.para(h, t.cell_bold) for h in (
        _("Rank"), _("Opportunity"), _("Cost"), _("Benefit"), _("Net benefit"), _("Ratio"),
        _("Payback year"), _("NPV"))]]
    for r in ranked:
        s = r.summary
        rows.append([t.para(v, t.cell) for v in (
            r.rank, r.opportunity.name, format_money(s.total_cost), format_money(s.total_benefit),
            format_money(s.net_benefit), s.benefit_cost_ratio if s.benefit_cost_ratio is not None
            else "—", s.payback_year or "—", format_money(s.npv))])
    return t.table(rows, [1.1 * cm, 4.4 * cm, 2 * cm, 2 * cm, 2 * cm, 1.3 * cm, 1.5 * cm,
                          2 * cm])


def bos_pdf(bos: Bos) -> bytes:
    """The whole BOS: kick-off, stock-take, opportunities and CBA, results framework, plan
    and budget, with the workflow record."""
    t = DocumentStyle()
    ranked = queries.prioritised(bos)
    selected = [r for r in ranked if r.opportunity.selected]
    totals = queries.bos_totals(selected, discount_rate=bos.discount_rate)
    agencies = ", ".join(a.acronym for a in bos.participating_agencies.all())
    story = [
        Paragraph(t.text(_("Business Operations Strategy %(start)s–%(end)s")
                         % {"start": bos.start_year, "end": bos.end_year}), t.title),
        Paragraph(t.text(f"{bos.country.name} — {bos.title}"), t.subtitle),
        t.table([[t.para(a, t.cell_bold), t.para(b, t.cell)] for a, b in (
            (_("Status"), bos.get_status_display()),
            (_("Kick-off"), display.day(bos.kickoff_on)),
            (_("Service lines (B2)"), ", ".join(str(LINES.get(x, x))
                                                for x in bos.service_lines)),
            (_("Participating agencies"), agencies or "—"),
            (_("Submitted for QA"), display.day(bos.submitted_on)),
            (_("Cleared"), display.day(bos.cleared_on)),
            (_("Endorsed by the UNCT"), display.day(bos.endorsed_on)),
            (_("Signed off by the RC"), display.day(bos.signed_off_on)),
        )], [5 * cm, 11 * cm], header=False),
    ]
    if bos.scope.strip():
        story += [Paragraph(t.text(_("Scope and ambition")), t.heading), t.para(bos.scope)]

    story.append(Paragraph(t.text(_("Stock-take of existing common services (B3)")),
                           t.heading))
    rows = [[t.para(h, t.cell_bold) for h in (_("Common service"), _("Service line"),
                                              _("Modality"), _("Managing"), _("Since"),
                                              _("Action"))]]
    for e in StocktakeEntry.objects.filter(bos=bos).prefetch_related("managing_agencies"):
        rows.append([t.para(v, t.cell) for v in (
            e.name, e.get_service_line_display(), e.get_modality_display(),
            ", ".join(a.acronym for a in e.managing_agencies.all()), e.implemented_since,
            e.get_action_display())])
    story.append(t.table(rows, [4.5 * cm, 2.6 * cm, 2.2 * cm, 2.6 * cm, 1.4 * cm, 2.7 * cm]))

    story += [
        Paragraph(t.text(_("Opportunities and cost-benefit analysis (B4)")), t.heading),
        t.para(_("Ranked by benefit-cost ratio, then net benefit. Amounts in USD.")),
        _cba_table(t, ranked),
        Spacer(1, 6),
        t.para(_("Selected services: total cost %(cost)s, total benefit %(benefit)s, net "
                 "benefit %(net)s.") % {"cost": money(totals.total_cost),
                                       "benefit": money(totals.total_benefit),
                                       "net": money(totals.net_benefit)}),
        t.chart(_cumulative_chart(totals, _("Selected services: cost, benefit and "
                                            "cumulative net benefit by horizon year"))),
    ]
    for r in ranked:
        o = r.opportunity
        sources = _("Data sources")
        story.append(t.para(f"{o.name} — {o.get_approach_display()}. "
                            f"{sources}: {o.data_sources or '—'}", t.cell))

    story.append(Paragraph(t.text(_("Results framework (B5)")), t.heading))
    rows = [[t.para(h, t.cell_bold) for h in (_("Outcome"), _("Common service"), _("KPI"),
                                              _("Kind"), _("Baseline"))]]
    for line, outcome, services in queries.results_framework(bos, year=bos.start_year):
        for service in services:
            for summary in service.summaries:
                rows.append([t.para(v, t.cell) for v in (
                    f"{LINES.get(line, line)}: {outcome.statement if outcome else '—'}",
                    service.opportunity.name, summary.indicator.name,
                    summary.indicator.get_kind_display(),
                    summary.indicator.baseline if summary.indicator.baseline is not None
                    else "—")])
    story.append(t.table(rows, [5 * cm, 3.5 * cm, 4 * cm, 2 * cm, 1.5 * cm]))

    story.append(Paragraph(t.text(_("Plan and budget")), t.heading))
    plan = queries.plan_totals(bos)
    rows = [[t.para(h, t.cell_bold) for h in (_("Activity"), _("Owner"), _("Dates"),
                                              _("Budget"), _("Funding gap"))]]
    for a in Activity.objects.filter(outcome__bos=bos).select_related("owner"):
        rows.append([t.para(v, t.cell) for v in (
            a.name, a.owner.acronym, f"{display.day(a.starts_on)} – {display.day(a.ends_on)}",
            money(a.budget), money(queries.gap_of(a)))])
    rows.append([t.para(v, t.cell_bold) for v in (_("Total"), "", "", money(plan["budget"]),
                                                 money(plan["gap"]))])
    story.append(t.table(rows, [6 * cm, 2 * cm, 4 * cm, 2 * cm, 2 * cm]))
    title = str(bos)
    return render_document(t, story, title=title, author=bos.country.name,
                           footer=_("%(bos)s — %(status)s") % {
                               "bos": title, "status": bos.get_status_display()})


def annual_report_pdf(bos: Bos, *, year: int, current_year: int) -> bytes:
    """B7: the annual report of one year."""
    report = queries.annual_report(bos, year=year, current_year=current_year)
    t = DocumentStyle()
    story = [
        Paragraph(t.text(_("BOS annual report %(year)s") % {"year": year}), t.title),
        Paragraph(t.text(str(bos)), t.subtitle),
        Paragraph(t.text(_("Cost avoidance by service (USD)")), t.heading),
    ]
    rows = [[t.para(h, t.cell_bold) for h in (_("Common service"), _("Horizon year"),
                                              _("Estimated"), _("Realised"),
                                              _("Funds spent"), _("Note"))]]
    for s in report.services:
        note = _("moved to the stock-take") if s.moved else (
            _("due for the stock-take (B7)") if s.due_for_stocktake else (
                "" if s.counted else _("not counted (B7)")))
        rows.append([t.para(v, t.cell) for v in (
            s.opportunity.name, s.horizon_year or "—", format_money(s.estimated),
            format_money(s.realised), format_money(s.funds_spent), note)])
    rows.append([t.para(v, t.cell_bold) for v in (
        _("Total"), "", format_money(report.totals["estimated"]),
        format_money(report.totals["realised"]), format_money(report.totals["funds"]), "")])
    story.append(t.table(rows, [4.5 * cm, 1.8 * cm, 2.4 * cm, 2.4 * cm, 2.4 * cm, 2.5 * cm]))
    story.append(t.chart(bar_chart(
        title=_("Estimated and realised cost avoidance by service, %(year)s") % {"year": year},
        unit="USD", labels=[s.opportunity.name for s in report.services],
        series=[Series(_("Estimated"), [s.estimated for s in report.services]),
                Series(_("Realised"), [s.realised for s in report.services])])))
    story.append(Paragraph(t.text(_("By agency (USD)")), t.heading))
    rows = [[t.para(h, t.cell_bold) for h in (_("Agency"), _("Estimated"), _("Realised"),
                                              _("Funds spent"))]]
    for r in report.agencies:
        rows.append([t.para(v, t.cell) for v in (
            r["agency"].acronym, format_money(r["estimated"]), format_money(r["realised"]),
            format_money(r["funds"]))])
    story.append(t.table(rows, [4 * cm, 3 * cm, 3 * cm, 3 * cm]))
    story.append(Paragraph(t.text(_("KPIs (B6)")), t.heading))
    rows = [[t.para(h, t.cell_bold) for h in (_("KPI"), _("Target"), _("Actual"),
                                              _("Status"))]]
    for k in report.kpis:
        rows.append([t.para(v, t.cell) for v in (
            k.indicator.name, k.target if k.target is not None else "—",
            k.actual if k.actual is not None else "—", k.status_label)])
    story.append(t.table(rows, [7 * cm, 2.5 * cm, 2.5 * cm, 4 * cm]))
    if report.feedback:
        story.append(Paragraph(t.text(_("Feedback")), t.heading))
        for r in report.feedback:
            story.append(t.para(f"{r.opportunity.name} ({r.agency.acronym}): {r.feedback}"))
    return render_document(t, story, title=_("BOS annual report %(year)s") % {"year": year},
                           author=bos.country.name, footer=str(bos))
