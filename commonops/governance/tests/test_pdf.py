"""The minutes as PDF: the standard template with items, decisions and actions (G7).

`pdf_text` reads the text back from the PDF reportlab writes: it decodes the page streams
and maps each string through its font (the ToUnicode table of an embedded TrueType subset,
WinAnsi for Helvetica). Enough for these documents, not a general PDF reader.
"""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.formats import date_format

from commonops.core import pdf as core_pdf
from commonops.core.models import Agency, User
from commonops.core.testing import pdf_text
from commonops.governance import actions, pdf, queries
from commonops.governance.models import Minutes, MinutesStatus

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


# --- the documents --------------------------------------------------------------------------


@pytest.fixture
def latest_shared(db, viet_nam):
    """The most recent minutes of Viet Nam's OMT shared with the UNCT (from the demo)."""
    return Minutes.objects.filter(country=viet_nam, status=MinutesStatus.SHARED).order_by(
        "-meeting__starts_at", "-version").first()


@pytest.fixture
def without_quorum(db, viet_nam, admin_user):
    """Minutes of a meeting in Tết week that only two agencies attended: its decision was
    taken without quorum (G5). Written in the languages of the country team."""
    omt = queries.omt_of(viet_nam)
    people = {u.username: u for u in User.objects.filter(username__startswith="vn-")}
    start = datetime.combine(date(2027, 2, 3), time(10), tzinfo=HANOI)
    meeting = actions.meeting_schedule(
        omt=omt, by=admin_user, title="Họp OMT trước Tết", starts_at=start,
        ends_at=start + timedelta(hours=2), location="Phòng họp 1, Hà Nội")
    actions.attendance_record(meeting=meeting, by=admin_user, capacity="member",
                              person=people["vn-chair"])
    actions.attendance_record(meeting=meeting, by=admin_user, capacity="alternate",
                              person=people["vn-alt-unicef"])
    actions.attendance_record(meeting=meeting, by=admin_user, capacity="member",
                              status="apologies", person=people["vn-member"])
    actions.attendance_record(meeting=meeting, by=admin_user, capacity="guest",
                              person=people["vn-unct"])
    minutes = actions.minutes_start(meeting=meeting, by=admin_user)
    quorate = queries.quorum(meeting).quorate
    assert not quorate
    item = minutes.items.get(position=2)
    actions.minutes_item_save(item=item, by=admin_user, revision=item.revision,
                              data={
                                  "discussion": "Ana García presents the café contract "
                                                "(prix négocié).",
                                  "decisions": "The OMT renews the café contract for 2027."})
    actions.action_create(omt=omt, by=admin_user, minutes_item=item, due_on=date(2027, 2, 26),
                          title="Sign the café contract renewal", owner_person=people["vn-csm"])
    actions.action_create(omt=omt, by=admin_user, minutes_item=item, due_on=date(2027, 3, 12),
                          title="Collect the agencies' shares for Tết bonuses",
                          owner_agency=Agency.objects.get(acronym="UNICEF"))
    return minutes


@pytest.fixture
def helvetica_only(monkeypatch, tmp_path):
    """As on a system without DejaVu Sans."""
    monkeypatch.setattr(core_pdf, "FONT_PATH", tmp_path / "DejaVuSans.ttf")


# --- the tests ------------------------------------------------------------------------------


def test_the_minutes_are_an_a4_pdf_with_numbered_pages(latest_shared):
    data = pdf.minutes_pdf(latest_shared)

    assert data.startswith(b"%PDF-")
    assert 2_000 < len(data) < 500_000
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4
    text = pdf_text(data)
    pages = len(re.findall(rb"/Type /Page(?!s)", data))
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text


def test_a_shared_minutes_of_the_demo_holds_its_items_decisions_actions_and_owners(
        latest_shared):
    meeting = latest_shared.meeting
    text = pdf_text(pdf.minutes_pdf(latest_shared))

    assert "Minutes: " + meeting.title in text
    assert "Operations Management Team — Viet Nam" in text
    assert meeting.location in text
    assert f"Version {latest_shared.version} — Shared with the UNCT" in text
    # The demo's attendance varies with the day it was generated: read what it holds.
    quorum = queries.quorum(meeting)
    result = "met" if quorum.quorate else "not met"
    assert (f"{quorum.present} of {quorum.member_count} member agencies present; "
            f"quorum {quorum.required}: {result}") in text
    items = list(latest_shared.items.order_by("position"))
    assert len(items) >= 4
    positions = [text.index(f"{item.position}. {item.title}") for item in items]
    assert positions == sorted(positions)  # in agenda order
    for item in items:
        assert item.discussion in text
        if item.decisions:
            assert item.decisions in text
    work_plan_actions = list(items[1].actions.select_related("owner_person", "owner_agency"))
    assert work_plan_actions
    for action in work_plan_actions:
        assert action.title in text
        assert str(action.owner) in text
        assert date_format(action.due_on) in text


