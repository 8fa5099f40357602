"""The OMT annual activity report (G9) as an XLSX workbook: the same figures as the page
and the PDF, from `workplans.reports`."""

from django.utils.translation import gettext as _

from commonops.core.spreadsheets import Sheet
from commonops.workplans.reports import AnnualReport

MONEY = "#,##0.00"


def annual_report_sheets(report: AnnualReport) -> list[Sheet]:
    g = report.governance
    governance = []
    if g is not None:
        governance = [
            (_("Meetings held"), len(g.meetings)),
            (_("Agendas sent on time"), g.agendas_on_time),
            (_("Agendas sent late"), g.agendas_late),
            (_("Agendas not sent"), g.agendas_not_sent),
            (_("Minutes circulated on time"), g.minutes_on_time),
            (_("Minutes circulated late"), g.minutes_late),
            (_("Minutes not circulated"), g.minutes_not_circulated),
            (_("Minutes finalised"), g.minutes_final),
            (_("Decisions recorded"), len(g.decisions)),
            (_("Actions raised"), g.actions_raised),
            (_("Actions closed"), g.actions_closed),
            (_("Actions open and overdue"), g.actions_open_overdue),
            (_("Months without a meeting"), len(g.months_without_meeting)),
        ]
    rows = report.overview.rows if report.overview else []
    return [
        Sheet(_("Governance"), [_("Measure"), _("Figure")], governance),
        Sheet(_("Decisions"), [_("Meeting"), _("Item"), _("Decision")], [
            (item.minutes.meeting.starts_at.date(), item.title, item.decisions)
            for item in (g.decisions if g else [])]),
        Sheet(_("Activities"), [
            _("Activity"), _("Outcome"), _("Owner"), _("Starts"), _("Ends"), _("Status"),
            _("Progress (%)"), _("Budget (USD)"), _("Spent (USD)"), _("Funding source"),
            _("Rating"), _("Why")], [
            (r.activity.title, str(r.activity.the_outcome or ""), str(r.activity.owner),
             r.activity.starts_on, r.activity.ends_on, r.activity.get_status_display(),
             r.activity.progress, r.activity.budget, r.activity.spent,
             r.activity.get_funding_source_display(), r.colour_label, " ".join(r.reasons))
            for r in rows], formats={7: MONEY, 8: MONEY}),
        Sheet(_("Indicators"), [_("Activity"), _("Indicator"), _("Unit"), _("Target"),
                                _("Actual"), _("Status")], [
            (row.activity.title, s.indicator.name, s.indicator.get_unit_display(), s.target,
             s.actual, s.status_label) for row, s in report.indicator_rows]),
        Sheet(_("Budget"), [_("Outcome"), _("Activities"), _("Done"), _("Budget (USD)"),
                            _("Spent (USD)"), _("Variance (USD)")], [
            (line.label, line.activities, line.done, line.budget, line.spent, line.variance)
            for line in report.outcomes], formats={3: MONEY, 4: MONEY, 5: MONEY}),
        Sheet(_("BOS KPIs"), [_("Common service"), _("KPI"), _("Unit"), _("Target"),
                              _("Actual"), _("Status")], [
            (k.opportunity.name, k.summary.indicator.name,
             k.summary.indicator.get_unit_display(), k.summary.target, k.summary.actual,
             k.summary.status_label) for k in report.bos_kpis]),
    ]
