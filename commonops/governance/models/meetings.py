"""Meetings with their agenda (G4, G8, G9), papers and attendance (G5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.display import in_reader_language, standard_texts
from commonops.governance.models.common import GovernanceModel
from commonops.governance.models.omt import Omt
from commonops.governance.rules import RETREAT_AGENDA, STANDARD_AGENDA


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
