"""Reads of the BOS app. Every CBA figure comes from `cba.cba_summary` over the stored lines;
every KPI status from the results engine. Callers scope the BOS with `.visible_to(user)`
before calling these; each function runs a fixed number of queries whatever the data size.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum

from commonops.bos import cba, rules
from commonops.bos.models import (
    Activity,
    AnnualResult,
    Bos,
    CbaEntry,
    Opportunity,
    Outcome,
    StocktakeEntry,
)
from commonops.results.models import Indicator
from commonops.results.queries import indicator_summaries

ZERO = Decimal("0.00")


def cba_lines(entries) -> list[cba.CbaLine]:
    return [cba.CbaLine(year=e.year, side=e.side, kind=e.kind, nature=e.nature,
                        amount=e.amount) for e in entries]


def cba_line_values(entries) -> list[cba.CbaLine]:
    """From `.values("year", "side", "kind", "nature", "amount")` rows."""
    return [cba.CbaLine(year=e["year"], side=e["side"], kind=e["kind"], nature=e["nature"],
                        amount=e["amount"]) for e in entries]


def opportunity_summary(opportunity: Opportunity) -> cba.CbaSummary:
    entries = CbaEntry.objects.filter(opportunity=opportunity).values(
        "year", "side", "kind", "nature", "amount")
    return cba.cba_summary(cba_line_values(entries),
                           discount_rate=opportunity.bos.discount_rate)


@dataclass
class RankedOpportunity:
    opportunity: Opportunity
    summary: cba.CbaSummary
    rank: int = 0


def opportunities_with_summaries(bos: Bos, *, selected_only: bool = False
                                 ) -> list[RankedOpportunity]:
    """The BOS's opportunities with their CBA summaries, in two queries (plus agencies)."""
    opportunities = Opportunity.objects.filter(bos=bos).prefetch_related(
        "managing_agencies", "participating_agencies")
    if selected_only:
        opportunities = opportunities.filter(selected=True)
    opportunities = list(opportunities)
    lines = defaultdict(list)
    for row in CbaEntry.objects.filter(opportunity__bos=bos).values(
            "opportunity_id", "year", "side", "kind", "nature", "amount"):
        lines[row["opportunity_id"]].append(row)
    return [RankedOpportunity(o, cba.cba_summary(cba_line_values(lines[o.pk]),
                                                 discount_rate=bos.discount_rate))
            for o in opportunities]


def prioritised(bos: Bos) -> list[RankedOpportunity]:
    """B4 prioritisation: by benefit-cost ratio (no cost ranks first), then net benefit."""
    rows = opportunities_with_summaries(bos)

    def key(row):
        ratio = row.summary.benefit_cost_ratio
        return (0 if ratio is None and row.summary.total_benefit > 0 else 1,
                -(ratio if ratio is not None else Decimal(0)), -row.summary.net_benefit,
                row.opportunity.name)

    rows.sort(key=key)
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    return rows


def bos_totals(rows: list[RankedOpportunity], *, discount_rate=Decimal("0")
               ) -> cba.CbaSummary:
    """The CBA of the whole BOS: the summary over the lines of all given opportunities
    (the summaries of the rows are added year by year through `cba_summary` again)."""
    lines = []
    for row in rows:
        for year in row.summary.years:
            lines.append(cba.CbaLine(year.year, "cost", "monetary", "recurring", year.cost))
            lines.append(cba.CbaLine(year.year, "benefit", "monetary", "recurring",
                                     year.benefit))
    return cba.cba_summary(lines, discount_rate=discount_rate)


def kpis_for(opportunities) -> dict[int, list]:
    """The KPIs of each opportunity (subject), in one query."""
    ids = [o.pk for o in opportunities]
    indicators = Indicator.objects.filter(
        subject_type=ContentType.objects.get_for_model(Opportunity), subject_id__in=ids
    ).order_by("subject_id", "kind", "name")
    out = defaultdict(list)
    for indicator in indicators:
        out[indicator.subject_id].append(indicator)
    return out


@dataclass
class ServiceKpis:
    opportunity: Opportunity
    summaries: list
    missing: list[str] = field(default_factory=list)


def results_framework(bos: Bos, *, year: int) -> list[tuple[Outcome | None, list]]:
    """B5, B6: outcomes per service line, each with its services and their KPIs' status in
    `year`. A fixed number of queries."""
    services = list(Opportunity.objects.filter(bos=bos, selected=True))
    kpis = kpis_for(services)
    all_indicators = [i for s in services for i in kpis[s.pk]]
    summaries = {s.indicator.pk: s for s in indicator_summaries(all_indicators, year=year)}
    outcomes = {o.service_line: o for o in Outcome.objects.filter(bos=bos)}
    by_line = defaultdict(list)
    for service in services:
        by_line[service.service_line].append(ServiceKpis(
            service, [summaries[i.pk] for i in kpis[service.pk]],
            rules.missing_kpi_kinds(i.kind for i in kpis[service.pk])))
    lines = [line for line in bos.service_lines if line in by_line or line in outcomes]
    return [(line, outcomes.get(line), by_line[line]) for line in lines]


