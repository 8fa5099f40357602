"""A small world of its own for the Performance tests: a new region with two country teams
(XA in UTC, XB in Tokyo's time zone), their agencies, BOS, CBA lines, annual results,
catalogue, budgets, expenditures, baselines, tickets, OMT meetings, KPIs and a survey.

Every test that counts builds this world (or more rows) and computes what it expects from
the rows it made, so no test depends on the demo world's size or on today's date: the year
looked at is fixed (2025) and "today" is passed where a rule needs it.
"""

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from django.contrib.contenttypes.models import ContentType

from commonops.bos.models import AnnualResult, Bos, CbaEntry, Opportunity
from commonops.commonservices.models import BudgetLine, CommonService, Expenditure
from commonops.core.models import Agency, AgencyPresence, Country, Region, User
from commonops.reports.models import AdminBudget

YEAR = 2025
_seq = itertools.count(1)


@dataclass
class World:
    region: Region
    xa: Country
    xb: Country
    agencies: dict
    opportunities: list = field(default_factory=list)
    results: list = field(default_factory=list)
    cba: list = field(default_factory=list)
    services: list = field(default_factory=list)
    baselines: list = field(default_factory=list)
    tickets: list = field(default_factory=list)
    budget_lines: list = field(default_factory=list)
    expenditures: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    omt: object = None
    members: int = 0


def _country(code, name, region, tz, typology):
    return Country.objects.create(iso_code=code, name=name, region=region, currency="USD",
                                  time_zone=tz, typology=typology)


def _bos(country, start, end, status="signed_off"):
    return Bos.objects.create(country=country, title=f"BOS {country.iso_code} {start}",
                              start_year=start, end_year=end, status=status,
                              service_lines=["ict", "procurement"])


def _opportunity(w, bos, name, line, start, selected, lines):
    o = Opportunity.objects.create(country=bos.country, bos=bos, name=name, service_line=line,
                                   selected=selected, implementation_start=start)
    for year, side, amount in lines:
        w.cba.append(CbaEntry.objects.create(country=bos.country, opportunity=o, year=year,
                                             side=side, kind="monetary", nature="recurring",
                                             amount=D(amount)))
    w.opportunities.append(o)
    return o


def _result(w, o, agency, year, amount):
    w.results.append(AnnualResult.objects.create(
        country=o.country, opportunity=o, agency=w.agencies[agency], year=year,
        realised_cost_avoidance=D(amount)))


def _service(w, country, name, start, status="active"):
    service = CommonService.objects.create(country=country, name=name, service_line="ict",
                                           start_date=start, status=status)
    w.services.append(service)
    return service


