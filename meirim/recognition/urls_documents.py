"""Routes of Phase 2's PDFs: a submitted recognition portfolio and a decision summary."""

from django.urls import URLPattern, URLResolver, path

from meirim.recognition import document_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("decisions/<int:application>/pdf/", document_views.decision_pdf, name="decision_pdf"),
    path(
        "<str:municipality>/applications/<int:application>/snapshots/<int:number>/pdf/",
        document_views.portfolio_pdf,
        name="portfolio_pdf",
    ),
]
