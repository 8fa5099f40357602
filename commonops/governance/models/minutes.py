"""Minutes of a meeting (G6, G7): versions, items and comments."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.governance.models.common import GovernanceModel
from commonops.governance.models.meetings import Meeting, title_for_reader


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
