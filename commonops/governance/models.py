"""OMT governance: the OMT, its members and chairs, task forces, meetings with agendas and
attendance, minutes with comments and versions, actions, escalations and UNCT decisions.

Every row is owned by the country of its OMT (`CountryOwnedModel`), so access and the audit
trail come from `core`. Rule ids (G1–G12) refer to DOMAIN.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.display import in_reader_language, standard_texts
from commonops.core.models import CountryOwnedModel, ServiceLine
from commonops.governance.rules import RETREAT_AGENDA, STANDARD_AGENDA

GOVERN = "governance.manage"


class GovernanceModel(CountryOwnedModel):
    manage_permission = GOVERN

    class Meta:
        abstract = True


class Secretariat(models.TextChoices):
    """G12: the secretariat is the RC's Office or the chair's agency."""

    RCO = "rco", _("Resident Coordinator's Office")
    CHAIR_AGENCY = "chair_agency", _("The chair's agency")


class Omt(GovernanceModel):
    """The Operations Management Team of a country team (one per country)."""

    name = models.CharField(_("name"), max_length=150,
                            default="Operations Management Team")
    secretariat = models.CharField(_("secretariat"), max_length=12, choices=Secretariat.choices,
                                   default=Secretariat.RCO)
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("secretary"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    me_focal_point = models.ForeignKey(settings.AUTH_USER_MODEL,
                                       verbose_name=_("M&E focal point"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")
    comment_period_days = models.PositiveSmallIntegerField(
        _("comment period (working days)"), default=5,
        help_text=_("How long members may comment on circulated minutes (G6)."))
    default_location = models.CharField(_("usual meeting place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("OMT")
        verbose_name_plural = _("OMTs")
        constraints = [models.UniqueConstraint(
            fields=["country"], name="one_omt_per_country",
            violation_error_message=_("This country team already has an OMT."))]

    def __str__(self):
        return f"{self.name} — {self.country}"

    def get_absolute_url(self):
        return reverse("governance:omt_detail", args=[self.pk])


class Membership(GovernanceModel):
    """G1: an agency's seat on the OMT: its member and the member's designated alternate."""

    omt = models.ForeignKey(Omt, verbose_name=_("OMT"), on_delete=models.CASCADE,
                            related_name="memberships")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("member"),
                               on_delete=models.PROTECT, related_name="+")
    alternate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("alternate"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    since = models.DateField(_("member since"))

    class Meta:
        ordering = ["agency__acronym"]
        verbose_name = _("OMT membership")
        verbose_name_plural = _("OMT memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["omt", "agency"], name="one_member_per_agency",
                violation_error_message=_("This agency already has a member on the OMT.")),
            models.CheckConstraint(
                condition=~Q(alternate=models.F("member")), name="alternate_is_not_member",
                violation_error_message=_("The alternate must be someone other than the "
                                          "member.")),
        ]

    def __str__(self):
        return f"{self.agency}: {self.member}"

    def get_absolute_url(self):
        return reverse("governance:membership_detail", args=[self.pk])


class ChairRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    CO_CHAIR = "co_chair", _("Co-chair")


class ChairTerm(GovernanceModel):
    """G2: a term of chairmanship, held by an agency (and the person it names), decided by
    the UNCT. Terms are never deleted: they are the history of who chaired."""

    omt = models.ForeignKey(Omt, verbose_name=_("OMT"), on_delete=models.CASCADE,
                            related_name="chair_terms")
    role = models.CharField(_("role"), max_length=8, choices=ChairRole.choices)
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                               on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    decision = models.ForeignKey("UnctDecision", verbose_name=_("UNCT decision"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="terms")

    class Meta:
        ordering = ["-starts_on", "role"]
        verbose_name = _("chair term")
        verbose_name_plural = _("chair terms")
        constraints = [models.CheckConstraint(
            condition=Q(ends_on__gte=models.F("starts_on")), name="term_ends_after_start",
            violation_error_message=_("A term ends on or after the day it starts."))]

    def __str__(self):
        return f"{self.get_role_display()}: {self.agency} ({self.starts_on:%Y}–{self.ends_on:%Y})"

    def get_absolute_url(self):
        return reverse("governance:chairterm_detail", args=[self.pk])


class TaskForce(GovernanceModel):
    """G10: a temporary task force or working group of the OMT."""

    omt = models.ForeignKey(Omt, verbose_name=_("OMT"), on_delete=models.CASCADE,
                            related_name="task_forces")
    name = models.CharField(_("name"), max_length=150)
    service_line = models.CharField(_("service line"), max_length=16,
                                    choices=ServiceLine.choices)
    coordinating_agency = models.ForeignKey("core.Agency", verbose_name=_("coordinating agency"),
                                            on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("chair"),
                              on_delete=models.PROTECT, related_name="+")
    mandate = models.TextField(_("mandate"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")
        constraints = [models.CheckConstraint(
            condition=Q(ends_on__gte=models.F("starts_on")), name="task_force_ends_after_start",
            violation_error_message=_("A task force ends on or after the day it starts."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("governance:taskforce_detail", args=[self.pk])


class TaskForceMember(GovernanceModel):
    """G10: a member of a task force, chosen for competence."""

    task_force = models.ForeignKey(TaskForce, verbose_name=_("task force"),
                                   on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                               on_delete=models.PROTECT, related_name="+")
    expertise = models.CharField(_("expertise"), max_length=200, blank=True)

    class Meta:
        ordering = ["person__last_name"]
        verbose_name = _("task-force member")
        verbose_name_plural = _("task-force members")
        constraints = [models.UniqueConstraint(
            fields=["task_force", "person"], name="task_force_member_once",
            violation_error_message=_("This person is already on the task force."))]

    def __str__(self):
        return f"{self.person} ({self.task_force})"

    def get_absolute_url(self):
        return self.task_force.get_absolute_url()


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular meeting")
    SPECIAL = "special", _("Special meeting")
    RETREAT = "retreat", _("Year-end retreat")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    AGENDA_SENT = "agenda_sent", _("Agenda sent")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(GovernanceModel):
    """An OMT meeting with its agenda (G4, G8, G9) and attendance (G5)."""

    omt = models.ForeignKey(Omt, verbose_name=_("OMT"), on_delete=models.CASCADE,
                            related_name="meetings")
    kind = models.CharField(_("kind"), max_length=8, choices=MeetingKind.choices,
                            default=MeetingKind.REGULAR)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    agenda_sent_at = models.DateTimeField(_("agenda sent"), null=True, blank=True)
    agenda_late = models.BooleanField(_("agenda sent late"), default=False)
    ics_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [models.Index(fields=["country", "starts_at"])]
        constraints = [models.CheckConstraint(
            condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start",
            violation_error_message=_("A meeting ends after it starts."))]

    def __str__(self):
        return f"{self.title} ({self.starts_at:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("governance:meeting_detail", args=[self.pk])


standard_texts(*STANDARD_AGENDA, *RETREAT_AGENDA)


def title_for_reader(title: str) -> str:
    """A standard agenda item (G8/G9, stored in the language of whoever scheduled the
    meeting) in the reader's language; any other title as written."""
    return in_reader_language(title)


