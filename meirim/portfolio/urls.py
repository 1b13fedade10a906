"""The portfolio pages, mounted at ``/<lang>/preparation/``."""

from django.urls import URLPattern, path

from meirim.portfolio import views

app_name = "portfolio"

urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("<str:municipality>/progress/", views.progress, name="progress"),
    path("<str:municipality>/portfolio/", views.portfolio, name="portfolio"),
    path("<str:municipality>/portfolio/v<int:number>/", views.version, name="version"),
    path("<str:municipality>/portfolio/v<int:number>/<str:kind>.pdf", views.pdf, name="pdf"),
]
