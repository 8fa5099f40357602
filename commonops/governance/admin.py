"""Django admin of OMT governance for global administrators, scoped like the pages.

Every save and delete goes through the governance actions (core's `ScopedAdmin` calls those
the model's `ObjectPages` names), so the admin applies G1–G12 as the pages do — a seat or a
chair term changed here gives its holder the seat's roles, a term without the UNCT's
decision is refused (G2), the agenda of a held meeting does not change (G4) — and a refusal
is a message. What the rules derive is read-only (a meeting's status and late agenda, an
action's closing); rows without actions of their own (minutes and their papers) and rows
that only their workflow or their authors change (minutes items, comments, escalations)
are shown, not changed.
"""

from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.governance.models import (
    Action,
    AgendaItem,
    AgendaPaper,
    Attendance,
    ChairTerm,
    Escalation,
    Meeting,
    Membership,
    Minutes,
    MinutesComment,
    MinutesItem,
    Omt,
    TaskForce,
    TaskForceMember,
    UnctDecision,
)


class GovernanceAdmin(ScopedAdmin):
    """A row of an OMT: its country is its OMT's."""

    readonly_fields = ["country"]


class ShownAdmin(ScopedAdmin):
    """Shown and searched here; changed through the governance pages and their steps."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Omt)
class OmtAdmin(ScopedAdmin):
    list_display = ["name", "country", "secretariat", "secretary"]
    list_filter = ["secretariat", "country"]


@admin.register(Membership)
class MembershipAdmin(GovernanceAdmin):
    list_display = ["agency", "member", "alternate", "since", "country"]
    list_filter = ["country"]


@admin.register(ChairTerm)
class ChairTermAdmin(GovernanceAdmin):
    list_display = ["__str__", "person", "starts_on", "ends_on", "decision", "country"]
    list_filter = ["role", "country"]


@admin.register(TaskForce)
class TaskForceAdmin(GovernanceAdmin):
    list_display = ["name", "service_line", "coordinating_agency", "ends_on", "country"]
    list_filter = ["service_line", "country"]
    search_fields = ["name", "mandate"]


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(GovernanceAdmin):
    list_display = ["person", "task_force", "expertise"]


@admin.register(Meeting)
class MeetingAdmin(GovernanceAdmin):
    list_display = ["title", "starts_at", "kind", "status", "agenda_sent_at", "agenda_late",
                    "country"]
    list_filter = ["status", "kind", "agenda_late", "country"]
    search_fields = ["title"]
    readonly_fields = ["country", "status", "agenda_sent_at", "agenda_late"]  # steps set them


@admin.register(AgendaItem)
class AgendaItemAdmin(GovernanceAdmin):
    list_display = ["__str__", "meeting", "presenter"]
    readonly_fields = ["country", "position", "standard"]


@admin.register(AgendaPaper)
class AgendaPaperAdmin(GovernanceAdmin):
    list_display = ["title", "item"]


@admin.register(Attendance)
class AttendanceAdmin(GovernanceAdmin):
    list_display = ["__str__", "meeting", "agency"]
    list_filter = ["capacity", "status", "country"]
    readonly_fields = ["country", "agency"]  # G5: the seat's agency


@admin.register(Minutes)
class MinutesAdmin(GovernanceAdmin):
    list_display = ["__str__", "status", "circulated_late", "comments_until", "finalised_at",
                    "country"]
    list_filter = ["status", "circulated_late", "country"]


@admin.register(MinutesItem)
class MinutesItemAdmin(ShownAdmin):
    """Written on the minutes page, where an edit conflict is shown rather than lost."""

    list_display = ["__str__", "minutes", "without_quorum"]
    list_filter = ["without_quorum", "country"]


@admin.register(MinutesComment)
class MinutesCommentAdmin(ShownAdmin):
    list_display = ["__str__", "item", "created_at"]


@admin.register(Action)
class ActionAdmin(GovernanceAdmin):
    list_display = ["title", "owner_person", "owner_agency", "due_on", "status", "country"]
    list_filter = ["status", "country"]
    search_fields = ["title"]
    readonly_fields = ["country", "status", "done_on", "done_note"]  # closed by a step (G7)


@admin.register(Escalation)
class EscalationAdmin(ShownAdmin):
    """Raised by the OMT's members, decided by the UNCT (G11)."""

    list_display = ["subject", "status", "raised_by", "decision", "country"]
    list_filter = ["status", "country"]


@admin.register(UnctDecision)
class UnctDecisionAdmin(ScopedAdmin):
    list_display = ["subject", "kind", "decided_on", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["subject", "text"]
