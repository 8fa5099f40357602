"""Organisation: regions, country teams, agencies, people and their roles; the base models
every domain model inherits; the audit trail.

Every country-owned row carries its country (`CountryOwnedModel`), and every queryset can be
narrowed to what a user may see with `.visible_to(user)` (see `commonops.core.access`).
Every create, update and delete of a `BaseModel` is written to `AuditEntry` by
`commonops.core.audit`, including bulk updates and bulk creates through its queryset.
"""

import zoneinfo
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from commonops.core.calendars import WorkingCalendar
from commonops.core.roles import COUNTRY_ROLES, GLOBAL_ROLES, REGION_ROLES, Role

# ---------------------------------------------------------------------------------------------
# Base models and querysets
# ---------------------------------------------------------------------------------------------


class BaseQuerySet(models.QuerySet):
    """A queryset that knows access (`visible_to`) and keeps bulk writes in the audit trail."""

    def visible_to(self, user):
        from commonops.core import access

        return access.scope_queryset(self, user)

    def update(self, **kwargs):
        from commonops.core import audit

        return audit.audited_update(self, kwargs, super().update)

    def bulk_create(self, objs, *args, **kwargs):
        from commonops.core import audit

        created = super().bulk_create(objs, *args, **kwargs)
        audit.record_bulk_create(self.model, created)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        from commonops.core import audit

        return audit.audited_bulk_update(self, objs, fields, lambda: super(
            BaseQuerySet, self).bulk_update(objs, fields, *args, **kwargs))


class BaseModel(models.Model):
    """Timestamps, who created and last changed the row, audit, access-aware queryset.

    `country_lookup` names the path from the model to its country's id, for access and for
    filing audit rows under a country; None means the row is shared reference data.
    """

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )

    objects = BaseQuerySet.as_manager()

    audited = True
    country_lookup: str | None = None
    # Permission needed to add, change or delete rows of this model (see roles.ROLE_PERMISSIONS).
    manage_permission: str = "core.manage_reference"

    class Meta:
        abstract = True

    def owning_country_id(self):
        """The country an audit row about this object is filed under (None: shared data)."""
        return None


class CountryOwnedModel(BaseModel):
    """A row that belongs to one country team: visible only within that country's scope."""

    country = models.ForeignKey(
        "core.Country", verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )

    country_lookup = "country"
    manage_permission = "core.change_country"

    class Meta:
        abstract = True

    def owning_country_id(self):
        return self.country_id


# ---------------------------------------------------------------------------------------------
# Organisation
# ---------------------------------------------------------------------------------------------


