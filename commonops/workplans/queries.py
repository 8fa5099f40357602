"""Reads of work plans: the plan with every activity's rating (red, amber, green) and the
reasons, totals, and the results of a BOS over its cycle for its evaluation. A fixed
number of queries whatever the number of activities."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from commonops.bos.models import AnnualResult, Bos, Opportunity
from commonops.bos.queries import kpis_for
from commonops.core.money import format_money
from commonops.results import rules as results_rules
from commonops.results.models import Indicator
from commonops.results.queries import IndicatorSummary, indicator_summaries
from commonops.workplans import rules
from commonops.workplans.models import PlanActivity, WorkPlan


def colour_label(colour: str) -> str:
    return str({rules.RED: _("Red"), rules.AMBER: _("Amber"), rules.GREEN: _("Green"),
                rules.NOT_RATED: _("Not rated")}[colour])


def reason_text(reason: rules.Reason) -> str:
    """A reason for a colour, in words."""
    v = reason.values
    if reason.code == "cancelled":
        return _("Cancelled: not rated.")
    if reason.code == "overdue":
        return _("Behind schedule: its end date (%(day)s) has passed and it is %(progress)s%% "
                 "done.") % {"day": v["ends_on"].isoformat(), "progress": v["progress"]}
    if reason.code == "behind":
        return _("Behind schedule: %(progress)s%% done where %(expected)s%% of its time has "
                 "gone by.") % v
    if reason.code == "over_budget":
        return _("Over budget: %(spent)s spent of %(budget)s.") % {
            "spent": format_money(v["spent"]), "budget": format_money(v["budget"])}
    if reason.code == "indicator_not_met":
        return ngettext("An indicator is not met.", "%(count)s indicators are not met.",
                        v["count"]) % v
    if reason.code == "indicator_progress":
        return ngettext("An indicator is not met yet, but progressing.",
                        "%(count)s indicators are not met yet, but progressing.",
                        v["count"]) % v
    if reason.code == "done":
        return _("Done, within budget, indicators met.")
    return _("On track.")


@dataclass
class ActivityRow:
    activity: PlanActivity
    rating: rules.Rating
    summaries: list[IndicatorSummary]
    expected: int

    @property
    def colour(self) -> str:
        return self.rating.colour

    @property
    def colour_label(self) -> str:
        return colour_label(self.rating.colour)

    @property
    def reasons(self) -> list[str]:
        return [reason_text(r) for r in self.rating.reasons]


@dataclass
class PlanOverview:
    plan: WorkPlan
    today: date
    rows: list[ActivityRow]
    groups: list = field(default_factory=list)  # (outcome or None, [rows])
    budget: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    colours: dict = field(default_factory=dict)

    @property
    def colour_counts(self) -> list[tuple[str, str, int]]:
        return [(colour, colour_label(colour), self.colours.get(colour, 0))
                for colour in (rules.RED, rules.AMBER, rules.GREEN, rules.NOT_RATED)]


def activities_of(plan: WorkPlan):
    return (PlanActivity.objects.filter(plan=plan)
            .select_related("bos_activity__outcome", "outcome", "owner_agency",
                            "owner_task_force", "carried_from__plan")
            .annotate(carried_count=Count("carried_to")))


def activity_indicators(activities) -> dict[int, list[Indicator]]:
    """The indicators of each activity (their subject), in one query."""
    out = defaultdict(list)
    for indicator in Indicator.objects.filter(
            subject_type=ContentType.objects.get_for_model(PlanActivity),
            subject_id__in=[a.pk for a in activities]).order_by("subject_id", "name"):
        out[indicator.subject_id].append(indicator)
    return out


def rate(activity: PlanActivity, summaries, *, today: date) -> rules.Rating:
    return rules.activity_rating(rules.ActivityFacts(
        status=activity.status, starts_on=activity.starts_on, ends_on=activity.ends_on,
        progress=activity.progress, budget=activity.budget, spent=activity.spent,
        indicator_statuses=tuple(s.status for s in summaries)), today=today)


def activity_rows(plan: WorkPlan, activities, *, today: date) -> list[ActivityRow]:
    activities = list(activities)
    indicators = activity_indicators(activities)
    every = [i for a in activities for i in indicators[a.pk]]
    summaries = {s.indicator.pk: s for s in indicator_summaries(every, year=plan.year)}
    rows = []
    for activity in activities:
        own = [summaries[i.pk] for i in indicators[activity.pk]]
        rows.append(ActivityRow(activity, rate(activity, own, today=today), own,
                                rules.expected_progress(activity.starts_on, activity.ends_on,
                                                        today)))
    return rows


def plan_overview(plan: WorkPlan, *, today: date) -> PlanOverview:
    """The work plan with each activity's rating and reasons, grouped by BOS outcome."""
    rows = activity_rows(plan, activities_of(plan), today=today)
    groups: dict = {}
    for row in rows:
        groups.setdefault(row.activity.the_outcome, []).append(row)
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, str(item[0] or "")))
    colours = defaultdict(int)
    for row in rows:
        colours[row.colour] += 1
    return PlanOverview(
        plan=plan, today=today, rows=rows, groups=ordered,
        budget=sum((r.activity.budget for r in rows), Decimal(0)),
        spent=sum((r.activity.spent for r in rows), Decimal(0)), colours=dict(colours))


