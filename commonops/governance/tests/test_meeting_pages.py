"""The meeting pages: the list, scheduling in the country's time zone, the agenda (G4, G8),
papers, cancelling, attendance and quorum (G5), the invitation, starting the minutes."""

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.formats import date_format

from commonops.core.testing import count_queries
from commonops.governance import actions, rules
from commonops.governance.models import (
    Action,
    AgendaItem,
    AgendaPaper,
    Attendance,
    Meeting,
    Minutes,
)
from commonops.governance.tests.helpers import (
    HTMX,
    ZONE,
    as_user,
    html,
    in_days,
    meeting_on,
    new_meeting,
    omt,
    seats,
    user,
)

pytestmark = pytest.mark.django_db


def test_meeting_list_filters_by_year_kind_and_status(client, vn_member):
    new_meeting()
    client.force_login(vn_member)
    url = reverse("governance:meeting_list")
    all_rows = client.get(url).context["page"].paginator.count
    assert all_rows >= 12
    rows = client.get(url + "?year=2031").context["page"].object_list
    assert [m.title for m in rows] == ["OMT meeting — March 2031"]
    retreats = client.get(url + "?kind=retreat").context["page"].object_list
    assert retreats and all(m.kind == "retreat" for m in retreats)
    held = client.get(url + "?status=held").context["page"].object_list
    assert held and all(m.status == "held" for m in held)
    assert client.get(url + "?status=nonsense").context["page"].paginator.count == 0


def test_scheduling_a_meeting_uses_the_countrys_time_zone_and_the_standard_agenda(client,
                                                                                 vn_chair):
    client.force_login(vn_chair)
    response = client.post(reverse("governance:meeting_add", args=[omt().pk]), {
        "title": "OMT meeting — April 2031", "kind": "regular", "day": "2031-04-10",
        "starts": "09:30", "ends": "11:00", "location": ""})
    assert response.status_code == 302
    meeting = Meeting.objects.get(title="OMT meeting — April 2031")
    assert meeting.starts_at == datetime(2031, 4, 10, 9, 30, tzinfo=ZONE)
    assert meeting.ends_at == datetime(2031, 4, 10, 11, 0, tzinfo=ZONE)
    assert meeting.location == omt().default_location
    items = list(meeting.agenda_items.order_by("position"))
    assert [i.title for i in items] == list(rules.STANDARD_AGENDA)  # G8
    open_action = Action.objects.filter(omt=omt(), status="open").first()
    assert open_action.title in items[0].notes  # open actions carried over under item 1
    page = html(client.get(meeting.get_absolute_url()))
    assert "Thursday 10 Apr 2031 09:30–11:00" in page
    assert open_action.title in page


def test_scheduling_a_meeting_that_ends_before_it_starts_is_refused(client, vn_chair):
    client.force_login(vn_chair)
    count = Meeting.objects.count()
    response = client.post(reverse("governance:meeting_add", args=[omt().pk]), {
        "title": "Backwards", "kind": "regular", "day": "2031-04-10", "starts": "11:00",
        "ends": "09:00"})
    assert response.status_code == 400
    assert "The meeting must end after it starts." in html(response)
    assert Meeting.objects.count() == count


def test_g4_agenda_deadline_is_shown_while_the_agenda_is_drafted(client, vn_member,
                                                                 viet_nam):
    meeting = new_meeting()
    deadline = rules.agenda_deadline(date(2031, 3, 13), viet_nam.calendar())
    client.force_login(vn_member)
    page = html(client.get(meeting.get_absolute_url()))
    assert f"To be sent by {date_format(deadline)}" in page
    assert "Send agenda" not in page  # a member may not send it