class AgendaItem(GovernanceModel):
    """An item of a meeting's agenda, in order, with its presenter and papers."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    presenter = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("presenter"),
                                  null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    notes = models.TextField(_("notes"), blank=True)
    standard = models.BooleanField(_("standard item"), default=False, editable=False)

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self):
        return f"{self.position}. {self.shown_title}"

    @property
    def shown_title(self) -> str:
        return title_for_reader(self.title)

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + f"#item-{self.pk}"


class AgendaPaper(GovernanceModel):
    """A paper attached to an agenda item."""

    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"),
                             on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="governance/papers/%Y/")

    class Meta:
        ordering = ["item", "title"]
        verbose_name = _("paper")
        verbose_name_plural = _("papers")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:paper_download", args=[self.pk])


class AttendanceCapacity(models.TextChoices):
    MEMBER = "member", _("Member")
    ALTERNATE = "alternate", _("Alternate")
    GUEST = "guest", _("Guest")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    APOLOGIES = "apologies", _("Apologies")


class Attendance(GovernanceModel):
    """Who attended a meeting, in which capacity; apologies too (G5)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="attendance")
    capacity = models.CharField(_("as"), max_length=9, choices=AttendanceCapacity.choices)
    status = models.CharField(_("status"), max_length=9, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="+")
    guest_name = models.CharField(_("guest"), max_length=150, blank=True)

    class Meta:
        ordering = ["meeting", "capacity", "agency__acronym"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=Q(person__isnull=False),
                name="attend_once",
                violation_error_message=_("This person is already on the attendance list.")),
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(guest_name=""),
                name="attendance_names_someone",
                violation_error_message=_("Name the person or the guest.")),
        ]

    def __str__(self):
        who = self.person or self.guest_name
        return f"{who} ({self.get_capacity_display()}, {self.get_status_display()})"

    def get_absolute_url(self):
        return self.meeting.get_absolute_url() + "#attendance"


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated for comments")
    FINALISED = "finalised", _("Finalised")
    SHARED = "shared", _("Shared with the UNCT")


