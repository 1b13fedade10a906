from django.urls import path

from meirim.planning import views

app_name = "planning"

urlpatterns = [
    path("strategy/", views.strategy, name="strategy"),
    path("actions/", views.actions, name="actions"),
    path("actions/add/", views.action_add, name="action_add"),
    path("actions/from-question/", views.action_from_question, name="action_from_question"),
    path("actions/timeline/", views.timeline, name="timeline"),
    path("actions/<str:code>/", views.action, name="action"),
    path("actions/<str:code>/impact-file/", views.action_impact_file, name="action_impact_file"),
]
