"""Phase 2 pages, under ``/<lang>/recognition/``: the public registry and calls, the national
council's pages, the city's application and portfolio, the community group's pages and the
review. Each part keeps its routes in its own module; all share the ``recognition``
namespace."""

from django.urls import URLPattern, URLResolver

from meirim.recognition import (
    urls_city,
    urls_comments,
    urls_council,
    urls_documents,
    urls_review,
)

app_name = "recognition"

urlpatterns: list[URLPattern | URLResolver] = [
    *urls_documents.urlpatterns,
    *urls_council.urlpatterns,
    *urls_review.urlpatterns,
    *urls_city.urlpatterns,
    *urls_comments.urlpatterns,
]
