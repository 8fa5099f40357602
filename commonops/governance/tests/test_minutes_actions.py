"""Minutes as the actions apply the rules (G5, G6, G7): items by agenda item, circulation,
the comment period, finalisation, sharing, corrections, and edits that never overwrite."""

from datetime import date, datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from commonops.governance import actions
from commonops.governance.models import Minutes, MinutesStatus
from commonops.governance.tests.helpers import ZONE, held_meeting_minutes, meeting_on, user

pytestmark = pytest.mark.django_db


def test_g7_minutes_start_with_one_item_per_agenda_item(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    assert minutes.items.count() == 4


def test_g6_circulation_after_seven_days_is_recorded_as_late(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 20, 9, tzinfo=ZONE))
    minutes.refresh_from_db()
    assert minutes.circulated_late
    assert minutes.comments_until == date(2026, 3, 27)


def test_g6_comments_are_taken_during_the_comment_period_only(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=ZONE))
    item = minutes.items.first()
    fao = user("vn-omt-fao")
    actions.minutes_comment_create(by=fao, today=date(2026, 3, 20), data={
        "item": item, "text": "Fine."})
    with pytest.raises(ValidationError, match="comment period ended"):
        actions.minutes_comment_create(by=fao, today=date(2026, 3, 21), data={
            "item": item, "text": "Late."})
    assert item.comments.count() == 1


def test_g6_finalised_minutes_are_read_only_and_a_correction_is_a_new_version(
        omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=ZONE))
    actions.minutes_finalise(minutes=minutes, by=secretary)
    item = minutes.items.first()
    with pytest.raises(ValidationError, match="read-only"):
        actions.minutes_item_update(minutes_item=item, by=secretary, data={
            "discussion": "x", "revision": item.revision})
    correction = actions.minutes_correct(minutes=minutes, by=secretary)
    assert (correction.version, correction.corrects_id, correction.status) == (
        2, minutes.pk, MinutesStatus.DRAFT)
    assert correction.items.count() == minutes.items.count()
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.FINALISED


def test_g6_minutes_are_circulated_before_they_are_finalised(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    with pytest.raises(ValidationError, match="Circulate"):
        actions.minutes_finalise(minutes=minutes, by=secretary)


def test_g6_shared_minutes_reach_the_rc_and_the_unct(omt, secretary,
                                                      django_capture_on_commit_callbacks):
    minutes = held_meeting_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=ZONE))
    actions.minutes_finalise(minutes=minutes, by=secretary)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.minutes_share(minutes=minutes, by=secretary)
    assert set(mail.outbox[-1].to) >= {"vn-rc@commonops.example",
                                      "vn-unct@commonops.example"}


def test_two_people_editing_the_same_item_never_overwrite_each_other(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    item = minutes.items.first()
    opened = item.revision
    actions.minutes_item_update(minutes_item=item, by=secretary, data={
        "discussion": "First version", "revision": opened})
    stale = minutes.items.get(pk=item.pk)
    with pytest.raises(actions.EditConflict) as conflict:
        actions.minutes_item_update(minutes_item=stale, by=user("vn-chair"), data={
            "discussion": "Second version", "revision": opened})
    assert conflict.value.current.discussion == "First version"
    assert minutes.items.get(pk=item.pk).discussion == "First version"


def test_g5_decisions_without_quorum_are_marked(omt, secretary):
    meeting = meeting_on(omt, secretary, day=date(2026, 3, 12))
    minutes = actions.minutes_start(meeting=meeting, by=secretary, now=meeting.ends_at)
    item = minutes.items.first()
    saved = actions.minutes_item_update(minutes_item=item, by=secretary, data={
        "decisions": "Approve the budget.", "revision": item.revision})
    assert saved.without_quorum


def test_g6_a_correction_is_finalised_without_a_second_comment_round(omt, secretary):
    shared = Minutes.objects.filter(meeting__omt=omt, status=MinutesStatus.SHARED,
                                    correction__isnull=True).first()
    correction = actions.minutes_correct(minutes=shared, by=secretary)
    with pytest.raises(ValidationError, match="finalised directly"):
        actions.minutes_circulate(minutes=correction, by=secretary)
    actions.minutes_finalise(minutes=correction, by=secretary)
    assert Minutes.objects.get(pk=correction.pk).status == MinutesStatus.FINALISED


def test_g6_minutes_are_finalised_only_after_the_comment_period_has_closed(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=ZONE))
    assert Minutes.objects.get(pk=minutes.pk).comments_until == date(2026, 3, 20)
    for during in (datetime(2026, 3, 16, 9, tzinfo=ZONE), datetime(2026, 3, 20, 17, tzinfo=ZONE)):
        with pytest.raises(ValidationError, match="comment period runs until 2026-03-20"):
            actions.minutes_finalise(minutes=minutes, by=secretary, now=during)
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.CIRCULATED
    actions.minutes_finalise(minutes=minutes, by=secretary,
                             now=datetime(2026, 3, 23, 9, tzinfo=ZONE))
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.FINALISED


def test_g12_only_the_secretary_or_the_chair_finalises_the_minutes(omt, secretary):
    minutes = held_meeting_minutes(omt, secretary)
    actions.minutes_circulate(minutes=minutes, by=secretary,
                              now=datetime(2026, 3, 13, 9, tzinfo=ZONE))
    after = datetime(2026, 3, 23, 9, tzinfo=ZONE)
    # the co-chair runs the OMT, the administrator may do anything anywhere: neither is the
    # secretariat (G12)
    for other in ("vn-cochair", "admin"):
        with pytest.raises(PermissionDenied):
            actions.minutes_finalise(minutes=minutes, by=user(other), now=after)
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.CIRCULATED
    actions.minutes_finalise(minutes=minutes, by=user("vn-chair"), now=after)
    assert Minutes.objects.get(pk=minutes.pk).finalised_by == user("vn-chair")


def test_minutes_cannot_be_started_before_the_meeting(omt, secretary):
    meeting = meeting_on(omt, secretary, day=date(2027, 3, 11))  # at ten in Ha Noi
    with pytest.raises(ValidationError, match="once the meeting has begun"):
        actions.minutes_start(meeting=meeting, by=secretary,
                              now=datetime(2027, 3, 11, 9, 30, tzinfo=ZONE))
    assert not Minutes.objects.filter(meeting=meeting).exists()
    actions.minutes_start(meeting=meeting, by=secretary,
                          now=datetime(2027, 3, 11, 10, 5, tzinfo=ZONE))
    assert Minutes.objects.filter(meeting=meeting).count() == 1
