"""Routes of the national council's side and the public registry (roster, cycles, criteria,
registry, badge, decision summaries)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
