from django.urls import path

from commonops.surveys import views

app_name = "surveys"

urlpatterns = [
    *views.SurveyPages.urls(),
    *views.QuestionPages.urls(),
    path("surveys/<int:pk>/open/", views.survey_open, name="survey_open"),
    path("surveys/<int:pk>/invite/", views.survey_invite, name="survey_invite"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/results/", views.survey_results, name="survey_results"),
    path("questions/<int:pk>/move/", views.question_move, name="question_move"),
    path("answer/<str:token>/", views.answer, name="answer"),
]