def test_the_attendance_lists_members_by_agency_apologies_and_guests(latest_shared):
    text = pdf_text(pdf.minutes_pdf(latest_shared))

    assert "Agency Present As" in text
    assert "UNDP Minh Nguyen Member" in text
    assert "Guests: Facility manager, Green One UN House" in text


def test_decisions_taken_without_quorum_are_marked(without_quorum):
    text = pdf_text(pdf.minutes_pdf(without_quorum))

    assert "2 of 12 member agencies present; quorum 7: not met" in text
    assert "Decided without quorum (G5)" in text
    assert text.index("Decided without quorum") < text.index("renews the café contract")
    assert "Apologies: Hoa Tran (WHO)" in text
    assert "Guests: Ana García (WHO)" in text
    assert "Sign the café contract renewal Thu Vo 26 Feb 2027 Open" in text
    assert "UNICEF 12 Mar 2027 Open" in text


def test_letters_beyond_latin_1_are_drawn_with_dejavu_sans(without_quorum):
    data = pdf.minutes_pdf(without_quorum)
    text = pdf_text(data)

    if core_pdf.FONT_PATH.is_file():
        assert b"+DejaVuSans" in data  # embedded, as a subset
        assert "Minutes: Họp OMT trước Tết" in text
        assert "Phòng họp 1, Hà Nội" in text
    else:  # no DejaVu here: what Helvetica can show (see the next test)
        assert "Minutes: Hop OMT truóc Têt" in text
    assert "Ana García presents the café contract (prix négocié)." in text


def test_without_dejavu_helvetica_keeps_what_it_can_of_each_letter(without_quorum,
                                                                     helvetica_only):
    data = pdf.minutes_pdf(without_quorum)
    text = pdf_text(data)

    assert b"DejaVu" not in data and b"/BaseFont /Helvetica" in data
    # "ọ", "ư", "ớ", "ộ" and "ế" are not in WinAnsi: they keep the accents that fit.
    assert "Minutes: Hop OMT truóc Têt" in text
    assert "Phòng hop 1, Hà Nôi" in text
    assert "Ana García presents the café contract (prix négocié)." in text


def test_latin_fallback_keeps_western_letters_and_drops_only_missing_accents():
    assert core_pdf.latin_fallback("García, é, “quoted” — ok") == "García, é, “quoted” — ok"
    assert core_pdf.latin_fallback("Tết Nguyên Đán, đi") == "Têt Nguyên Ðán, di"
    assert core_pdf.latin_fallback("日本") == "??"


def test_a_correction_says_which_version_it_corrects(db, viet_nam):
    correction = Minutes.objects.filter(country=viet_nam, corrects__isnull=False).first()

    text = pdf_text(pdf.minutes_pdf(correction))

    assert (f"Version {correction.version}, correcting version {correction.version - 1}"
            in text)
    assert "The next retreat is moved to the second week of December." in text


def test_late_agenda_and_late_circulation_are_noted(without_quorum, admin_user):
    meeting = without_quorum.meeting
    # G4: sent the day before the meeting; G6: circulated nine days after it.
    actions.agenda_send(meeting=meeting, by=admin_user, now=meeting.starts_at - timedelta(days=1))
    actions.minutes_circulate(minutes=without_quorum, by=admin_user,
                              now=meeting.starts_at + timedelta(days=9))

    text = pdf_text(pdf.minutes_pdf(without_quorum))

    assert "The agenda was sent late" in text
    assert "The draft minutes were circulated late" in text
    assert "circulated on 12 Feb 2027 for comments until" in text


def test_minutes_on_time_carry_no_late_notes(db, viet_nam):
    on_time = Minutes.objects.filter(country=viet_nam, status=MinutesStatus.SHARED,
                                     circulated_late=False, meeting__agenda_late=False).first()

    text = pdf_text(pdf.minutes_pdf(on_time))

    assert "sent late" not in text and "circulated late" not in text


def test_the_queries_do_not_grow_with_items_and_actions(without_quorum, admin_user):
    with CaptureQueriesContext(connection) as few:
        pdf.minutes_pdf(without_quorum)
    omt = without_quorum.meeting.omt
    for number in range(5):
        item = actions.minutes_item_add(minutes=without_quorum, by=admin_user,
                                        title=f"Extra item {number}")
        actions.action_create(omt=omt, by=admin_user, minutes_item=item, title="Follow up",
                              due_on=date(2027, 3, 1), owner_person=admin_user)
        actions.action_create(omt=omt, by=admin_user, minutes_item=item, title="Report",
                              due_on=date(2027, 3, 2), owner_agency=Agency.objects.first())

    with CaptureQueriesContext(connection) as many:
        data = pdf.minutes_pdf(without_quorum)

    assert "Extra item 4" in pdf_text(data)
    assert len(many) == len(few) <= 8