class Minutes(GovernanceModel):
    """G6, G7: the minutes of a meeting. Finalised minutes are read-only; a correction is a
    new version (`corrects` points to the one it replaces)."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE,
                                related_name="minutes")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.OneToOneField("self", verbose_name=_("corrects"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="correction")
    status = models.CharField(_("status"), max_length=10, choices=MinutesStatus.choices,
                              default=MinutesStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    circulated_late = models.BooleanField(_("circulated late"), default=False)
    comments_until = models.DateField(_("comments until"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("finalised by"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    shared_at = models.DateTimeField(_("shared with the UNCT"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "-version"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [models.UniqueConstraint(
            fields=["meeting", "version"], name="minutes_version_once",
            violation_error_message=_("This version of the minutes already exists."))]

    def __str__(self):
        return f"{_('Minutes')}: {self.meeting} v{self.version}"

    def get_absolute_url(self):
        return reverse("governance:minutes_detail", args=[self.pk])

    @property
    def is_read_only(self) -> bool:
        return self.status in (MinutesStatus.FINALISED, MinutesStatus.SHARED)


class MinutesItem(GovernanceModel):
    """G7: what was discussed and decided under one agenda item."""

    minutes = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE,
                                related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    discussion = models.TextField(_("discussion"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    without_quorum = models.BooleanField(
        _("decided without quorum"), default=False,
        help_text=_("Set when decisions are recorded for a meeting without quorum (G5)."))
    revision = models.PositiveIntegerField(default=1, editable=False)

    @property
    def shown_title(self) -> str:
        return title_for_reader(self.title)

    class Meta:
        ordering = ["minutes", "position"]
        verbose_name = _("minutes item")
        verbose_name_plural = _("minutes items")

    def __str__(self):
        return f"{self.position}. {self.shown_title}"

    def get_absolute_url(self):
        return self.minutes.get_absolute_url() + f"#item-{self.pk}"


class MinutesComment(GovernanceModel):
    """A member's comment on an item of circulated minutes, threaded by `reply_to`."""

    item = models.ForeignKey(MinutesItem, verbose_name=_("item"), on_delete=models.CASCADE,
                             related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"),
                               on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"))
    reply_to = models.ForeignKey("self", verbose_name=_("reply to"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="replies")

    class Meta:
        ordering = ["item", "created_at"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author}: {self.text[:60]}"

    def get_absolute_url(self):
        return self.item.get_absolute_url()


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class Action(GovernanceModel):
    """G7: an action from a meeting or a task force: one responsible and a deadline."""

    omt = models.ForeignKey(Omt, verbose_name=_("OMT"), on_delete=models.CASCADE,
                            related_name="actions")
    minutes_item = models.ForeignKey(MinutesItem, verbose_name=_("minutes item"), null=True,
                                     blank=True, on_delete=models.SET_NULL,
                                     related_name="actions")
    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="actions")
    task_force = models.ForeignKey(TaskForce, verbose_name=_("task force"), null=True,
                                   blank=True, on_delete=models.SET_NULL,
                                   related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner_person = models.ForeignKey(settings.AUTH_USER_MODEL,
                                     verbose_name=_("responsible person"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    owner_agency = models.ForeignKey("core.Agency", verbose_name=_("responsible agency"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    due_on = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=4, choices=ActionStatus.choices,
                              default=ActionStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.TextField(_("how it was done"), blank=True)

    class Meta:
        ordering = ["status", "due_on"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        indexes = [models.Index(fields=["country", "status", "due_on"])]
        constraints = [models.CheckConstraint(
            condition=(Q(owner_person__isnull=False, owner_agency__isnull=True)
                       | Q(owner_person__isnull=True, owner_agency__isnull=False)),
            name="action_has_one_responsible",
            violation_error_message=_("An action has one responsible: a person or an agency "
                                      "(G7)."))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("governance:action_detail", args=[self.pk])

    @property
    def owner(self):
        return self.owner_person or self.owner_agency


class UnctDecisionKind(models.TextChoices):
    ESCALATION = "escalation", _("Decision on an escalation")
    CHAIR_ROTATION = "chair_rotation", _("Chair rotation")
    APPROVAL = "approval", _("Approval")
    OTHER = "other", _("Other")


class UnctDecision(GovernanceModel):
    """G11, G2: a decision of the UNCT on an OMT matter."""

    manage_permission = "governance.decide"

    kind = models.CharField(_("kind"), max_length=16, choices=UnctDecisionKind.choices)
    decided_on = models.DateField(_("decided on"))
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("UNCT decision")
        verbose_name_plural = _("UNCT decisions")

    def __str__(self):
        return f"{self.decided_on:%Y-%m-%d} {self.subject}"

    def get_absolute_url(self):
        return reverse("governance:unctdecision_detail", args=[self.pk])


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Awaiting the UNCT")
    DECIDED = "decided", _("Decided by the UNCT")


class Escalation(GovernanceModel):
    """G11: a disagreement in the OMT taken to the UNCT."""

    omt = models.ForeignKey(Omt, verbose_name=_("OMT"), on_delete=models.CASCADE,
                            related_name="escalations")
    minutes_item = models.ForeignKey(MinutesItem, verbose_name=_("from minutes item"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="escalations")
    subject = models.CharField(_("subject"), max_length=200)
    positions = models.TextField(_("the positions"))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("raised by"),
                                  on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=EscalationStatus.choices,
                              default=EscalationStatus.OPEN)
    decision = models.OneToOneField(UnctDecision, verbose_name=_("UNCT decision"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="escalation")

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("governance:escalation_detail", args=[self.pk])


class ReminderSent(models.Model):
    """A reminder e-mail that went out; the unique key makes each one go out once, however
    many workers run the reminders at the same time."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=60)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "key", "recipient"],
                                               name="reminder_once")]

    def __str__(self):
        return f"{self.kind} {self.key} → {self.recipient_id}"