class Region(BaseModel):
    """One of the six common-services regions (DOMAIN.md H3)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:region_detail", args=[self.pk])


class ServiceLine(models.TextChoices):
    """The business-operations service lines (B2), plus "other" for task-force topics."""

    ADMINISTRATION = "administration", _("Administration")
    FINANCE = "finance", _("Finance")
    HUMAN_RESOURCES = "human_resources", _("Human Resources")
    ICT = "ict", _("ICT")
    LOGISTICS = "logistics", _("Logistics")
    PROCUREMENT = "procurement", _("Procurement")
    OTHER = "other", _("Other topic")


# B2: the six lines a BOS, its stock-take and the common-services catalogue are organised by
BOS_SERVICE_LINES = tuple(line for line in ServiceLine if line != ServiceLine.OTHER)
BOS_LINE_CHOICES = [(line.value, line.label) for line in BOS_SERVICE_LINES]


class Modality(models.TextChoices):
    """B3, S1: how a common service is delivered."""

    IN_HOUSE = "in_house", _("In-house")
    OUTSOURCED = "outsourced", _("Outsourced")


class WorkingWeek(models.TextChoices):
    MONDAY_TO_FRIDAY = "mon_fri", _("Monday to Friday")
    SUNDAY_TO_THURSDAY = "sun_thu", _("Sunday to Thursday")
    MONDAY_TO_SATURDAY = "mon_sat", _("Monday to Saturday")
    SATURDAY_TO_WEDNESDAY = "sat_wed", _("Saturday to Wednesday")


# weekday numbers of the days off, as in date.weekday() (0 = Monday)
WEEKEND_OF = {
    WorkingWeek.MONDAY_TO_FRIDAY: (5, 6),
    WorkingWeek.SUNDAY_TO_THURSDAY: (4, 5),
    WorkingWeek.MONDAY_TO_SATURDAY: (6,),
    WorkingWeek.SATURDAY_TO_WEDNESDAY: (3, 4),
}


class Typology(models.TextChoices):
    """B8: by total UN expenditure in the country."""

    SMALL = "small", _("Small (up to USD 40 M)")
    MEDIUM = "medium", _("Medium (up to USD 100 M)")
    LARGE = "large", _("Large (over USD 100 M)")


TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Country(BaseModel):
    """A country team: the unit that owns almost every row in CommonOps."""

    iso_code = models.CharField(
        _("ISO code"), max_length=2, unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Two capital letters, as in ISO 3166."))],
    )
    name = models.CharField(_("name"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="countries"
    )
    currency = models.CharField(
        _("currency"), max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Three capital letters, as in ISO 4217."))],
        help_text=_("Local currency, ISO 4217 code."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONE_CHOICES,
                                 default="UTC")
    working_week = models.CharField(
        _("working week"), max_length=7, choices=WorkingWeek.choices,
        default=WorkingWeek.MONDAY_TO_FRIDAY,
    )
    day_start = models.TimeField(_("business hours start"), default=time(8))
    day_end = models.TimeField(_("business hours end"), default=time(17))
    un_expenditure = models.DecimalField(
        _("total UN expenditure (USD)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Sets the typology (B8) when given."),
    )
    typology = models.CharField(_("typology"), max_length=6, choices=Typology.choices,
                                default=Typology.SMALL)

    country_lookup = "id"
    manage_permission = "core.change_country"

    class Meta:
        ordering = ["name"]
        verbose_name = _("country team")
        verbose_name_plural = _("country teams")
        constraints = [
            models.CheckConstraint(
                condition=Q(day_start__lt=models.F("day_end")),
                name="country_business_hours_start_before_end",
                violation_error_message=_("Business hours must start before they end."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:country_detail", args=[self.pk])

    def owning_country_id(self):
        return self.pk

    @property
    def weekend(self) -> tuple[int, ...]:
        return WEEKEND_OF[self.working_week]

    def local_date(self, moment: datetime) -> date:
        """The day `moment` falls on in the country's time zone."""
        return timezone.localtime(moment, zoneinfo.ZoneInfo(self.time_zone)).date()

    def today(self) -> date:
        """Today in the country (never the server's day): every date rule of a country
        counts from here."""
        return self.local_date(timezone.now())

    def calendar(self, holidays=None) -> WorkingCalendar:
        """The country's working calendar; pass `holidays` to avoid a query."""
        if holidays is None:
            holidays = PublicHoliday.objects.filter(country=self).values_list("day", flat=True)
        return WorkingCalendar(
            weekend=self.weekend, holidays=tuple(holidays), day_start=self.day_start,
            day_end=self.day_end, tz=self.time_zone,
        )


def today_in(country) -> date:
    """Today in `country` (`Country.today()`); the server's day only where no country
    applies, such as a page of shared reference data."""
    return country.today() if country is not None else timezone.localdate()


class PublicHoliday(CountryOwnedModel):
    """A day the country team's offices are closed; it is not a working day."""

    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["country", "day"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "day"], name="holiday_once_per_day",
                violation_error_message=_("This country already has a holiday on that day."),
            )
        ]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.name}"

    def get_absolute_url(self):
        return reverse("core:publicholiday_detail", args=[self.pk])


class Agency(BaseModel):
    """A UN agency, fund or programme (shared by all countries)."""

    acronym = models.CharField(_("acronym"), max_length=20, unique=True)
    name = models.CharField(_("full name"), max_length=200)

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return reverse("core:agency_detail", args=[self.pk])


