"""Client-satisfaction surveys (Q1, S6): questionnaires, invitations, anonymous responses.

Anonymity is a property of the data, not of the pages: a `Response` has no link to the
invitation or the person who answered, no timestamps and no audit rows, and its key is a
random UUID, so neither ids nor times put responses in the order invitations were used.
An invitation's single-use token is stored only as its SHA-256 hash.
"""

import hashlib
import secrets
import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commonops.core.models import CountryOwnedModel
from commonops.core.roles import Perm


class SurveysModel(CountryOwnedModel):
    manage_permission = Perm.MANAGE_SURVEYS

    class Meta:
        abstract = True


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Survey(SurveysModel):
    """A questionnaire sent to the client agencies' staff, usually the annual one (Q1)."""

    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(
        _("year surveyed"), validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text=_("The year whose services are rated; closing records the satisfaction "
                    "KPIs for this year."))
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices,
                              default=SurveyStatus.DRAFT, editable=False)
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    intro = models.TextField(_("introduction"), blank=True,
                             help_text=_("Shown to respondents above the questions."))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["country", "-year", "title", "id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="surveys_survey_closes_after_opening",
                violation_error_message=_("A survey cannot close before it opens."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("surveys:survey_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT

    @property
    def is_open(self) -> bool:
        return self.status == SurveyStatus.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == SurveyStatus.CLOSED


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Rating from 1 (very dissatisfied) to 5 (very satisfied)")
    TEXT = "text", _("Free text")


class Question(SurveysModel):
    """A question of a survey: a rating of a common service, or a general question."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    service = models.ForeignKey(
        "commonservices.CommonService", verbose_name=_("common service"), null=True,
        blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("Empty for a general question."))
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices,
                            default=QuestionKind.LIKERT)
    text = models.CharField(_("question"), max_length=300)

    class Meta:
        ordering = ["survey", "position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return f"{self.position}. {self.text}"

    def get_absolute_url(self):
        return reverse("surveys:question_detail", args=[self.pk])


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(SurveysModel):
    """A person asked to answer, with a single-use link; only the token's hash is kept."""

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="invitations")
    email = models.EmailField(_("e-mail"))
    agency = models.ForeignKey("core.Agency", verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    used_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["survey", "email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"], name="surveys_invitation_once_per_person",
                violation_error_message=_("This person is already invited to the survey.")),
        ]

    def __str__(self):
        return f"{self.survey}: {self.email}"

    def get_absolute_url(self):
        return reverse("surveys:survey_detail", args=[self.survey_id]) + "#invitations"


class Response(SurveysModel):
    """One person's answers to a survey. Deliberately anonymous (Q1): no invitation, no
    person, no time; only the respondent's agency, for breakdowns of at least 5 answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No timestamps and no "created by": they would tell when, and by whom, it was given.
    created_at = None
    updated_at = None
    created_by = None
    updated_by = None
    audited = False  # an audit row would timestamp the answer next to the invitation's use

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE,
                               related_name="responses")
    agency = models.ForeignKey("core.Agency", verbose_name=_("respondent's agency"),
                               null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")

    class Meta:
        ordering = ["survey", "id"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return f"{self.survey}: {_('response')}"


class Answer(SurveysModel):
    """The answer to one question within an anonymous response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = None
    updated_at = None
    created_by = None
    updated_by = None
    audited = False

    response = models.ForeignKey(Response, verbose_name=_("response"),
                                 on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"),
                                 on_delete=models.CASCADE, related_name="answers")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1),
                                                       MaxValueValidator(5)])
    text = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["response", "question"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"],
                                    name="surveys_answer_once_per_question",
                                    violation_error_message=_("One answer per question.")),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="surveys_answer_score_1_to_5",
                violation_error_message=_("A score is from 1 to 5.")),
        ]

    def __str__(self):
        return f"{self.question}: {self.score if self.score is not None else self.text}"
