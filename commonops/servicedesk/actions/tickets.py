"""A ticket's life (T1–T5): raised, assigned or taken, answered, moved along its statuses,
merged, rated."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.roles import Perm
from commonops.core.saving import validated_save
from commonops.servicedesk import notifications, rules
from commonops.servicedesk.actions.common import (
    _allocate_number,
    _attach,
    _check_attachments,
    _event,
    _is_agent,
    _is_requester,
    _now,
    _require_agent,
    may_change_status,
    sla_hours,
)
from commonops.servicedesk.models import (
    Agent,
    Category,
    EventKind,
    Rating,
    Status,
    Ticket,
    TicketEvent,
)

# --- T1 raise --------------------------------------------------------------------------------


@audited_action
def ticket_raise(*, country, requester, category: Category, subject: str,
                 description: str = "", priority: str = "P3", agency=None, cc=(),
                 files=(), source: str = "web", now: datetime | None = None, by) -> Ticket:
    """T1: open a ticket, with its number, due times (T2) and an assignee (T3)."""
    access.require(by, Perm.RAISE_TICKETS, country)
    if by.pk != requester.pk:
        _require_agent(by, Ticket(country=country))  # agents raise on someone's behalf
    if category.country_id != country.pk:
        raise ValidationError({"category": _("Choose a category of this country's desk.")})
    agency = agency or requester.agency
    if agency is None:
        raise ValidationError({"agency": _("Say which agency the ticket is for.")})
    _check_attachments(files)
    now = _now(now)
    local_year = now.astimezone(country.calendar(holidays=()).tz).year
    first_hours, resolution_hours = sla_hours(country, priority)
    calendar = country.calendar()
    ticket = Ticket(
        country=country, subject=subject.strip(), description=description,
        requester=requester, agency=agency, category=category, team_id=category.team_id,
        priority=priority, status=Status.NEW, source=source, opened_at=now,
        first_response_due=calendar.add_business_hours(now, first_hours),
        resolution_due=calendar.add_business_hours(now, resolution_hours),
        number="-",
    )
    ticket.full_clean(exclude=["number"])
    ticket.number = _allocate_number(country, local_year)
    ticket.save()
    if cc:
        ticket.cc.set(cc)
    opened = _event(ticket, kind=EventKind.OPENED, by=by, at=now, body=description,
                    to_status=Status.NEW)
    _attach(ticket, files, event=opened)
    _auto_assign(ticket, now=now)
    transaction.on_commit(lambda: notifications.ticket_opened(ticket.pk))
    return ticket


# --- T3 assignment ---------------------------------------------------------------------------


def agent_loads(team_id) -> list[rules.AgentLoad]:
    """The team's agents with their open tickets, in one query."""
    open_in_country = Q(user__desk_assigned__status__in=rules.OPEN_STATUSES,
                        user__desk_assigned__country_id=F("country_id"))
    rows = (Agent.objects.filter(team_id=team_id)
            .annotate(open_tickets=Count("user__desk_assigned", filter=open_in_country))
            .values_list("user_id", "open_tickets", "last_assigned_at", "available"))
    return [rules.AgentLoad(agent_id=user_id, open_tickets=n, last_assigned_at=last,
                            available=available) for user_id, n, last, available in rows]


def _auto_assign(ticket: Ticket, *, now) -> None:
    user_id = rules.pick_assignee(agent_loads(ticket.team_id))
    if user_id is None:
        return  # nobody available: the ticket waits in the team queue
    _set_assignee(ticket, user_id=user_id, now=now, by=None)


def _set_assignee(ticket, *, user_id, now, by, note=""):
    previous = ticket.status
    ticket.assignee_id = user_id
    if ticket.status in (Status.NEW, Status.REOPENED):
        ticket.status = Status.ASSIGNED
    ticket.version += 1
    ticket.save()
    Agent.objects.filter(team_id=ticket.team_id, user_id=user_id).update(last_assigned_at=now)
    from commonops.core.models import User

    name = str(User.objects.get(pk=user_id))
    _event(ticket, kind=EventKind.ASSIGNED, by=by, at=now,
           body=note or _("Assigned to %(agent)s.") % {"agent": name},
           from_status=previous if previous != ticket.status else "",
           to_status=ticket.status if previous != ticket.status else "")


