"""Demo data of the service desk: Viet Nam's shared desk with two teams, six agents, SLA
policies and a year of tickets from the twelve resident agencies, with realistic SLA
performance, some waiting and reopened tickets, ratings, and an e-mail to review.
Idempotent: tickets are generated once."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from commonops.core.audit import audit_context
from commonops.core.demo import DEMO_PASSWORD, VIET_NAM_RESIDENT, _slug
from commonops.core.models import Country, RoleAssignment, User
from commonops.core.roles import Role
from commonops.servicedesk import rollups, rules
from commonops.servicedesk.models import (
    Agent,
    Category,
    EventKind,
    InboundMail,
    Rating,
    SlaPolicy,
    Status,
    Team,
    Ticket,
    TicketCounter,
    TicketEvent,
)

TICKETS_PER_YEAR = 3000
EXTRA_AGENTS = [("vn-agent3", "Thu", "Vu", "WHO", "ICT Assistant"),
                ("vn-agent4", "Nam", "Le", "UNDP", "Facilities Assistant"),
                ("vn-agent5", "Anh", "Phan", "FAO", "Facilities Associate")]
# team name, lead, agents, service line of its common services, categories
TEAMS = [
    ("ICT", "vn-sdm", ["vn-sdm", "vn-agent1", "vn-agent2", "vn-agent3"], "ict",
     ["Laptops and printers", "E-mail and accounts", "Network and Wi-Fi", "Video conferencing"]),
    ("Facilities", "vn-agent4", ["vn-agent4", "vn-agent5"], "administration",
     ["Building and maintenance", "Meeting rooms", "Cleaning and security"]),
]
PRIORITY_WEIGHTS = [("P1", 3), ("P2", 15), ("P3", 60), ("P4", 22)]
SUBJECTS = {
    "Laptops and printers": ["Printer on floor 3 jams", "Laptop will not start",
                             "Need a docking station"],
    "E-mail and accounts": ["Cannot log in to e-mail", "Shared mailbox access",
                            "Password reset"],
    "Network and Wi-Fi": ["Wi-Fi drops in meeting room B", "VPN does not connect",
                          "Slow network on floor 5"],
    "Video conferencing": ["Zoom room camera is off", "Set up a hybrid meeting"],
    "Building and maintenance": ["Air conditioning too cold", "Broken chair",
                                 "Light out in corridor"],
    "Meeting rooms": ["Book the big conference room", "Projector missing"],
    "Cleaning and security": ["Access badge not working", "Spill in the pantry"],
}


def _user(username, first, last, agency, title, country, password):
    from commonops.core.models import Agency

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, first_name=first, last_name=last,
                    email=f"{username}@commonops.example",
                    agency=Agency.objects.get(acronym=agency), duty_country=country,
                    job_title=title, languages="en,vi", password=password)
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=Role.SD_AGENT, country=country)
    return user


def _setup(vn):
    password = make_password(DEMO_PASSWORD)
    for username, first, last, agency, title in EXTRA_AGENTS:
        _user(username, first, last, agency, title, vn, password)
    users = {u.username: u for u in User.objects.filter(username__startswith="vn-")}
    from commonops.commonservices.models import CommonService

    categories = []
    for name, lead, agents, line, category_names in TEAMS:
        team, _ = Team.objects.get_or_create(country=vn, name=name, defaults={
            "lead": users[lead], "email": f"desk-{name.lower()}@commonops.example"})
        for username in agents:
            Agent.objects.get_or_create(country=vn, team=team, user=users[username])
        service_id = (CommonService.objects.filter(country=vn, service_line=line)
                      .order_by("name").values_list("pk", flat=True).first())
        for category_name in category_names:
            category, _ = Category.objects.get_or_create(
                country=vn, name=category_name,
                defaults={"team": team, "common_service_id": service_id})
            categories.append(category)
    for priority, (first, resolution) in rules.DEFAULT_SLA_HOURS.items():
        SlaPolicy.objects.get_or_create(country=vn, priority=priority, defaults={
            "first_response_hours": Decimal(first), "resolution_hours": Decimal(resolution)})
    return users, categories


def _requesters(users):
    wanted = {f"vn-omt-{_slug(a)}" for a in VIET_NAM_RESIDENT} | {
        "vn-chair", "vn-cochair", "vn-member", "vn-staff"}
    return [u for name, u in sorted(users.items()) if name in wanted and u.agency_id]


def _tickets(vn, users, categories, now):
    """A year of tickets, built in memory and written with bulk_create."""
    rng = random.Random(2026)
    calendar = vn.calendar()
    tz = calendar.tz
    requesters = _requesters(users)
    agents_by_team = {}
    for agent in Agent.objects.filter(country=vn).select_related("user"):
        agents_by_team.setdefault(agent.team_id, []).append(agent.user)
    sla = {p.priority: (p.first_response_hours, p.resolution_hours)
           for p in SlaPolicy.objects.filter(country=vn)}
    priorities = [p for p, w in PRIORITY_WEIGHTS for _ in range(w)]
    start = now - timedelta(days=365)
    openings = sorted(
        calendar.add_business_hours(
            datetime.combine((start + timedelta(days=rng.random() * 365)).astimezone(tz)
                             .date(), time(8), tz), rng.random() * 9)
        for _ in range(TICKETS_PER_YEAR))
    openings = [o for o in openings if o < now]
    counters: dict[int, int] = {}
    tickets, plans = [], []
    for opened in openings:
        year = opened.year
        counters[year] = counters.get(year, 0) + 1
        category = rng.choice(categories)
        requester = rng.choice(requesters)
        priority = rng.choice(priorities)
        first_hours, resolution_hours = sla[priority]
        assignee = rng.choice(agents_by_team[category.team_id])
        ticket = Ticket(
            country=vn, number=rules.ticket_number(vn.iso_code, year, counters[year]),
            subject=rng.choice(SUBJECTS[category.name]), requester=requester,
            agency_id=requester.agency_id, category=category, team_id=category.team_id,
            priority=priority, status=Status.ASSIGNED, assignee=assignee, opened_at=opened,
            first_response_due=calendar.add_business_hours(opened, first_hours),
            resolution_due=calendar.add_business_hours(opened, resolution_hours),
            description="Please help.")
        # Realistic SLA performance: most first responses and resolutions on time.
        response_after = float(first_hours) * (rng.random() * 0.9 if rng.random() < 0.9
                                               else 1.1 + rng.random())
        resolve_after = float(resolution_hours) * (rng.random() * 0.95 if rng.random() < 0.85
                                                   else 1.05 + rng.random() * 2)
        responded = calendar.add_business_hours(opened, response_after)
        resolved = calendar.add_business_hours(opened, max(resolve_after, response_after))
        if responded < now:
            ticket.first_responded_at = responded
            ticket.first_response_met = responded <= ticket.first_response_due
        elif ticket.first_response_due < now:
            ticket.first_response_breached_at = ticket.first_response_due
        if resolved < now:
            ticket.status = Status.CLOSED if resolved < now - timedelta(days=7) \
                else Status.RESOLVED
            ticket.resolved_at = resolved
            ticket.closed_at = resolved + timedelta(days=7) \
                if ticket.status == Status.CLOSED else None
            ticket.resolution_met = resolved <= ticket.resolution_due
            ticket.business_hours_to_resolve = round(
                calendar.business_hours_between(opened, resolved), rules.HOURS_DECIMALS)
            ticket.reopen_count = 1 if rng.random() < 0.04 else 0
        else:
            ticket.status = rng.choice([Status.ASSIGNED, Status.IN_PROGRESS,
                                        Status.IN_PROGRESS, Status.WAITING])
            if ticket.status == Status.WAITING:
                ticket.paused_at = max(opened, now - timedelta(hours=rng.random() * 20))
            if ticket.resolution_due < now and ticket.status != Status.WAITING:
                ticket.resolution_breached_at = ticket.resolution_due
        tickets.append(ticket)
        plans.append(rng.random())
    Ticket.objects.bulk_create(tickets, batch_size=500)
    for year, last in counters.items():
        TicketCounter.objects.update_or_create(country=vn, year=year,
                                               defaults={"last": last})
    events, ratings = [], []
    for ticket, draw in zip(tickets, plans, strict=True):
        events.append(TicketEvent(ticket=ticket, country=vn, kind=EventKind.OPENED,
                                  author=ticket.requester, at=ticket.opened_at,
                                  body=ticket.description, to_status=Status.NEW))
        if ticket.first_responded_at:
            events.append(TicketEvent(ticket=ticket, country=vn, kind=EventKind.REPLY,
                                      author=ticket.assignee, at=ticket.first_responded_at,
                                      body="We are looking into it."))
        if ticket.resolved_at:
            events.append(TicketEvent(ticket=ticket, country=vn, kind=EventKind.STATUS,
                                      author=ticket.assignee, at=ticket.resolved_at,
                                      from_status=Status.IN_PROGRESS,
                                      to_status=Status.RESOLVED))
            if draw < 0.4:  # two in five requesters answer the rating request
                score = 5 if draw < 0.2 else 4 if draw < 0.32 else 3 if draw < 0.37 \
                    else 2 if draw < 0.39 else 1
                ratings.append(Rating(ticket=ticket, country=vn, score=score,
                                      rated_at=ticket.resolved_at + timedelta(hours=2),
                                      comment="" if score > 2 else "Took too long."))
    TicketEvent.objects.bulk_create(events, batch_size=1000)
    Rating.objects.bulk_create(ratings, batch_size=1000)
    last_assigned = {}
    for ticket in tickets:
        last_assigned[ticket.assignee_id] = ticket.opened_at
    for agent in Agent.objects.filter(country=vn):
        if agent.user_id in last_assigned:
            agent.last_assigned_at = last_assigned[agent.user_id]
            agent.save(update_fields=["last_assigned_at"])
    rollups.rebuild(vn)  # the tickets were written in bulk, not through the actions
    return len(tickets)


def seed(stdout=None) -> None:
    vn = Country.objects.filter(iso_code="VN").first()
    if vn is None:
        return
    now = timezone.now()
    created = 0
    with transaction.atomic(), audit_context(source="command"):
        users, categories = _setup(vn)
        if not Ticket.objects.filter(country=vn).exists():
            created = _tickets(vn, users, categories, now)
            InboundMail.objects.create(
                country=vn, sender="printer-vendor@example.com",
                subject="Maintenance visit next week",
                body="Dear desk, our technician will service the printers on Tuesday.",
                message_id="<demo-1@example.com>", received_at=now - timedelta(hours=3))
        from commonops.servicedesk import kpis

        month_ago = (now.astimezone(vn.calendar(holidays=()).tz).replace(day=1)
                     - timedelta(days=1))
        kpis.kpi_record_month(country=vn, year=month_ago.year, month=month_ago.month,
                              by=users["vn-sdm"], now=now)
    if stdout is not None:
        stdout.write(f"  service desk: {created} Viet Nam tickets, "
                     f"{Agent.objects.filter(country=vn).count()} agents")