@dataclass
class OutcomeLine:
    """An outcome's activities in a work plan: how many, how many done, budget, spent."""

    outcome: object  # bos Outcome, or None for the OMT's other activities
    activities: int
    done: int
    budget: Decimal
    spent: Decimal

    @property
    def label(self) -> str:
        return str(self.outcome) if self.outcome else _("Other OMT activities")

    @property
    def short_label(self) -> str:
        if self.outcome is None:
            return _("Other")
        return self.outcome.get_service_line_display()

    @property
    def variance(self) -> Decimal:
        return self.spent - self.budget


def outcome_lines(overview: PlanOverview) -> list[OutcomeLine]:
    return [OutcomeLine(
        outcome=outcome, activities=len(rows),
        done=sum(1 for r in rows if r.activity.status == rules.DONE),
        budget=sum((r.activity.budget for r in rows), Decimal(0)),
        spent=sum((r.activity.spent for r in rows), Decimal(0)))
        for outcome, rows in overview.groups]


def outcome_chart(lines: list[OutcomeLine], title: str):
    from commonops.core.charts import Series, bar_chart

    return bar_chart(title=title, labels=[line.short_label for line in lines], unit="USD",
                     series=[Series(_("Budget"), [line.budget for line in lines]),
                             Series(_("Spent"), [line.spent for line in lines])])


def plan_for(country, year: int) -> WorkPlan | None:
    return (WorkPlan.objects.filter(country=country, year=year)
            .select_related("country", "omt", "bos").first())


def red_activities(country, *, today: date) -> list[ActivityRow]:
    """The red activities of this year's approved plan (for the home page)."""
    plan = WorkPlan.objects.filter(country=country, year=today.year,
                                   status=rules.APPROVED).first()
    if plan is None:
        return []
    return [row for row in activity_rows(plan, activities_of(plan), today=today)
            if row.colour == rules.RED]


# --- the BOS over its cycle (for its end-of-cycle evaluation) -------------------------------


@dataclass
class CycleKpi:
    indicator: Indicator
    opportunity: Opportunity
    by_year: list[IndicatorSummary]


@dataclass
class CycleResults:
    bos: Bos
    years: list[int]
    kpis: list[CycleKpi]
    met_by_year: list[tuple[int, int, int]]  # (year, met, with a target that applies)
    realised_by_year: list[tuple[int, Decimal, Decimal]]  # (year, cost avoidance, spent)

    @property
    def realised_total(self) -> Decimal:
        return sum((r for _y, r, _s in self.realised_by_year), Decimal(0))


def cycle_results(bos: Bos) -> CycleResults:
    """The results of a BOS against its framework, year by year over its cycle (B5–B7): each
    KPI's status every year, how many were met, realised cost avoidance and funds spent."""
    years = list(range(bos.start_year, bos.end_year + 1))
    services = list(Opportunity.objects.filter(bos=bos, selected=True))
    kpis = kpis_for(services)
    indicators = [(service, i) for service in services for i in kpis[service.pk]]
    per_year = {year: {s.indicator.pk: s for s in indicator_summaries(
        [i for _s, i in indicators], year=year)} for year in years}
    rows = [CycleKpi(i, service, [per_year[year][i.pk] for year in years])
            for service, i in indicators]
    met = []
    for index, year in enumerate(years):
        statuses = [row.by_year[index].status for row in rows]
        counted = [s for s in statuses if s not in (results_rules.NO_DATA,
                                                    results_rules.NOT_APPLICABLE)]
        met.append((year, counted.count(results_rules.MET), len(counted)))
    sums = {row["year"]: row for row in AnnualResult.objects.filter(
        opportunity__bos=bos).values("year").annotate(
        realised=Sum("realised_cost_avoidance"), spent=Sum("funds_spent"))}
    realised = [(year, sums.get(year, {}).get("realised") or Decimal(0),
                 sums.get(year, {}).get("spent") or Decimal(0)) for year in years]
    return CycleResults(bos, years, rows, met, realised)


def plans_in_cycle(bos: Bos):
    """The work plans of the cycle, with their activity counts."""
    return (WorkPlan.objects.filter(country_id=bos.country_id, year__gte=bos.start_year,
                                    year__lte=bos.end_year).order_by("year")
            .annotate(activity_count=Count("activities"),
                      done_count=Count("activities", filter=Q(activities__status=rules.DONE))))
