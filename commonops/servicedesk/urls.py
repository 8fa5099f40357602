from django.urls import path

from commonops.servicedesk import views
from commonops.servicedesk.workflows import TICKET_WORKFLOW

app_name = "servicedesk"

urlpatterns = [
    path("", views.desk_home, name="home"),
    path("tickets/", views.ticket_queue, name="queue"),
    path("tickets/new/", views.ticket_raise, name="ticket_raise"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    # T1–T5: take, reply, status, assign, update, merge, rate
    *TICKET_WORKFLOW.urls(),
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
