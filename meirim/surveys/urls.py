"""Children's surveys: publishing an XLSForm, answering, importing, results."""

from django.urls import URLPattern, URLResolver

app_name = "surveys"

urlpatterns: list[URLPattern | URLResolver] = []
