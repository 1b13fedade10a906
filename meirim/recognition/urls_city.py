"""Routes of the city's side: expression of interest, recognition portfolio, readiness."""

from django.urls import URLPattern, URLResolver, path

from meirim.recognition import city_views as views

_APP = "<str:municipality>/applications/<int:application>/"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:municipality>/", views.city, name="city"),
    path("<str:municipality>/apply/<int:cycle>/", views.apply, name="apply"),
    path(_APP, views.application, name="application"),
    path(_APP + "portfolio/", views.portfolio, name="portfolio"),
    path(_APP + "evidence/", views.evidence, name="evidence"),
    path(_APP + "attachments/", views.attachments, name="attachments"),
    path(_APP + "attachments/<int:attachment>/", views.attachment, name="attachment"),
    path(_APP + "eoi-scan/", views.eoi_scan, name="eoi_scan"),
    path(_APP + "readiness/", views.readiness_page, name="readiness"),
    path(_APP + "submit/", views.submit, name="submit"),
    path(_APP + "snapshots/<int:number>/", views.snapshot, name="snapshot"),
]
