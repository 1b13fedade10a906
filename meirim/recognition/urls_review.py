"""Routes of the review: community group, confidential report, reviewers, scores, site
visits, decisions."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
