"""The children's suggestion boxes, receipts, moderation and "you said, we did"."""

from django.urls import URLPattern, URLResolver, path

from meirim.voice import views

app_name = "voice"

urlpatterns: list[URLPattern | URLResolver] = [
    path("receipt/", views.receipt_lookup, name="receipt_lookup"),
    path("receipt/<str:code>/", views.receipt, name="receipt"),
    path("<str:municipality>/", views.box, name="box"),
    path("<str:municipality>/you-said-we-did/", views.public, name="public"),
    path("<str:municipality>/moderation/", views.moderation, name="moderation"),
    path("<str:municipality>/moderation/<int:suggestion>/", views.moderate, name="moderate"),
    path("<str:municipality>/safeguarding/", views.safeguarding, name="safeguarding"),
]