def progress_facts(bos: Bos) -> rules.BosFacts:
    """What the progress bar (B1) needs, in a fixed number of queries."""
    counts = Bos.objects.filter(pk=bos.pk).aggregate(
        agencies=Count("participating_agencies", distinct=True),
        stocktake=Count("stocktake", distinct=True),
        activities=Count("outcomes__activities", distinct=True),
    )
    opportunity_counts = Opportunity.objects.filter(bos=bos).aggregate(
        with_cba=Count("pk", filter=Q(cba_lines__isnull=False), distinct=True),
        selected=Count("pk", filter=Q(selected=True), distinct=True),
    )
    services = list(Opportunity.objects.filter(bos=bos, selected=True).values_list(
        "pk", flat=True))
    kinds = defaultdict(set)
    for subject_id, kind in Indicator.objects.filter(
            subject_type=ContentType.objects.get_for_model(Opportunity),
            subject_id__in=services).values_list("subject_id", "kind"):
        kinds[subject_id].add(kind)
    missing = sum(1 for pk in services if rules.missing_kpi_kinds(kinds[pk]))
    return rules.BosFacts(
        state=bos.status, kicked_off=bos.kickoff_on is not None,
        service_lines=len(bos.service_lines or []), agencies=counts["agencies"],
        stocktake_entries=counts["stocktake"],
        opportunities_with_cba=opportunity_counts["with_cba"],
        selected_services=opportunity_counts["selected"], services_missing_kpis=missing,
        activities=counts["activities"])


def plan_totals(bos: Bos) -> dict:
    totals = Activity.objects.filter(outcome__bos=bos).aggregate(
        budget=Sum("budget"), funded=Sum("funded"))
    budget, funded = totals["budget"] or ZERO, totals["funded"] or ZERO
    return {"budget": budget, "funded": funded, "gap": max(budget - funded, ZERO)}


def gap_of(activity) -> Decimal:
    return max(activity.budget - activity.funded, ZERO)


# --- B7 annual reporting --------------------------------------------------------------------


@dataclass
class ServiceYear:
    """One service in one reporting year: estimated (CBA) vs realised cost avoidance."""

    opportunity: Opportunity
    horizon_year: int | None
    counted: bool  # B7: within the first four years of joint implementation
    estimated: Decimal
    realised: Decimal
    funds_spent: Decimal
    due_for_stocktake: bool
    moved: bool


@dataclass
class AnnualReport:
    bos: Bos
    year: int
    services: list[ServiceYear]
    agencies: list[dict]
    feedback: list[AnnualResult]
    kpis: list
    totals: dict


def estimated_for_year(summary: cba.CbaSummary, horizon: int | None) -> Decimal:
    """B7: the estimated cost avoidance of a service in a year is its CBA net benefit of
    that horizon year (`cba_summary(...).years`); zero outside the horizon."""
    if horizon is None:
        return ZERO
    for year in summary.years:
        if year.year == horizon:
            return year.net
    return ZERO


def annual_report(bos: Bos, *, year: int, current_year: int) -> AnnualReport:
    """B7: per service and per agency the estimated and realised cost avoidance, funds
    spent, KPI actuals and feedback for one year. A fixed number of queries."""
    rows = opportunities_with_summaries(bos, selected_only=True)
    results = list(AnnualResult.objects.filter(opportunity__bos=bos, year=year)
                   .select_related("agency", "opportunity").order_by(
                       "opportunity__name", "agency__acronym"))
    moved = set(StocktakeEntry.objects.filter(bos=bos, from_opportunity__isnull=False)
                .values_list("from_opportunity_id", flat=True))
    realised = defaultdict(lambda: {"realised": ZERO, "funds": ZERO})
    for result in results:
        realised[result.opportunity_id]["realised"] += result.realised_cost_avoidance
        realised[result.opportunity_id]["funds"] += result.funds_spent
    services = []
    agency_rows: dict = {}
    for row in rows:
        o = row.opportunity
        start = o.implementation_start
        horizon = rules.horizon_year(year, start) if start else None
        counted = rules.benefit_counted(year, start)
        estimated = estimated_for_year(row.summary, horizon) if counted else ZERO
        got = realised[o.pk]
        services.append(ServiceYear(
            o, horizon, counted, estimated, got["realised"] if counted else ZERO,
            got["funds"], rules.due_for_stocktake(start, current_year), o.pk in moved))
        agencies = sorted({*o.managing_agencies.all(), *o.participating_agencies.all()},
                          key=lambda a: a.acronym)
        for agency, share in rules.split_equally(estimated, agencies).items():
            bucket = agency_rows.setdefault(agency, {"agency": agency, "estimated": ZERO,
                                                     "realised": ZERO, "funds": ZERO})
            bucket["estimated"] += share
    for result in results:
        bucket = agency_rows.setdefault(result.agency, {
            "agency": result.agency, "estimated": ZERO, "realised": ZERO, "funds": ZERO})
        if rules.benefit_counted(year, result.opportunity.implementation_start):
            bucket["realised"] += result.realised_cost_avoidance
        bucket["funds"] += result.funds_spent
    kpi_indicators = [i for items in kpis_for([r.opportunity for r in rows]).values()
                      for i in items]
    totals = {
        "estimated": sum((s.estimated for s in services), ZERO),
        "realised": sum((s.realised for s in services), ZERO),
        "funds": sum((s.funds_spent for s in services), ZERO),
    }
    return AnnualReport(
        bos=bos, year=year, services=services,
        agencies=sorted(agency_rows.values(), key=lambda r: r["agency"].acronym),
        feedback=[r for r in results if r.feedback], kpis=indicator_summaries(
            kpi_indicators, year=year), totals=totals)


def reported_years(bos: Bos) -> list[int]:
    return sorted(set(AnnualResult.objects.filter(opportunity__bos=bos)
                      .values_list("year", flat=True)))
