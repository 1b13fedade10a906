"""Routes of the city's side: expression of interest, recognition portfolio, readiness."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
