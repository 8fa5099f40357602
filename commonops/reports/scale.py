"""Scale data for load tests (DESIGN "Sizes to design for"): about 130 country teams in the
six regions, up to 25 agencies each, a BOS of about 40 services per five-year cycle over
10 years with CBA lines, annual results and KPIs, the catalogue with budgets, expenditure,
allocations and payments, administrative budgets, OMT meetings with attendance, minutes and
actions, 20,000 people, and 2 million service-desk tickets.

Everything comes from one seed: the same seed gives the same country teams, people,
amounts and tickets (row ids depend only on what the database held before). Rows are
written in bulk — plain INSERTs of many rows, and for tickets one INSERT … SELECT over
generate_series per country on PostgreSQL — bypassing the actions and the audit trail on
purpose: they are load-test data, not business records. Only new country teams get data;
existing ones (the demo's) are left as they are.
"""

import hashlib
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from commonops.bos.models import AnnualResult, Bos, CbaEntry, Opportunity
from commonops.commonservices.cost_sharing import allocate
from commonops.commonservices.models import (
    Allocation,
    AllocationShare,
    BudgetLine,
    CommonService,
    Expenditure,
    Payment,
)
from commonops.core.models import Agency, AgencyPresence, Country, Region, RoleAssignment, User
from commonops.core.roles import Role
from commonops.core.rules import typology_for
from commonops.governance.models import Action, Attendance, Meeting, Membership, Minutes, Omt
from commonops.reports.models import AdminBudget
from commonops.results.models import Indicator, Measurement, Target
from commonops.servicedesk import rules as desk_rules
from commonops.servicedesk.models import Agent, Category, Rating, SlaPolicy, Team, Ticket

CENT = Decimal("0.01")
LINES = ["administration", "finance", "human_resources", "ict", "logistics", "procurement"]
STATES = ["draft", "submitted", "cleared", "endorsed", "signed_off"]
# share of the country teams in each region, and the time zones they are in
REGIONS = {
    "AP": (30, ["Asia/Bangkok", "Asia/Manila", "Asia/Dhaka", "Asia/Kathmandu", "Pacific/Fiji",
                "Asia/Jakarta"]),
    "ESA": (25, ["Africa/Nairobi", "Africa/Johannesburg", "Africa/Addis_Ababa",
                 "Africa/Maputo"]),
    "WA": (25, ["Africa/Dakar", "Africa/Lagos", "Africa/Abidjan", "Africa/Accra"]),
    "ASNA": (20, ["Asia/Amman", "Africa/Cairo", "Asia/Beirut", "Africa/Tunis",
                  "Asia/Riyadh"]),
    "LAC": (20, ["America/Guatemala", "America/Bogota", "America/Lima", "America/La_Paz"]),
    "EECIS": (10, ["Europe/Kyiv", "Asia/Tbilisi", "Asia/Almaty", "Asia/Tashkent"]),
}
SYLLABLES = ["ka", "lo", "ma", "ri", "sa", "te", "vo", "na", "bu", "del", "mor", "tan", "zu",
             "pa", "qui", "ren", "sol", "ur", "ve", "xa", "li", "go", "mi", "do", "ra"]
FIRST_NAMES = ["Amina", "Ben", "Chen", "Dina", "Eli", "Fatou", "Goran", "Hana", "Ivan",
               "Jun", "Kofi", "Lina", "Mateo", "Nadia", "Omar", "Priya", "Quang", "Rosa",
               "Sami", "Tara", "Umar", "Vera", "Wei", "Yara", "Zane"]
LAST_NAMES = ["Abebe", "Banda", "Costa", "Diallo", "Erdem", "Fofana", "Garcia", "Haddad",
              "Ivanova", "Jensen", "Kamau", "Lopez", "Mensah", "Nguyen", "Okafor", "Perez",
              "Quispe", "Rahman", "Silva", "Tran", "Usman", "Varga", "Wong", "Yilmaz", "Zulu"]


@dataclass
class Sizes:
    countries: int = 130
    agencies: int = 25
    people: int = 20_000
    services: int = 40
    years: int = 10
    tickets: int = 2_000_000
    seed: int = 42


