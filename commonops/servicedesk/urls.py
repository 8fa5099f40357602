from django.urls import path

from commonops.servicedesk import views

app_name = "servicedesk"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("tickets/", views.ticket_queue, name="queue"),
    path("tickets/new/", views.ticket_raise, name="ticket_raise"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/reply/", views.ticket_reply, name="ticket_reply"),
    path("tickets/<int:pk>/status/", views.ticket_status, name="ticket_status"),
    path("tickets/<int:pk>/take/", views.ticket_take, name="ticket_take"),
    path("tickets/<int:pk>/assign/", views.ticket_assign, name="ticket_assign"),
    path("tickets/<int:pk>/update/", views.ticket_update, name="ticket_update"),
    path("tickets/<int:pk>/merge/", views.ticket_merge, name="ticket_merge"),
    path("tickets/<int:pk>/rate/", views.ticket_rate, name="ticket_rate"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("availability/", views.agent_availability, name="availability"),
    path("mail/", views.mail_review, name="mail_review"),
    path("kpis/", views.kpi_dashboard, name="kpis"),
    path("kpis/record/", views.kpi_record, name="kpi_record"),
    *views.TeamPages.urls(),
    *views.AgentPages.urls(),
    *views.CategoryPages.urls(),
    *views.SlaPolicyPages.urls(),
]
