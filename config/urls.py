"""Top-level URLs: the API and the language switcher are language-neutral; pages are prefixed."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from meirim.api.api import api
from meirim.data import publish_views, scoring_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("accounts/", include("meirim.accounts.urls")),
    path("municipalities/", include("meirim.geography.urls")),
    # Publishing a version carries the cities' data over, so the data app serves its page.
    path(
        "catalogue/<str:version>/publish/",
        publish_views.version_publish,
        name="catalogue_publish",
    ),
    # Deriving goalposts reads the cities' data, so the data app serves it too.
    path(
        "catalogue/<str:version>/scoring/derive/",
        scoring_views.goalposts_derive,
        name="catalogue_goalposts",
    ),
    path("catalogue/", include("meirim.catalogue.urls")),
    path("data/", include("meirim.data.urls")),
    path("results/", include("meirim.reports.urls")),
    # Phase 1, the city's preparation: the national overview and each city's progress and
    # portfolio, then one app per workspace under the city's code.
    path("preparation/", include("meirim.portfolio.urls")),
    path("preparation/<str:municipality>/", include("meirim.governance.urls")),
    path("preparation/<str:municipality>/facilities/", include("meirim.facilities.urls")),
    path("preparation/<str:municipality>/", include("meirim.planning.urls")),
    path("preparation/<str:municipality>/participation/", include("meirim.participation.urls")),
    path("preparation/<str:municipality>/budget/", include("meirim.budget.urls")),
    # Phase 2, recognition: the registry and calls (public), the council, the cities, the
    # community groups and the review.
    path("recognition/", include("meirim.recognition.urls")),
    # Children's voice: suggestion boxes, receipts, moderation; children's surveys.
    path("voice/", include("meirim.voice.urls")),
    path("surveys/", include("meirim.surveys.urls")),
    # Open data: the page listing the downloads (the files come from /api/v1/open-data/).
    path("open-data/", include("meirim.opendata.urls")),
    path("audit/", include("meirim.common.urls")),
    path("", include("meirim.portal.urls")),
    prefix_default_language=True,
)

handler404 = "meirim.portal.views.not_found"
handler500 = "meirim.portal.views.server_error"