@audited_action
def ticket_take(*, ticket: Ticket, by, now: datetime | None = None) -> Ticket:
    """T3: an agent takes an unassigned ticket. Two agents taking it at once: the
    conditional UPDATE … WHERE assignee IS NULL lets exactly one of them win."""
    _require_agent(by, ticket)
    now = _now(now)
    won = Ticket.objects.filter(pk=ticket.pk, assignee__isnull=True).update(
        assignee_id=by.pk, version=F("version") + 1)
    if not won:
        holder = Ticket.objects.filter(pk=ticket.pk).values_list(
            "assignee__username", flat=True).first()
        raise ValidationError(_("%(agent)s has already taken this ticket.") % {
            "agent": holder or _("Someone")})
    ticket.refresh_from_db()
    previous = ticket.status
    if ticket.status in (Status.NEW, Status.REOPENED):
        ticket.status = Status.ASSIGNED
        ticket.save()
    Agent.objects.filter(team_id=ticket.team_id, user_id=by.pk).update(last_assigned_at=now)
    _event(ticket, kind=EventKind.ASSIGNED, by=by, at=now,
           body=_("Taken by %(agent)s.") % {"agent": by},
           from_status=previous if previous != ticket.status else "",
           to_status=ticket.status if previous != ticket.status else "")
    return ticket


@audited_action
def ticket_assign(*, ticket: Ticket, assignee, by, now: datetime | None = None) -> Ticket:
    """T3: manual reassignment to any agent of the country's desk."""
    _require_agent(by, ticket)
    if not Agent.objects.filter(country_id=ticket.country_id, user=assignee).exists():
        raise ValidationError({"assignee": _("%(person)s is not an agent of this desk.") % {
            "person": assignee}})
    if not ticket.is_open:
        raise ValidationError(_("A resolved or closed ticket is not reassigned."))
    _set_assignee(ticket, user_id=assignee.pk, now=_now(now), by=by)
    transaction.on_commit(lambda: notifications.ticket_assigned(ticket.pk))
    return ticket


@audited_action
def agent_set_available(*, agent: Agent, available: bool, by) -> Agent:
    """T3: agents mark themselves away (or back); a desk manager may do it for them."""
    if agent.user_id != by.pk:
        access.require(by, Perm.MANAGE_DESK, agent.country_id)
    agent.available = available
    return validated_save(agent)


# --- T1/T2/T4 conversation and status --------------------------------------------------------


def _check_version(ticket, expected_version):
    if expected_version is not None and int(expected_version) != ticket.version:
        raise ValidationError(_("Someone else changed this ticket since you opened it; "
                                "reload it and try again."))


@audited_action
def ticket_reply(*, ticket: Ticket, body: str, public: bool = True, files=(), by,
                 now: datetime | None = None) -> TicketEvent:
    """T1: a public reply (requester or agent) or an internal note (agents only)."""
    now = _now(now)
    is_requester = _is_requester(by, ticket)
    agent = _is_agent(by, ticket)
    if not agent and not (is_requester and public):
        raise PermissionDenied(_("You may not reply to this ticket."))
    if not body.strip():
        raise ValidationError({"body": _("Write something.")})
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("This ticket is closed; raise a new one."))
    _check_attachments(files)
    event = _event(ticket, kind=EventKind.REPLY if public else EventKind.NOTE, by=by, at=now,
                   body=body.strip(), public=public)
    _attach(ticket, files, event=event, public=public)
    if public and agent and by.pk != ticket.requester_id and ticket.first_responded_at is None:
        ticket.first_responded_at = now
        ticket.first_response_met = now <= ticket.first_response_due
        ticket.version += 1
        ticket.save()
    if public and not agent and ticket.status == Status.WAITING:
        # T2: the requester answered: the clock runs again
        _move(ticket, Status.IN_PROGRESS, by=by, now=now)
    if public:
        transaction.on_commit(lambda: notifications.ticket_replied(event.pk))
    return event


def _move(ticket: Ticket, status: str, *, by, now, note: str = "") -> None:
    previous = ticket.status
    if not rules.can_move(previous, status):
        raise ValidationError({"status": _("A ticket cannot go from “%(from)s” to “%(to)s”.")
                               % {"from": ticket.get_status_display(),
                                  "to": Status(status).label}})
    calendar = ticket.country.calendar()
    if previous == Status.WAITING and ticket.paused_at is not None:
        # T2: time waiting on the requester does not count: due times move by it
        paused = calendar.business_hours_between(ticket.paused_at, now)
        ticket.paused_hours += paused
        if ticket.first_responded_at is None:
            ticket.first_response_due = calendar.add_business_hours(
                ticket.first_response_due, paused)
        ticket.resolution_due = calendar.add_business_hours(ticket.resolution_due, paused)
        ticket.paused_at = None
    if status == Status.WAITING:
        ticket.paused_at = now
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        ticket.resolution_met = now <= ticket.resolution_due
        ticket.business_hours_to_resolve = round(max(
            0.0, calendar.business_hours_between(ticket.opened_at, now)
            - ticket.paused_hours), 4)
        if ticket.first_responded_at is None:
            ticket.first_responded_at = now
            ticket.first_response_met = now <= ticket.first_response_due
    if status == Status.CLOSED:
        ticket.closed_at = now
        if ticket.resolved_at is None:
            ticket.resolved_at = now
    if status == Status.REOPENED:
        ticket.reopen_count += 1
        ticket.resolved_at = None
        ticket.closed_at = None
        ticket.resolution_met = None
        ticket.business_hours_to_resolve = None
    ticket.status = status
    ticket.version += 1
    ticket.save()
    _event(ticket, kind=EventKind.STATUS, by=by, at=now, body=note, from_status=previous,
           to_status=status)
    transaction.on_commit(lambda: notifications.status_changed(ticket.pk, previous))


