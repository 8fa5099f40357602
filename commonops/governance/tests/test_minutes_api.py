"""The API of minutes (G6, G7): the comment round, read-only final minutes, corrections,
circulation before finalisation, and edit conflicts (409)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from commonops.governance import actions
from commonops.governance.models import Minutes, MinutesComment, MinutesItem
from commonops.governance.tests.helpers import ZONE, api_error, held_meeting_minutes, in_days, user

pytestmark = pytest.mark.django_db


def test_g6_comment_after_the_comment_period_is_refused(api, omt, secretary, fao):
    minutes = held_meeting_minutes(omt, secretary, in_days(-40))
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=timezone.now() - timedelta(days=38))
    item = minutes.items.first()
    response = api(fao).post(f"/api/minutes-items/{item.pk}/comments/", {"text": "Late."})
    assert "comment period ended" in api_error(response, 400)["message"]
    assert not MinutesComment.objects.filter(item=item).exists()


def test_g6_comments_are_taken_only_from_members_while_circulated(
        api, omt, secretary, fao):
    minutes = held_meeting_minutes(omt, secretary, in_days(-2))
    item = minutes.items.first()
    draft = api(fao).post(f"/api/minutes-items/{item.pk}/comments/", {"text": "Early."})
    assert "only while the minutes are circulated" in api_error(draft, 400)["message"]
    actions.minutes_circulate(minutes=minutes, by=secretary)
    staff = api(user("vn-staff")).post(f"/api/minutes-items/{item.pk}/comments/",
                                        {"text": "Not a member."})
    api_error(staff, 403)
    first = api(fao).post(f"/api/minutes-items/{item.pk}/comments/", {"text": "Fine."})
    assert first.status_code == 201
    reply = api(secretary).post(f"/api/minutes-items/{item.pk}/comments/",
                                {"text": "Thanks.", "reply_to": first.json()["id"]})
    assert reply.status_code == 201 and reply.json()["reply_to"] == first.json()["id"]
    listed = api(fao).get(f"/api/minutes-comments/?item={item.pk}").json()
    assert listed["count"] == 2


def test_g6_finalised_minutes_cannot_be_edited(api, viet_nam, secretary):
    minutes = Minutes.objects.filter(country=viet_nam, status="shared").first()
    item = minutes.items.first()
    response = api(secretary).patch(f"/api/minutes-items/{item.pk}/", {
        "revision": item.revision, "discussion": "Rewritten history."})
    assert "read-only" in api_error(response, 400)["message"]
    assert MinutesItem.objects.get(pk=item.pk).discussion == item.discussion
    added = api(secretary).post("/api/minutes-items/", {"minutes": minutes.pk,
                                                        "title": "Afterthought"})
    assert "read-only" in api_error(added, 400)["message"]


def test_g6_a_correction_of_finalised_minutes_is_a_new_version(api, viet_nam, secretary):
    minutes = Minutes.objects.filter(country=viet_nam, status="shared", corrects=None,
                                     correction=None).first()
    response = api(secretary).post(f"/api/minutes/{minutes.pk}/correct/")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == minutes.pk  # the step answers the corrected version
    new = response.json()["correction"]
    assert (new["version"], new["corrects"], new["status"]) == (
        minutes.version + 1, minutes.pk, "draft")
    assert len(new["items"]) == minutes.items.count()
    assert Minutes.objects.get(pk=minutes.pk).status == "shared"
    again = api(secretary).post(f"/api/minutes/{minutes.pk}/correct/")
    assert "already exists" in api_error(again, 400)["message"]


def test_g6_minutes_are_circulated_before_they_are_finalised(api, omt, secretary):
    minutes = held_meeting_minutes(omt, secretary, in_days(-2))
    response = api(secretary).post(f"/api/minutes/{minutes.pk}/finalise/")
    assert "Circulate" in api_error(response, 400)["message"]
    assert "Only finalised" in api_error(
        api(secretary).post(f"/api/minutes/{minutes.pk}/share/"), 400)["message"]


def test_concurrent_edits_of_a_minutes_item_conflict_with_409(api, omt, secretary, vn_chair):
    minutes = held_meeting_minutes(omt, secretary, in_days(-2))
    url = f"/api/minutes-items/{minutes.items.first().pk}/"
    first, second = api(secretary), api(vn_chair)
    opened = first.get(url).json()["revision"]
    assert second.get(url).json()["revision"] == opened

    saved = first.patch(url, {"revision": opened, "discussion": "The secretary's text."})
    assert saved.status_code == 200 and saved.json()["revision"] == opened + 1
    conflict = second.patch(url, {"revision": opened, "discussion": "The chair's text."})
    error = api_error(conflict, 409)
    assert error["code"] == "edit_conflict" and error["fields"] == {}
    assert error["current"]["discussion"] == "The secretary's text."
    assert error["current"]["revision"] == opened + 1
    assert first.get(url).json()["discussion"] == "The secretary's text."

    merged = second.patch(url, {"revision": error["current"]["revision"],
                                "discussion": "The secretary's text. The chair's text."})
    assert merged.status_code == 200 and merged.json()["revision"] == opened + 2


def test_a_minutes_item_is_changed_only_with_the_revision_read(api, omt, secretary):
    minutes = held_meeting_minutes(omt, secretary, in_days(-2))
    item = minutes.items.first()
    response = api(secretary).patch(f"/api/minutes-items/{item.pk}/", {"discussion": "x"})
    assert "revision" in api_error(response, 400)["fields"]
    assert MinutesItem.objects.get(pk=item.pk).revision == item.revision


def test_g6_g12_minutes_are_finalised_after_the_comment_period_by_the_secretariat(
        api, omt, secretary, clock):
    minutes = held_meeting_minutes(omt, secretary, in_days(-2))
    circulated = api(secretary).post(f"/api/minutes/{minutes.pk}/circulate/").json()
    url = f"/api/minutes/{minutes.pk}/finalise/"
    early = api(secretary).post(url)
    assert f"runs until {circulated['comments_until']}" in api_error(early, 400)["message"]
    until = date.fromisoformat(circulated["comments_until"])
    clock.move_to(datetime.combine(until + timedelta(days=1), time(9), tzinfo=ZONE))
    api_error(api(user("vn-cochair")).post(url), 403)
    assert Minutes.objects.get(pk=minutes.pk).status == "circulated"
    finalised = api(secretary).post(url)
    assert finalised.status_code == 200 and finalised.json()["status"] == "finalised"
