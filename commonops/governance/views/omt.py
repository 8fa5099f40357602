"""Pages of the OMT itself: its page (G1, G2, G3, G4, G11, G12), settings, the standing
update for the UNCT, members (G1), chair terms (G2), task forces (G10) and the UNCT's
decisions. Members, terms, task forces and decisions are generic `ObjectPages`."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.generic import DetailView, EditView, ListView
from commonops.core.roles import Perm
from commonops.governance import actions, filters, forms, queries
from commonops.governance.models import (
    ChairTerm,
    Escalation,
    Membership,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)
from commonops.governance.views.common import GovernancePages, form_page, require, visible_omt

# --- the OMT -------------------------------------------------------------------------------


@login_required
def omt_home(request):
    """The OMT of the country the user works in; if it has none, whoever runs OMTs there
    may create it."""
    country = request.country
    omt = queries.omt_of(country) if country is not None else None
    if omt is not None:
        return HttpResponseRedirect(omt.get_absolute_url())
    can_create = country is not None and access.can(request.user, Perm.GOVERN, country)
    if request.method == "POST" and not can_create:
        raise PermissionDenied(_("Your roles do not allow this."))
    form = forms.OmtForm(request.POST or None, country=country) if can_create else None
    if form is not None and request.method == "POST":
        return form_page(
            request, form, title=_("Create the OMT"), back=request.path,
            save=lambda data: actions.omt_create(by=request.user,
                                                 data={**data, "country": country}),
            done=_("The OMT of %(country)s is created.") % {"country": country})
    return render(request, "governance/omt_home.html",
                  {"country": country, "form": form, "can_create": can_create})


class OmtPages(GovernancePages):
    """The OMT's page: what a chair sees (chairs, secretariat, members (G1), task forces,
    meetings (G3), actions, late agendas (G4), open escalations (G11)). An OMT is created
    from the OMT home and changed in its settings; it is never deleted."""

    model = Omt
    name = "omt"
    filterset = filters.OmtFilterSet
    select_related = ("country", "secretary", "me_focal_point")
    detail_template = "governance/omt_detail.html"
    object_arg = "omt"
    create_action = staticmethod(actions.omt_create)
    update_action = staticmethod(actions.omt_update)

    @classmethod
    def detail_context(cls, request, omt):
        today = omt.country.today()
        overview = queries.omt_overview(omt, today=today)
        return {
            "omt": omt,
            "today": today,
            **overview,
            "months_without_meeting": [date(y, m, 1)
                                       for y, m in overview["months_without_meeting"]],
            "can_govern": access.can(request.user, Perm.GOVERN, omt.country_id),
            "can_comment": access.can(request.user, Perm.COMMENT_MINUTES, omt.country_id),
            "can_decide": access.can(request.user, Perm.UNCT_DECIDE, omt.country_id),
        }

    @classmethod
    def urls(cls):
        return [path("<int:pk>/", DetailView.as_view(pages=cls), name="omt_detail")]


@login_required
def omt_edit(request, pk):
    omt = visible_omt(request, pk)
    require(request, Perm.GOVERN, omt.country_id)
    form = forms.OmtForm(request.POST or None, instance=omt, country=omt.country_id)

    def save(data):
        omt.refresh_from_db()  # the form applied its values; the action sees the stored row
        return actions.omt_update(omt=omt, by=request.user, data=data)

    return form_page(request, form, title=_("OMT settings"), back=omt.get_absolute_url(),
                     save=save, done=_("The OMT's settings are saved."))


@login_required
def unct_update(request, pk):
    """The standing OMT item of the UNCT meeting, since a day (default: 30 days ago)."""
    omt = visible_omt(request, pk)
    today = omt.country.today()
    form = forms.SinceForm(request.GET or None)
    since, status = today - timedelta(days=30), 200
    if form.is_bound:
        if form.is_valid():
            since = form.cleaned_data["since"] or since
        else:
            status = 400
    update = queries.standing_update(omt, today=today, since=since)
    return render(request, "governance/unct_update.html", {
        "omt": omt, "form": form, "today": today, **update,
        "months_without_meeting": [date(y, m, 1)
                                   for y, m in update["months_without_meeting"]],
    }, status=status)


# --- members, chairs, task forces, decisions ------------------------------------------------


class MembershipPages(GovernancePages):
    """G1: the member agencies, each with its member and designated alternate."""

    model = Membership
    name = "membership"
    segment = "memberships"
    filterset = filters.MembershipFilterSet
    form = forms.MembershipForm
    select_related = ("omt", "country", "agency", "member", "alternate")
    columns = [("agency", L("Agency")), ("member", L("Member")),
               ("alternate", L("Alternate")), ("since", L("Member since")),
               ("country", L("Country"))]
    detail_fields = ["omt", "agency", "member", "alternate", "since"]
    detail_template = "governance/membership_detail.html"
    object_arg = "membership"
    create_action = staticmethod(actions.membership_create)
    update_action = staticmethod(actions.membership_update)
    delete_action = staticmethod(actions.membership_delete)


class ChairTermPages(GovernancePages):
    """G2: chair and co-chair terms. No delete: the terms are the history of who chaired."""

    model = ChairTerm
    name = "chairterm"
    segment = "chair-terms"
    filterset = filters.ChairTermFilterSet
    form = forms.ChairTermForm
    select_related = ("omt", "country", "agency", "person", "decision")
    columns = [("__str__", L("Term")), ("role", L("Role")), ("agency", L("Agency")),
               ("person", L("Person")), ("starts_on", L("From")), ("ends_on", L("To")),
               ("country", L("Country"))]
    detail_fields = ["omt", "role", "agency", "person", "starts_on", "ends_on", "decision"]
    detail_template = "governance/chairterm_detail.html"
    object_arg = "chair_term"
    create_action = staticmethod(actions.chair_term_create)
    update_action = staticmethod(actions.chair_term_update)

    @classmethod
    def urls(cls):
        return [url for url in super().urls() if not url.name.endswith("_delete")]


class TaskForcePages(GovernancePages):
    """G10: task forces with their coordinating agency, members, mandate and actions. No
    delete: a task force ends on its end date and stays as the record of its work."""

    model = TaskForce
    name = "taskforce"
    segment = "task-forces"
    filterset = filters.TaskForceFilterSet
    form = forms.TaskForceForm
    select_related = ("omt", "country", "coordinating_agency", "chair")
    columns = [("name", L("Name")), ("service_line", L("Service line")),
               ("coordinating_agency", L("Coordinating agency")), ("chair", L("Chair")),
               ("ends_on", L("Until")), ("country", L("Country"))]
    detail_fields = ["omt", "name", "service_line", "coordinating_agency", "chair", "mandate",
                     "starts_on", "ends_on"]
    detail_template = "governance/taskforce_detail.html"
    object_arg = "task_force"
    create_action = staticmethod(actions.task_force_create)
    update_action = staticmethod(actions.task_force_update)

    @classmethod
    def urls(cls):
        return [url for url in super().urls() if not url.name.endswith("_delete")]

    @classmethod
    def detail_context(cls, request, obj):
        can_govern = access.can(request.user, Perm.GOVERN, obj.country_id)
        return {
            "members": obj.members.select_related("person", "person__agency"),
            "task_force_actions": list(queries.with_state(
                obj.actions.select_related("owner_person", "owner_agency", "country"),
                today=obj.country.today())),
            "member_form": forms.TaskForceMemberForm(country=obj.country_id)
            if can_govern else None,
            "can_govern": can_govern,
        }


@login_required
@require_POST
def taskforce_member_add(request, pk):
    task_force = access.get_visible_or_404(
        TaskForce.objects.select_related("country"), request.user, pk=pk)
    require(request, Perm.GOVERN, task_force.country_id)
    form = forms.TaskForceMemberForm(request.POST, country=task_force.country_id)
    return form_page(
        request, form, title=_("Add a task-force member"), back=task_force.get_absolute_url(),
        save=lambda data: actions.task_force_member_create(
            by=request.user, data={**data, "task_force": task_force}),
        done=lambda member: _("%(person)s joined the task force.") % {"person": member.person},
        then=lambda member: task_force.get_absolute_url() + "#members")


@login_required
@require_POST
def taskforce_member_remove(request, pk):
    member = access.get_visible_or_404(TaskForceMember.objects.select_related("task_force"),
                                       request.user, pk=pk)
    require(request, Perm.GOVERN, member.country_id)
    actions.task_force_member_delete(task_force_member=member, by=request.user)
    messages.success(request, _("%(person)s left the task force.") % {"person": member.person})
    return HttpResponseRedirect(member.task_force.get_absolute_url() + "#members")


class TaskForceMemberPages(GovernancePages):
    """G10: a task force's members are added and removed on the task force's page; this
    declares their rows and actions for the API."""

    model = TaskForceMember
    filterset = filters.TaskForceMemberFilterSet
    select_related = ("task_force", "person")
    object_arg = "task_force_member"
    create_action = staticmethod(actions.task_force_member_create)
    delete_action = staticmethod(actions.task_force_member_delete)


class _UnctDecisionAddView(EditView):
    """Recording the UNCT's decisions needs UNCT_DECIDE (not the OMT's own right)."""

    def get_instance(self, request, pk):
        require(request, Perm.UNCT_DECIDE, getattr(request.country, "pk", None))
        return None


class UnctDecisionPages(GovernancePages):
    """G2, G11: the UNCT's decisions on OMT matters. Recorded, then kept as they were: there
    is no governance action to change or delete one (the API offers none either)."""

    model = UnctDecision
    name = "unctdecision"
    segment = "unct-decisions"
    filterset = filters.UnctDecisionFilterSet
    form = forms.UnctDecisionForm
    select_related = ("country",)
    columns = [("subject", L("Subject")), ("kind", L("Kind")), ("decided_on", L("Decided on")),
               ("country", L("Country"))]
    detail_fields = ["country", "kind", "decided_on", "subject", "text"]
    detail_template = "governance/unctdecision_detail.html"
    object_arg = "unct_decision"
    create_action = staticmethod(actions.unct_decision_create)

    @classmethod
    def detail_context(cls, request, obj):
        return {
            "escalation": Escalation.objects.filter(decision=obj).first(),
            "terms": obj.terms.select_related("agency", "person"),
        }

    @classmethod
    def urls(cls):
        n, s = cls.name, cls.segment
        return [
            path(f"{s}/", ListView.as_view(pages=cls), name=f"{n}_list"),
            path(f"{s}/add/", _UnctDecisionAddView.as_view(pages=cls), name=f"{n}_add"),
            path(f"{s}/<int:pk>/", DetailView.as_view(pages=cls), name=f"{n}_detail"),
        ]


PAGES = (OmtPages, MembershipPages, ChairTermPages, TaskForcePages, UnctDecisionPages)
