"""Pages of the service desk: generic pages for teams, agents, categories and SLA policies;
workflow pages for tickets (raise, queue, timeline, reply, status, assignment, merge,
rating), the mail review queue and the KPI dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as L
from django.views.decorators.http import require_POST

from commonops.core import access
from commonops.core.charts import Series, column_chart, line_chart
from commonops.core.filters import filter_status
from commonops.core.generic import ObjectPages
from commonops.core.roles import Perm
from commonops.servicedesk import actions, filters, forms, mail, queries
from commonops.servicedesk.models import (
    Agent,
    Attachment,
    Category,
    InboundMail,
    MailStatus,
    SlaPolicy,
    Status,
    Team,
)

# --- generic pages ---------------------------------------------------------------------------


class TeamPages(ObjectPages):
    """T3: teams of agents, each with a lead who gets SLA warnings and low ratings."""

    model = Team
    namespace = "servicedesk"
    name = "team"
    segment = "teams"
    filterset = filters.TeamFilterSet
    form = forms.TeamForm
    select_related = ("country", "lead")
    columns = [("name", L("Name")), ("lead", L("Team lead")), ("email", L("E-mail")),
               ("country", L("Country"))]
    detail_fields = ["country", "name", "lead", "email"]
    object_arg = "team"
    create_action = staticmethod(actions.team_create)
    update_action = staticmethod(actions.team_update)
    delete_action = staticmethod(actions.team_delete)


class AgentPages(ObjectPages):
    model = Agent
    namespace = "servicedesk"
    name = "agent"
    segment = "agents"
    filterset = filters.AgentFilterSet
    form = forms.AgentForm
    select_related = ("country", "user", "team")
    columns = [("user", L("Person")), ("team", L("Team")), ("available", L("Available")),
               ("last_assigned_at", L("Last assigned")), ("country", L("Country"))]
    detail_fields = ["country", "team", "user", "available", "last_assigned_at"]
    object_arg = "agent"
    create_action = staticmethod(actions.agent_create)
    update_action = staticmethod(actions.agent_update)
    delete_action = staticmethod(actions.agent_delete)


class CategoryPages(ObjectPages):
    model = Category
    namespace = "servicedesk"
    name = "category"
    segment = "categories"
    filterset = filters.CategoryFilterSet
    form = forms.CategoryForm
    select_related = ("country", "team", "common_service")
    columns = [("name", L("Name")), ("team", L("Team")),
               ("common_service", L("Common service")), ("country", L("Country"))]
    detail_fields = ["country", "name", "team", "common_service"]
    object_arg = "category"
    create_action = staticmethod(actions.category_create)
    update_action = staticmethod(actions.category_update)
    delete_action = staticmethod(actions.category_delete)


class SlaPolicyPages(ObjectPages):
    model = SlaPolicy
    namespace = "servicedesk"
    name = "slapolicy"
    segment = "sla-policies"
    filterset = filters.SlaPolicyFilterSet
    form = forms.SlaPolicyForm
    select_related = ("country",)
    columns = [("priority", L("Priority")),
               ("first_response_hours", L("First response (business hours)")),
               ("resolution_hours", L("Resolution (business hours)")),
               ("country", L("Country"))]
    detail_fields = ["country", "priority", "first_response_hours", "resolution_hours"]
    object_arg = "sla_policy"
    create_action = staticmethod(actions.sla_policy_create)
    update_action = staticmethod(actions.sla_policy_update)
    delete_action = staticmethod(actions.sla_policy_delete)


# --- helpers ---------------------------------------------------------------------------------


def _country(request):
    country = getattr(request, "country", None)
    if country is None:
        raise Http404
    return country


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


# --- tickets ---------------------------------------------------------------------------------


@login_required
def desk_home(request):
    """Everyone's entry: their requests (T4); agents also see their queue counts."""
    country = _country(request)
    is_agent = access.can(request.user, Perm.WORK_TICKETS, country.pk)
    mine = Paginator(queries.my_requests(request.user), 20).get_page(request.GET.get("page"))
    agent = Agent.objects.filter(country=country, user=request.user).select_related(
        "team").first()
    has_desk = Category.objects.filter(country=country).exists()
    return render(request, "servicedesk/home.html", {
        "country": country, "requests": mine, "has_desk": has_desk,
        "contacts": [] if has_desk else queries.desk_contacts(country),
        "can_raise": access.can(request.user, Perm.RAISE_TICKETS, country.pk),
        "is_agent": is_agent, "agent": agent,
        "can_manage": access.can(request.user, Perm.MANAGE_DESK, country.pk),
        "now": timezone.now(),
    })


