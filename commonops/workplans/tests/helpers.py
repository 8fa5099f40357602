"""Rows the work-plan tests build for themselves: plans in years no other row uses, so a
test never depends on the demo world's plans or on today's date."""

import itertools
from datetime import date
from decimal import Decimal

from commonops.bos.models import Bos, Opportunity, StocktakeEntry
from commonops.core.models import Agency, Country, User
from commonops.governance.models import Omt
from commonops.workplans import actions
from commonops.workplans.models import WorkPlan

_seq = itertools.count(1)
D = Decimal


def user(username):
    return User.objects.get(username=username)


def viet_nam():
    return Country.objects.get(iso_code="VN")


def vn_omt():
    return Omt.objects.get(country__iso_code="VN")


def free_year(omt=None) -> int:
    omt = omt or vn_omt()
    taken = set(WorkPlan.objects.filter(omt=omt).values_list("year", flat=True))
    return next(y for y in range(2002, 2100) if y not in taken and y - 1 not in taken)


def plan(*, year=None, title=None, bos=None):
    year = year or free_year()
    return actions.work_plan_create(by=user("vn-chair"), data={
        "omt": vn_omt(), "year": year, "title": title or f"Work plan {year}", "bos": bos})


def activity(work_plan, *, name=None, starts=(2, 1), ends=(6, 30), budget="5000.00",
             owner="UNDP"):
    return actions.plan_activity_create(by=user("vn-chair"), data={
        "plan": work_plan, "name": name or f"Activity {next(_seq)}",
        "owner_agency": Agency.objects.get(acronym=owner),
        "starts_on": date(work_plan.year, *starts), "ends_on": date(work_plan.year, *ends),
        "budget": D(budget), "funding_source": "common_budget"})


def approved(work_plan):
    actions.work_plan_submit(work_plan=work_plan, by=user("vn-chair"),
                             today=date(work_plan.year, 1, 5))
    return actions.work_plan_approve(work_plan=work_plan, by=user("vn-unct"),
                                     today=date(work_plan.year, 1, 10))


def report(plan_activity, *, quarter=1, status="in_progress", progress=10, spent="0"):
    return actions.progress_update_create(by=user("vn-me"), data={
        "activity": plan_activity, "quarter": quarter, "status": status,
        "progress": progress, "spent": D(spent), "note": ""})


def free_bos_year(country) -> int:
    taken = set(Bos.objects.filter(country=country).values_list("start_year", flat=True))
    return next(y for y in range(2040, 2095) if y not in taken and y + 1 not in taken)


def signed_off_bos(*, start=None):
    country = viet_nam()
    start = start or free_bos_year(country)
    bos = Bos.objects.create(country=country, title=f"Test BOS {next(_seq)}", start_year=start,
                             end_year=start + 4, service_lines=["ict", "procurement"],
                             status="signed_off")
    service = Opportunity.objects.create(
        country=country, bos=bos, name=f"Joint help desk {next(_seq)}", service_line="ict",
        selected=True, implementation_start=start)
    service.managing_agencies.set([Agency.objects.get(acronym="UNDP")])
    StocktakeEntry.objects.create(
        country=country, bos=bos, name=f"Security guards {next(_seq)}",
        service_line="procurement", modality="outsourced", implemented_since=2015,
        action="continue")
    return bos
