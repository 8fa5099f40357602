"""Demo data for work plans (G9): Viet Nam's plan of last year, approved and reported on (so
its annual report has something to say), and this year's plan, approved, with activities
in every colour: done, on track, behind, overdue, over budget, an indicator not met, and a
cancelled one; two of last year's unfinished activities are carried into it. The BOS
2022–2026 gets a draft end-of-cycle evaluation. Everything is dated relative to today, and
running it again changes nothing."""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from commonops.bos.models import Bos, Outcome
from commonops.core.models import Agency, Country, User
from commonops.governance.models import Omt, TaskForce
from commonops.results import actions as results_actions
from commonops.workplans import actions, rules
from commonops.workplans.models import BosEvaluation, WorkPlan

D = Decimal


def seed(stdout=None) -> None:
    country = Country.objects.filter(iso_code="VN").first()
    omt = Omt.objects.filter(country=country).first() if country else None
    if omt is None:
        return
    today = country.today()
    with transaction.atomic():
        people = {u.username: u for u in User.objects.filter(
            username__in=["vn-chair", "vn-unct", "vn-me"])}
        agencies = {a.acronym: a for a in Agency.objects.all()}
        if not WorkPlan.objects.filter(omt=omt, year=today.year - 1).exists():
            _last_year(country, omt, today, people, agencies)
        if not WorkPlan.objects.filter(omt=omt, year=today.year).exists():
            _this_year(country, omt, today, people, agencies)
        _evaluation(country, people)
    if stdout is not None:
        stdout.write(f"  workplans: Viet Nam {today.year - 1} and {today.year} work plans, "
                     "a BOS evaluation in draft")


def _bos_for(country, year):
    return Bos.objects.filter(country=country, start_year__lte=year, end_year__gte=year,
                              status="signed_off").first()


def _outcomes(bos):
    return {o.service_line: o for o in Outcome.objects.filter(bos=bos)} if bos else {}


def _clamp(day: date, year: int) -> date:
    return min(max(day, date(year, 1, 1)), date(year, 12, 31))


def _add(plan, people, agencies, outcomes, *, name, line, owner, starts_on, ends_on, budget,
         source="common_budget", indicator=None, task_force=None):
    activity = actions.plan_activity_create(by=people["vn-chair"], data={
        "plan": plan, "name": name, "outcome": outcomes.get(line),
        "owner_agency": None if task_force else agencies[owner],
        "owner_task_force": task_force, "starts_on": starts_on, "ends_on": ends_on,
        "budget": budget, "funding_source": source})
    if indicator is not None:
        label, unit, direction, target = indicator
        actions.activity_indicator_add(plan_activity=activity, by=people["vn-chair"],
                                       name=label, unit=unit, direction=direction,
                                       target=target)
    return activity


def _report(activity, people, *, quarter, status, progress, spent, note=""):
    return actions.progress_update_create(by=people["vn-me"], data={
        "activity": activity, "quarter": quarter, "status": status, "progress": progress,
        "spent": spent, "note": note})


def _measure(activity, people, year, value):
    from commonops.results.queries import indicators_for

    for indicator in indicators_for(activity):
        results_actions.measurement_record(indicator=indicator, year=year, value=value,
                                           by=people["vn-me"])


def _approve(plan, people, day):
    actions.work_plan_submit(work_plan=plan, by=people["vn-chair"], today=day)
    actions.work_plan_approve(work_plan=plan, by=people["vn-unct"],
                              today=day + timedelta(days=10))


def _last_year(country, omt, today, people, agencies):
    year = today.year - 1
    bos = _bos_for(country, year)
    outcomes = _outcomes(bos)
    plan = actions.work_plan_create(by=people["vn-chair"], data={
        "omt": omt, "year": year, "title": f"OMT work plan {year}", "bos": bos,
        "outcomes": list(outcomes.values()), "retreat_on": date(year - 1, 12, 5)})
    rows = [
        ("Renew the common ICT service-desk contract", "ict", "UNDP", (2, 1), (5, 31),
         D("18000"), ("Tickets resolved within SLA", "percent", "increase", D("85")),
         D("88"), "done", 100, D("17600")),
        ("Second joint fuel tender", "procurement", "UNICEF", (3, 1), (8, 31), D("6000"),
         ("Fuel price below market", "percent", "increase", D("8")), D("9.5"), "done", 100,
         D("5200")),
        ("Common G-staff roster: second intake", "human_resources", "UNFPA", (4, 1),
         (11, 30), D("9000"), ("Candidates on the roster", "count", "increase", D("60")),
         D("41"), "in_progress", 70, D("6100")),
        ("Green One UN House energy audit", "administration", "UNDP", (6, 1), (12, 15),
         D("14000"), None, None, "in_progress", 40, D("5000")),
        ("Year-end OMT retreat", None, "UNDP", (12, 1), (12, 5), D("2500"), None, None,
         "done", 100, D("2300")),
    ]
    activities = []
    for name, line, owner, start, end, budget, indicator, *_rest in rows:
        activities.append(_add(plan, people, agencies, outcomes, name=name, line=line,
                               owner=owner, starts_on=date(year, *start),
                               ends_on=date(year, *end), budget=budget, indicator=indicator))
    _approve(plan, people, date(year, 1, 8))
    for activity, row in zip(activities, rows, strict=True):
        _name, _l, _o, _s, _e, _b, _i, actual, status, progress, spent = row
        mid = min(progress, 50)
        _report(activity, people, quarter=2, status="in_progress" if mid else "planned",
                progress=mid if mid < 100 else 50, spent=spent / 2)
        _report(activity, people, quarter=4, status=status, progress=progress, spent=spent)
        if actual is not None:
            _measure(activity, people, year, actual)


