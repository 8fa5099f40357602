"""Statements (S4) and the annual report (S3, B7) as PDF (house style, core.pdf) and XLSX
(core.spreadsheets), and the report's chart."""

from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from commonops.core.charts import Series, bar_chart
from commonops.core.money import format_money
from commonops.core.pdf import DocumentStyle, render_document
from commonops.core.spreadsheets import Sheet, xlsx_response

MONEY = "#,##0.00"


def _percent(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


# --- statements (S4) --------------------------------------------------------------------------


def statement_pdf(statement) -> bytes:
    t = DocumentStyle()
    title = _("Common-services statement %(year)s: %(agency)s") % {
        "year": statement.year, "agency": statement.agency.acronym}
    rows = [[_("Service"), _("Key"), _("Budget (USD)"), _("Weight"), _("Share"),
             _("Amount (USD)")]]
    for line in statement.lines:
        allocation = line.allocation
        rows.append([t.para(allocation.service.name, t.cell),
                     t.para(allocation.get_method_display(), t.cell),
                     format_money(allocation.total), f"{line.weight:g} / {line.weight_sum:g}",
                     _percent(line.share_percent), format_money(line.amount)])
    rows.append([t.para(_("Total shares"), t.cell_bold), "", "", "", "",
                 format_money(statement.total_share)])
    payments = [[_("Received on"), _("Reference"), _("Amount (USD)")]]
    payments += [[f"{p.received_on:%Y-%m-%d}", p.reference or "—", format_money(p.amount)]
                 for p in statement.payments]
    payments.append([t.para(_("Total paid"), t.cell_bold), "", format_money(statement.total_paid)])
    story = [
        t.para(title, t.title),
        t.para(f"{statement.agency.name} — {statement.country.name}", t.subtitle),
        t.para(_("Shares of the common services"), t.heading),
        t.table(rows, [5 * cm, 2.6 * cm, 2.6 * cm, 2.6 * cm, 1.6 * cm, 2.6 * cm]),
        t.para(_("Payments received"), t.heading),
        t.table(payments, [4 * cm, 6 * cm, 3 * cm]),
        Spacer(1, 0.4 * cm),
        t.para(_("Balance due (USD): %(amount)s") % {"amount": format_money(statement.balance)},
               t.heading),
        t.para(_("Each share is the service's budget × the agency's weight ÷ the sum of the "
                 "weights, exact to the cent (S1)."), t.body),
    ]
    return render_document(t, story, title=title, author="CommonOps",
                           footer=f"{title} — {statement.country.today():%Y-%m-%d}")


def statement_xlsx(statement):
    shares = Sheet(_("Shares"), [_("Service"), _("Service line"), _("Key"), _("Budget (USD)"),
                                 _("Weight"), _("Sum of weights"), _("Share %"),
                                 _("Amount (USD)")],
                   [[line.allocation.service.name,
                     line.allocation.service.get_service_line_display(),
                     line.allocation.get_method_display(), line.allocation.total, line.weight,
                     line.weight_sum, line.share_percent, line.amount]
                    for line in statement.lines]
                   + [[_("Total"), "", "", None, None, None, None, statement.total_share]],
                   formats={3: MONEY, 7: MONEY})
    payments = Sheet(_("Payments"), [_("Received on"), _("Reference"), _("Amount (USD)")],
                     [[p.received_on, p.reference, p.amount] for p in statement.payments]
                     + [[_("Total"), "", statement.total_paid],
                        [_("Balance due"), "", statement.balance]],
                     formats={2: MONEY})
    return xlsx_response(f"statement-{statement.agency.acronym}-{statement.year}",
                         [shares, payments])


# --- annual report (S3, B7) -------------------------------------------------------------------


def budget_chart(report):
    rows = [r for r in report.services if r.budget or r.actual]
    return bar_chart(title=_("Budget and expenditure per service (USD)"),
                     labels=[r.service.name[:18] for r in rows],
                     series=[Series(_("Budget"), [r.budget for r in rows]),
                             Series(_("Expenditure"), [r.actual for r in rows])],
                     unit="USD")


def _kpi_text(row) -> str:
    return "; ".join(f"{k.indicator.get_kind_display()}: {k.status_label}"
                     for k in row.kpis) or "—"


def _pdf_chart(report) -> Drawing:
    rows = [r for r in report.services if r.budget or r.actual][:20]
    drawing = Drawing(17 * cm, 6 * cm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, 17 * cm - 60, 6 * cm - 45
    chart.data = [[float(r.budget) for r in rows] or [0], [float(r.actual) for r in rows]
                  or [0]]
    chart.categoryAxis.categoryNames = [str(i + 1) for i in range(len(rows))] or [""]
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = colors.HexColor("#1f5f99")
    chart.bars[1].fillColor = colors.HexColor("#e0a030")
    drawing.add(chart)
    return drawing


def annual_report_pdf(report) -> bytes:
    t = DocumentStyle()
    title = _("Annual report on the common-service account %(year)s") % {"year": report.year}
    services = [[_("#"), _("Service"), _("Budget"), _("Expenditure"), _("Variance"), _("%"),
                 _("Satisfaction"), _("KPIs")]]
    for i, row in enumerate(report.services, start=1):
        v = row.variance
        services.append([str(i), t.para(row.service.name, t.cell), format_money(row.budget),
                         format_money(row.actual), format_money(v.variance),
                         t.para(_percent(v.percent) + (" ⚑" if v.flagged else ""), t.cell),
                         _percent(row.satisfaction), t.para(_kpi_text(row), t.cell)])
    total = report.variance
    services.append(["", t.para(_("Total"), t.cell_bold), format_money(report.total_budget),
                     format_money(report.total_actual), format_money(total.variance),
                     _percent(total.percent), "", ""])
    agencies = [[_("Agency"), _("Allocated"), _("Actual share"), _("Variance"), _("Paid"),
                 _("Balance")]]
    for row in report.agencies:
        agencies.append([row.agency.acronym, format_money(row.allocated), format_money(row.actual),
                         format_money(row.variance.variance), format_money(row.paid),
                         format_money(row.balance)])
    story = [
        t.para(title, t.title),
        t.para(report.country.name, t.subtitle),
        t.para(_("Budget vs expenditure per service (USD)"), t.heading),
        _pdf_chart(report),
        t.table(services, [0.7 * cm, 4.3 * cm, 2.2 * cm, 2.2 * cm, 2 * cm, 1.4 * cm,
                           1.6 * cm, 3.3 * cm]),
        t.para(_("⚑ = a deviation of more than %(limit)s%% from the budget (S3).")
               % {"limit": 2}, t.body),
        t.para(_("Cost per agency (USD)"), t.heading),
        t.table(agencies, [3 * cm, 2.7 * cm, 2.7 * cm, 2.7 * cm, 2.7 * cm, 2.7 * cm]),
    ]
    return render_document(t, story, title=title, author="CommonOps",
                           footer=f"{report.country.name} — {title}")


def annual_report_xlsx(report):
    services = Sheet(_("Services"), [
        _("Service"), _("Service line"), _("Budget (USD)"), _("Expenditure (USD)"),
        _("Variance (USD)"), _("Variance %"), _("Over 2%"), _("Satisfaction %"), _("KPIs")],
        [[r.service.name, r.service.get_service_line_display(), r.budget, r.actual,
          r.variance.variance, r.variance.percent, r.variance.flagged, r.satisfaction,
          _kpi_text(r)] for r in report.services]
        + [[_("Total"), "", report.total_budget, report.total_actual,
            report.variance.variance, report.variance.percent, report.variance.flagged,
            None, ""]],
        formats={2: MONEY, 3: MONEY, 4: MONEY})
    agencies = Sheet(_("Agencies"), [_("Agency"), _("Allocated (USD)"), _("Actual share (USD)"),
                                     _("Variance (USD)"), _("Paid (USD)"), _("Balance (USD)")],
                     [[r.agency.acronym, r.allocated, r.actual, r.variance.variance, r.paid,
                       r.balance] for r in report.agencies],
                     formats={1: MONEY, 2: MONEY, 3: MONEY, 4: MONEY, 5: MONEY})
    return xlsx_response(f"common-services-{report.country.iso_code}-{report.year}",
                         [services, agencies])
