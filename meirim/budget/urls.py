"""The budget for children, mounted at ``preparation/<municipality>/budget/``."""

from django.urls import URLPattern, path

from meirim.budget import views

app_name = "budget"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("lines/add/", views.line_add, name="line_add"),
    path("lines/<int:line>/", views.line_edit, name="line"),
    path("children/", views.children, name="children"),
]