@audited_action
def ticket_change_status(*, ticket: Ticket, status: str, by, note: str = "",
                         expected_version=None, now: datetime | None = None) -> Ticket:
    """T1/T4: move a ticket along the allowed transitions. Agents move it anywhere allowed;
    the requester may only close or reopen a resolved ticket."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    _check_version(ticket, expected_version)
    if status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if not may_change_status(by, ticket):
        raise PermissionDenied(_("Only service-desk agents may change this ticket's status."))
    _move(ticket, status, by=by, now=_now(now), note=note)
    return ticket


@audited_action
def ticket_triage(*, ticket: Ticket, by, category=None, priority=None,
                  now: datetime | None = None) -> Ticket:
    """An agent corrects the category or priority; due times follow the new priority (T2)."""
    _require_agent(by, ticket)
    now = _now(now)
    if category is not None and category.country_id != ticket.country_id:
        raise ValidationError({"category": _("Choose a category of this country's desk.")})
    changes = []
    if category is not None and category.pk != ticket.category_id:
        ticket.category = category
        ticket.team_id = category.team_id
        changes.append(_("category: %(value)s") % {"value": category})
    if priority is not None and priority != ticket.priority:
        ticket.priority = priority
        first, resolution = sla_hours(ticket.country, priority)
        calendar = ticket.country.calendar()
        # T2: due times are stored again when the priority changes, from the opening,
        # plus the time already spent waiting on the requester
        ticket.first_response_due = calendar.add_business_hours(
            ticket.opened_at, first + Decimal(str(ticket.paused_hours)))
        ticket.resolution_due = calendar.add_business_hours(
            ticket.opened_at, resolution + Decimal(str(ticket.paused_hours)))
        changes.append(_("priority: %(value)s") % {"value": priority})
    if changes:
        ticket.version += 1
        validated_save(ticket)
        _event(ticket, kind=EventKind.NOTE, by=by, at=now, public=False,
               body="; ".join(str(c) for c in changes))
    return ticket


@audited_action
def ticket_merge(*, ticket: Ticket, into: Ticket, by, now: datetime | None = None) -> Ticket:
    """T1: close a duplicate into the ticket that stays open."""
    _require_agent(by, ticket)
    now = _now(now)
    if into.pk == ticket.pk or into.country_id != ticket.country_id:
        raise ValidationError({"into": _("Choose another ticket of the same desk.")})
    if into.merged_into_id is not None:
        raise ValidationError({"into": _("That ticket is itself merged into another one.")})
    if ticket.status == Status.CLOSED:
        raise ValidationError(_("This ticket is already closed."))
    ticket.merged_into = into
    _move(ticket, Status.CLOSED, by=by, now=now,
          note=_("Duplicate of %(number)s.") % {"number": into.number})
    _event(into, kind=EventKind.MERGED, by=by, at=now,
           body=_("%(number)s was merged into this ticket.") % {"number": ticket.number})
    return ticket


# --- T5 satisfaction -------------------------------------------------------------------------


@audited_action
def ticket_rate(*, ticket: Ticket, score: int, comment: str = "", by,
                now: datetime | None = None) -> Rating:
    """T5: the requester's one rating of a resolved ticket; 1–2 opens a conversation with
    the team lead (notified, and recorded in the timeline)."""
    now = _now(now)
    if by.pk != ticket.requester_id:
        raise PermissionDenied(_("Only the requester may rate this ticket."))
    if ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError(_("A ticket is rated once it is resolved."))
    try:
        score = int(score)
    except (TypeError, ValueError):
        raise ValidationError({"score": _("Give a score from 1 to 5.")}) from None
    if score not in rules.RATING_SCORES:
        raise ValidationError({"score": _("Give a score from 1 to 5.")})
    if Rating.objects.filter(ticket=ticket).exists():
        raise ValidationError(_("This ticket has already been rated."))
    rating = Rating(ticket=ticket, country_id=ticket.country_id, score=score,
                    comment=comment.strip(), rated_at=now)
    rating.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:  # a second answer sent at the same moment
        raise ValidationError(_("This ticket has already been rated.")) from None
    _event(ticket, kind=EventKind.RATING, by=by, at=now,
           body=f"{score}/5" + (f" — {rating.comment}" if rating.comment else ""))
    if rules.is_low_rating(score):
        lead = ticket.team.lead
        _event(ticket, kind=EventKind.REPLY, by=None, at=now, body=_(
            "The rating was low: %(lead)s, the team lead, will contact you about it.")
            % {"lead": lead or _("the team lead")})
        transaction.on_commit(lambda: notifications.low_rating(rating.pk))
    return rating
