"""URLs of OMT governance, under /omt/."""

from django.urls import path

from commonops.governance import views

app_name = "governance"

urlpatterns = [
    # the OMT
    path("", views.omt_home, name="omt_home"),
    path("<int:pk>/", views.omt_detail, name="omt_detail"),
    path("<int:pk>/edit/", views.omt_edit, name="omt_edit"),
    path("<int:pk>/unct-update/", views.unct_update, name="unct_update"),
    path("<int:pk>/meetings/add/", views.meeting_add, name="meeting_add"),
    path("<int:pk>/actions/add/", views.action_add, name="action_add"),
    path("<int:pk>/escalations/add/", views.escalation_add, name="escalation_add"),
    # task-force members
    path("task-forces/<int:pk>/members/add/", views.taskforce_member_add,
         name="taskforce_member_add"),
    path("task-force-members/<int:pk>/remove/", views.taskforce_member_remove,
         name="taskforce_member_remove"),
    # meetings, agendas, attendance
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/send-agenda/", views.agenda_send, name="agenda_send"),
    path("meetings/<int:pk>/invitation.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/agenda/add/", views.agendaitem_add, name="agendaitem_add"),
    path("meetings/<int:pk>/attendance/", views.attendance_add, name="attendance_add"),
    path("meetings/<int:pk>/attendance/list/", views.attendance_list, name="attendance_list"),
    path("meetings/<int:pk>/quorum/", views.meeting_quorum, name="meeting_quorum"),
    path("meetings/<int:pk>/minutes/start/", views.minutes_start, name="minutes_start"),
    path("agenda-items/<int:pk>/edit/", views.agendaitem_edit, name="agendaitem_edit"),
    path("agenda-items/<int:pk>/delete/", views.agendaitem_delete, name="agendaitem_delete"),
    path("agenda-items/<int:pk>/move/", views.agendaitem_move, name="agendaitem_move"),
    path("agenda-items/<int:pk>/papers/add/", views.paper_add, name="paper_add"),
    path("papers/<int:pk>/", views.paper_download, name="paper_download"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    # minutes
    path("minutes/<int:pk>/", views.minutes_detail, name="minutes_detail"),
    path("minutes/<int:pk>/circulate/", views.minutes_circulate, name="minutes_circulate"),
    path("minutes/<int:pk>/finalise/", views.minutes_finalise, name="minutes_finalise"),
    path("minutes/<int:pk>/share/", views.minutes_share, name="minutes_share"),
    path("minutes/<int:pk>/correct/", views.minutes_correct, name="minutes_correct"),
    path("minutes/<int:pk>/summary/", views.minutes_summary, name="minutes_summary"),
    path("minutes/<int:pk>/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("minutes-items/<int:pk>/save/", views.minutesitem_save, name="minutesitem_save"),
    path("minutes-items/<int:pk>/actions/add/", views.minutes_action_add,
         name="minutes_action_add"),
    path("minutes-items/<int:pk>/comment/", views.minutes_comment, name="minutes_comment"),
    # actions
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/done/", views.action_complete, name="action_complete"),
    # escalations
    path("escalations/", views.escalation_list, name="escalation_list"),
    path("escalations/<int:pk>/", views.escalation_detail, name="escalation_detail"),
    path("escalations/<int:pk>/decide/", views.escalation_decide, name="escalation_decide"),
]

# memberships, chair terms, task forces, UNCT decisions: list/add/detail/edit(/delete)
for pages in (views.MembershipPages, views.ChairTermPages, views.TaskForcePages,
              views.UnctDecisionPages):
    urlpatterns += pages.urls()