class Progress:
    """A text progress bar: redrawn in place on a terminal, a line per tenth elsewhere."""

    def __init__(self, out, label: str, total: int):
        self.out, self.label, self.total = out, label, max(total, 1)
        self.done, self.started, self.shown = 0, time.monotonic(), -1
        self.tty = getattr(getattr(out, "_out", out), "isatty", lambda: False)()

    def step(self, n: int = 1) -> None:
        self.done += n
        share = min(self.done / self.total, 1.0)
        tenth = int(share * 10)
        if not self.tty and tenth == self.shown and self.done < self.total:
            return
        self.shown = tenth
        bar = "#" * int(share * 30)
        line = (f"{self.label:<16} [{bar:<30}] {share * 100:5.1f}%  "
                f"{self.done:,}/{self.total:,}  {time.monotonic() - self.started:6.1f} s")
        if self.tty:
            self.out.write("\r" + line, ending="")
            self.out.flush()
            if self.done >= self.total:
                self.out.write("")
        else:
            self.out.write(line)


def _insert(model, rows: list) -> list:
    """Many rows in few statements, outside the audit trail (a plain QuerySet, not the
    audited BaseQuerySet): load-test data is not a business record."""
    if rows:
        models.QuerySet(model=model).bulk_create(rows, batch_size=2000)
    return rows


def _money(rng, low, high) -> Decimal:
    return (Decimal(rng.randint(low * 100, high * 100)) * CENT).quantize(CENT)


# --- country teams ---------------------------------------------------------------------------


def _new_countries(sizes: Sizes, rng: random.Random) -> list[Country]:
    existing = set(Country.objects.values_list("iso_code", flat=True))
    names = set(Country.objects.values_list("name", flat=True))
    wanted = sizes.countries - len(existing)
    if wanted <= 0:
        return []
    regions = {r.code: r for r in Region.objects.all()}
    have = dict(Country.objects.values("region__code").annotate(n=models.Count("id"))
                .values_list("region__code", "n"))
    weights = sum(share for share, _zones in REGIONS.values())
    targets = {code: round(sizes.countries * share / weights)
               for code, (share, _zones) in REGIONS.items()}
    slots = [code for code in REGIONS for _ in range(max(0, targets[code] - have.get(code, 0)))]
    codes = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
    rng.shuffle(codes)
    codes = [c for c in codes if c not in existing]
    rows = []
    for index in range(wanted):
        region = slots[index] if index < len(slots) else list(REGIONS)[index % len(REGIONS)]
        while True:
            name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()
            if name not in names:
                names.add(name)
                break
        expenditure = Decimal(rng.choice([rng.randint(8, 40), rng.randint(41, 100),
                                          rng.randint(101, 600)])) * 1_000_000
        rows.append(Country(
            iso_code=codes[index], name=name, region=regions[region], currency="USD",
            time_zone=rng.choice(REGIONS[region][1]),
            working_week="sun_thu" if region == "ASNA" else "mon_fri",
            un_expenditure=expenditure, typology=typology_for(expenditure)))
    return _insert(Country, rows)


def _agencies(sizes: Sizes) -> list[Agency]:
    agencies = list(Agency.objects.order_by("acronym"))
    for n in range(len(agencies) + 1, sizes.agencies + 1):
        agencies.append(Agency.objects.create(acronym=f"AG{n:02d}", name=f"Agency {n:02d}"))
    return agencies[:max(sizes.agencies, 1)]


# --- everything one country team holds -------------------------------------------------------