@login_required
def ticket_raise(request):
    country = _country(request)
    if not access.can(request.user, Perm.RAISE_TICKETS, country.pk):
        raise PermissionDenied
    form = forms.TicketForm(request.POST or None, request.FILES or None, country=country)
    if not form.fields["category"].queryset.exists():
        # No category, no desk: say so and whom to ask rather than a form that cannot be sent.
        return render(request, "servicedesk/no_desk.html", {
            "country": country, "contacts": queries.desk_contacts(country)})
    errors = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = actions.ticket_raise(
                country=country, requester=request.user, category=data["category"],
                priority=data["priority"], subject=data["subject"],
                description=data["description"], cc=list(data["cc"]), files=data["files"],
                by=request.user)
        except ValidationError as error:
            errors = _errors(error)
        else:
            messages.success(request, _("Ticket %(number)s raised.") % {
                "number": ticket.number})
            return HttpResponseRedirect(ticket.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "servicedesk/ticket_form.html",
                  {"form": form, "errors": errors, "country": country}, status=status)


@login_required
def ticket_queue(request):
    """T3: the desk's open tickets, soonest due first; filter by team or "assigned to me".

    Without filters an agent sees the open tickets of their teams, anyone else who reads the
    desk (managers, the RC, auditors) every open ticket of the country."""
    country = _country(request)
    if not queries.reads_desk(request.user, country.pk):
        raise PermissionDenied
    data = request.GET.copy()
    if not data.keys() - {"page"} and Agent.objects.filter(
            country=country, user=request.user).exists():
        data["my_teams"] = "true"
    done = data.get("status") in (Status.RESOLVED, Status.CLOSED)
    base = queries.queue(request.user, country=country, include_done=done)
    filterset = filters.TicketFilterSet(data, queryset=base, request=request)
    rows = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return render(request, "servicedesk/queue.html", {
        "country": country, "filterset": filterset, "page": page, "now": timezone.now(),
        "query": query.urlencode(), "mine": data.get("mine") == "true",
        "my_teams": data.get("my_teams") == "true",
    }, status=filter_status(filterset))


def render_ticket(request, ticket, *, status=200, **extra):
    """The ticket page (T4): its timeline and the steps the person may take now
    (servicedesk/workflows.py); `extra` carries a refused step's message and form."""
    user = request.user
    is_agent = access.can(user, Perm.WORK_TICKETS, ticket.country_id)
    context = {
        "ticket": ticket,
        "events": queries.timeline(ticket, user),
        "attachments": queries.attachments_for(ticket, user),
        "is_agent": is_agent,
        "rating": getattr(ticket, "rating", None) if hasattr(ticket, "rating") else None,
        "now": timezone.now(),
        "errors": [],
        **extra,
    }
    return render(request, "servicedesk/ticket_detail.html", context, status=status)


@login_required
def ticket_detail(request, pk):
    return render_ticket(request, queries.ticket_or_404(request.user, pk))


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("ticket"), pk=pk)
    ticket = queries.ticket_or_404(request.user, attachment.ticket_id)
    if not attachment.public and not queries.sees_internal_notes(request.user, ticket):
        raise Http404
    from commonops.documents.classification import stored_file_response

    return stored_file_response(request, attachment, attachment.file, attachment.name)


@login_required
@require_POST
def agent_availability(request):
    """T3: agents mark themselves away (no new tickets) or back."""
    country = _country(request)
    agents = list(Agent.objects.filter(country=country, user=request.user))
    if not agents:
        raise PermissionDenied
    available = request.POST.get("available") == "true"
    for agent in agents:
        actions.agent_set_available(agent=agent, available=available, by=request.user)
    messages.success(request, _("You are available for new tickets.") if available
                     else _("You are away: new tickets go to the others."))
    return HttpResponseRedirect(reverse("servicedesk:home"))


# --- mail review queue (T1) ------------------------------------------------------------------


