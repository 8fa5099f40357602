"""URLs of OMT governance, under /omt/."""

from django.urls import path

from commonops.governance.views import meetings, minutes, omt, tracker
from commonops.governance.workflows import (
    ACTION_WORKFLOW,
    ESCALATION_WORKFLOW,
    MEETING_WORKFLOW,
    MINUTES_WORKFLOW,
)

app_name = "governance"

urlpatterns = [
    # the OMT
    path("", omt.omt_home, name="omt_home"),
    path("<int:pk>/edit/", omt.omt_edit, name="omt_edit"),
    path("<int:pk>/unct-update/", omt.unct_update, name="unct_update"),
    path("<int:pk>/meetings/add/", meetings.meeting_add, name="meeting_add"),
    path("<int:pk>/actions/add/", tracker.action_add, name="action_add"),
    path("<int:pk>/escalations/add/", tracker.escalation_add, name="escalation_add"),
    # task-force members
    path("task-forces/<int:pk>/members/add/", omt.taskforce_member_add,
         name="taskforce_member_add"),
    path("task-force-members/<int:pk>/remove/", omt.taskforce_member_remove,
         name="taskforce_member_remove"),
    # meetings, agendas, attendance
    path("meetings/<int:pk>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/invitation.ics", meetings.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/agenda/add/", meetings.agendaitem_add, name="agendaitem_add"),
    path("meetings/<int:pk>/attendance/", meetings.attendance_add, name="attendance_add"),
    path("meetings/<int:pk>/attendance/list/", meetings.attendance_list,
         name="attendance_list"),
    path("meetings/<int:pk>/quorum/", meetings.meeting_quorum, name="meeting_quorum"),
    path("agenda-items/<int:pk>/edit/", meetings.agendaitem_edit, name="agendaitem_edit"),
    path("agenda-items/<int:pk>/delete/", meetings.agendaitem_delete,
         name="agendaitem_delete"),
    path("agenda-items/<int:pk>/move/", meetings.agendaitem_move, name="agendaitem_move"),
    path("agenda-items/<int:pk>/papers/add/", meetings.paper_add, name="paper_add"),
    path("papers/<int:pk>/", meetings.paper_download, name="paper_download"),
    path("attendance/<int:pk>/remove/", meetings.attendance_remove, name="attendance_remove"),
    # minutes
    path("minutes/<int:pk>/summary/", minutes.minutes_summary, name="minutes_summary"),
    path("minutes/<int:pk>/pdf/", minutes.minutes_pdf, name="minutes_pdf"),
    path("minutes-items/<int:pk>/save/", minutes.minutesitem_save, name="minutesitem_save"),
    path("minutes-items/<int:pk>/actions/add/", minutes.minutes_action_add,
         name="minutes_action_add"),
    path("minutes-items/<int:pk>/comment/", minutes.minutes_comment, name="minutes_comment"),
    # actions
    path("actions/<int:pk>/edit/", tracker.action_edit, name="action_edit"),
]

# Lists and object pages (core.generic): memberships, chair terms, task forces, UNCT
# decisions with their forms; meetings, minutes, actions and escalations list and page.
for pages in (*omt.PAGES, meetings.MeetingPages, minutes.MinutesPages, tracker.ActionPages,
              tracker.EscalationPages):
    urlpatterns += pages.urls()

# Workflow steps (governance/workflows.py): send the agenda, cancel, start the minutes (G4,
# G6); circulate, finalise, share, correct the minutes (G6); mark an action done (G7);
# record the UNCT's decision (G11).
for workflow in (MEETING_WORKFLOW, MINUTES_WORKFLOW, ACTION_WORKFLOW, ESCALATION_WORKFLOW):
    urlpatterns += workflow.urls()