class CountryData:
    """The rows of one new country team, generated from its own random stream."""

    def __init__(self, country: Country, sizes: Sizes, agencies: list[Agency], people: int,
                 now: datetime, opportunity_type: ContentType):
        self.c, self.sizes, self.now = country, sizes, now
        self.rng = random.Random(f"{sizes.seed}-{country.iso_code}")
        self.tz = ZoneInfo(country.time_zone)
        self.today = now.astimezone(self.tz).date()
        self.first_year = self.today.year - sizes.years + 1
        self.last_complete = self.today.year - 1
        count = self.rng.randint(max(3, min(8, sizes.agencies)), sizes.agencies)
        self.agencies = self.rng.sample(agencies, min(count, len(agencies)))
        self.people_count = max(people, len(self.agencies) + 6)
        self.opportunity_type = opportunity_type

    def money(self, low, high):
        return _money(self.rng, low, high)

    def organisation(self):
        _insert(AgencyPresence, [AgencyPresence(country=self.c, agency=a,
                                                presence="resident" if i < 12 else "non_resident")
                                 for i, a in enumerate(self.agencies)])
        iso = self.c.iso_code.lower()
        people = []
        for n in range(self.people_count):
            agency = self.agencies[n % len(self.agencies)]
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            people.append(User(username=f"{iso}.{n:05d}", first_name=first, last_name=last,
                               email=f"{iso}.{n:05d}@scale.commonops.example",
                               agency=agency, duty_country=self.c, job_title="Staff member",
                               languages="en", password="!scale-data-no-login"))
        self.people = _insert(User, people)
        self.chair, self.manager = self.people[0], self.people[1]
        self.agents = self.people[2:6]
        roles = [RoleAssignment(user=p, role=Role.STAFF, country=self.c) for p in self.people]
        roles += [RoleAssignment(user=self.chair, role=Role.OMT_CHAIR, country=self.c),
                  RoleAssignment(user=self.manager, role=Role.CS_MANAGER, country=self.c)]
        roles += [RoleAssignment(user=a, role=Role.SD_AGENT, country=self.c)
                  for a in self.agents]
        _insert(RoleAssignment, roles)
        self.member_of = {}
        for person in self.people:
            self.member_of.setdefault(person.agency_id, person)

    def baselines(self):
        rows = []
        for agency in self.agencies:
            base = self.money(200_000, 4_000_000)
            for year in range(self.first_year, self.today.year + 1):
                growth = Decimal(1) + Decimal("0.02") * (year - self.first_year)
                rows.append(AdminBudget(country=self.c, agency=agency, year=year,
                                        amount=(base * growth).quantize(CENT),
                                        source="Scale data"))
        _insert(AdminBudget, rows)

    def strategies(self):
        rng = self.rng
        cycles = [(self.first_year, self.first_year + 4, "signed_off"),
                  (self.first_year + 5, self.first_year + 9, rng.choice(STATES))]
        self.catalogue = []
        opportunities, lines, results, links = [], [], [], []
        for start, end, status in cycles:
            bos = Bos.objects.create(country=self.c, title=f"BOS {start}–{end}",
                                     start_year=start, end_year=end, status=status,
                                     service_lines=LINES, kickoff_on=date(start - 1, 10, 1))
            for n in range(max(1, self.sizes.services + rng.randint(-5, 5))):
                line = rng.choice(LINES)
                o = Opportunity(country=self.c, bos=bos, name=f"{line.title()} service {n + 1}",
                                service_line=line, selected=rng.random() < 0.75,
                                implementation_start=start + rng.randint(0, 3))
                o.partners = rng.sample(self.agencies, min(len(self.agencies),
                                                           rng.randint(2, 5)))
                opportunities.append(o)
        _insert(Opportunity, opportunities)
        managing = Opportunity.managing_agencies.through
        participating = Opportunity.participating_agencies.through
        for o in opportunities:
            links.append(managing(opportunity_id=o.pk, agency_id=o.partners[0].pk))
            links.extend(participating(opportunity_id=o.pk, agency_id=a.pk)
                         for a in o.partners)
            net = {}
            for year in range(1, 6):
                cost = self.money(10_000, 80_000) if year == 1 else self.money(2_000, 20_000)
                benefit = self.money(5_000, 40_000) if year == 1 else self.money(20_000,
                                                                                   120_000)
                nature = "one_time" if year == 1 else "recurring"
                lines.append(CbaEntry(country=self.c, opportunity=o, year=year, side="cost",
                                      kind="monetary", nature=nature, amount=cost))
                lines.append(CbaEntry(country=self.c, opportunity=o, year=year,
                                      side="benefit", kind="labour" if year > 2 else "monetary",
                                      nature=nature, amount=benefit))
                net[year] = benefit - cost
            if not o.selected:
                continue
            for year in range(o.implementation_start, min(o.implementation_start + 3,
                                                          self.last_complete) + 1):
                share = max(net[year - o.implementation_start + 1], Decimal(0)) / len(
                    o.partners)
                for agency in o.partners:
                    factor = Decimal(rng.randint(60, 130)) / 100
                    results.append(AnnualResult(
                        country=self.c, opportunity=o, agency=agency, year=year,
                        realised_cost_avoidance=(share * factor).quantize(CENT),
                        funds_spent=self.money(0, 5_000)))
            if o.implementation_start <= self.today.year and rng.random() < 0.4:
                self.catalogue.append(o)
        _insert(managing, [link for link in links if isinstance(link, managing)])
        _insert(participating, [link for link in links if isinstance(link, participating)])
        _insert(CbaEntry, lines)
        _insert(AnnualResult, results)
        self.kpis([o for o in opportunities if o.selected])

    def kpis(self, services):
        indicators = []
        for o in services:
            for kind, unit in (("cost_avoidance", "usd"), ("quality", "percent")):
                indicators.append(Indicator(
                    country=self.c, name=f"{o.name}: {kind.replace('_', ' ')}", unit=unit,
                    kind=kind, frequency="yearly", subject_type=self.opportunity_type,
                    subject_id=o.pk, baseline=Decimal(0) if unit == "usd" else Decimal(60)))
        _insert(Indicator, indicators)
        targets, actuals = [], []
        by_subject = {}
        for indicator in indicators:
            by_subject.setdefault(indicator.subject_id, []).append(indicator)
        for o in services:
            for indicator in by_subject[o.pk]:
                for year in range(o.implementation_start, o.implementation_start + 4):
                    if year > self.today.year:
                        break
                    target = (self.money(20_000, 100_000) if indicator.unit == "usd"
                              else Decimal(self.rng.randint(70, 90)))
                    targets.append(Target(country=self.c, indicator=indicator, year=year,
                                          month=0, value=target))
                    if year <= self.last_complete:
                        factor = Decimal(self.rng.randint(55, 125)) / 100
                        actuals.append(Measurement(country=self.c, indicator=indicator,
                                                   year=year, month=0,
                                                   value=(target * factor).quantize(CENT)))
        _insert(Target, targets)
        _insert(Measurement, actuals)

    def common_services(self):
        rng = self.rng
        services = []
        for o in self.catalogue:
            started = date(o.implementation_start, rng.randint(1, 12), 1)
            if started > self.today:
                started = self.today.replace(day=1)
            services.append(CommonService(
                country=self.c, name=f"{o.name} ({o.bos.start_year})", service_line=o.service_line,
                modality=rng.choice(["in_house", "outsourced"]), start_date=started,
                status="discontinued" if rng.random() < 0.1 else "active", opportunity=o))
            services[-1].clients = o.partners
        _insert(CommonService, services)
        clients = CommonService.client_agencies.through
        _insert(clients, [clients(commonservice_id=s.pk, agency_id=a.pk)
                          for s in services for a in s.clients])
        budgets, spending, allocations = [], [], []
        for service in services:
            for year in range(service.start_date.year, self.today.year + 1):
                amount = self.money(20_000, 200_000)
                budgets.append(BudgetLine(country=self.c, service=service, year=year,
                                          line="Operating costs", amount=amount))
                spent = (amount * Decimal(rng.randint(85, 110)) / 100).quantize(CENT)
                months = 12 if year < self.today.year else max(1, self.today.month - 1)
                for half in (spent / 2, spent - spent / 2):
                    day = date(year, rng.randint(1, months), 15)
                    value = half.quantize(CENT)
                    spending.append(Expenditure(
                        country=self.c, service=service, spent_on=day, year=year,
                        budget_line="Operating costs", description="Scale data",
                        amount_local=value, currency="USD", rate=Decimal(1), amount_usd=value))
                if year <= self.last_complete:
                    allocation = Allocation(country=self.c, service=service, year=year,
                                            method="equal", total=amount,
                                            computed_at=self.now, inputs={})
                    allocation.clients = service.clients
                    allocations.append(allocation)
        _insert(BudgetLine, budgets)
        _insert(Expenditure, spending)
        _insert(Allocation, allocations)
        shares, owed = [], {}
        for allocation in allocations:
            split = allocate(allocation.total, {a.pk: 1 for a in allocation.clients})
            for agency_id, amount in split.items():
                shares.append(AllocationShare(country=self.c, allocation=allocation,
                                              agency_id=agency_id, weight=1, amount=amount))
                key = (agency_id, allocation.year)
                owed[key] = owed.get(key, Decimal(0)) + amount
        _insert(AllocationShare, shares)
        _insert(Payment, [Payment(country=self.c, agency_id=agency_id, year=year,
                                  received_on=date(year, 3, 31),
                                  amount=(total * Decimal(rng.randint(90, 100)) / 100)
                                  .quantize(CENT))
                          for (agency_id, year), total in owed.items() if total > 0])
        self.services = services

    def omt(self):
        rng = self.rng
        omt = Omt.objects.create(country=self.c)
        members = _insert(Membership, [
            Membership(country=self.c, omt=omt, agency=a, member=self.member_of[a.pk],
                       since=date(self.first_year, 1, 1))
            for a in self.agencies if a.pk in self.member_of])
        meetings = []
        for year in range(self.first_year, self.today.year + 1):
            for month in range(1, 13):
                starts = datetime.combine(date(year, month, 10), clock(9), self.tz)
                if starts > self.now + timedelta(days=62):
                    break
                held = starts < self.now
                late = rng.random() < 0.1
                meetings.append(Meeting(
                    country=self.c, omt=omt, title=f"OMT meeting {year}-{month:02d}",
                    starts_at=starts, ends_at=starts + timedelta(hours=2),
                    status="held" if held else "scheduled",
                    agenda_sent_at=starts - timedelta(days=2 if late else 6) if held else None,
                    agenda_late=held and late))
        _insert(Meeting, meetings)
        attendance, minutes, actions = [], [], []
        for meeting in meetings:
            if meeting.status != "held":
                continue
            for m in members:
                if rng.random() < 0.75:
                    attendance.append(Attendance(country=self.c, meeting=meeting,
                                                 capacity="member", agency_id=m.agency_id,
                                                 person_id=m.member_id))
            days = rng.randint(2, 9)
            minutes.append(Minutes(country=self.c, meeting=meeting, status="shared",
                                   circulated_at=meeting.starts_at + timedelta(days=days),
                                   circulated_late=days > 7, summary="Scale data"))
            for n in range(2):
                due = meeting.starts_at.date() + timedelta(days=21 + 7 * n)
                done = due < self.today - timedelta(days=14) and rng.random() < 0.9
                actions.append(Action(country=self.c, omt=omt, meeting=meeting,
                                      title=f"Follow-up {n + 1} of {meeting.title}",
                                      owner_agency=rng.choice(self.agencies), due_on=due,
                                      status="done" if done else "open",
                                      done_on=due if done else None))
        _insert(Attendance, attendance)
        _insert(Minutes, minutes)
        _insert(Action, actions)

    def desk(self):
        team = Team.objects.create(country=self.c, name="Service desk")
        services = {s.service_line: s for s in self.services}
        self.categories = _insert(Category, [
            Category(country=self.c, name=name, team=team, common_service=services.get(line))
            for name, line in (("ICT equipment", "ict"), ("Accounts and access", "ict"),
                               ("Facilities", "administration"))])
        _insert(Agent, [Agent(country=self.c, user=a, team=team) for a in self.agents])
        _insert(SlaPolicy, [SlaPolicy(country=self.c, priority=p, first_response_hours=first,
                                      resolution_hours=resolution)
                            for p, (first, resolution) in desk_rules.DEFAULT_SLA_HOURS.items()])
        self.team = team