def build(region_code="TR") -> World:
    """The world above, in a region of its own (`region_code`), with country codes that
    no demo country uses."""
    n = next(_seq)
    region = Region.objects.create(code=f"{region_code}{n}", name=f"Test region {n}")
    letters = "ABCDEFGHIJKLMNOPQRSTUVWYZ"
    a, b = letters[(2 * n) % 25], letters[(2 * n + 1) % 25]
    xa = _country(f"X{a}", f"Testland {n}", region, "UTC", "small")
    xb = _country(f"X{b}", f"Otherland {n}", region, "Asia/Tokyo", "large")
    agencies = {x.acronym: x for x in Agency.objects.filter(
        acronym__in=["UNDP", "WHO", "FAO", "WFP"])}
    for code in ("UNDP", "WHO", "FAO"):
        AgencyPresence.objects.create(country=xa, agency=agencies[code])
    for code in ("UNDP", "WFP"):
        AgencyPresence.objects.create(country=xb, agency=agencies[code])
    w = World(region=region, xa=xa, xb=xb, agencies=agencies)

    # BOS and cost avoidance (B4, B7): XA's service O1 started in 2023 (2025 is horizon 3),
    # O2 in 2020 (2025 is horizon 6: no longer counted), O3 is not selected
    bos = _bos(xa, 2022, 2026)
    _bos(xa, 2017, 2021, status="signed_off")
    o1 = _opportunity(w, bos, "Shared ICT desk", "ict", 2023, True, [
        (1, "cost", "1000.00"), (1, "benefit", "300.00"), (2, "benefit", "800.00"),
        (2, "cost", "100.00"), (3, "benefit", "900.50"), (3, "cost", "0.25"),
        (5, "benefit", "999.00")])
    o2 = _opportunity(w, bos, "Old LTA", "procurement", 2020, True, [
        (y, "benefit", "50.00") for y in range(1, 8)])
    o3 = _opportunity(w, bos, "Not chosen", "procurement", 2024, False, [
        (2, "benefit", "70.00")])
    _result(w, o1, "UNDP", YEAR, "500.40")
    _result(w, o1, "WHO", YEAR, "250.10")
    _result(w, o1, "UNDP", YEAR - 1, "400.00")
    _result(w, o2, "UNDP", YEAR, "999.00")
    _result(w, o3, "FAO", YEAR, "123.00")
    # XB: one service started in the year asked
    bos_b = _bos(xb, 2024, 2028, status="draft")
    ob = _opportunity(w, bos_b, "Common fleet", "procurement", YEAR, True, [
        (1, "benefit", "2000.00"), (1, "cost", "500.00")])
    _result(w, ob, "UNDP", YEAR, "1500.00")
    _result(w, ob, "WFP", YEAR, "35.00")

    # H2 baselines: WHO in XA and WFP in XB have none
    for country, agency, amount in ((xa, "UNDP", "5000.00"), (xa, "FAO", "1000.00"),
                                    (xb, "UNDP", "10000.00")):
        w.baselines.append(AdminBudget.objects.create(
            country=country, agency=agencies[agency], year=YEAR, amount=D(amount)))
    w.baselines.append(AdminBudget.objects.create(country=xa, agency=agencies["UNDP"],
                                                  year=YEAR - 1, amount=D("4000.00")))

    # H1 launches: XA three in the year (one discontinued since) + a planned one that does
    # not count; XB two in the year and three the year before
    for i, status in enumerate(("active", "active", "discontinued", "planned")):
        _service(w, xa, f"XA new {i}", date(YEAR, 2 + i, 1), status)
    _service(w, xa, "XA older", date(2021, 5, 1))
    _service(w, xa, "XA undated", None)
    _service(w, xa, "XA next year", date(YEAR + 1, 1, 10))
    for i in range(2):
        _service(w, xb, f"XB new {i}", date(YEAR, 6, 1))
    for i in range(3):
        _service(w, xb, f"XB last year {i}", date(YEAR - 1, 6, 1))

    # common-services budget and expenditure (S3)
    desk = w.services[0]
    w.budget_lines.append(BudgetLine.objects.create(country=xa, service=desk, year=YEAR,
                                                    line="Staff", amount=D("10000.00")))
    w.budget_lines.append(BudgetLine.objects.create(country=xa, service=desk, year=YEAR,
                                                    line="Licences", amount=D("2500.00")))
    w.budget_lines.append(BudgetLine.objects.create(country=xa, service=desk, year=YEAR - 1,
                                                    line="Staff", amount=D("9000.00")))
    for amount, day in (("6000.00", date(YEAR, 3, 1)), ("7000.75", date(YEAR, 9, 1)),
                        ("123.00", date(YEAR - 1, 9, 1))):
        w.expenditures.append(Expenditure.objects.create(
            country=xa, service=desk, spent_on=day, year=day.year, budget_line="Staff",
            amount_local=D(amount), currency="USD", rate=D(1), amount_usd=D(amount)))
    _tickets(w)
    _omt(w)
    _kpis(w, o1)
    return w


def _tickets(w):
    """Tickets resolved around the year's edges in both time zones (T6)."""
    from commonops.servicedesk.models import Category, Team, Ticket

    staff = User.objects.create(username=f"x-staff-{w.xa.pk}", agency=w.agencies["UNDP"],
                                duty_country=w.xa)
    for country in (w.xa, w.xb):
        team = Team.objects.create(country=country, name="ICT")
        category = Category.objects.create(country=country, name="Laptops", team=team)
        for n, (resolved, met) in enumerate([
                (datetime(YEAR, 1, 1, 0, 30, tzinfo=UTC), True),
                (datetime(YEAR, 6, 1, 12, tzinfo=UTC), True),
                (datetime(YEAR, 6, 2, 12, tzinfo=UTC), False),
                (datetime(YEAR, 7, 2, 12, tzinfo=UTC), None),
                (datetime(YEAR - 1, 12, 31, 16, tzinfo=UTC), True),  # 2025 in Tokyo
                (datetime(YEAR, 12, 31, 16, tzinfo=UTC), False),  # 2026 in Tokyo
                (None, None)]):
            opened = (resolved or datetime(YEAR, 8, 1, tzinfo=UTC)) - timedelta(hours=5)
            w.tickets.append(Ticket.objects.create(
                country=country, number=f"{country.iso_code}-{YEAR}-{n:06d}",
                subject="Test", requester=staff, agency=w.agencies["UNDP"],
                category=category, team=team, status="closed" if resolved else "new",
                opened_at=opened, first_response_due=opened + timedelta(hours=4),
                resolution_due=opened + timedelta(hours=24), resolved_at=resolved,
                resolution_met=met, first_response_met=met,
                business_hours_to_resolve=3.5 if resolved else None))


