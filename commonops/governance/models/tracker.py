"""Actions from meetings and task forces (G7), and escalations to the UNCT (G11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.governance.models.common import GovernanceModel
from commonops.governance.models.meetings import Meeting
from commonops.governance.models.minutes import MinutesItem
from commonops.governance.models.omt import Omt, TaskForce, UnctDecision


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
