"""The project's URLs plus a stand-in for the planning app's "action from question" URL."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns


def _stand_in(request: HttpRequest, municipality: str) -> HttpResponse:
    return HttpResponse(f"{request.POST.get('year')} {request.POST.get('question')}")


_planning = ([path("actions/from-question/", _stand_in, name="action_from_question")], "planning")

urlpatterns = [
    *i18n_patterns(path("preparation/<str:municipality>/", include(_planning))),
    *project_urlpatterns,
]
