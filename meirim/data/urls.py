"""The cities' data pages, mounted at ``/<lang>/data/``."""

from django.urls import URLPattern, path

from meirim.data import views

app_name = "data"
urlpatterns: list[URLPattern] = [
    path("", views.overview, name="overview"),
    path("<str:municipality>/", views.years, name="years"),
    path("<str:municipality>/upload/", views.upload, name="upload"),
    path("<str:municipality>/upload/<str:job>/", views.upload_status, name="upload_status"),
    path("<str:municipality>/template.<str:fmt>", views.template, name="template"),
    path(
        "<str:municipality>/evidence/<int:evidence>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "<str:municipality>/evidence/<int:evidence>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("<str:municipality>/<int:year>/", views.entry, name="entry"),
    path("<str:municipality>/<int:year>/evidence/", views.evidence_add, name="evidence_add"),
    path("<str:municipality>/<int:year>/approve/", views.approve, name="approve"),
    path("<str:municipality>/<int:year>/reopen/", views.reopen, name="reopen"),
]
