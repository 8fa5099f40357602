from django.urls import path

from commonops.surveys import views
from commonops.surveys.workflows import SURVEY_WORKFLOW

app_name = "surveys"

urlpatterns = [
    *views.SurveyPages.urls(),
    *views.QuestionPages.urls(),
    *SURVEY_WORKFLOW.urls(),  # Q1: open, invite, close
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
