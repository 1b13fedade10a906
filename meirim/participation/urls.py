"""The participation log, mounted at ``preparation/<municipality>/participation/``."""

from django.urls import URLPattern, path

from meirim.participation import views

app_name = "participation"

urlpatterns: list[URLPattern] = [
    path("", views.activity_list, name="list"),
    path("add/", views.activity_add, name="add"),
    path("<int:activity>/", views.activity_edit, name="activity"),
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/<str:code>/file/", views.evidence_file, name="evidence_file"),
]
