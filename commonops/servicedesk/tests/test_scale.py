"""The desk at scale (DESIGN: 2 million tickets): raising a ticket, my tickets, the queue and
the KPIs take the same queries whatever the number of tickets, and on PostgreSQL the
open-ticket counts and orders come from the indexes of open tickets. Times are measured by
`manage.py bench_desk`, not here."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonops.servicedesk import actions, queries
from commonops.servicedesk.models import Status, Ticket

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _raise_from_the_form(client, category):
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("servicedesk:ticket_raise"), {
            "category": category.pk, "priority": "P2", "subject": "No network",
            "description": "Since the storm"})
    assert response.status_code == 302
    return len(ctx.captured_queries)


def _more_tickets(viet_nam, staff, category, agent1, n=6):
    now = datetime(2026, 5, 4, 9, 0, tzinfo=HANOI)
    for i in range(n):
        ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                      subject=f"Load {i}", now=now, by=staff)
        if i % 2:
            actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=agent1,
                                         now=now + timedelta(hours=3))


def test_raising_a_ticket_takes_the_same_few_queries_whatever_the_number_of_tickets(
        client, viet_nam, staff, category, agent1):
    client.force_login(staff)
    _raise_from_the_form(client, category)  # the year's number counter exists from here on
    before = _raise_from_the_form(client, category)
    _more_tickets(viet_nam, staff, category, agent1)
    assert _raise_from_the_form(client, category) == before
    assert before <= 20


def test_my_tickets_the_queue_and_the_kpis_take_the_same_queries_with_more_tickets(
        client, viet_nam, staff, category, agent1):
    client.force_login(agent1)
    queue = reverse("servicedesk:queue")
    urls = [queue, queue + "?mine=true", reverse("servicedesk:kpis") + "?year=2026",
            reverse("servicedesk:kpis") + "?year=2026&month=5&by=agent"]

    def counts():
        result = {}
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result[url] = len(ctx.captured_queries)
        return result

    _more_tickets(viet_nam, staff, category, agent1, n=2)
    before = counts()
    _more_tickets(viet_nam, staff, category, agent1)
    assert counts() == before


def _plan(sql, *, index):
    """The plan of `sql` with `index` as the ticket table's only non-unique index, and no
    sequential scan, bitmap scan or sort unless nothing else can answer: whether the query
    can be answered from that index (a partial index must match the query's filter) and in
    its order, whatever the planner would prefer on a test database of a few rows. The
    indexes come back with the savepoint's rollback (PostgreSQL's DDL is transactional)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = "
            "'servicedesk_ticket'::regclass AND NOT indisunique AND "
            "indexrelid::regclass::text <> %s", [index])
        for (other,) in cursor.fetchall():
            cursor.execute(f"DROP INDEX {other}")
        for method in ("seqscan", "bitmapscan", "sort"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


def _sql_of(run):
    with CaptureQueriesContext(connection) as ctx:
        run()
    return ctx.captured_queries[-1]["sql"]


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("query plans are PostgreSQL's")


def test_the_assignment_counts_open_tickets_from_the_index_of_open_tickets(
        postgresql, category):
    plan = _plan(_sql_of(lambda: actions.agent_loads(category.team_id)),
                 index="desk_ticket_open_by_assignee")
    assert "Index Only Scan using desk_ticket_open_by_assignee" in plan


def test_my_tickets_come_in_order_from_the_index_of_open_tickets(postgresql, viet_nam,
                                                                 agent1):
    mine = queries.queue(agent1, country=viet_nam, mine=True)
    page = _plan(_sql_of(lambda: list(mine[:50])), index="desk_ticket_open_by_assignee")
    assert "desk_ticket_open_by_assignee" in page and "Sort" not in page
    count = _plan(_sql_of(mine.count), index="desk_ticket_open_by_assignee")
    assert "Index Only Scan using desk_ticket_open_by_assignee" in count


def test_the_queue_and_the_backlog_read_the_index_of_open_tickets(postgresql, viet_nam,
                                                                  agent1):
    everything = queries.queue(agent1, country=viet_nam)
    page = _plan(_sql_of(lambda: list(everything[:50])), index="desk_ticket_open_queue")
    assert "desk_ticket_open_queue" in page and "Sort" not in page
    backlog = _plan(_sql_of(lambda: queries.backlog(
        country=viet_nam, now=datetime(2026, 5, 4, 9, 0, tzinfo=HANOI))),
        index="desk_ticket_open_queue")
    assert "Index Only Scan using desk_ticket_open_queue" in backlog


def test_open_tickets_leave_the_indexes_of_open_tickets_when_resolved(viet_nam, staff,
                                                                       category, agent1):
    ticket = actions.ticket_raise(country=viet_nam, requester=staff, category=category,
                                  subject="Mouse", by=staff)
    assert queries.queue(agent1, country=viet_nam).filter(pk=ticket.pk).exists()
    actions.ticket_change_status(ticket=ticket, status=Status.RESOLVED, by=agent1)
    assert not queries.queue(agent1, country=viet_nam).filter(pk=ticket.pk).exists()
    assert Ticket.objects.filter(pk=ticket.pk, status=Status.RESOLVED).exists()