class Presence(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    NON_RESIDENT = "non_resident", _("Non-resident")


class AgencyPresence(CountryOwnedModel):
    """An agency's presence in a country team, resident or non-resident."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="presences")
    presence = models.CharField(_("presence"), max_length=12, choices=Presence.choices,
                                default=Presence.RESIDENT)
    in_common_premises = models.BooleanField(_("in common premises"), default=False)

    class Meta:
        ordering = ["country", "agency__acronym"]
        verbose_name = _("agency presence")
        verbose_name_plural = _("agency presences")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "agency"], name="agency_present_once_per_country",
                violation_error_message=_("This agency is already listed in this country."),
            )
        ]

    def __str__(self):
        return f"{self.agency} — {self.get_presence_display()}"

    def get_absolute_url(self):
        return reverse("core:agencypresence_detail", args=[self.pk])


class UserQuerySet(BaseQuerySet):
    pass


class PersonManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, …) over the access-aware, audited queryset."""

    use_in_migrations = True


class User(AbstractUser, BaseModel):
    """A person: staff of an agency, with a duty country and the languages they work in."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="people")
    duty_country = models.ForeignKey(
        Country, verbose_name=_("duty country"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True,
        validators=[RegexValidator(r"^([a-z]{2})(,[a-z]{2})*$",
                                   _("Language codes separated by commas, such as en,fr."))],
        help_text=_("ISO 639-1 codes separated by commas, such as en,fr."),
    )

    objects = PersonManager()

    country_lookup = "duty_country"
    manage_permission = "core.manage_people"
    audit_exclude = frozenset({"last_login"})
    audit_secret = frozenset({"password"})

    class Meta(AbstractUser.Meta):
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.get_full_name() or self.username

    def get_absolute_url(self):
        return reverse("core:person_detail", args=[self.pk])

    def owning_country_id(self):
        return self.duty_country_id

    @cached_property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class RoleAssignment(BaseModel):
    """A role a person holds at a scope: one country, one region, or everywhere."""

    user = models.ForeignKey(User, verbose_name=_("person"), on_delete=models.CASCADE,
                             related_name="role_assignments")
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="role_assignments")
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="role_assignments")

    country_lookup = "country"
    manage_permission = "core.manage_people"

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=COUNTRY_ROLES, country__isnull=False, region__isnull=True)
                    | Q(role__in=REGION_ROLES, country__isnull=True, region__isnull=False)
                    | Q(role__in=GLOBAL_ROLES, country__isnull=True, region__isnull=True)
                ),
                name="role_scope_matches_role",
                violation_error_message=_(
                    "This role is held in a country, a region or everywhere: give exactly "
                    "the scope it needs."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"], condition=Q(country__isnull=False),
                name="role_once_per_country",
                violation_error_message=_("This person already has this role in this country."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"], condition=Q(region__isnull=False),
                name="role_once_per_region",
                violation_error_message=_("This person already has this role in this region."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(country__isnull=True, region__isnull=True),
                name="global_role_once",
                violation_error_message=_("This person already has this role."),
            ),
        ]
        indexes = [models.Index(fields=["country", "role"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.scope_label})"

    def get_absolute_url(self):
        return reverse("core:roleassignment_detail", args=[self.pk])

    def owning_country_id(self):
        return self.country_id

    @property
    def scope_label(self) -> str:
        if self.country_id:
            return str(self.country)
        if self.region_id:
            return str(self.region)
        return str(_("everywhere"))


# ---------------------------------------------------------------------------------------------
# Audit trail
# ---------------------------------------------------------------------------------------------


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")


class AuditSource(models.TextChoices):
    WEB = "web", _("Page")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    COMMAND = "command", _("Command")
    TASK = "task", _("Task")
    IMPORT = "import", _("Import")
    SYSTEM = "system", _("System")


class AuditEntry(models.Model):
    """One create, update or delete of a row: who, when, through which request, what changed.

    `changes` maps each changed field to `[before, after]` (None for a side that does not
    exist). Rows are written by `commonops.core.audit` only and never changed.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("who (name at the time)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=6, choices=AuditAction.choices)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT,
                                     verbose_name=_("kind of object"), related_name="+")
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200)
    country = models.ForeignKey(Country, verbose_name=_("country"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                db_constraint=False)
    changes = models.JSONField(_("changes"), default=dict)
    source = models.CharField(_("source"), max_length=8, choices=AuditSource.choices)
    request_method = models.CharField(_("request method"), max_length=8, blank=True)
    request_path = models.CharField(_("request path"), max_length=300, blank=True)
    request_id = models.CharField(_("request id"), max_length=36, blank=True)
    remote_addr = models.GenericIPAddressField(_("address"), null=True, blank=True)

    # an entry is filed under the country of the object it records (none: shared data)
    country_lookup = "country"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-at"]),
            models.Index(fields=["country", "-at"]),
            models.Index(fields=["actor", "-at"]),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_repr}"


# ---------------------------------------------------------------------------------------------
# Robustness: one-time form tokens and the outbox of e-mails
# ---------------------------------------------------------------------------------------------


class FormSubmission(models.Model):
    """A form's one-time token, recorded by its first post (core.security): a second post of
    the same token is sent to what the first one made instead of making it again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    token = models.CharField(max_length=64)
    submitted_at = models.DateTimeField(auto_now_add=True)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"],
                                               name="form_token_used_once")]

    def __str__(self):
        return f"{self.user_id} {self.token}"


class OutboundStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundEmail(models.Model):
    """One e-mail on its way out (core.mail): written with the change that decided to send
    it, sent by a background task, retried when the mail server fails, and kept with what
    went wrong when it gives up."""

    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=8, choices=OutboundStatus.choices,
                              default=OutboundStatus.QUEUED)
    subject = models.TextField(_("subject"))
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    to = models.JSONField(_("to"), default=list)
    cc = models.JSONField(_("copy to"), default=list, blank=True)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    body = models.TextField(_("text"))
    # [[file name, base64 content, MIME type], …]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return self.subject
