"""The service desk of a country team: teams of agents, categories tied to common services,
SLA policies, tickets with their timeline, attachments and ratings, and the mail review
queue (T1–T6)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import CountryOwnedModel
from commonops.core.roles import Perm
from commonops.servicedesk import rules


class Priority(models.TextChoices):
    P1 = "P1", _("P1 – critical")
    P2 = "P2", _("P2 – high")
    P3 = "P3", _("P3 – normal")
    P4 = "P4", _("P4 – low")


class Status(models.TextChoices):
    NEW = rules.NEW, _("New")
    ASSIGNED = rules.ASSIGNED, _("Assigned")
    IN_PROGRESS = rules.IN_PROGRESS, _("In progress")
    WAITING = rules.WAITING, _("Waiting on requester")
    RESOLVED = rules.RESOLVED, _("Resolved")
    CLOSED = rules.CLOSED, _("Closed")
    REOPENED = rules.REOPENED, _("Reopened")


class DeskModel(CountryOwnedModel):
    manage_permission = Perm.MANAGE_DESK

    class Meta:
        abstract = True


class Team(DeskModel):
    """A team of agents that works one kind of ticket (ICT, facilities…), with its lead."""

    name = models.CharField(_("name"), max_length=100)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("team lead"),
                             null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    email = models.EmailField(_("team e-mail"), blank=True)

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("service-desk team")
        verbose_name_plural = _("service-desk teams")
        constraints = [models.UniqueConstraint(
            fields=["country", "name"], name="desk_team_unique_name",
            violation_error_message=_("This country already has a team with this name."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("servicedesk:team_detail", args=[self.pk])


class Agent(DeskModel):
    """A person in the shared pool of agents, whatever their agency (T1), in one team (T3)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person"),
                             on_delete=models.CASCADE, related_name="desk_agents")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE,
                             related_name="agents")
    available = models.BooleanField(_("available"), default=True,
                                    help_text=_("Agents who are away get no new tickets."))
    last_assigned_at = models.DateTimeField(_("last assigned"), null=True, blank=True,
                                            editable=False)
    # T3's tie-break, moved by every assignment, which the ticket's own audit row records
    audit_exclude = frozenset({"last_assigned_at"})

    class Meta:
        ordering = ["team", "user__username"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")
        constraints = [models.UniqueConstraint(
            fields=["team", "user"], name="desk_agent_once_per_team",
            violation_error_message=_("This person is already an agent of this team."))]

    def __str__(self):
        return f"{self.user} ({self.team})"

    def get_absolute_url(self):
        return reverse("servicedesk:agent_detail", args=[self.pk])


class Category(DeskModel):
    """What a ticket is about: tied to a common service and worked by one team (T1)."""

    name = models.CharField(_("name"), max_length=100)
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="categories")
    common_service = models.ForeignKey(
        "commonservices.CommonService", verbose_name=_("common service"), null=True,
        blank=True, on_delete=models.SET_NULL, related_name="desk_categories")

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("ticket category")
        verbose_name_plural = _("ticket categories")
        constraints = [models.UniqueConstraint(
            fields=["country", "name"], name="desk_category_unique_name",
            violation_error_message=_("This country already has a category with this name."))]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("servicedesk:category_detail", args=[self.pk])


class SlaPolicy(DeskModel):
    """T2: first-response and resolution targets of one priority, in business hours."""

    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices)
    first_response_hours = models.DecimalField(
        _("first response within (business hours)"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(0)])
    resolution_hours = models.DecimalField(
        _("resolution within (business hours)"), max_digits=6, decimal_places=2,
        validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["country", "priority"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "priority"], name="desk_sla_once_per_priority",
                violation_error_message=_("This country already has a policy for this "
                                          "priority.")),
            models.CheckConstraint(
                condition=Q(first_response_hours__lte=models.F("resolution_hours")),
                name="desk_sla_response_before_resolution",
                violation_error_message=_("The first response cannot be due after the "
                                          "resolution.")),
        ]

    def __str__(self):
        return f"{self.priority}: {self.first_response_hours} h / {self.resolution_hours} h"

    def get_absolute_url(self):
        return reverse("servicedesk:slapolicy_detail", args=[self.pk])


class TicketCounter(models.Model):
    """T1: the last number used per country and year; locked with select_for_update so two
    tickets raised at once never get the same number. Not audited: it is bookkeeping."""

    country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year"],
                                               name="desk_counter_once_per_year")]

    def __str__(self):
        return f"{self.country_id}-{self.year}: {self.last}"


class Source(models.TextChoices):
    WEB = "web", _("Web form")
    EMAIL = "email", _("E-mail")
    API = "api", _("API")


