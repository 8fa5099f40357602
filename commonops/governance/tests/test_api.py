"""The governance API as a whole: the OMT workflow end to end from scheduling a meeting to
sharing its minutes, the audit trail of every write, lists (pagination, filters, ordering,
constant query counts) and the schema."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonops.core.models import AuditEntry
from commonops.governance.models import Membership
from commonops.governance.tests.helpers import (
    RESOURCES,
    WORKFLOW,
    ZONE,
    agency,
    in_days,
    rotation,
    schedule,
    user,
)

pytestmark = pytest.mark.django_db


def test_the_omt_workflow_runs_end_to_end_through_the_api(
        api, omt, secretary, fao, vn_rc, clock, django_capture_on_commit_callbacks):
    client = api(secretary)
    day = in_days(28)  # well beyond the G4 notice, whatever the holidays

    # Schedule: the agenda starts with the standard items (G8).
    meeting = schedule(client, omt, day)
    assert meeting["status"] == "scheduled"
    agenda = client.get(f"/api/agenda-items/?meeting={meeting['id']}").json()
    assert [row["title"] for row in agenda["results"]][-1] == "Any other business"
    assert agenda["count"] == 4 and all(row["standard"] for row in agenda["results"])

    # Send the agenda (G4): every member and alternate, with an iCalendar invitation.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(f"/api/meetings/{meeting['id']}/send-agenda/")
    assert sent.status_code == 200, sent.json()
    assert sent.json()["status"] == "agenda_sent" and sent.json()["agenda_late"] is False
    [message] = mail.outbox
    seats = Membership.objects.filter(omt__country__iso_code="VN").select_related(
        "member", "alternate")
    assert sorted(message.to) == sorted({s.member.email for s in seats}
                                        | {s.alternate.email for s in seats if s.alternate_id})
    name, content, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)

    # Attendance (G5): seven member agencies, one also by its alternate: it counts once.
    seats = list(Membership.objects.filter(omt=omt).order_by("pk"))
    for seat in seats[:7]:
        response = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                               {"capacity": "member", "person": seat.member_id})
        assert response.status_code == 201, response.json()
    with_alternate = next(seat for seat in seats[:7] if seat.alternate_id)
    assert client.post(f"/api/meetings/{meeting['id']}/attendance/", {
        "capacity": "alternate", "person": with_alternate.alternate_id}).status_code == 201
    guest = client.post(f"/api/meetings/{meeting['id']}/attendance/",
                        {"capacity": "guest", "guest_name": "Facility manager"})
    assert guest.status_code == 201 and guest.json()["meeting"] == meeting["id"]
    quorum = client.get(f"/api/meetings/{meeting['id']}/quorum/").json()
    assert quorum == {"member_count": 12, "present": 7, "required": 7, "quorate": True}

    # The meeting takes place; then the minutes start: one item per agenda item (G7).
    clock.move_to(datetime.combine(day, time(13), tzinfo=ZONE))
    started = client.post(f"/api/meetings/{meeting['id']}/start-minutes/")
    assert started.status_code == 200, started.json()
    minutes = started.json()["minutes"]  # the step answers the meeting, with its minutes
    assert minutes["status"] == "draft" and len(minutes["items"]) == 4
    item = minutes["items"][1]

    # Edit an item with the revision read; record an action under it (G7).
    edited = client.patch(f"/api/minutes-items/{item['id']}/", {
        "revision": item["revision"], "discussion": "Progress was reviewed.",
        "decisions": "The work plan is on track."})
    assert edited.status_code == 200, edited.json()
    assert edited.json()["revision"] == item["revision"] + 1
    assert edited.json()["without_quorum"] is False
    recorded = client.post(f"/api/minutes-items/{item['id']}/actions/", {
        "title": "Share the procurement pipeline", "owner_agency": agency("FAO").pk,
        "due_on": (day + timedelta(days=30)).isoformat()})
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["meeting"] == meeting["id"] and recorded.json()["state"] == "open"

    # Circulate (G6): members get the draft and comment during the comment period.
    with django_capture_on_commit_callbacks(execute=True):
        circulated = client.post(f"/api/minutes/{minutes['id']}/circulate/")
    assert circulated.status_code == 200, circulated.json()
    assert circulated.json()["status"] == "circulated"
    assert circulated.json()["circulated_late"] is False
    assert circulated.json()["comments_until"] > in_days(0).isoformat()
    assert "for comments" in mail.outbox[-1].subject
    comment = api(fao).post(f"/api/minutes-items/{item['id']}/comments/",
                            {"text": "Please add FAO's pipeline."})
    assert comment.status_code == 201, comment.json()
    assert comment.json()["author"] == fao.pk

    # Once the comment period has closed, the secretary finalises and shares (G6, G12).
    until = date.fromisoformat(circulated.json()["comments_until"])
    clock.move_to(datetime.combine(until + timedelta(days=1), time(9), tzinfo=ZONE))
    finalised = client.post(f"/api/minutes/{minutes['id']}/finalise/")
    assert finalised.status_code == 200 and finalised.json()["status"] == "finalised"
    with django_capture_on_commit_callbacks(execute=True):
        shared = client.post(f"/api/minutes/{minutes['id']}/share/")
    assert shared.status_code == 200 and shared.json()["status"] == "shared"
    assert vn_rc.email in mail.outbox[-1].to

    tracker = client.get(f"/api/actions/?meeting={meeting['id']}").json()
    assert [row["title"] for row in tracker["results"]] == ["Share the procurement pipeline"]


def test_every_write_leaves_an_audit_row_with_source_api(
        api, omt, viet_nam, secretary, fao, vn_chair, vn_rc, clock):
    def write(user, method, url, data=None, status=None):
        last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = getattr(api(user), method)(url, data)
        assert response.status_code == (status or {"delete": 204}.get(method, 200)), (
            url, response.content)
        rows = AuditEntry.objects.filter(pk__gt=last)
        assert rows.exists(), f"{method} {url} left no audit row"
        assert set(rows.values_list("source", "actor_id", "request_path")) == {
            ("api", user.pk, url)}, url
        return response.json() if response.content else None

    day = in_days(28)
    start = datetime.combine(day, time(10), tzinfo=ZONE)
    meeting = write(secretary, "post", "/api/meetings/", {
        "omt": omt.pk, "title": "Audited", "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat()}, 201)
    m = f"/api/meetings/{meeting['id']}"
    write(secretary, "patch", f"{m}/", {"location": "Room 2"})
    item = write(secretary, "post", "/api/agenda-items/",
                 {"meeting": meeting["id"], "title": "Audit"}, 201)
    write(secretary, "patch", f"/api/agenda-items/{item['id']}/", {"notes": "Papers."})
    write(secretary, "post", f"/api/agenda-items/{item['id']}/move/", {"direction": "up"})
    write(secretary, "delete", f"/api/agenda-items/{item['id']}/")
    write(secretary, "post", f"{m}/send-agenda/")
    seat = Membership.objects.filter(omt=omt).order_by("pk").first()
    attendance = write(secretary, "post", f"{m}/attendance/",
                       {"capacity": "member", "person": seat.member_id}, 201)
    write(secretary, "delete", f"/api/attendance/{attendance['id']}/")
    write(secretary, "post", f"{m}/attendance/",
          {"capacity": "member", "person": seat.member_id}, 201)
    clock.move_to(start + timedelta(hours=2))  # the meeting has taken place
    minutes = write(secretary, "post", f"{m}/start-minutes/")["minutes"]
    minutes_item = minutes["items"][0]
    write(secretary, "patch", f"/api/minutes-items/{minutes_item['id']}/",
          {"revision": minutes_item["revision"], "discussion": "Audited text."})
    write(secretary, "post", "/api/minutes-items/",
          {"minutes": minutes["id"], "title": "Extra", "discussion": "More."}, 201)
    action = write(secretary, "post", f"/api/minutes-items/{minutes_item['id']}/actions/", {
        "title": "Audit action", "owner_person": user("vn-csm").pk,
        "due_on": (day + timedelta(days=9)).isoformat()}, 201)
    write(secretary, "post", "/api/actions/", {
        "omt": omt.pk, "title": "Tracker action", "owner_agency": agency("FAO").pk,
        "due_on": (day + timedelta(days=9)).isoformat()}, 201)
    circulated = write(secretary, "post", f"/api/minutes/{minutes['id']}/circulate/")
    write(fao, "post", f"/api/minutes-items/{minutes_item['id']}/comments/",
          {"text": "Audited comment."}, 201)
    clock.move_to(datetime.combine(date.fromisoformat(circulated["comments_until"])
                                   + timedelta(days=1), time(9), tzinfo=ZONE))
    write(secretary, "post", f"/api/minutes/{minutes['id']}/finalise/")
    write(secretary, "post", f"/api/minutes/{minutes['id']}/share/")
    write(secretary, "post", f"/api/minutes/{minutes['id']}/correct/")
    clock.restore()  # the chair's term is this year's
    write(user("vn-csm"), "post", f"/api/actions/{action['id']}/complete/",
          {"note": "Done."})
    escalation = write(fao, "post", "/api/escalations/", {
        "omt": omt.pk, "subject": "Audited escalation", "positions": "A or B."}, 201)
    write(vn_rc, "post", f"/api/escalations/{escalation['id']}/decide/",
          {"decided_on": "2026-11-20", "text": "A."})
    write(vn_rc, "post", "/api/unct-decisions/", {
        "country": viet_nam.pk, "kind": "other", "decided_on": "2026-11-20",
        "subject": "Audited decision", "text": "Noted."}, 201)
    write(vn_chair, "patch", f"/api/omts/{omt.pk}/", {"default_location": "Room 3"})
    unido = Membership.objects.get(omt=omt, agency__acronym="UNIDO")
    write(vn_chair, "patch", f"/api/memberships/{unido.pk}/",
          {"alternate": user("vn-staff").pk})
    next_year = in_days(0).year + 1
    term = write(vn_chair, "post", "/api/chair-terms/", {
        "omt": omt.pk, "role": "chair", "agency": agency("UNICEF").pk,
        "person": user("vn-cochair").pk, "starts_on": f"{next_year}-01-01",
        "decision": rotation(omt.country, next_year).pk}, 201)
    write(vn_chair, "patch", f"/api/chair-terms/{term['id']}/",
          {"ends_on": f"{next_year}-06-30"})
    task_force = write(vn_chair, "post", "/api/task-forces/", {
        "omt": omt.pk, "name": "Audited task force", "service_line": "finance",
        "coordinating_agency": agency("UNDP").pk, "chair": user("vn-csm").pk,
        "mandate": "Audit.", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, 201)
    write(vn_chair, "patch", f"/api/task-forces/{task_force['id']}/", {"mandate": "More."})
    member = write(vn_chair, "post", "/api/task-force-members/", {
        "task_force": task_force["id"], "person": user("vn-staff").pk}, 201)
    write(vn_chair, "delete", f"/api/task-force-members/{member['id']}/")
    write(secretary, "post", f"{m}/cancel/")


def test_governance_lists_are_paginated_filtered_and_ordered(api, omt, vn_member):
    client = api(vn_member)
    page = client.get("/api/meetings/?page_size=3").json()
    assert len(page["results"]) == 3 and page["count"] > 3 and page["next"]
    starts = [row["starts_at"] for row in page["results"]]
    assert starts == sorted(starts, reverse=True)
    oldest = client.get("/api/meetings/?ordering=starts_at&page_size=1").json()["results"]
    assert oldest[0]["starts_at"] < starts[-1]
    shared = client.get("/api/minutes/?status=shared").json()
    assert shared["count"] > 0 and {row["status"] for row in shared["results"]} == {"shared"}
    search = client.get("/api/task-forces/?q=premises").json()
    assert [row["name"] for row in search["results"]] == ["Common Premises Task Force"]
    for name in RESOURCES:
        listed = client.get(f"/api/{name}/?page_size=2")
        assert listed.status_code == 200, name
        assert set(listed.json()) == {"count", "next", "previous", "results"}
        assert listed.json()["count"] > 0, name


def test_every_governance_list_costs_the_same_queries_whatever_its_length(api, vn_chair):
    client = api(vn_chair)
    for name in RESOURCES:
        counts = []
        for size in (1, 30):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"/api/{name}/?page_size={size}").status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], (name, counts)


def test_the_schema_lists_every_governance_endpoint_without_warnings(client):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "schema generation warned"
    validate_schema(schema)
    paths = set(schema["paths"])
    for name in RESOURCES:
        assert f"/api/{name}/" in paths and f"/api/{name}/{{id}}/" in paths, name
    for method, name, step in WORKFLOW:
        step = "invitation/" if step == "invitation.ics" else step
        path = schema["paths"].get(f"/api/{name}/{{id}}/{step}")
        if path is None:  # a workflow step: one generic action per workflow
            path = schema["paths"][f"/api/{name}/{{id}}/{{step}}/"]
            [parameter] = [p for p in path[method]["parameters"] if p["name"] == "step"]
            assert step.rstrip("/") in parameter["schema"]["enum"], (name, step)
        assert method in path, (name, step)
    assert "patch" in schema["paths"]["/api/minutes-items/{id}/"]
    assert client.get("/api/schema/").status_code == 200