def _omt(w):
    """XA's OMT in the year: four held meetings, one cancelled (G3–G6), actions."""
    from commonops.governance.models import (
        Action,
        Attendance,
        Meeting,
        Membership,
        Minutes,
        Omt,
    )

    omt = Omt.objects.create(country=w.xa)
    members = {}
    for code in ("UNDP", "WHO", "FAO"):
        person = User.objects.create(username=f"x-{code.lower()}-{w.xa.pk}",
                                     agency=w.agencies[code], duty_country=w.xa)
        members[code] = person
        Membership.objects.create(country=w.xa, omt=omt, agency=w.agencies[code],
                                  member=person, since=date(2020, 1, 1))
    w.omt, w.members = omt, len(members)
    # (start, status, agenda late or None when not sent, agencies present, minutes late)
    plan = [
        (datetime(YEAR, 1, 15, 9, tzinfo=UTC), "held", False, ["UNDP", "WHO"], False),
        (datetime(YEAR, 2, 10, 9, tzinfo=UTC), "held", True, ["UNDP"], True),
        (datetime(YEAR, 2, 24, 9, tzinfo=UTC), "held", None, ["UNDP", "WHO", "FAO"], None),
        (datetime(YEAR, 7, 3, 9, tzinfo=UTC), "held", False, [], False),
        (datetime(YEAR, 9, 3, 9, tzinfo=UTC), "cancelled", False, [], None),
        (datetime(YEAR - 1, 12, 3, 9, tzinfo=UTC), "held", False, ["UNDP", "WHO"], False),
    ]
    for starts, status, late, present, minutes_late in plan:
        meeting = Meeting.objects.create(
            country=w.xa, omt=omt, title=f"OMT {starts:%Y-%m-%d}", starts_at=starts,
            ends_at=starts + timedelta(hours=2), status=status,
            agenda_sent_at=None if late is None else starts - timedelta(days=5),
            agenda_late=bool(late))
        w.meetings.append((meeting, late, present, minutes_late))
        for code in present:
            Attendance.objects.create(country=w.xa, meeting=meeting, capacity="member",
                                      agency=w.agencies[code], person=members[code])
        if minutes_late is not None:
            Minutes.objects.create(country=w.xa, meeting=meeting, status="circulated",
                                   circulated_at=starts + timedelta(days=3),
                                   circulated_late=minutes_late)
    w.actions = []
    for due, status in ((date(2020, 1, 1), "open"), (date(2021, 5, 1), "open"),
                        (date(2020, 1, 1), "done"), (date(2999, 1, 1), "open")):
        w.actions.append(Action.objects.create(
            country=w.xa, omt=omt, title=f"Action due {due}", owner_agency=w.agencies["UNDP"],
            due_on=due, status=status))


def _kpis(w, opportunity):
    """Yearly KPIs of a BOS service and a common service, and a desk KPI (monthly)."""
    from commonops.results.models import Indicator, Measurement, Target

    w.indicators = []

    def indicator(subject, name, **kw):
        ct = ContentType.objects.get_for_model(subject) if subject is not None else None
        i = Indicator.objects.create(country=w.xa, name=name, unit="percent",
                                     subject_type=ct,
                                     subject_id=subject.pk if subject else None, **kw)
        w.indicators.append(i)
        return i

    met = indicator(opportunity, "Met", kind="quality")
    Target.objects.create(country=w.xa, indicator=met, year=YEAR, month=0, value=D(80))
    Measurement.objects.create(country=w.xa, indicator=met, year=YEAR, month=0, value=D(85))
    progress = indicator(w.services[0], "Progress", kind="quality", baseline=D(50))
    Target.objects.create(country=w.xa, indicator=progress, year=YEAR, month=0, value=D(90))
    Measurement.objects.create(country=w.xa, indicator=progress, year=YEAR, month=0,
                               value=D(60))
    missing = indicator(w.services[0], "No data", kind="quality")
    Target.objects.create(country=w.xa, indicator=missing, year=YEAR, month=0, value=D(90))
    desk = indicator(None, "Desk", code="SD-RES", frequency="monthly", direction="increase")
    for month, value in ((3, D(95)), (5, D(70))):
        Target.objects.create(country=w.xa, indicator=desk, year=YEAR, month=month,
                              value=D(85))
        Measurement.objects.create(country=w.xa, indicator=desk, year=YEAR, month=month,
                                   value=value)
    other = indicator(None, "Other year only", kind="other")
    Target.objects.create(country=w.xa, indicator=other, year=YEAR - 1, month=0, value=D(1))
