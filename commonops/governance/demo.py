"""Demo data for OMT governance: Viet Nam's OMT with a year of meetings.

Twelve member agencies (two without an alternate, G1), a chair rotation decided by the UNCT
(G2), two task forces (G10), a meeting each month but one (G3), one agenda sent late (G4),
one meeting without quorum (G5), minutes in every state including a correction (G6), actions
open, due, overdue and done (G7), and escalations to the UNCT (G11). Dates are relative to
the day the demo is loaded. Runs once: when Viet Nam already has an OMT it does nothing.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.test.utils import override_settings
from django.utils import timezone

from commonops.core.demo import VIET_NAM_RESIDENT, _slug
from commonops.core.models import Agency, Country, User
from commonops.governance import actions
from commonops.governance.models import AttendanceCapacity, Omt

MEMBER_OF = {"UNDP": "vn-chair", "UNICEF": "vn-cochair", "WHO": "vn-member"}
WITHOUT_ALTERNATE = {"UNIDO", "UN-Habitat"}


def _second_thursday(year: int, month: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 7)


def _months_back(today: date, count: int) -> list[tuple[int, int]]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return list(reversed(months))


def seed(stdout=None) -> None:
    viet_nam = Country.objects.filter(iso_code="VN").first()
    if viet_nam is None or Omt.objects.filter(country=viet_nam).exists():
        return
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        _seed_viet_nam(viet_nam)
    if stdout is not None:
        stdout.write("  governance: Viet Nam's OMT with a year of meetings")


def _seed_viet_nam(country: Country) -> None:
    admin = User.objects.get(username="admin")
    zone = ZoneInfo(country.time_zone)
    today = timezone.localdate()
    people = {u.username: u for u in User.objects.filter(username__startswith="vn-")}
    agencies = {a.acronym: a for a in Agency.objects.filter(acronym__in=VIET_NAM_RESIDENT)}

    omt = actions.omt_create(country=country, by=admin, data={
        "secretary": people["vn-secretary"], "me_focal_point": people["vn-me"],
        "default_location": "Green One UN House, 304 Kim Ma, Ha Noi — meeting room 1"})
    since = date(today.year - 2, 1, 15)
    for acronym in VIET_NAM_RESIDENT:
        slug = _slug(acronym)
        member = people[MEMBER_OF.get(acronym, f"vn-omt-{slug}")]
        alternate = None if acronym in WITHOUT_ALTERNATE else people[f"vn-alt-{slug}"]
        actions.membership_save(omt=omt, by=admin, today=today, data={
            "agency": agencies[acronym], "member": member, "alternate": alternate,
            "since": since})

    # G2: chair rotation by UNCT decision, one term a calendar year.
    last_year = today.year - 1
    for year, chair, co_chair in ((last_year, ("UNICEF", "vn-cochair"), ("WHO", "vn-member")),
                                  (today.year, ("UNDP", "vn-chair"), ("UNICEF", "vn-cochair"))):
        decision = actions.unct_decision_record(
            country=country, by=admin, kind="chair_rotation", decided_on=date(year - 1, 12, 5),
            subject=f"OMT chair and co-chair for {year}",
            text=f"The UNCT entrusts the OMT chair for {year} to {chair[0]} and the co-chair "
                 f"to {co_chair[0]}.")
        for role, (acronym, username) in (("chair", chair), ("co_chair", co_chair)):
            actions.chair_term_record(omt=omt, by=admin, role=role, agency=agencies[acronym],
                                      person=people[username], starts_on=date(year, 1, 1),
                                      decision=decision, today=today)

    # G10: two task forces.
    premises = actions.task_force_save(omt=omt, by=admin, data={
        "name": "Common Premises Task Force", "service_line": "administration",
        "coordinating_agency": agencies["UNDP"], "chair": people["vn-csm"],
        "mandate": "Prepare the renewal of the Green One UN House facility-management "
                   "contract and the floor-area cost-sharing key.",
        "starts_on": date(today.year, 2, 1), "ends_on": date(today.year + 1, 6, 30)})
    ict = actions.task_force_save(omt=omt, by=admin, data={
        "name": "ICT Working Group", "service_line": "ict",
        "coordinating_agency": agencies["UNICEF"], "chair": people["vn-sdm"],
        "mandate": "Run the common service desk and prepare the shared connectivity tender.",
        "starts_on": date(today.year - 1, 9, 1), "ends_on": date(today.year + 1, 3, 31)})
    for task_force, usernames in ((premises, ["vn-csm", "vn-member", "vn-omt-fao"]),
                                  (ict, ["vn-sdm", "vn-agent1", "vn-alt-unicef"])):
        for username in usernames:
            actions.task_force_member_add(task_force=task_force, by=admin,
                                          person=people[username])

    months = _months_back(today, 12)
    skipped = months[-5]  # G3: one month without a meeting
    held = []
    for index, (year, month) in enumerate(months):
        if (year, month) == skipped:
            continue
        day = _second_thursday(year, month)
        kind = "retreat" if month == 12 else "regular"
        start = datetime.combine(day, time(10), tzinfo=zone)
        meeting = actions.meeting_schedule(
            omt=omt, by=admin, kind=kind, starts_at=start, ends_at=start + timedelta(hours=2),
            title=("OMT year-end retreat" if kind == "retreat" else "OMT monthly meeting")
            + f" — {day:%B %Y}")
        if day > today:
            continue  # this month's meeting is still to come
        # G4: on time five working days ahead, except one sent the day before.
        late = index == len(months) - 4
        sent_day = country.calendar().add_working_days(day, -1 if late else -5)
        actions.agenda_send(meeting=meeting, by=admin,
                            now=datetime.combine(sent_day, time(9), tzinfo=zone))
        _attend(meeting, omt, admin, without_quorum=(index == len(months) - 6))
        held.append(meeting)

    for position, meeting in enumerate(held):
        _minutes(meeting, omt, admin, people, agencies, state_from_end=len(held) - position,
                 today=today, zone=zone)

    # An upcoming meeting whose agenda is still to be sent.
    next_month = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    day = _second_thursday(next_month.year, next_month.month)
    if all(m.starts_at.date() != day for m in omt.meetings.all()):
        start = datetime.combine(day, time(10), tzinfo=zone)
        actions.meeting_schedule(omt=omt, by=admin, starts_at=start,
                                 ends_at=start + timedelta(hours=2),
                                 kind="retreat" if next_month.month == 12 else "regular",
                                 title=f"OMT meeting — {day:%B %Y}")

    # G11: one escalation decided by the UNCT, one awaiting it.
    decided = actions.escalation_raise(
        omt=omt, by=people["vn-omt-fao"], subject="Cost-sharing key for security services",
        positions="FAO and UNIDO ask for a headcount key; UNDP and UNICEF prefer floor area.")
    actions.escalation_decide(escalation=decided, by=people["vn-rc"],
                              decided_on=today - timedelta(days=40),
                              text="Use the floor-area key from next January; review in a year.")
    actions.escalation_raise(
        omt=omt, by=people["vn-cochair"], subject="Opening hours of the common clinic",
        positions="Agencies with field staff ask for Saturday hours; the clinic's provider "
                  "asks for extra budget.")


def _attend(meeting, omt, admin, *, without_quorum: bool) -> None:
    memberships = list(omt.memberships.select_related("member", "alternate").order_by("pk"))
    count = 5 if without_quorum else 9 + meeting.pk % 3
    for position, seat in enumerate(memberships):
        if position >= count:
            actions.attendance_record(meeting=meeting, by=admin, capacity="member",
                                      status="apologies", person=seat.member)
            continue
        use_alternate = seat.alternate is not None and position % 4 == 3
        actions.attendance_record(
            meeting=meeting, by=admin,
            capacity=AttendanceCapacity.ALTERNATE if use_alternate else "member",
            person=seat.alternate if use_alternate else seat.member)
    actions.attendance_record(meeting=meeting, by=admin, capacity="guest",
                              guest_name="Facility manager, Green One UN House")


def _minutes(meeting, omt, admin, people, agencies, *, state_from_end, today, zone):
    """The last held meeting has draft minutes, the one before circulated minutes, the one
    before that finalised ones; older minutes are shared with the UNCT."""

    minutes = actions.minutes_start(meeting=meeting, by=admin)
    day = meeting.starts_at.astimezone(zone).date()
    for item in minutes.items.order_by("position"):
        decisions = ""
        if item.position == 2:
            decisions = "The OMT takes note of work-plan progress and asks task forces to " \
                        "report their KPIs at the next meeting."
        actions.minutes_item_save(item=item, by=admin, revision=item.revision, data={
            "discussion": f"Discussion of “{item.title}”.", "decisions": decisions})
    work_plan = minutes.items.get(position=2)
    owners = [("person", people["vn-csm"]), ("agency", agencies["UNICEF"]),
              ("person", people["vn-member"])]
    for offset, (kind, owner) in enumerate(owners[: 1 + meeting.pk % 3]):
        due = day + timedelta(days=21 + 10 * offset)
        action = actions.action_create(
            omt=omt, by=admin, minutes_item=work_plan,
            title=f"Follow up on the {meeting.starts_at:%B} work-plan review, point {offset + 1}",
            due_on=due,
            owner_person=owner if kind == "person" else None,
            owner_agency=owner if kind == "agency" else None)
        if due < today - timedelta(days=30) and offset != 1:
            actions.action_complete(action=action, by=admin, note="Done as agreed.",
                                    today=due - timedelta(days=2))
    if state_from_end == 1:
        return  # draft
    circulate_at = datetime.combine(
        day + timedelta(days=6 if state_from_end > 2 else 8), time(15), tzinfo=zone)
    if state_from_end == 2:
        circulate_at = min(circulate_at, timezone.now() - timedelta(days=1))
    actions.minutes_circulate(minutes=minutes, by=admin, now=circulate_at)
    if state_from_end == 2:
        item = minutes.items.get(position=2)
        comment = actions.minutes_comment(
            item=item, by=people["vn-omt-fao"], today=circulate_at.date(),
            text="Please add that FAO will share its procurement pipeline.")
        actions.minutes_comment(item=item, by=people["vn-secretary"], reply_to=comment,
                                today=circulate_at.date(), text="Added to the decisions.")
        return
    finalised_at = circulate_at + timedelta(days=7)
    actions.minutes_finalise(minutes=minutes, by=admin, now=finalised_at)
    if state_from_end == 3:
        return
    actions.minutes_share(minutes=minutes, by=admin, now=finalised_at + timedelta(days=1))
    if state_from_end == 6:
        correction = actions.minutes_correct(minutes=minutes, by=admin)
        item = correction.items.get(position=2)
        actions.minutes_item_save(item=item, by=admin, revision=item.revision, data={
            "discussion": item.discussion,
            "decisions": item.decisions + "\nThe next retreat is moved to the second week of "
                         "December."})
