"""The minutes pages (G5, G6, G7): the edit conflict, decisions without quorum, actions under
an item, the summary, the comment round and the whole workflow, the PDF."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from commonops.core.testing import count_queries
from commonops.governance import actions, rules
from commonops.governance.models import Action, Minutes, MinutesComment, MinutesItem
from commonops.governance.tests.helpers import (
    ZONE,
    agency,
    as_user,
    draft_minutes,
    html,
    in_days,
    meeting_on,
    omt,
    user,
)

pytestmark = pytest.mark.django_db


def _save_item(client, item, revision, discussion, decisions=""):
    return client.post(reverse("governance:minutesitem_save", args=[item.pk]), {
        "discussion": discussion, "decisions": decisions, "revision": revision})


def test_minutes_edit_conflict_second_save_from_the_same_revision_is_409(client):
    item = draft_minutes().items.order_by("position").first()
    opened_at = item.revision
    first = _save_item(as_user(client, "vn-chair"), item, opened_at, "The chair's text.")
    assert first.status_code == 302
    second = _save_item(as_user(client, "vn-secretary"), item, opened_at,
                        "The secretary's text.")
    assert second.status_code == 409
    item.refresh_from_db()
    assert item.discussion == "The chair's text."  # the first text is kept
    body = html(second)
    assert "Someone else saved this item while you were editing it." in body
    assert "The chair&#x27;s text." in body and "The secretary&#x27;s text." in body
    assert f'name="revision" value="{item.revision}"' in body  # the current one now
    # Having seen both texts, the secretary saves deliberately.
    third = _save_item(client, item, item.revision, "The merged text.")
    assert third.status_code == 302
    item.refresh_from_db()
    assert item.discussion == "The merged text."


def test_g5_decisions_of_a_meeting_without_quorum_are_marked(client, vn_member):
    item = MinutesItem.objects.filter(minutes__meeting__omt=omt(), without_quorum=True).first()
    assert item is not None
    client.force_login(vn_member)
    assert "decided without quorum (G5)" in html(client.get(item.minutes.get_absolute_url()))


def test_g5_saving_decisions_without_quorum_marks_them(client, vn_chair):
    meeting = meeting_on(omt(), user("admin"), in_days(-1))
    actions.minutes_start(meeting=meeting, by=user("admin"))
    item = Minutes.objects.get(meeting=meeting).items.order_by("position")[1]
    client.force_login(vn_chair)
    assert _save_item(client, item, item.revision, "Talked.", "Agreed.").status_code == 302
    item.refresh_from_db()
    assert item.without_quorum  # nobody attended


def test_g7_action_without_owner_or_deadline_is_rejected_on_the_right_field(client,
                                                                            vn_chair):
    item = draft_minutes().items.order_by("position")[1]
    count = Action.objects.count()
    client.force_login(vn_chair)
    url = reverse("governance:minutes_action_add", args=[item.pk])
    response = client.post(url, {"title": "Prepare the tender"})
    assert response.status_code == 400
    row = next(r for r in response.context["rows"] if r["item"].pk == item.pk)
    assert set(row["action_form"].errors) == {"owner_person", "due_on"}
    body = html(response)
    assert "Name the person or the agency responsible (G7)." in body
    assert "Give the deadline (G7)." in body
    both = client.post(url, {"title": "Prepare the tender", "owner_person": user("vn-csm").pk,
                             "owner_agency": agency("UNDP").pk, "due_on": "2031-01-31"})
    assert both.status_code == 400
    assert "owner_agency" in next(r for r in both.context["rows"]
                                  if r["item"].pk == item.pk)["action_form"].errors
    assert Action.objects.count() == count
    done = client.post(url, {"title": "Prepare the tender", "owner_agency": agency("UNDP").pk,
                             "due_on": "2031-01-31"})
    assert done.status_code == 302
    action = Action.objects.get(title="Prepare the tender")
    assert (action.minutes_item, action.meeting) == (item, item.minutes.meeting)


def test_the_summary_of_draft_minutes_is_saved_and_final_minutes_refuse_it(client,
                                                                            vn_chair):
    minutes = draft_minutes()
    client.force_login(vn_chair)
    url = reverse("governance:minutes_summary", args=[minutes.pk])
    assert client.post(url, {"summary": "A short meeting."}).status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).summary == "A short meeting."
    final = Minutes.objects.filter(meeting__omt=omt(), status="finalised").first()
    response = client.post(reverse("governance:minutes_summary", args=[final.pk]),
                           {"summary": "Rewritten"})
    assert response.status_code == 400 and "read-only" in html(response)
    assert Minutes.objects.get(pk=final.pk).summary != "Rewritten"


def test_g6_draft_minutes_show_the_circulation_deadline(client, vn_member):
    minutes = draft_minutes()
    meeting_day = minutes.meeting.starts_at.astimezone(ZONE).date()
    deadline = rules.minutes_circulation_deadline(meeting_day)
    client.force_login(vn_member)
    page = html(client.get(minutes.get_absolute_url()))
    assert f"To be circulated by {date_format(deadline)}" in page
    assert 'name="revision"' not in page  # a member does not edit the draft


def test_g6_late_circulation_is_shown(client, vn_member):
    minutes = Minutes.objects.filter(meeting__omt=omt(), circulated_late=True).first()
    client.force_login(vn_member)
    assert "circulated late" in html(client.get(minutes.get_absolute_url()))


def test_g6_a_draft_cannot_be_finalised_before_circulation(client, vn_chair):
    minutes = draft_minutes()
    client.force_login(vn_chair)
    response = client.post(reverse("governance:minutes_finalise", args=[minutes.pk]))
    assert response.status_code == 400
    assert "Circulate the minutes for comments before finalising (G6)." in html(response)
    assert Minutes.objects.get(pk=minutes.pk).status == "draft"


def test_g6_g12_finalising_waits_for_the_comment_period_and_is_the_secretariats(client,
                                                                                clock):
    minutes = actions.minutes_circulate(minutes=draft_minutes(), by=user("vn-secretary"))
    url = reverse("governance:minutes_finalise", args=[minutes.pk])
    secretary = as_user(client, "vn-secretary")
    assert url not in html(secretary.get(minutes.get_absolute_url()))  # comments are open
    refused = secretary.post(url)
    assert refused.status_code == 400
    assert f"The comment period runs until {minutes.comments_until:%Y-%m-%d}" in html(refused)
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"

    clock.move_to(datetime.combine(minutes.comments_until + timedelta(days=1), time(9),
                                   tzinfo=ZONE))
    secretary = as_user(client, "vn-secretary")  # days later: yesterday's session has expired
    assert url in html(secretary.get(minutes.get_absolute_url()))
    co_chair = as_user(client, "vn-cochair")  # runs the OMT, but is not its secretariat
    assert url not in html(co_chair.get(minutes.get_absolute_url()))
    assert co_chair.post(url).status_code == 403
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"
    assert as_user(client, "vn-secretary").post(url).status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).status == "finalised"


def test_g6_comments_are_taken_only_while_the_minutes_are_circulated(client):
    item = draft_minutes().items.first()
    response = as_user(client, "vn-omt-fao").post(
        reverse("governance:minutes_comment", args=[item.pk]), {"text": "Too early"})
    assert response.status_code == 400
    assert "Comments are taken only while the minutes are circulated." in html(response)
    assert not MinutesComment.objects.filter(item=item).exists()


def test_g6_the_minutes_workflow_circulate_comment_finalise_share_correct(client, clock):
    minutes = draft_minutes()
    item = minutes.items.order_by("position")[1]
    secretary = as_user(client, "vn-secretary")
    assert secretary.post(reverse("governance:minutes_circulate", args=[minutes.pk])) \
        .status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == "circulated" and minutes.comments_until
    page = html(secretary.get(minutes.get_absolute_url()))
    assert "Comments until" in page

    # members and alternates comment, threaded by reply (G6)
    comment_url = reverse("governance:minutes_comment", args=[item.pk])
    member = as_user(client, "vn-omt-fao")
    assert member.post(comment_url, {"text": ""}).status_code == 400
    assert member.post(comment_url, {"text": "Please add FAO's pipeline."}).status_code == 302
    comment = MinutesComment.objects.get(item=item)
    assert as_user(client, "vn-staff").post(comment_url, {"text": "Me too"}).status_code \
        == 403
    secretary = as_user(client, "vn-secretary")
    assert secretary.post(comment_url, {"text": "Added.", "reply_to": comment.pk}) \
        .status_code == 302
    reply = MinutesComment.objects.get(reply_to=comment)
    page = html(secretary.get(minutes.get_absolute_url()))
    assert f'class="depth-1" id="comment-{reply.pk}"' in page

    # once the comment period has closed, finalised minutes are read-only (G6)
    clock.move_to(datetime.combine(minutes.comments_until + timedelta(days=1), time(9),
                                   tzinfo=ZONE))
    secretary = as_user(client, "vn-secretary")  # days later: yesterday's session has expired
    assert secretary.post(reverse("governance:minutes_finalise", args=[minutes.pk])) \
        .status_code == 302
    page = html(secretary.get(minutes.get_absolute_url()))
    assert 'name="revision"' not in page and "Share with the UNCT" in page
    refused = _save_item(secretary, item, item.revision, "Changed after all")
    assert refused.status_code == 400 and "read-only" in html(refused)
    assert MinutesItem.objects.get(pk=item.pk).discussion != "Changed after all"

    assert secretary.post(reverse("governance:minutes_share", args=[minutes.pk])) \
        .status_code == 302
    assert Minutes.objects.get(pk=minutes.pk).status == "shared"

    # a correction is a new version showing what it changes
    response = secretary.post(reverse("governance:minutes_correct", args=[minutes.pk]))
    correction = Minutes.objects.get(corrects=minutes)
    assert response["Location"] == correction.get_absolute_url()
    corrected_item = correction.items.get(position=item.position)
    assert _save_item(secretary, corrected_item, corrected_item.revision,
                      corrected_item.discussion,
                      corrected_item.decisions + "\nFAO shares its pipeline.").status_code \
        == 302
    page = html(secretary.get(correction.get_absolute_url()))
    assert "Changes from version 1" in page
    assert "<ins>FAO shares its pipeline.</ins>" in page
    old = html(secretary.get(minutes.get_absolute_url()))
    assert "Corrected by version 2" in old and "Make a correction" not in old


def test_minutes_page_queries_stay_the_same_when_more_rows_exist(client, vn_chair):
    admin = user("admin")
    minutes = actions.minutes_circulate(minutes=draft_minutes(), by=admin)
    items = list(minutes.items.order_by("position"))
    first = actions.minutes_comment_create(by=user("vn-omt-fao"), data={
        "item": items[0], "text": "One"})
    client.force_login(vn_chair)
    url = minutes.get_absolute_url()
    before = count_queries(client, url)
    assert before <= 24
    for item in items:
        actions.minutes_comment_create(by=user("vn-member"), data={
            "item": item, "text": "More", "reply_to": None})
        actions.minutes_comment_create(by=user("vn-secretary"), data={
            "item": items[0], "text": "Reply", "reply_to": first})
        actions.action_create(by=admin, data={
            "omt": omt(), "title": f"Follow up {item.pk}", "due_on": date(2031, 1, 1),
            "owner_agency": agency("WHO"), "minutes_item": item})
    assert count_queries(client, url) == before


def test_minutes_download_as_pdf_only_for_those_who_see_them(client, vn_member, outsider):
    pytest.importorskip("commonops.governance.pdf")
    minutes = Minutes.objects.filter(meeting__omt=omt(), status="shared").first()
    client.force_login(vn_member)
    response = client.get(reverse("governance:minutes_pdf", args=[minutes.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    client.force_login(outsider)
    assert client.get(reverse("governance:minutes_pdf", args=[minutes.pk])).status_code == 404
