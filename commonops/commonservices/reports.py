"""Statements (S4) and the annual report (S3, B7) as PDF (house style, core.pdf) and XLSX
(core.spreadsheets), and the report's chart."""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib.units import cm
from reportlab.platypus import Spacer

from commonops.core import display
from commonops.core.charts import Series, bar_chart
from commonops.core.money import format_money
from commonops.core.pdf import DocumentStyle, render_document
from commonops.core.spreadsheets import Sheet, xlsx_response

MONEY = "#,##0.00"
_money = display.money
_percent = display.percent


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
                     _money(allocation.total),
                     f"{display.number(line.weight)} / {display.number(line.weight_sum)}",
                     _percent(line.share_percent), _money(line.amount)])
    rows.append([t.para(_("Total shares"), t.cell_bold), "", "", "", "",
                 format_money(statement.total_share)])
    payments = [[_("Received on"), _("Reference"), _("Amount (USD)")]]
    payments += [[display.day(p.received_on), p.reference or "—", _money(p.amount)]
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
                           footer=f"{title} — {display.day(statement.country.today())}")


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
    """S3: budget and expenditure per service, by name; in a year in progress the budget
    for the months over, against the spending up to then."""
    rows = [r for r in report.services if r.budget or r.actual]
    whole = report.period.whole_year
    if whole:
        title = _("Budget and expenditure per service, %(year)s") % {"year": report.year}
    else:
        title = _("Budget and expenditure per service to the end of %(month)s") % {
            "month": _period_end(report)}
    return bar_chart(title=title, unit="USD", labels=[r.service.name for r in rows],
                     series=[Series(_("Budget") if whole else _("Budget to date"),
                                    [r.budget_to_date for r in rows]),
                             Series(_("Expenditure") if whole else _("Spent to date"),
                                    [r.actual for r in rows])])


def _period_end(report) -> str:
    """"October 2026": the last month compared (S3), or the year when none is over."""
    day = report.period.last_day
    return formats.date_format(day, "YEAR_MONTH_FORMAT") if day else str(report.year)


def _kpi_text(row) -> str:
    return "; ".join(f"{k.indicator.get_kind_display()}: {k.status_label}"
                     for k in row.kpis) or "—"


def annual_report_pdf(report) -> bytes:
    t = DocumentStyle()
    title = _("Annual report on the common-service account %(year)s") % {"year": report.year}
    whole = report.period.whole_year
    head = [_("Service"), _("Budget"), *([] if whole else [_("Budget to date")]),
            _("Expenditure") if whole else _("Spent to date"), _("Variance"), _("%"),
            _("Satisfaction"), _("KPIs")]
    services = [[t.para(h, t.cell_bold) for h in head]]
    for row in report.services:
        v = row.variance
        services.append([t.para(row.service.name, t.cell), _money(row.budget),
                         *([] if whole else [_money(row.budget_to_date)]),
                         _money(row.actual), _money(v.variance),
                         _percent(v.percent) + (" ⚑" if v.flagged else ""),
                         _percent(row.satisfaction), t.para(_kpi_text(row), t.cell)])
    total = report.variance
    services.append([t.para(_("Total"), t.cell_bold), _money(report.total_budget),
                     *([] if whole else [_money(report.total_budget_to_date)]),
                     _money(report.total_actual), _money(total.variance),
                     _percent(total.percent), "", ""])
    widths = ([4.2 * cm, 2.3 * cm, 2.3 * cm, 2 * cm, 1.5 * cm, 1.7 * cm, 3 * cm] if whole
              else [3.4 * cm, 2.1 * cm, 2.1 * cm, 2.1 * cm, 1.9 * cm, 1.4 * cm, 1.6 * cm,
                    2.4 * cm])
    agencies = [[t.para(h, t.cell_bold) for h in (
        _("Agency"), _("Allocated"), _("Actual share") if whole else _("Actual share to date"),
        _("Variance"), _("Paid"), _("Balance"))]]
    for row in report.agencies:
        agencies.append([row.agency.acronym, format_money(row.allocated), format_money(row.actual),
                         format_money(row.variance.variance), format_money(row.paid),
                         format_money(row.balance)])
    story = [
        t.para(title, t.title),
        t.para(report.country.name, t.subtitle),
    ]
    if not whole:
        story.append(t.para(_period_text(report), t.body))
    story += [
        t.chart(budget_chart(report)),
        t.para(_("Budget vs expenditure per service (USD)"), t.heading),
        t.table(services, widths),
        t.para(_("⚑ = a deviation of more than %(limit)s%% from the budget (S3).")
               % {"limit": 2}, t.body),
        t.para(_("Cost per agency (USD)"), t.heading),
        t.table(agencies, [3 * cm, 2.7 * cm, 2.7 * cm, 2.7 * cm, 2.7 * cm, 2.7 * cm]),
    ]
    return render_document(t, story, title=title, author="CommonOps",
                           footer=f"{report.country.name} — {title}")


def _period_text(report) -> str:
    """S3: which budget a year in progress is compared with (as on the page)."""
    months = report.period.months
    if not months:
        return _("No month of %(year)s is over yet: nothing is compared with the "
                 "budget.") % {"year": report.year}
    return ngettext(
        "%(year)s is not over: spending to the end of %(month)s is compared with the budget "
        "for that month (%(months)s/12 of the year's budget).",
        "%(year)s is not over: spending to the end of %(month)s is compared with the budget "
        "for those %(months)s months (%(months)s/12 of the year's budget).", months) % {
        "year": report.year, "months": months,
        "month": formats.date_format(report.period.last_day, "F")}


def annual_report_xlsx(report):
    whole = report.period.whole_year
    services = Sheet(_("Services"), [
        _("Service"), _("Service line"), _("Budget (USD)"), _("Budget to date (USD)"),
        _("Expenditure (USD)") if whole else _("Spent to date (USD)"),
        _("Variance (USD)"), _("Variance %"), _("Over 2%"), _("Satisfaction %"), _("KPIs")],
        [[r.service.name, r.service.get_service_line_display(), r.budget, r.budget_to_date,
          r.actual, r.variance.variance, r.variance.percent, r.variance.flagged,
          r.satisfaction, _kpi_text(r)] for r in report.services]
        + [[_("Total"), "", report.total_budget, report.total_budget_to_date,
            report.total_actual, report.variance.variance, report.variance.percent,
            report.variance.flagged, None, ""]],
        formats={2: MONEY, 3: MONEY, 4: MONEY, 5: MONEY})
    agencies = Sheet(_("Agencies"), [_("Agency"), _("Allocated (USD)"), _("Actual share (USD)"),
                                     _("Variance (USD)"), _("Paid (USD)"), _("Balance (USD)")],
                     [[r.agency.acronym, r.allocated, r.actual, r.variance.variance, r.paid,
                       r.balance] for r in report.agencies],
                     formats={1: MONEY, 2: MONEY, 3: MONEY, 4: MONEY, 5: MONEY})
    return xlsx_response(f"common-services-{report.country.iso_code}-{report.year}",
                         [services, agencies])