def _this_year(country, omt, today, people, agencies):
    year = today.year
    bos = _bos_for(country, year)
    outcomes = _outcomes(bos)
    chair = people["vn-chair"]
    plan = actions.work_plan_create(by=chair, data={
        "omt": omt, "year": year, "title": f"OMT work plan {year}", "bos": bos,
        "outcomes": list(outcomes.values()), "retreat_on": date(year - 1, 12, 5)})
    if WorkPlan.objects.filter(omt=omt, year=year - 1).exists():
        actions.work_plan_carry_over(work_plan=plan, by=chair)
    ict_task_force = TaskForce.objects.filter(omt=omt).order_by("pk").first()

    def span(start_days, end_days):
        return _clamp(today - timedelta(days=start_days), year), _clamp(
            today + timedelta(days=end_days), year)

    made = {}
    for key, name, line, owner, (starts_on, ends_on), budget, source, indicator in [
        ("done", "Client-satisfaction survey of common services", "administration", "UNDP",
         span(200, -120), D("4000"), "common_budget",
         ("Response rate", "percent", "increase", D("40"))),
        ("on_track", "Migrate agencies to the common ICT service desk", "ict", "UNDP",
         span(90, 90), D("20000"), "cost_sharing", None),
        ("behind", "Common cleaning contract tender", "procurement", "UNICEF",
         span(120, 60), D("5000"), "common_budget", None),
        ("overdue", "Update the common HR roster", "human_resources", "UNFPA",
         span(150, -20), D("7000"), "in_kind", None),
        ("over_budget", "Replace the shared vehicles' tracking units", "logistics", "WHO",
         span(100, 100), D("10000"), "donor", None),
        ("not_met", "Joint procurement of office supplies", "procurement", "UNICEF",
         span(180, -30), D("3000"), "common_budget",
         ("Agencies buying through the joint LTA", "count", "increase", D("8"))),
        ("cancelled", "Joint banking services study", "finance", "UNDP", span(60, 60),
         D("2500"), "not_funded", None),
        ("retreat", "Year-end OMT retreat", None, "UNDP",
         (_clamp(date(year, 12, 1), year), _clamp(date(year, 12, 4), year)), D("2500"),
         "coordination_fund", None),
    ]:
        made[key] = _add(plan, people, agencies, outcomes, name=name, line=line, owner=owner,
                         starts_on=starts_on, ends_on=ends_on, budget=budget, source=source,
                         indicator=indicator,
                         task_force=ict_task_force if key == "on_track" else None)
    _approve(plan, people, date(year, 1, 12))
    quarter = rules.quarter_of(today)

    def expected(activity):
        return rules.expected_progress(activity.starts_on, activity.ends_on, today)

    _report(made["done"], people, quarter=quarter, status="done", progress=100,
            spent=D("3650"), note="Survey closed; results shared with the OMT.")
    _measure(made["done"], people, year, D("46"))
    on_track = min(99, max(1, expected(made["on_track"])))
    _report(made["on_track"], people, quarter=quarter, status="in_progress",
            progress=on_track, spent=D("20000") * on_track / 100,
            note="Seven of twelve agencies migrated.")
    behind = max(1, expected(made["behind"]) - 18)
    _report(made["behind"], people, quarter=quarter, status="in_progress", progress=behind,
            spent=D("1200"), note="Bids came in late; evaluation delayed.")
    _report(made["overdue"], people, quarter=quarter, status="in_progress", progress=60,
            spent=D("3000"), note="Waiting for two agencies' vacancy lists.")
    over = min(99, max(1, expected(made["over_budget"])))
    _report(made["over_budget"], people, quarter=quarter, status="in_progress",
            progress=over, spent=D("10600"), note="Units cost more than quoted.")
    _report(made["not_met"], people, quarter=quarter, status="done", progress=100,
            spent=D("2900"), note="LTA signed; fewer agencies joined than planned.")
    _measure(made["not_met"], people, year, D("5"))
    _report(made["cancelled"], people, quarter=quarter, status="cancelled", progress=0,
            spent=D("0"), note="No funds this year; moved to the next BOS.")


def _evaluation(country, people):
    bos = Bos.objects.filter(country=country, status="signed_off").order_by(
        "-start_year").first()
    if bos is None or BosEvaluation.objects.filter(bos=bos).exists():
        return
    actions.bos_evaluation_create(by=people["vn-chair"], data={
        "bos": bos, "evaluated_on": country.today(),
        "summary": "The common ICT service desk and joint fuel procurement delivered most of "
                   "the cost avoidance; the G-staff roster started a year late.",
        "lessons": "Agree the cost-sharing key before launch; measure satisfaction every "
                   "year, not only at the end.",
        "recommendations": "Scale up the service desk to the non-resident agencies; modify "
                           "the roster to cover NO grades."})
