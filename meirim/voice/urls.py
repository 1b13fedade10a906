"""The children's suggestion boxes, receipts, moderation and "you said, we did"."""

from django.urls import URLPattern, URLResolver

app_name = "voice"

urlpatterns: list[URLPattern | URLResolver] = []
