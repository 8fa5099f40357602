"""Pages of the minutes (G5, G6, G7): the minutes page by agenda item with its comment
round and actions, the item editor with its edit conflict (409), the summary, comments,
actions recorded under an item, and the PDF. The workflow steps (circulate, finalise,
share, correct) are declared in governance/workflows.py and served by core's step view."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.generic import DetailView, add_validation_errors
from commonops.core.roles import Perm
from commonops.governance import actions, filters, forms, queries, rules
from commonops.governance.models import (
    Action,
    Minutes,
    MinutesComment,
    MinutesItem,
    MinutesStatus,
)
from commonops.governance.views.common import GovernancePages, require


def _thread(comments) -> list[tuple]:
    """Comments in reading order, each with its depth in the reply thread."""
    children = defaultdict(list)
    for comment in comments:
        children[comment.reply_to_id].append(comment)
    ordered = []

    def walk(parent_id, depth):
        for comment in children.get(parent_id, []):
            ordered.append((comment, min(depth, 4)))
            walk(comment.pk, depth + 1)

    walk(None, 0)
    return ordered


def _changed(before: str, after: str):
    changes = rules.text_changes(before or "", after or "")
    return changes if any(kind != "same" for kind, _line in changes) else []


class MinutesPages(GovernancePages):
    """Minutes by agenda item (G7): discussion, decisions, actions; the comment round and
    the workflow (G6); a correction shows what it changes."""

    model = Minutes
    name = "minutes"
    segment = "minutes"
    select_related = ("meeting", "meeting__omt", "meeting__country", "country",
                      "finalised_by")
    filterset = filters.MinutesFilterSet
    detail_template = "governance/minutes_detail.html"

    @classmethod
    def urls(cls):
        return [path("minutes/<int:pk>/", DetailView.as_view(pages=cls),
                     name="minutes_detail")]

    @classmethod
    def render(cls, request, minutes, *, extra=None, status=200, refused=None):
        """The page again after a refusal; `refused` maps an item id to the bound forms the
        refused request left there (and an edit conflict)."""
        minutes.refused = refused or {}
        return super().render(request, minutes, extra=extra, status=status)

    @classmethod
    def detail_context(cls, request, minutes):
        user, meeting = request.user, minutes.meeting
        country = meeting.country
        refused = getattr(minutes, "refused", {})
        can_govern = access.can(user, Perm.GOVERN, minutes.country_id)
        today = country.today()
        editable = can_govern and not minutes.is_read_only
        may_comment = (access.can(user, Perm.COMMENT_MINUTES, minutes.country_id)
                       and minutes.status == MinutesStatus.CIRCULATED
                       and minutes.comments_until is not None
                       and rules.may_comment(today, minutes.comments_until))
        items = list(minutes.items.prefetch_related(
            Prefetch("comments", queryset=MinutesComment.objects.select_related("author")
                     .order_by("created_at")),
            Prefetch("actions", queryset=Action.objects.select_related(
                "owner_person", "owner_agency").order_by("due_on")),
        ))
        versions = list(Minutes.objects.filter(meeting_id=meeting.pk).order_by("version"))
        corrected = next((v for v in versions if v.pk == minutes.corrects_id), None)
        correction = next((v for v in versions if v.corrects_id == minutes.pk), None)
        minutes.has_correction = correction is not None  # what the "correct" step reads
        before = {i.position: i for i in corrected.items.all()} if corrected else {}
        # One set of choices for every item's action form: the same query, once.
        person_choices = agency_choices = None
        if editable:
            prototype = forms.ActionForm(country=country.pk)
            person_choices = forms.evaluated_choices(prototype.fields["owner_person"])
            agency_choices = forms.evaluated_choices(prototype.fields["owner_agency"])
        rows = []
        for item in items:
            left = refused.get(item.pk, {})
            row = {"item": item, "thread": _thread(item.comments.all()),
                   "actions": list(item.actions.all()), "conflict": left.get("conflict"),
                   "mine": left.get("mine")}
            if editable:
                row["edit_form"] = left.get("edit_form") or forms.MinutesItemForm(
                    initial={"discussion": item.discussion, "decisions": item.decisions,
                             "revision": item.revision}, auto_id=f"item{item.pk}-%s")
                action_form = left.get("action_form") or forms.ActionForm(
                    country=country.pk, auto_id=f"act{item.pk}-%s")
                forms.share_choices([action_form], "owner_person", person_choices)
                forms.share_choices([action_form], "owner_agency", agency_choices)
                row["action_form"] = action_form
            if may_comment:
                row["comment_form"] = left.get("comment_form")
            if corrected is not None:
                old = before.get(item.position)
                row["discussion_changes"] = _changed(old.discussion if old else "",
                                                     item.discussion)
                row["decisions_changes"] = _changed(old.decisions if old else "",
                                                    item.decisions)
                row["is_new"] = old is None
            rows.append(row)
        day = country.local_date(meeting.starts_at)
        return {
            "minutes": minutes, "meeting": meeting, "omt": meeting.omt, "rows": rows,
            "versions": versions, "corrected": corrected, "correction": correction,
            "quorum": queries.quorum(meeting),
            "meeting_day": day,
            "circulation_deadline": rules.minutes_circulation_deadline(day),  # G6
            "today": today,
            "can_govern": can_govern, "editable": editable, "may_comment": may_comment,
            "can_escalate": access.can(user, Perm.COMMENT_MINUTES, minutes.country_id),
            "summary_form": forms.MinutesSummaryForm(
                initial={"summary": minutes.summary}, auto_id="summary-%s")
            if editable else None,
        }


class MinutesItemPages(GovernancePages):
    """G7: minutes items are written on the minutes page; this declares their rows and
    actions for the API."""

    model = MinutesItem
    filterset = filters.MinutesItemFilterSet
    select_related = ("minutes__meeting",)
    object_arg = "minutes_item"
    create_action = staticmethod(actions.minutes_item_create)
    update_action = staticmethod(actions.minutes_item_update)


class MinutesCommentPages(GovernancePages):
    """G6: comments are read and written on the minutes page; this declares their rows
    for the API (commenting is `POST minutes-items/{id}/comments/`)."""

    model = MinutesComment
    filterset = filters.MinutesCommentFilterSet
    object_arg = "minutes_comment"
    create_action = staticmethod(actions.minutes_comment_create)


def _minutes_or_404(request, pk) -> Minutes:
    return MinutesPages.get_object(request, pk)


def _item_or_404(request, pk) -> MinutesItem:
    return access.get_visible_or_404(
        MinutesItem.objects.select_related("minutes", "minutes__meeting",
                                           "minutes__meeting__omt",
                                           "minutes__meeting__country"),
        request.user, pk=pk)


def _refused(request, minutes_id, status=400, **extra):
    """The minutes page again, as stored, with what was refused."""
    refused = extra.pop("refused", None)
    return MinutesPages.render(request, _minutes_or_404(request, minutes_id), extra=extra,
                               status=status, refused=refused)


@login_required
@require_POST
def minutes_summary(request, pk):
    minutes = _minutes_or_404(request, pk)
    require(request, Perm.GOVERN, minutes.country_id)
    form = forms.MinutesSummaryForm(request.POST)
    if form.is_valid():
        try:
            actions.minutes_update(minutes=minutes, by=request.user, data=form.cleaned_data)
        except ValidationError as error:
            return _refused(request, pk, errors=error.messages)
        messages.success(request, _("The summary is saved."))
        return HttpResponseRedirect(minutes.get_absolute_url())
    return _refused(request, pk, summary_form=form)


@login_required
def minutes_pdf(request, pk):
    minutes = _minutes_or_404(request, pk)
    from commonops.governance.pdf import minutes_pdf as render_pdf  # reportlab, on demand

    response = HttpResponse(render_pdf(minutes), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="omt-minutes-{minutes.meeting.pk}-v{minutes.version}.pdf"')
    return response


@login_required
@require_POST
def minutesitem_save(request, pk):
    """Save an item's discussion and decisions. The hidden `revision` is the one the form
    was opened at: if someone saved since, the answer is 409 with both texts side by side
    and the form now carries the current revision, so a second submit deliberately saves."""
    item = _item_or_404(request, pk)
    require(request, Perm.GOVERN, item.country_id)
    form = forms.MinutesItemForm(request.POST, auto_id=f"item{item.pk}-%s")
    left, status = {}, 400
    if form.is_valid():
        data = {"discussion": form.cleaned_data["discussion"],
                "decisions": form.cleaned_data["decisions"]}
        try:
            actions.minutes_item_update(minutes_item=item, by=request.user,
                                        data={**data, "revision": form.cleaned_data["revision"]})
        except actions.EditConflict as conflict:
            current = conflict.current
            resubmit = request.POST.copy()
            resubmit["revision"] = str(current.revision)
            form = forms.MinutesItemForm(resubmit, auto_id=f"item{item.pk}-%s")
            left = {"conflict": current, "mine": data}
            status = 409
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Item %(item)s is saved.") % {"item": item})
            return HttpResponseRedirect(item.get_absolute_url())
    left["edit_form"] = form
    return _refused(request, item.minutes_id, status=status, refused={item.pk: left})


@login_required
@require_POST
def minutes_action_add(request, pk):
    """G7: an action under a minutes item, with one responsible and a deadline."""
    item = _item_or_404(request, pk)
    require(request, Perm.GOVERN, item.country_id)
    form = forms.ActionForm(request.POST, country=item.country_id, auto_id=f"act{item.pk}-%s")
    if form.is_valid():
        try:
            actions.action_create(by=request.user, data={
                **form.cleaned_data, "omt": item.minutes.meeting.omt, "minutes_item": item})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The action is recorded."))
            return HttpResponseRedirect(item.get_absolute_url())
    return _refused(request, item.minutes_id, refused={item.pk: {"action_form": form}})


@login_required
@require_POST
def minutes_comment(request, pk):
    """G6: a member's or alternate's comment (or reply) during the comment period."""
    item = _item_or_404(request, pk)
    require(request, Perm.COMMENT_MINUTES, item.country_id)
    form = forms.MinutesCommentForm(request.POST, item=item, auto_id=f"cmt{item.pk}-%s")
    if form.is_valid():
        try:
            actions.minutes_comment_create(by=request.user,
                                           data={**form.cleaned_data, "item": item})
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            return HttpResponseRedirect(item.get_absolute_url())
    errors = [message for field_errors in form.errors.values() for message in field_errors]
    return _refused(request, item.minutes_id, errors=errors,
                    refused={item.pk: {"comment_form": form}})