def test_g4_the_agenda_is_previewed_before_it_is_sent(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:agenda_send", args=[meeting.pk])
    preview = html(client.get(url))
    assert "Review of the last minutes and follow-up actions" in preview
    assert "members and alternates" in preview and "Send it now" in preview
    assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at is None  # nothing sent yet
    assert f'href="{url}"' in html(client.get(meeting.get_absolute_url()))


def test_g4_sending_the_agenda_twice_shows_the_actions_message(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:agenda_send", args=[meeting.pk])
    assert client.post(url).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == "agenda_sent" and not meeting.agenda_late
    assert "on time" in html(client.get(meeting.get_absolute_url()))
    again = client.post(url)
    assert again.status_code == 400
    assert "The agenda was already sent on" in html(again)
    assert Meeting.objects.get(pk=meeting.pk).agenda_sent_at == meeting.agenda_sent_at


def test_g4_an_agenda_sent_late_is_shown_as_sent_late(client, vn_member):
    meeting = Meeting.objects.filter(omt=omt(), agenda_late=True).first()
    client.force_login(vn_member)
    assert "sent late" in html(client.get(meeting.get_absolute_url()))
    listed = html(client.get(reverse("governance:meeting_list")))
    assert "sent late" in listed


def test_the_invitation_downloads_as_an_ics_file(client, vn_member, outsider):
    meeting = new_meeting()
    client.force_login(vn_member)
    response = client.get(reverse("governance:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in response.content and b"March 2031" in response.content
    client.force_login(outsider)
    assert client.get(reverse("governance:meeting_ics", args=[meeting.pk])).status_code == 404


def test_agenda_items_move_up_and_down_with_and_without_htmx(client, vn_chair):
    meeting = new_meeting()
    first, second = meeting.agenda_items.order_by("position")[:2]
    client.force_login(vn_chair)
    url = reverse("governance:agendaitem_move", args=[second.pk])
    response = client.post(url, {"direction": "up"})
    assert response.status_code == 302
    assert list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)[:2]) \
        == [second.pk, first.pk]
    partial = client.post(url, {"direction": "down"}, **HTMX)
    assert partial.status_code == 200
    body = html(partial)
    assert 'id="agenda"' in body and "<html" not in body
    assert body.index(first.title) < body.index(second.title)


def test_agenda_items_are_added_edited_and_removed(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    add = reverse("governance:agendaitem_add", args=[meeting.pk])
    assert client.post(add, {"title": ""}).status_code == 400
    assert meeting.agenda_items.count() == 4
    assert client.post(add, {"title": "Fleet sharing", "notes": "Proposal by UNDP"}) \
        .status_code == 302
    item = meeting.agenda_items.get(title="Fleet sharing")
    assert item.position == 4  # before "Any other business"
    edit = reverse("governance:agendaitem_edit", args=[item.pk])
    assert client.post(edit, {"title": "Fleet sharing proposal",
                              "presenter": user("vn-csm").pk, "notes": ""}).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.presenter.username) == ("Fleet sharing proposal", "vn-csm")
    assert "Thu Vo" in html(client.get(meeting.get_absolute_url()))
    delete = reverse("governance:agendaitem_delete", args=[item.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not AgendaItem.objects.filter(pk=item.pk).exists()


def test_the_agenda_of_a_held_meeting_cannot_change(client, vn_chair):
    meeting = Meeting.objects.filter(omt=omt(), status="held").first()
    count = meeting.agenda_items.count()
    client.force_login(vn_chair)
    response = client.post(reverse("governance:agendaitem_add", args=[meeting.pk]),
                           {"title": "Too late"})
    assert response.status_code == 400
    assert "The agenda of a held or cancelled meeting cannot change." in html(response)
    assert meeting.agenda_items.count() == count


def test_papers_are_uploaded_and_downloaded_only_by_those_who_see_the_meeting(
        client, vn_chair, outsider, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = new_meeting()
    item = meeting.agenda_items.order_by("position")[1]
    client.force_login(vn_chair)
    url = reverse("governance:paper_add", args=[item.pk])
    missing_title = client.post(url, {"title": "", "file": SimpleUploadedFile(
        "plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")})
    assert missing_title.status_code == 400 and "This field is required." in html(missing_title)
    assert not AgendaPaper.objects.filter(item=item).exists()
    response = client.post(url, {"title": "Work plan 2031", "file": SimpleUploadedFile(
        "plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")})
    assert response.status_code == 302
    paper = AgendaPaper.objects.get(item=item)
    assert "Work plan 2031" in html(client.get(meeting.get_absolute_url()))
    as_user(client, "vn-staff")
    download = client.get(paper.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    client.force_login(outsider)
    assert client.get(paper.get_absolute_url()).status_code == 404


def test_cancelling_a_meeting_stops_its_agenda_and_attendance(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    assert client.post(reverse("governance:meeting_cancel", args=[meeting.pk])).status_code \
        == 302
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    response = client.post(reverse("governance:attendance_add", args=[meeting.pk]),
                           {"capacity": "guest", "status": "present", "guest_name": "Guest"})
    assert response.status_code == 400
    assert "The meeting is cancelled." in html(response)
    assert not Attendance.objects.filter(meeting=meeting).exists()


def test_editing_a_meeting_moves_it_in_the_countrys_time_zone(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    url = reverse("governance:meeting_edit", args=[meeting.pk])
    assert 'value="10:00"' in html(client.get(url))
    response = client.post(url, {"title": meeting.title, "kind": "special", "day": "2031-03-14",
                                 "starts": "14:00", "ends": "15:00", "location": "RCO"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == datetime(2031, 3, 14, 14, tzinfo=ZONE)
    assert (meeting.kind, meeting.location) == ("special", "RCO")


def _attend(client, meeting, person, capacity="member", status="present", **headers):
    return client.post(reverse("governance:attendance_add", args=[meeting.pk]), {
        "capacity": capacity, "status": status, "person": person.pk}, **headers)


def test_g5_quorum_box_updates_after_attendance(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    members = [seat.member for seat in seats()]
    total = len(members)
    required = total // 2 + 1  # G5: more than half
    for person in members[:required - 1]:
        response = _attend(client, meeting, person, **HTMX)
        assert response.status_code == 200
    body = html(response)
    assert "<html" not in body and 'id="quorum"' in body
    assert (f"{required - 1} of {total} member agencies present — quorum is {required}"
            in body)
    assert "<strong>not quorate</strong>" in body
    body = html(_attend(client, meeting, members[required - 1], **HTMX))
    assert f"{required} of {total} member agencies present — quorum is {required}" in body
    assert "<strong>quorate</strong>" in body
    refreshed = html(client.get(reverse("governance:meeting_quorum", args=[meeting.pk])))
    assert f"{required} of {total}" in refreshed
    removed = Attendance.objects.get(meeting=meeting, person=members[required - 1])
    body = html(client.post(reverse("governance:attendance_remove", args=[removed.pk]),
                            **HTMX))
    assert f"{required - 1} of {total} member agencies present" in body
    assert "not quorate" in body


def test_the_meeting_page_follows_the_status_that_attendance_through_htmx_changes(client,
                                                                                 vn_chair):
    meeting = meeting_on(omt(), user("admin"), in_days(-1))  # yesterday, still "scheduled"
    client.force_login(vn_chair)
    cancel = reverse("governance:meeting_cancel", args=[meeting.pk])
    assert cancel in html(client.get(meeting.get_absolute_url()))
    body = html(_attend(client, meeting, seats()[0].member, **HTMX))
    assert Meeting.objects.get(pk=meeting.pk).status == "held"
    # the attendance box, and out of band the status, the meeting's steps and its agenda
    # (a held meeting's agenda no longer changes)
    assert 'id="attendance"' in body and "<html" not in body
    assert '<span class="tag" id="meeting-status" hx-swap-oob="true">Held</span>' in body
    assert 'id="meeting-steps" hx-swap-oob="true"' in body and cancel not in body
    assert 'id="agenda" hx-swap-oob="true"' in body
    assert reverse("governance:agendaitem_add", args=[meeting.pk]) not in body


def test_g5_an_agency_counts_once_whether_its_member_or_alternate_attends(client, vn_chair):
    meeting = new_meeting()
    seat = next(s for s in seats() if s.alternate_id)
    client.force_login(vn_chair)
    assert _attend(client, meeting, seat.member).status_code == 302
    assert _attend(client, meeting, seat.alternate, capacity="alternate").status_code == 302
    page = html(client.get(meeting.get_absolute_url()))
    assert "1 of 12 member agencies present" in page


def test_g5_apologies_do_not_count_towards_the_quorum(client, vn_chair):
    meeting = new_meeting()
    client.force_login(vn_chair)
    _attend(client, meeting, seats()[0].member, status="apologies")
    assert "0 of 12 member agencies present" in html(client.get(meeting.get_absolute_url()))


def test_g5_only_the_omts_members_and_alternates_attend_in_those_capacities(client,
                                                                            vn_chair):
    meeting = new_meeting()
    seat = next(s for s in seats() if s.alternate_id)
    client.force_login(vn_chair)
    # not on the list of members and alternates at all
    outside = _attend(client, meeting, user("vn-csm"))
    assert outside.status_code == 400
    assert "Select a valid choice" in html(outside)
    # an alternate recorded as the member: the action's message, on the person field
    wrong = _attend(client, meeting, seat.alternate, capacity="member", **HTMX)
    assert wrong.status_code == 400
    assert "is not a member of this OMT; record them as a guest." in html(wrong)
    no_one = client.post(reverse("governance:attendance_add", args=[meeting.pk]),
                         {"capacity": "member", "status": "present"})
    assert no_one.status_code == 400 and "Choose the member or alternate" in html(no_one)
    assert not Attendance.objects.filter(meeting=meeting).exists()
    guest = client.post(reverse("governance:attendance_add", args=[meeting.pk]), {
        "capacity": "guest", "status": "present", "guest_name": "Facility manager"})
    assert guest.status_code == 302
    assert "0 of 12 member agencies present" in html(client.get(meeting.get_absolute_url()))


def test_meeting_page_queries_stay_the_same_when_more_rows_exist(client, vn_chair, settings,
                                                                 tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, admin = new_meeting(), user("admin")
    client.force_login(vn_chair)
    url = meeting.get_absolute_url()
    actions.attendance_create(by=admin, data={
        "meeting": meeting, "capacity": "member", "person": seats()[0].member})
    before = count_queries(client, url)
    assert before <= 22
    for index, seat in enumerate(seats()[1:6]):
        actions.attendance_create(by=admin, data={
            "meeting": meeting, "capacity": "member", "person": seat.member})
        item = actions.agenda_item_create(by=admin, data={
            "title": f"Extra item {index}", "presenter": seat.member, "meeting": meeting})
        actions.agenda_paper_create(by=admin, data={
            "item": item, "title": f"Paper {index}",
            "file": SimpleUploadedFile(f"p{index}.txt", b"paper")})
    assert count_queries(client, url) == before


def test_starting_the_minutes_from_the_meeting_page(client, vn_chair):
    meeting = meeting_on(omt(), user("admin"), in_days(-1))
    client.force_login(vn_chair)
    url = reverse("governance:minutes_start", args=[meeting.pk])
    response = client.post(url)
    minutes = Minutes.objects.get(meeting=meeting)
    assert response["Location"] == minutes.get_absolute_url()
    assert minutes.items.count() == 4  # G7: matters by agenda item
    again = client.post(url)
    assert again.status_code == 400 and "This meeting already has minutes." in html(again)


def test_minutes_cannot_be_started_before_the_meeting_on_the_page(client, vn_chair):
    meeting = new_meeting()  # in 2031
    url = reverse("governance:minutes_start", args=[meeting.pk])
    client.force_login(vn_chair)
    assert url not in html(client.get(meeting.get_absolute_url()))
    refused = client.post(url)
    assert refused.status_code == 400
    assert "The minutes are started once the meeting has begun" in html(refused)
    assert not Minutes.objects.filter(meeting=meeting).exists()