# --- tickets -----------------------------------------------------------------------------------

TICKET_COLUMNS = ("created_at", "updated_at", "country_id", "number", "subject", "description",
                  "requester_id", "agency_id", "category_id", "team_id", "priority", "status",
                  "source", "assignee_id", "version", "opened_at", "first_response_due",
                  "resolution_due", "first_responded_at", "resolved_at", "closed_at",
                  "paused_hours", "business_hours_to_resolve", "first_response_met",
                  "resolution_met", "reopen_count")

# One statement per country: n tickets spread evenly over the years, the ones older than two
# weeks resolved, with on-time rates around 90 % (first response) and 85 % (resolution).
# a and b are pseudo-random numbers in [0, 1) from Knuth's multiplicative hash of the
# ticket's number and the seed, so the same seed gives the same tickets.
TICKETS_SQL = """
INSERT INTO servicedesk_ticket ({columns})
SELECT %(now)s, %(now)s, %(country)s,
       %(iso)s || '-' || extract(year from o.at)::int || '-' || lpad(i::text, 7, '0'),
       'Scale ticket ' || i, '',
       (%(req)s::bigint[])[1 + i %% %(nreq)s], (%(agy)s::bigint[])[1 + i %% %(nreq)s],
       (%(cat)s::bigint[])[1 + i %% %(ncat)s], %(team)s,
       'P' || (1 + (i * 7) %% 4),
       CASE WHEN o.at < %(recent)s THEN 'closed' ELSE 'in_progress' END,
       'web', (%(agents)s::bigint[])[1 + i %% %(nagents)s], 1, o.at,
       o.at + interval '4 hours', o.at + interval '24 hours',
       CASE WHEN o.at < %(recent)s THEN o.at + (r.a * interval '5 hours') END,
       CASE WHEN o.at < %(recent)s THEN o.at + (r.b * interval '30 hours') END,
       CASE WHEN o.at < %(recent)s THEN o.at + (r.b * interval '30 hours') END,
       0, CASE WHEN o.at < %(recent)s THEN round((r.b * 30)::numeric, 2) END,
       CASE WHEN o.at < %(recent)s THEN r.a < 0.9 END,
       CASE WHEN o.at < %(recent)s THEN r.b < 0.85 END,
       CASE WHEN r.a > 0.96 THEN 1 ELSE 0 END
FROM generate_series(1, %(count)s) AS i
CROSS JOIN LATERAL (SELECT %(now)s - (i * %(step)s) * interval '1 second' AS at) o
CROSS JOIN LATERAL (
    SELECT ((i::bigint * 2654435761 + %(seed)s) %% 4294967296)::float8 / 4294967296 AS a,
           ((i::bigint * 40503 + 2 * %(seed)s + 7919) %% 65536)::float8 / 65536 AS b) r
"""

