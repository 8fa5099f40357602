"""E-mails of OMT governance: the agenda with its iCalendar invitation, circulated and
shared minutes, reminders. Called after the transaction that decided to send them commits.
"""

from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from commonops.core import mail


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def meeting_ics(meeting, recipients) -> bytes:
    """An iCalendar REQUEST for the meeting; the sequence grows each time it is re-sent."""
    calendar = Calendar()
    calendar.add("prodid", "-//CommonOps//OMT meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@commonops")
    event.add("sequence", meeting.ics_sequence)
    event.add("dtstamp", timezone.now().astimezone(dt_timezone.utc))
    event.add("dtstart", meeting.starts_at.astimezone(dt_timezone.utc))
    event.add("dtend", meeting.ends_at.astimezone(dt_timezone.utc))
    event.add("summary", meeting.title)
    if meeting.location:
        event.add("location", meeting.location)
    agenda = "\n".join(str(item) for item in meeting.agenda_items.order_by("position"))
    event.add("description", agenda + "\n\n" + _absolute(meeting.get_absolute_url()))
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = vText(str(meeting.omt.name))
    event["organizer"] = organizer
    for person in recipients:
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = vText(str(person))
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    return calendar.to_ical()


def _send(messages) -> int:
    # Through the outbox: sent by a background task, retried if the mail server fails.
    return mail.deliver([m for m in messages if m.to])


def send_agenda(meeting, recipients) -> int:
    return _send([agenda_message(meeting, recipients)])


def agenda_message(meeting, recipients) -> EmailMessage:
    """G4: the agenda e-mail with its calendar invitation (shown as a preview before it is
    sent)."""
    with translation.override(settings.LANGUAGE_CODE):
        items = "\n".join(f"{item.position}. {item.shown_title}" + (
            f"\n   {item.notes}".replace("\n", "\n   ") if item.notes else "")
            for item in meeting.agenda_items.order_by("position"))
        local = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.country.time_zone))
        body = _("Dear colleagues,\n\nThe agenda of %(title)s on %(when)s (%(place)s):\n\n"
                 "%(items)s\n\nThe meeting and its papers: %(url)s\n") % {
            "title": meeting.title, "when": f"{local:%A %d %B %Y, %H:%M}",
            "place": meeting.location or "—", "items": items,
            "url": _absolute(meeting.get_absolute_url())}
        message = EmailMessage(
            subject=_("OMT agenda: %(title)s") % {"title": meeting.title}, body=body,
            to=[p.email for p in recipients if p.email])
        message.attach("invitation.ics", meeting_ics(meeting, recipients),
                       "text/calendar; method=REQUEST; charset=utf-8")
        return message


def send_minutes_circulated(minutes, recipients) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Dear colleagues,\n\nThe draft minutes of %(meeting)s are circulated for "
                 "comments until %(until)s:\n%(url)s\n") % {
            "meeting": minutes.meeting, "until": f"{minutes.comments_until:%Y-%m-%d}",
            "url": _absolute(minutes.get_absolute_url())}
        return _send([EmailMessage(
            subject=_("OMT minutes for comments: %(meeting)s") % {"meeting": minutes.meeting},
            body=body, to=[p.email for p in recipients if p.email])])


def send_minutes_shared(minutes, recipients) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Dear members of the UNCT,\n\nThe final minutes of %(meeting)s:\n%(url)s\n") % {
            "meeting": minutes.meeting, "url": _absolute(minutes.get_absolute_url())}
        return _send([EmailMessage(
            subject=_("OMT minutes: %(meeting)s") % {"meeting": minutes.meeting}, body=body,
            to=[p.email for p in recipients if p.email])])


def send_reminder(recipient, subject: str, body: str, path: str) -> int:
    with translation.override(settings.LANGUAGE_CODE):
        return _send([EmailMessage(subject=subject, body=body + "\n\n" + _absolute(path),
                                   to=[recipient.email] if recipient.email else [])])