class Ticket(DeskModel):
    """A request to the desk (T1) with its SLA clock (T2), assignee (T3) and the figures
    the KPIs read (T6). Due times are stored when the ticket opens or changes."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requester"),
                                  on_delete=models.PROTECT, related_name="desk_tickets")
    cc = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("copied"),
                                blank=True, related_name="desk_tickets_copied")
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"),
                               on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(Category, verbose_name=_("category"),
                                 on_delete=models.PROTECT, related_name="tickets")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT,
                             related_name="tickets")
    priority = models.CharField(_("priority"), max_length=2, choices=Priority.choices,
                                default=Priority.P3)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.NEW)
    source = models.CharField(_("source"), max_length=5, choices=Source.choices,
                              default=Source.WEB)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assignee"),
                                 null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="desk_assigned")
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True,
                                    blank=True, on_delete=models.SET_NULL,
                                    related_name="duplicates")
    version = models.PositiveIntegerField(_("version"), default=1)
    opened_at = models.DateTimeField(_("opened"))
    first_response_due = models.DateTimeField(_("first response due"))
    resolution_due = models.DateTimeField(_("resolution due"))
    first_responded_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    paused_at = models.DateTimeField(_("waiting since"), null=True, blank=True)
    # T2: business hours spent waiting on the requester, which do not count
    paused_hours = models.FloatField(_("business hours waiting on the requester"), default=0)
    first_response_breached_at = models.DateTimeField(_("first response breached"),
                                                      null=True, blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution breached"), null=True,
                                                  blank=True)
    warned_assignee_at = models.DateTimeField(null=True, blank=True, editable=False)
    warned_lead_at = models.DateTimeField(null=True, blank=True, editable=False)
    # T6: stored at resolution, to the hundredth of an hour (rules.HOURS_DECIMALS)
    business_hours_to_resolve = models.FloatField(_("business hours to resolve"), null=True,
                                                  blank=True)
    first_response_met = models.BooleanField(_("first response on time"), null=True,
                                             blank=True)
    resolution_met = models.BooleanField(_("resolved on time"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("times reopened"), default=0)

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        indexes = [
            # queues sorted by due time (T3)
            models.Index(fields=["country", "status", "resolution_due"],
                         name="desk_ticket_country_queue"),
            models.Index(fields=["team", "status", "resolution_due"],
                         name="desk_ticket_team_queue"),
            models.Index(fields=["assignee", "status", "resolution_due"],
                         name="desk_ticket_my_queue"),
            models.Index(fields=["requester", "-opened_at"], name="desk_ticket_requester"),
            # KPIs per month (T6) and volume per agency (S1)
            models.Index(fields=["country", "opened_at", "agency"],
                         name="desk_ticket_opened"),
            # open tickets only, whatever the number of resolved and closed ones: per
            # agent, soonest due first, for the open-ticket counts of the assignment (T3)
            # and "my tickets" in order; per country, for the queue in order and the
            # backlog's age (T6), from the index alone
            models.Index(fields=["assignee", "country", "resolution_due", "id"],
                         name="desk_ticket_open_by_assignee",
                         condition=Q(status__in=sorted(rules.OPEN_STATUSES))),
            models.Index(fields=["country", "resolution_due", "id"], include=["opened_at"],
                         name="desk_ticket_open_queue",
                         condition=Q(status__in=sorted(rules.OPEN_STATUSES))),
            # the SLA task looks only at open tickets not yet breached (T2)
            models.Index(fields=["resolution_due"], name="desk_ticket_due_open",
                         condition=Q(resolution_breached_at__isnull=True,
                                     resolved_at__isnull=True)),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("servicedesk:ticket_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in rules.OPEN_STATUSES


class EventKind(models.TextChoices):
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status change")
    REPLY = "reply", _("Reply")
    NOTE = "note", _("Internal note")
    ASSIGNED = "assigned", _("Assignment")
    MERGED = "merged", _("Merged")
    RATING = "rating", _("Rating")
    SLA = "sla", _("SLA")


class TicketEvent(DeskModel):
    """One line of a ticket's timeline (T4). Internal notes are never shown to the
    requester (`public` is False). Not in the audit trail: the timeline is itself an
    append-only record, written only by the ticket actions (whose ticket changes are
    audited), and auditing it again would double the rows the desk writes."""

    audited = False

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="events")
    kind = models.CharField(_("kind"), max_length=8, choices=EventKind.choices)
    public = models.BooleanField(_("visible to the requester"), default=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                               blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("at"))
    body = models.TextField(_("text"), blank=True)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices,
                                   blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [models.Index(fields=["ticket", "at"], name="desk_event_ticket")]

    def __str__(self):
        return f"{self.ticket.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url() + f"#event-{self.pk}"


def _attachment_path(instance, filename):
    return f"desk/{instance.country_id}/{instance.ticket_id}/{filename}"


class Attachment(DeskModel):
    """A file sent with a ticket or a reply (T1), within the size and type limits."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                               related_name="attachments")
    event = models.ForeignKey(TicketEvent, verbose_name=_("with"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    public = models.BooleanField(_("visible to the requester"), default=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("servicedesk:attachment_download", args=[self.pk])


class Rating(DeskModel):
    """T5: the requester's one answer to the rating request of a resolved ticket."""

    ticket = models.OneToOneField(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE,
                                  related_name="rating")
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"))

    class Meta:
        ordering = ["-rated_at"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [models.CheckConstraint(
            condition=Q(score__gte=1, score__lte=5), name="desk_rating_score_1_to_5",
            violation_error_message=_("A rating is from 1 to 5."))]
        indexes = [models.Index(fields=["country", "rated_at", "score"],
                                name="desk_rating_month_score")]

    def __str__(self):
        return f"{self.ticket.number}: {self.score}"

    def get_absolute_url(self):
        return self.ticket.get_absolute_url()


class MailStatus(models.TextChoices):
    PENDING = "pending", _("To review")
    ACCEPTED = "accepted", _("Turned into a ticket")
    DISCARDED = "discarded", _("Discarded")


class InboundMail(DeskModel):
    """An e-mail to the desk from an unknown sender, kept for review instead of lost (T1)."""

    sender = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    message_id = models.CharField(_("message id"), max_length=300, blank=True)
    received_at = models.DateTimeField(_("received"))
    status = models.CharField(_("status"), max_length=9, choices=MailStatus.choices,
                              default=MailStatus.PENDING)
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("e-mail to review")
        verbose_name_plural = _("e-mails to review")

    def __str__(self):
        return f"{self.sender}: {self.subject}"

    def get_absolute_url(self):
        return reverse("servicedesk:mail_review")


# --- T6 monthly roll-ups ---------------------------------------------------------------------


class KpiRollup(models.Model):
    """T6: the KPI counts of one country × team × agent × category × agency × local month
    (`rules.ROLLUP_COUNTS`), kept by the ticket actions in the transaction that changes the
    ticket (`rollups.keep_current`), so the KPI page reads a few hundred rows whatever the
    number of tickets. Opened tickets count in their opening month, resolutions in their
    resolution month, ratings in their rating month, each under the ticket's current team,
    agent, category and agency. `manage.py rebuild_desk_rollups` checks them against the
    tickets and rebuilds them. Not audited: derived bookkeeping, like the ticket counter."""

    country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    # no database constraint: a person deleted later keeps their counts until the rebuild
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, related_name="+",
                                 on_delete=models.DO_NOTHING, db_constraint=False)
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    opened = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    first_response_on_time = models.IntegerField(default=0)
    first_response_measured = models.IntegerField(default=0)
    resolution_on_time = models.IntegerField(default=0)
    resolution_measured = models.IntegerField(default=0)
    reopened = models.IntegerField(default=0)
    timed = models.IntegerField(default=0)
    rated_1 = models.IntegerField(default=0)
    rated_2 = models.IntegerField(default=0)
    rated_3 = models.IntegerField(default=0)
    rated_4 = models.IntegerField(default=0)
    rated_5 = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # two partial unique indexes rather than one, since NULLs (unassigned tickets)
            # never conflict in a plain unique index; they also serve the reads by month
            models.UniqueConstraint(
                fields=["country", "year", "month", "team", "assignee", "category", "agency"],
                condition=Q(assignee__isnull=False), name="desk_rollup_once"),
            models.UniqueConstraint(
                fields=["country", "year", "month", "team", "category", "agency"],
                condition=Q(assignee__isnull=True), name="desk_rollup_once_unassigned"),
        ]

    def __str__(self):
        return f"{self.country_id} {self.year}-{self.month:02d}"


class HoursHistogram(models.Model):
    """T6: how many tickets resolved in a local month took each whole business hour
    (`rules.hour_of`): finds which hour holds the median without reading every value."""

    country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    hour = models.IntegerField()
    tickets = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year", "month", "hour"],
                                               name="desk_hours_histogram_once")]

    def __str__(self):
        return f"{self.country_id} {self.year}-{self.month:02d} {self.hour} h: {self.tickets}"


class HoursTally(models.Model):
    """T6: how many tickets resolved in a local month took exactly each number of business
    hours: inside the hour that holds the median, gives its exact value (lower median)."""

    country = models.ForeignKey("core.Country", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    hours = models.FloatField()
    tickets = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year", "month", "hours"],
                                               name="desk_hours_tally_once")]

    def __str__(self):
        return f"{self.country_id} {self.year}-{self.month:02d} {self.hours} h: {self.tickets}"
