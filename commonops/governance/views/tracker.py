"""Pages of the action tracker (G7) and of escalations to the UNCT (G11). Marking an action
done and recording the UNCT's decision are workflow steps (governance/workflows.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L

from commonops.core import access
from commonops.core.generic import DetailView, ListView
from commonops.core.roles import Perm
from commonops.governance import actions, filters, forms, queries
from commonops.governance.models import Action, ActionStatus, Escalation, MinutesItem
from commonops.governance.views.common import GovernancePages, form_page, require, visible_omt


def _today(request):
    """The tracker's "today": the day in the country the person works in (an action's
    state on its own page is read in its own country)."""
    country = getattr(request, "country", None)
    return queries.today_in(country)


def _omt_of(request):
    country = getattr(request, "country", None)
    return queries.omt_of(country) if country is not None else None


class ActionPages(GovernancePages):
    """The action tracker: open, due soon, overdue, done; by owner, meeting, task force."""

    model = Action
    name = "action"
    segment = "actions"
    filterset = filters.ActionFilterSet
    select_related = ("omt", "country", "owner_person", "owner_agency", "meeting",
                      "task_force", "minutes_item", "minutes_item__minutes")
    columns = [("title", L("Action")), ("owner", L("Responsible")),
               ("due_on", L("Deadline")), ("status", L("Status")),
               ("done_on", L("Done on")), ("meeting", L("Meeting")),
               ("task_force", L("Task force")), ("country", L("Country"))]
    list_template = "governance/action_list.html"
    table_template = "governance/_action_table.html"
    detail_template = "governance/action_detail.html"
    object_arg = "action"
    create_action = staticmethod(actions.action_create)
    update_action = staticmethod(actions.action_update)

    @classmethod
    def queryset(cls, request):
        return queries.with_state(super().queryset(request), today=_today(request))

    @classmethod
    def get_object(cls, request, pk):
        action = super().get_object(request, pk)
        return queries.with_state(Action.objects.filter(pk=action.pk).select_related(
            *cls.select_related), today=action.country.today()).get()

    @classmethod
    def list_context(cls, request):
        omt = _omt_of(request)
        return {"omt": omt, "can_add": omt is not None and access.can(
            request.user, Perm.GOVERN, omt.country_id)}

    @classmethod
    def detail_context(cls, request, action):
        return {"action": action,
                "can_edit": action.status == ActionStatus.OPEN
                and access.can(request.user, Perm.GOVERN, action.country_id)}

    @classmethod
    def urls(cls):
        return [
            path("actions/", ListView.as_view(pages=cls), name="action_list"),
            path("actions/<int:pk>/", DetailView.as_view(pages=cls), name="action_detail"),
        ]


@login_required
def action_add(request, pk):
    """An action outside the minutes (for example a task force's)."""
    omt = visible_omt(request, pk)
    require(request, Perm.GOVERN, omt.country_id)
    form = forms.StandaloneActionForm(request.POST or None, omt=omt,
                                      initial={"task_force": request.GET.get("task_force")})
    return form_page(
        request, form, title=_("Add an action"), back=reverse("governance:action_list"),
        save=lambda data: actions.action_create(by=request.user, data={**data, "omt": omt}),
        done=_("The action is recorded."))


@login_required
def action_edit(request, pk):
    """Change an open action's text, responsible or deadline (still G7)."""
    action = ActionPages.get_object(request, pk)
    require(request, Perm.GOVERN, action.country_id)
    form = forms.ActionForm(request.POST or None, country=action.country_id, initial={
        "title": action.title, "owner_person": action.owner_person_id,
        "owner_agency": action.owner_agency_id, "due_on": action.due_on})
    return form_page(
        request, form, title=_("Edit the action"), back=action.get_absolute_url(),
        save=lambda data: actions.action_update(action=action, by=request.user, data=data),
        done=_("The action is saved."))


# --- escalations and UNCT decisions (G11) ----------------------------------------------------


class EscalationPages(GovernancePages):
    """G11: disagreements taken to the UNCT, open or decided."""

    model = Escalation
    name = "escalation"
    segment = "escalations"
    filterset = filters.EscalationFilterSet
    select_related = ("omt", "country", "raised_by", "decision", "minutes_item",
                      "minutes_item__minutes")
    columns = [("subject", L("Subject")), ("status", L("Status")),
               ("raised_by", L("Raised by")), ("decision", L("UNCT decision")),
               ("country", L("Country"))]
    list_template = "governance/escalation_list.html"
    table_template = "governance/_escalation_table.html"
    detail_template = "governance/escalation_detail.html"
    object_arg = "escalation"
    create_action = staticmethod(actions.escalation_create)

    @classmethod
    def may_create(cls, user) -> bool:
        """G11: any OMT member may raise one (the action checks the OMT's country)."""
        return access.can(user, Perm.COMMENT_MINUTES)

    @classmethod
    def list_context(cls, request):
        omt = _omt_of(request)
        return {"omt": omt, "can_raise": omt is not None and access.can(
            request.user, Perm.COMMENT_MINUTES, omt.country_id)}

    @classmethod
    def detail_context(cls, request, escalation):
        return {"escalation": escalation}

    @classmethod
    def urls(cls):
        return [
            path("escalations/", ListView.as_view(pages=cls), name="escalation_list"),
            path("escalations/<int:pk>/", DetailView.as_view(pages=cls),
                 name="escalation_detail"),
        ]


@login_required
def escalation_add(request, pk):
    """G11: any OMT member may take a disagreement to the UNCT."""
    omt = visible_omt(request, pk)
    require(request, Perm.COMMENT_MINUTES, omt.country_id)
    minutes_item = None
    item_id = request.POST.get("minutes_item") or request.GET.get("minutes_item")
    if item_id:
        try:
            minutes_item = access.get_visible_or_404(
                MinutesItem.objects.filter(minutes__meeting__omt=omt), request.user,
                pk=int(item_id))
        except ValueError:
            raise Http404 from None
    form = forms.EscalationForm(request.POST or None)
    return form_page(
        request, form, title=_("Escalate to the UNCT"), back=omt.get_absolute_url(),
        intro=_("From the minutes: %(item)s") % {"item": minutes_item} if minutes_item else "",
        save=lambda data: actions.escalation_create(by=request.user, data={
            **data, "omt": omt, "minutes_item": minutes_item}),
        done=_("The escalation is with the UNCT."))
