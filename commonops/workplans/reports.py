"""The OMT's annual activity report (G9): one year of governance, the work plan's results
against its targets, expenditure against budget and the BOS's progress, for the UNCT.

The page, the PDF and the spreadsheet all read `annual_report`, so they show the same
figures. Governance is read through `governance.queries`, the BOS through `bos.queries`
and `results.queries`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from commonops.bos.models import AnnualResult, Bos, Opportunity
from commonops.bos.queries import kpis_for
from commonops.governance.queries import YearInReview, omt_of, year_in_review
from commonops.results import rules as results_rules
from commonops.results.queries import IndicatorSummary, indicator_summaries
from commonops.workplans import queries, rules
from commonops.workplans.models import WorkPlan


@dataclass
class BosKpi:
    opportunity: Opportunity
    summary: IndicatorSummary


@dataclass
class AnnualReport:
    country: object
    year: int
    omt: object
    governance: YearInReview | None
    plan: WorkPlan | None
    overview: queries.PlanOverview | None
    outcomes: list[queries.OutcomeLine] = field(default_factory=list)
    bos: Bos | None = None
    bos_kpis: list[BosKpi] = field(default_factory=list)
    realised: Decimal = Decimal(0)
    funds_spent: Decimal = Decimal(0)

    @property
    def budget(self) -> Decimal:
        return self.overview.budget if self.overview else Decimal(0)

    @property
    def spent(self) -> Decimal:
        return self.overview.spent if self.overview else Decimal(0)

    @property
    def indicator_rows(self) -> list[tuple]:
        """(activity row, summary) for every indicator of the plan's activities."""
        if self.overview is None:
            return []
        return [(row, summary) for row in self.overview.rows for summary in row.summaries]

    @property
    def indicators_met(self) -> tuple[int, int]:
        statuses = [s.status for _row, s in self.indicator_rows]
        counted = [s for s in statuses if s not in (results_rules.NO_DATA,
                                                    results_rules.NOT_APPLICABLE)]
        return counted.count(results_rules.MET), len(counted)

    @property
    def bos_met(self) -> tuple[int, int]:
        statuses = [k.summary.status for k in self.bos_kpis]
        counted = [s for s in statuses if s not in (results_rules.NO_DATA,
                                                    results_rules.NOT_APPLICABLE)]
        return counted.count(results_rules.MET), len(counted)

    @property
    def activities_done(self) -> int:
        if self.overview is None:
            return 0
        return sum(1 for row in self.overview.rows if row.activity.status == rules.DONE)


def bos_of_year(country, year: int) -> Bos | None:
    return Bos.objects.filter(country=country, start_year__lte=year,
                              end_year__gte=year).order_by("-start_year").first()


def bos_kpi_progress(bos: Bos | None, *, year: int) -> list[BosKpi]:
    """Every KPI of the BOS's selected services with its status in `year` (B6)."""
    if bos is None:
        return []
    services = list(Opportunity.objects.filter(bos=bos, selected=True))
    kpis = kpis_for(services)
    pairs = [(service, indicator) for service in services for indicator in kpis[service.pk]]
    summaries = {s.indicator.pk: s for s in indicator_summaries([i for _s, i in pairs],
                                                                year=year)}
    return [BosKpi(service, summaries[indicator.pk]) for service, indicator in pairs]


def annual_report(country, *, year: int, today: date) -> AnnualReport:
    """Everything the annual report shows, in a fixed number of queries."""
    omt = omt_of(country)
    governance = year_in_review(omt, year=year, today=today) if omt else None
    plan = queries.plan_for(country, year)
    overview = queries.plan_overview(plan, today=min(today, date(year, 12, 31))) \
        if plan else None
    outcomes = queries.outcome_lines(overview) if overview is not None else []
    bos = (plan.bos if plan and plan.bos_id else None) or bos_of_year(country, year)
    totals = AnnualResult.objects.filter(opportunity__bos=bos, year=year).aggregate(
        realised=Sum("realised_cost_avoidance"), spent=Sum("funds_spent")) if bos else {}
    return AnnualReport(
        country=country, year=year, omt=omt, governance=governance, plan=plan,
        overview=overview, outcomes=outcomes, bos=bos,
        bos_kpis=bos_kpi_progress(bos, year=year),
        realised=totals.get("realised") or Decimal(0),
        funds_spent=totals.get("spent") or Decimal(0))


def expenditure_chart(report: AnnualReport):
    return queries.outcome_chart(
        report.outcomes, _("Work plan %(year)s: budget and spending by outcome (USD)")
        % {"year": report.year})
