"""Django admin of OMT governance for administrators, scoped like the pages.

What the rules derive is read-only here (a meeting's status and late agenda, an action's
closing). Rows whose every change carries a rule the database cannot hold — seats and
chair terms give their holders their roles (G1, G2), a task force's coordinating agency
sits on the OMT (G10), the agenda closes once the meeting is held (G4), minutes and their
comments follow G6, decisions and escalations are the UNCT's (G11) — are shown here and
changed only through the pages and the API, which apply G1–G12.
"""

from django.contrib import admin

from commonops.core.admin import ScopedAdmin
from commonops.governance.models import (
    Action,
    ActionStatus,
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


class ReadOnlyAdmin(ScopedAdmin):
    """Shown and searched here; added, changed and deleted through the governance pages."""

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
    readonly_fields = ["country"]  # one OMT per country, for good

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["agency", "member", "alternate", "since", "country"]
    list_filter = ["country"]


@admin.register(ChairTerm)
class ChairTermAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "person", "starts_on", "ends_on", "decision", "country"]
    list_filter = ["role", "country"]


@admin.register(TaskForce)
class TaskForceAdmin(ReadOnlyAdmin):
    list_display = ["name", "service_line", "coordinating_agency", "ends_on", "country"]
    list_filter = ["service_line", "country"]
    search_fields = ["name", "mandate"]


@admin.register(TaskForceMember)
class TaskForceMemberAdmin(ReadOnlyAdmin):
    list_display = ["person", "task_force", "expertise"]


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    list_display = ["title", "starts_at", "kind", "status", "agenda_sent_at", "agenda_late",
                    "country"]
    list_filter = ["status", "kind", "agenda_late", "country"]
    search_fields = ["title"]
    readonly_fields = ["omt", "status", "agenda_sent_at", "agenda_late"]

    def has_delete_permission(self, request, obj=None):
        return False  # a meeting is cancelled (a step), and stays on the record (G3)


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "meeting", "presenter"]


@admin.register(AgendaPaper)
class AgendaPaperAdmin(ReadOnlyAdmin):
    list_display = ["title", "item"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "meeting", "agency"]
    list_filter = ["capacity", "status", "country"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "circulated_late", "comments_until", "finalised_at",
                    "country"]
    list_filter = ["status", "circulated_late", "country"]


@admin.register(MinutesItem)
class MinutesItemAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "minutes", "without_quorum"]
    list_filter = ["without_quorum", "country"]


@admin.register(MinutesComment)
class MinutesCommentAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "item", "created_at"]


@admin.register(Action)
class ActionAdmin(ScopedAdmin):
    list_display = ["title", "owner_person", "owner_agency", "due_on", "status", "country"]
    list_filter = ["status", "country"]
    search_fields = ["title"]
    readonly_fields = ["omt", "minutes_item", "meeting", "status", "done_on", "done_note"]

    def has_change_permission(self, request, obj=None):
        # a done action is not changed (G7)
        return super().has_change_permission(request, obj) and (
            obj is None or obj.status == ActionStatus.OPEN)

    def has_delete_permission(self, request, obj=None):
        return False  # an action is closed (a step) and stays in the tracker (G7)


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "status", "raised_by", "decision", "country"]
    list_filter = ["status", "country"]


@admin.register(UnctDecision)
class UnctDecisionAdmin(ReadOnlyAdmin):
    list_display = ["subject", "kind", "decided_on", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["subject", "text"]
