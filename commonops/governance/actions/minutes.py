"""Minutes (G5, G6, G7, G12): items with discussion and decisions, the comment round,
finalisation, sharing with the UNCT, corrections as new versions."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from commonops.core import access
from commonops.core.audit import audited_action
from commonops.core.models import User
from commonops.core.roles import Perm, Role
from commonops.core.saving import apply_fields, validated_save
from commonops.governance import notifications, queries, rules
from commonops.governance.actions.common import EditConflict, require, without_fixed
from commonops.governance.models import Minutes, MinutesComment, MinutesItem, MinutesStatus


def check_editable(minutes: Minutes) -> None:
    """Final minutes are read-only (G6), and so is what hangs off them (an item's actions).
    The state is read from the database: the caller's object may predate a change."""
    if Minutes.objects.only("status").get(pk=minutes.pk).is_read_only:
        raise ValidationError(_("Finalised minutes are read-only; make a correction instead "
                                "(G6)."))


@audited_action
def minutes_update(*, minutes: Minutes, by, data: dict) -> Minutes:
    """Change the summary of minutes that are not final."""
    require(by, Perm.GOVERN, minutes.country_id)
    check_editable(minutes)
    return validated_save(minutes, {"summary": data.get("summary", minutes.summary)})


@audited_action
def minutes_item_create(*, by, data: dict) -> MinutesItem:
    """An item added after the agenda's, at the end, while the minutes are not final."""
    minutes = data["minutes"]
    require(by, Perm.GOVERN, minutes.country_id)
    check_editable(minutes)
    last = minutes.items.order_by("-position").values_list("position", flat=True).first() or 0
    item = MinutesItem(country_id=minutes.country_id, position=last + 1)
    apply_fields(item, {name: value for name, value in data.items() if name != "revision"})
    _mark_without_quorum(item)
    return validated_save(item)


def _mark_without_quorum(item: MinutesItem) -> None:
    # G5: decisions recorded for a meeting without quorum are marked, from the attendance.
    quorate = queries.quorum(Minutes.objects.get(pk=item.minutes_id).meeting).quorate
    item.without_quorum = bool(item.decisions.strip()) and not quorate


@audited_action
def minutes_item_update(*, minutes_item: MinutesItem, by, data: dict) -> MinutesItem:
    """Save an item's title, discussion and decisions. `data["revision"]` is the item's
    revision when the text was read: when someone else saved the item since, EditConflict
    refuses the save, so nobody's text is overwritten unseen."""
    require(by, Perm.GOVERN, minutes_item.country_id)
    check_editable(minutes_item.minutes)
    data = without_fixed(minutes_item, data, "minutes")
    revision = data.pop("revision", None)
    if revision is None:
        raise ValidationError({"revision": _(
            "Give the revision you read, so that nobody's text is overwritten unseen.")})
    # A conditional update claims the revision: of two saves from the same revision, only
    # the first matches the row.
    claimed = MinutesItem.objects.filter(pk=minutes_item.pk, revision=revision).update(
        revision=F("revision") + 1)
    if not claimed:
        raise EditConflict(MinutesItem.objects.get(pk=minutes_item.pk))
    minutes_item.refresh_from_db(fields=["revision"])
    apply_fields(minutes_item, data)
    _mark_without_quorum(minutes_item)
    return validated_save(minutes_item)


@audited_action
def minutes_comment_create(*, by, data: dict, today: date | None = None) -> MinutesComment:
    """G6: members and alternates comment on circulated minutes during the comment period,
    threaded by reply."""
    item = data["item"]
    require(by, Perm.COMMENT_MINUTES, item.country_id)
    minutes = Minutes.objects.select_related("country").get(pk=item.minutes_id)
    if minutes.status != MinutesStatus.CIRCULATED:
        raise ValidationError(_("Comments are taken only while the minutes are circulated."))
    today = today or minutes.country.today()
    if not rules.may_comment(today, minutes.comments_until):
        raise ValidationError(_("The comment period ended on %(day)s.")
                              % {"day": f"{minutes.comments_until:%Y-%m-%d}"})
    if not (data.get("text") or "").strip():
        raise ValidationError({"text": _("Write a comment.")})
    reply_to = data.get("reply_to")
    if reply_to is not None and reply_to.item_id != item.pk:
        raise ValidationError({"reply_to": _("Reply within the same item.")})
    return validated_save(MinutesComment(country_id=item.country_id, author=by), data)


# --- the workflow (G6) -----------------------------------------------------------------------


def _locked(minutes: Minutes) -> Minutes:
    """The row under a lock: two people taking the same step at once take it once."""
    return Minutes.objects.select_for_update().select_related(
        "meeting", "meeting__omt", "country").get(pk=minutes.pk)


@audited_action
def minutes_circulate(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """G6: circulate the draft to members for comments; late circulation is recorded."""
    require(by, Perm.GOVERN, minutes.country_id)
    now = now or timezone.now()
    minutes = _locked(minutes)
    country = minutes.country
    today = country.local_date(now)
    if not rules.may_circulate(queries.minutes_state(minutes, today=today)):
        raise ValidationError(_("Only a first draft is circulated; a correction is "
                                "finalised directly."))
    minutes.circulated_late = not rules.minutes_circulated_on_time(
        today, country.local_date(minutes.meeting.starts_at))
    minutes.comments_until = rules.comment_deadline(today, country.calendar(),
                                                    minutes.meeting.omt.comment_period_days)
    minutes.circulated_at = now
    minutes.status = MinutesStatus.CIRCULATED
    validated_save(minutes)
    recipients = queries.member_recipients(minutes.meeting.omt)
    transaction.on_commit(lambda: notifications.send_minutes_circulated(minutes, recipients))
    return minutes


def may_finalise_minutes(by, minutes: Minutes) -> bool:
    """G6, G12: the secretariat finalises the minutes: the OMT's secretary or its chair,
    through their role in the country (or the secretary the OMT names), never through an
    administrator's global rights."""
    if access.holds(by, Perm.FINALISE_MINUTES, minutes.country_id):
        return True
    return (by.pk == minutes.meeting.omt.secretary_id
            and access.can(by, Perm.GOVERN, minutes.country_id))


@audited_action
def minutes_finalise(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """G6: the secretariat finalises the minutes once the comment period has closed; from
    then on they are read-only."""
    if not may_finalise_minutes(by, minutes):
        raise PermissionDenied(_("The OMT's secretary or chair finalises the minutes (G12)."))
    now = now or timezone.now()
    minutes = _locked(minutes)
    state = queries.minutes_state(minutes, today=minutes.country.local_date(now))
    if minutes.is_read_only:
        raise ValidationError(_("These minutes are already finalised."))
    if minutes.status == MinutesStatus.CIRCULATED and not rules.may_finalise(state):
        raise ValidationError(_(
            "The comment period runs until %(day)s; the minutes are finalised after it (G6).")
            % {"day": f"{minutes.comments_until:%Y-%m-%d}"})
    if not rules.may_finalise(state):
        raise ValidationError(_("Circulate the minutes for comments before finalising (G6)."))
    minutes.status = MinutesStatus.FINALISED
    minutes.finalised_at = now
    minutes.finalised_by = by
    return validated_save(minutes)


@audited_action
def minutes_share(*, minutes: Minutes, by, now: datetime | None = None) -> Minutes:
    """G6: share finalised minutes with the UNCT (the RC and the heads of agency)."""
    require(by, Perm.GOVERN, minutes.country_id)
    now = now or timezone.now()
    minutes = _locked(minutes)
    if not rules.may_share(queries.minutes_state(minutes, today=minutes.country.local_date(now))):
        raise ValidationError(_("Only finalised minutes not yet shared can be shared."))
    minutes.status = MinutesStatus.SHARED
    minutes.shared_at = now
    validated_save(minutes)
    recipients = list(User.objects.filter(
        role_assignments__country_id=minutes.country_id,
        role_assignments__role__in=[Role.RC, Role.UNCT_MEMBER], is_active=True).distinct())
    transaction.on_commit(lambda: notifications.send_minutes_shared(minutes, recipients))
    return minutes


@audited_action
def minutes_correct(*, minutes: Minutes, by) -> Minutes:
    """G6: a correction to finalised minutes is a new version; the old one stays as it was."""
    require(by, Perm.GOVERN, minutes.country_id)
    minutes = _locked(minutes)
    if not minutes.is_read_only:
        raise ValidationError(_("Only finalised minutes are corrected; edit the draft."))
    if Minutes.objects.filter(corrects=minutes).exists():
        raise ValidationError(_("A correction of this version already exists."))
    new = validated_save(Minutes(meeting_id=minutes.meeting_id, country_id=minutes.country_id,
                                 version=minutes.version + 1, corrects=minutes,
                                 summary=minutes.summary))
    MinutesItem.objects.bulk_create([
        MinutesItem(minutes=new, country_id=item.country_id, position=item.position,
                    title=item.title, discussion=item.discussion, decisions=item.decisions,
                    without_quorum=item.without_quorum)
        for item in minutes.items.order_by("position")
    ])
    return new

