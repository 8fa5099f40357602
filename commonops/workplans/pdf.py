"""The OMT annual activity report (G9) as an A4 PDF in the house style of
`commonops.core.pdf`: the same figures as the page, from `workplans.reports`."""

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, Spacer

from commonops.core.money import format_money
from commonops.core.pdf import DocumentStyle, render_document
from commonops.workplans.reports import AnnualReport

BLUE, ORANGE = colors.HexColor("#1f5fa8"), colors.HexColor("#d9822b")
RAG = {"red": colors.HexColor("#fbe9ea"), "amber": colors.HexColor("#fdf3dc"),
       "green": colors.HexColor("#e6f4ea")}


def _budget_drawing(report: AnnualReport) -> Drawing:
    drawing = Drawing(16 * cm, 6.5 * cm)
    drawing.add(String(0, 6.5 * cm - 10, _("Budget (blue) and spending (orange) by outcome, "
                                           "USD"), fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 55, 35, 16 * cm - 75, 6.5 * cm - 60
    chart.data = [[float(line.budget) for line in report.outcomes] or [0],
                  [float(line.spent) for line in report.outcomes] or [0]]
    chart.categoryAxis.categoryNames = [line.short_label for line in report.outcomes] or [""]
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 20
    chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.bars[0].fillColor, chart.bars[1].fillColor = BLUE, ORANGE
    drawing.add(chart)
    return drawing


def annual_report_pdf(report: AnnualReport) -> bytes:
    t = DocumentStyle()
    title = _("OMT annual activity report %(year)s") % {"year": report.year}
    story = [Paragraph(t.text(title), t.title),
             Paragraph(t.text(report.omt or report.country), t.subtitle)]

    def table(headers, rows, widths, *, shades=None):
        data = [[t.para(h, t.cell_bold) for h in headers]]
        data += [[t.para(v, t.cell) for v in row] for row in rows]
        tbl = t.table(data, widths)
        for index, colour in (shades or {}).items():
            tbl.setStyle([("BACKGROUND", (0, index + 1), (-1, index + 1), RAG[colour])])
        story.append(tbl)

    g = report.governance
    story.append(Paragraph(t.text(_("Meetings and follow-up")), t.heading))
    if g is None:
        story.append(t.para(_("This country team has no OMT yet.")))
    else:
        table([_("Measure"), _("Figure")], [
            (_("Meetings held"), len(g.meetings)),
            (_("Agendas sent on time / late / not sent"),
             f"{g.agendas_on_time} / {g.agendas_late} / {g.agendas_not_sent}"),
            (_("Minutes circulated on time / late / not circulated"),
             f"{g.minutes_on_time} / {g.minutes_late} / {g.minutes_not_circulated}"),
            (_("Minutes finalised"), g.minutes_final),
            (_("Decisions recorded"), len(g.decisions)),
            (_("Actions raised / closed"), f"{g.actions_raised} / {g.actions_closed}"),
            (_("Actions open and overdue"), g.actions_open_overdue),
            (_("Months without a meeting"), len(g.months_without_meeting)),
        ], [11 * cm, 5 * cm])
        if g.decisions:
            story.append(Paragraph(t.text(_("Decisions")), t.label))
            table([_("Meeting"), _("Item"), _("Decision")], [
                (f"{item.minutes.meeting.starts_at:%Y-%m-%d}", item.title, item.decisions)
                for item in g.decisions], [2.4 * cm, 4.6 * cm, 9 * cm])

    story.append(Paragraph(t.text(_("Work plan results against targets")), t.heading))
    if report.overview is None:
        story.append(t.para(_("There is no work plan for %(year)s.") % {"year": report.year}))
    else:
        met, counted = report.indicators_met
        story.append(t.para(_("%(done)s of %(count)s activities done; %(met)s of %(counted)s "
                              "indicators with a target that applies are met.") % {
            "done": report.activities_done, "count": len(report.overview.rows),
            "met": met, "counted": counted}))
        rows, shades = [], {}
        for index, row in enumerate(report.overview.rows):
            shades[index] = row.colour if row.colour in RAG else None
            rows.append((row.activity.title, str(row.activity.owner),
                         row.activity.get_status_display(), f"{row.activity.progress}%",
                         row.colour_label, " ".join(row.reasons)))
        table([_("Activity"), _("Owner"), _("Status"), _("Progress"), _("Rating"),
               _("Why")], rows, [3.8 * cm, 2 * cm, 2 * cm, 2 * cm, 1.7 * cm, 4.5 * cm],
              shades={i: c for i, c in shades.items() if c})
        if report.indicator_rows:
            story.append(Paragraph(t.text(_("Indicators")), t.label))
            table([_("Activity"), _("Indicator"), _("Target"), _("Actual"), _("Status")], [
                (row.activity.title, s.indicator.name, format_money(s.target),
                 format_money(s.actual), s.status_label) for row, s in report.indicator_rows],
                [4.5 * cm, 4.5 * cm, 2 * cm, 2 * cm, 3 * cm])

        story.append(Paragraph(t.text(_("Expenditure against budget (USD)")), t.heading))
        table([_("Outcome"), _("Activities"), _("Budget"), _("Spent"), _("Variance")], [
            (line.label, f"{line.done}/{line.activities}", format_money(line.budget),
             format_money(line.spent), format_money(line.variance))
            for line in report.outcomes] + [
            (_("Total"), "", format_money(report.budget), format_money(report.spent),
             format_money(report.spent - report.budget))],
            [5.2 * cm, 2.4 * cm, 2.8 * cm, 2.8 * cm, 2.8 * cm])
        story.append(Spacer(1, 6))
        story.append(_budget_drawing(report))

    story.append(Paragraph(t.text(_("BOS progress")), t.heading))
    if report.bos is None:
        story.append(t.para(_("No BOS covers %(year)s.") % {"year": report.year}))
    else:
        met, counted = report.bos_met
        story.append(t.para(_("%(bos)s: %(met)s of %(counted)s KPIs with data met their "
                              "%(year)s target; realised cost avoidance %(realised)s USD, "
                              "funds spent %(spent)s USD.") % {
            "bos": report.bos, "met": met, "counted": counted, "year": report.year,
            "realised": format_money(report.realised),
            "spent": format_money(report.funds_spent)}))
        table([_("Common service"), _("KPI"), _("Target"), _("Actual"), _("Status")], [
            (k.opportunity.name, k.summary.indicator.name, format_money(k.summary.target),
             format_money(k.summary.actual), k.summary.status_label)
            for k in report.bos_kpis], [4 * cm, 5 * cm, 2 * cm, 2 * cm, 3 * cm])
    return render_document(t, story, title=title, author=str(report.country),
                           footer=f"{title} — {report.country}")