@login_required
def mail_review(request):
    country = _country(request)
    access.require(request.user, Perm.MANAGE_DESK, country.pk)
    pending = InboundMail.objects.filter(country=country, status=MailStatus.PENDING)
    errors = []
    if request.method == "POST":
        item = get_object_or_404(pending, pk=request.POST.get("mail"))
        if request.POST.get("discard"):
            mail.mail_discard(item=item, by=request.user)
            messages.success(request, _("Discarded."))
            return HttpResponseRedirect(reverse("servicedesk:mail_review"))
        form = forms.MailAcceptForm(request.POST, country=country)
        if form.is_valid():
            try:
                ticket = mail.mail_accept(item=item, requester=form.cleaned_data["requester"],
                                          category=form.cleaned_data["category"],
                                          by=request.user)
            except ValidationError as error:
                errors = _errors(error)
            else:
                messages.success(request, _("Ticket %(number)s raised.") % {
                    "number": ticket.number})
                return HttpResponseRedirect(reverse("servicedesk:mail_review"))
        else:
            errors = [e for errs in form.errors.values() for e in errs]
    page = Paginator(pending.order_by("-received_at"), 20).get_page(request.GET.get("page"))
    return render(request, "servicedesk/mail_review.html", {
        "page": page, "form": forms.MailAcceptForm(country=country), "errors": errors,
    }, status=400 if errors else 200)


# --- KPIs (T6) -------------------------------------------------------------------------------


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


@login_required
def kpi_dashboard(request):
    country = _country(request)
    if not (access.can(request.user, Perm.WORK_TICKETS, country.pk)
            or access.can(request.user, Perm.EXPORT, country.pk)):
        raise PermissionDenied
    now = timezone.now()
    today = country.local_date(now)
    year = _int(request.GET.get("year"), today.year, 2000, 2100)
    month = _int(request.GET.get("month"), 0, 0, 12) or None
    dimension = request.GET.get("by") if request.GET.get("by") in queries.DIMENSIONS else \
        "team"
    series, year_total = queries.monthly_series(country=country, year=year)
    breakdown_month = month or (today.month if year == today.year else 12)
    labels = [capfirst(MONTHS_3[m["month"]]) for m in series]

    def values(key):
        return [None if m[key] is None else float(m[key]) for m in series]

    charts = [
        line_chart(title=_("SLA compliance by month, %(year)s") % {"year": year},
                   labels=labels, unit="%", series=[
                       Series(_("First response on time"), values("first")),
                       Series(_("Resolution on time"), values("resolution"))]),
        column_chart(title=_("Tickets opened and resolved by month, %(year)s")
                     % {"year": year}, labels=labels, unit=_("tickets"), series=[
                         Series(_("Opened"), values("opened")),
                         Series(_("Resolved"), values("resolved"))]),
        line_chart(title=_("Median time to resolve by month, %(year)s") % {"year": year},
                   labels=labels, unit=_("business hours"),
                   series=[Series(_("Median"), values("median"))]),
        line_chart(title=_("Satisfaction and reopen rate by month, %(year)s")
                   % {"year": year}, labels=labels, unit="%",
                   series=[Series(_("Satisfied (4–5)"), values("satisfaction")),
                           Series(_("Reopened"), values("reopen"))]),
    ]
    return render(request, "servicedesk/kpis.html", {
        "country": country, "year": year, "month": month, "dimension": dimension,
        "dimensions": [("team", _("Team")), ("agent", _("Agent")),
                       ("category", _("Category")), ("agency", _("Agency"))],
        "months": range(1, 13), "years": range(today.year - 3, today.year + 1),
        "total": queries.kpis(country=country, year=year, month=month)[0] if month
        else year_total,
        # T6 asks for the breakdown per month: the chosen month, else the year's latest
        "breakdown_month": breakdown_month,
        "rows": queries.kpis(country=country, year=year, month=breakdown_month,
                             dimension=dimension),
        "backlog": queries.backlog(country=country, now=now),
        "series": series, "charts": charts,
        "can_record": access.can(request.user, Perm.MEASURE, country.pk),
    })


@login_required
@require_POST
def kpi_record(request):
    """T6: record a month's KPIs as results-engine measurements."""
    from commonops.servicedesk import kpis

    country = _country(request)
    year = _int(request.POST.get("year"), 0, 2000, 2100)
    month = _int(request.POST.get("month"), 0, 1, 12)
    if not year or not month:
        messages.error(request, _("Choose a month to record."))
    else:
        kpis.kpi_record_month(country=country, year=year, month=month, by=request.user)
        messages.success(request, _("The KPIs of %(year)s-%(month)02d are recorded.") % {
            "year": year, "month": month})
    return HttpResponseRedirect(reverse("servicedesk:kpis") + f"?year={year}&month={month}")
