"""The OMT of a country team, its member agencies (G1), chair terms (G2), task forces (G10)
and the UNCT's decisions on OMT matters (G2, G11)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import ServiceLine
from commonops.governance.models.common import GovernanceModel


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
