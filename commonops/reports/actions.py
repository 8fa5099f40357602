"""Every change the Performance area makes: administrative budgets (H2 baselines), report
subscriptions and reports prepared in the background. Pages, the API, imports, tasks and
the admin call these and nothing else."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from commonops.core.audit import audited_action
from commonops.core.models import AgencyPresence
from commonops.core.saving import delete_managed, save_managed, validated_save
from commonops.reports import queries
from commonops.reports.models import (
    AdminBudget,
    ReportKind,
    ReportRun,
    RunStatus,
    Subscription,
)

# --- administrative budgets (H2) -------------------------------------------------------------


def _check_presence(budget: AdminBudget) -> None:
    """H2: a baseline belongs to an agency present in the country."""
    if budget.country_id and budget.agency_id and not AgencyPresence.objects.filter(
            country_id=budget.country_id, agency_id=budget.agency_id).exists():
        raise ValidationError({"agency": _("%(agency)s is not listed in %(country)s: add its "
                                           "presence first.") % {
            "agency": budget.agency, "country": budget.country}})


@audited_action
def admin_budget_create(*, by, data: dict) -> AdminBudget:
    """H2: an agency's administrative budget in a country for a year."""
    budget = AdminBudget()
    for name, value in data.items():
        setattr(budget, name, value)
    _check_presence(budget)
    return save_managed(AdminBudget(), by=by, data=data)


@audited_action
def admin_budget_update(*, admin_budget: AdminBudget, by, data: dict) -> AdminBudget:
    candidate = AdminBudget(pk=admin_budget.pk, country_id=admin_budget.country_id,
                            agency_id=admin_budget.agency_id)
    for name, value in data.items():
        setattr(candidate, name, value)
    _check_presence(candidate)
    return save_managed(admin_budget, by=by, data=data)


@audited_action
def admin_budget_delete(*, admin_budget: AdminBudget, by) -> None:
    delete_managed(admin_budget, by=by)


@audited_action
def admin_budget_set(*, by, country, agency, year: int, amount, source: str = ""
                     ) -> AdminBudget:
    """Create or change the one budget of an agency, country and year (imports)."""
    current = AdminBudget.objects.filter(country=country, agency=agency, year=year).first()
    data = {"country": country, "agency": agency, "year": year, "amount": amount,
            "source": source}
    if current is None:
        return admin_budget_create(by=by, data=data)
    return admin_budget_update(admin_budget=current, by=by, data=data)


# --- subscriptions ---------------------------------------------------------------------------


def may_see_report(user, *, kind: str, country=None, region=None, agency=None) -> bool:
    """Whether `user` may read this report (the same rule as its page)."""
    from commonops.core import access

    if kind == ReportKind.COUNTRY:
        return country is not None and access.can(user, "core.view", country)
    if kind == ReportKind.REGION:
        return region is not None and queries.regions_for(user).filter(pk=region.pk).exists()
    if kind == ReportKind.GLOBAL:
        return queries.sees_everything(user)
    if kind == ReportKind.AGENCY:
        return agency is not None and access.can(user, "reports.compare")
    return False


def _scope(data: dict) -> dict:
    """Keep only the country, region or agency the kind of report needs."""
    kind = data.get("kind")
    wanted = {ReportKind.COUNTRY: "country", ReportKind.REGION: "region",
              ReportKind.AGENCY: "agency"}.get(kind)
    return {name: data.get(name) if name == wanted else None
            for name in ("country", "region", "agency")}


@audited_action
def subscription_create(*, by, data: dict) -> Subscription:
    """Subscribe `by` to a report they may read; refused otherwise, nothing saved."""
    data = {**data, **_scope(data), "user": by}
    if not may_see_report(by, kind=data.get("kind"), country=data["country"],
                          region=data["region"], agency=data["agency"]):
        raise ValidationError(_("You may not receive this report: it covers countries "
                                "outside your scope."))
    same = Subscription.objects.filter(
        user=by, kind=data["kind"], country=data["country"], region=data["region"],
        agency=data["agency"], frequency=data.get("frequency"),
        file_format=data.get("file_format"))
    if same.exists():
        raise ValidationError(_("You already receive this report at this frequency and in "
                                "this format."))
    return validated_save(Subscription(), data)


@audited_action
def subscription_delete(*, subscription: Subscription, by) -> None:
    if subscription.user_id != getattr(by, "pk", None):
        raise PermissionDenied(_("Only the subscriber may end a subscription."))
    subscription.delete()


# --- reports prepared in the background ------------------------------------------------------


def report_run_start(*, by, kind: str, year: int, country=None, region=None, agency=None,
                     language: str = "en") -> ReportRun:
    """Ask for a report's PDF and XLSX: the row the page follows, and the task that fills
    it. Enqueued in the same transaction as the row (the database backend stores the task
    with it), so a worker never looks for a run that is not there yet."""
    from django.db import transaction

    from commonops.reports import tasks

    if not may_see_report(by, kind=kind, country=country, region=region, agency=agency):
        raise PermissionDenied
    with transaction.atomic():
        run = ReportRun.objects.create(requested_by=by, kind=kind, year=year,
                                       country=country, region=region, agency=agency,
                                       language=language, status=RunStatus.QUEUED,
                                       created_by=by, updated_by=by)
        result = tasks.prepare_report.enqueue(run.pk)
        ReportRun.objects.filter(pk=run.pk, task_id="").update(task_id=result.id)
    run.refresh_from_db()
    return run
