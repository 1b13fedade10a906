"""The public page of the open data (the files themselves are served by the API)."""

from django.urls import URLPattern, URLResolver, path

from meirim.opendata import views

app_name = "opendata"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
]