# a third of the new resolved tickets have a rating (T5)
RATINGS_SQL = """
INSERT INTO servicedesk_rating (created_at, updated_at, country_id, ticket_id, score, comment,
                                rated_at)
SELECT resolved_at, resolved_at, country_id, id, 1 + (id * 7) %% 5, '', resolved_at
FROM servicedesk_ticket WHERE id > %s AND resolved_at IS NOT NULL AND id %% 3 = 0
"""


class TicketsLoadedBare:
    """On PostgreSQL, load tickets without the table's secondary indexes and foreign keys,
    then build each index once and check each foreign key with one query: much faster
    than keeping a dozen indexes and six per-row constraint triggers up to date for two
    million rows. They are put back at the end, also when the load fails; only a killed
    process would leave them out (this is a load-test database)."""

    table = "servicedesk_ticket"

    def __enter__(self):
        self.indexes, self.foreign_keys = [], []
        if connection.vendor != "postgresql":
            return self
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            self._settle(cursor)
            cursor.execute("""
                SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = %s::regclass AND contype = 'f'""", [self.table])
            self.foreign_keys = cursor.fetchall()
            cursor.execute("""
                SELECT i.indexname, i.indexdef FROM pg_indexes i
                WHERE i.tablename = %s AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
                           [self.table])
            self.indexes = cursor.fetchall()
            for name, _definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in self.indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return self

    @staticmethod
    def _settle(cursor):
        # inside a transaction (the tests'), run the deferred foreign-key checks of the rows
        # written so far: PostgreSQL will not alter a table that has some pending
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def __exit__(self, kind, error, trace):
        if not self.indexes and not self.foreign_keys:
            return False
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            self._settle(cursor)
            for _name, definition in self.indexes:
                cursor.execute(definition)
            for name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(name)} "
                               f"{definition}")
        return False


def _tickets(data: CountryData, count: int, now: datetime, span_seconds: float) -> None:
    people = data.people
    requesters = [p.pk for p in people]
    agencies = [p.agency_id for p in people]
    categories = [c.pk for c in data.categories]
    agents = [a.pk for a in data.agents]
    # from the seed and the country's code, never from row ids (which depend on the database)
    seed = int.from_bytes(hashlib.sha256(f"{data.sizes.seed}-{data.c.iso_code}".encode())
                          .digest()[:3], "big")
    recent = now - timedelta(days=14)
    step = span_seconds / max(count, 1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(TICKETS_SQL.format(columns=", ".join(TICKET_COLUMNS)), {
                "now": now, "country": data.c.pk, "iso": data.c.iso_code, "req": requesters,
                "agy": agencies, "nreq": len(requesters), "cat": categories,
                "ncat": len(categories), "team": data.team.pk, "agents": agents,
                "nagents": len(agents), "recent": recent, "count": count, "step": step,
                "seed": seed})
        return
    # elsewhere (SQLite, for tests): the same tickets computed here, inserted in batches
    sql = (f"INSERT INTO servicedesk_ticket ({', '.join(TICKET_COLUMNS)}) "
           f"VALUES ({', '.join(['%s'] * len(TICKET_COLUMNS))})")
    stamp = connection.ops.adapt_datetimefield_value
    rows = []
    for i in range(1, count + 1):
        at = now - timedelta(seconds=i * step)
        a = ((i * 2654435761 + seed) % 4294967296) / 4294967296
        b = ((i * 40503 + 2 * seed + 7919) % 65536) / 65536
        done = at < recent
        resolved = at + timedelta(hours=30 * b) if done else None
        rows.append(tuple(stamp(v) if isinstance(v, datetime) else v for v in (
            now, now, data.c.pk, f"{data.c.iso_code}-{at.year}-{i:07d}", f"Scale ticket {i}",
            "", requesters[i % len(requesters)], agencies[i % len(requesters)],
            categories[i % len(categories)], data.team.pk, f"P{1 + (i * 7) % 4}",
            "closed" if done else "in_progress", "web", agents[i % len(agents)], 1, at,
            at + timedelta(hours=4), at + timedelta(hours=24),
            at + timedelta(hours=5 * a) if done else None, resolved, resolved, 0,
            round(30 * b, 2) if done else None, (a < 0.9) if done else None,
            (b < 0.85) if done else None, 1 if a > 0.96 else 0)))
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- the whole run ---------------------------------------------------------------------------


def build(sizes: Sizes, *, out=None, now: datetime | None = None,
          clock_: Callable[[], float] = time.monotonic) -> dict:
    """Create the scale data; return how many rows of the main kinds now exist and the
    seconds it took."""
    from django.core.management.base import OutputWrapper

    out = out or OutputWrapper(sys.stdout)
    started = clock_()
    now = now or timezone.now().astimezone(UTC)
    rng = random.Random(sizes.seed)
    with transaction.atomic():
        agencies = _agencies(sizes)
        countries = _new_countries(sizes, rng)
    out.write(f"{len(countries)} new country teams "
              f"({Country.objects.count()} in all), {len(agencies)} agencies")
    if not countries:
        return {"seconds": clock_() - started}
    existing_people = User.objects.count()
    per_country = max(0, sizes.people - existing_people) // len(countries)
    opportunity_type = ContentType.objects.get_for_model(Opportunity)
    progress = Progress(out, "country teams", len(countries))
    teams = []
    for country in countries:
        data = CountryData(country, sizes, agencies, per_country, now, opportunity_type)
        with transaction.atomic():
            data.organisation()
            data.baselines()
            data.strategies()
            data.common_services()
            data.omt()
            data.desk()
        teams.append(data)
        progress.step()
    progress = Progress(out, "tickets", sizes.tickets)
    span = timedelta(days=365 * sizes.years).total_seconds()
    base, extra = divmod(sizes.tickets, len(teams))
    last_ticket = Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    bare = TicketsLoadedBare()
    with bare:
        for index, data in enumerate(teams):
            count = base + (1 if index < extra else 0)
            if count:
                with transaction.atomic():
                    _tickets(data, count, now, span)
            progress.step(count)
            data.people = data.people[:0]  # free the memory of the people objects
        if bare.indexes:
            out.write(f"building {len(bare.indexes)} ticket indexes and checking "
                      f"{len(bare.foreign_keys)} foreign keys …")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(RATINGS_SQL, [last_ticket])
    if connection.vendor == "postgresql":
        # what autovacuum would do a while after a bulk load, at once: the planner's
        # statistics, and the visibility map that lets aggregates read only indexes
        out.write("VACUUM ANALYZE …")
        with connection.cursor() as cursor:
            for model in (Ticket, Rating, AnnualResult, CbaEntry, CommonService, AdminBudget,
                          Attendance, Meeting, BudgetLine, Expenditure, Indicator, Target,
                          Measurement, AllocationShare, User, Country):
                # VACUUM cannot run in a transaction (a test's): statistics only, then
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    counts = {
        "countries": Country.objects.count(), "people": User.objects.count(),
        "tickets": Ticket.objects.count(), "opportunities": Opportunity.objects.count(),
        "services": CommonService.objects.count(), "meetings": Meeting.objects.count(),
        "seconds": clock_() - started,
    }
    return counts
