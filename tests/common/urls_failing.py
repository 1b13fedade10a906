"""The platform's URLs plus one view that fails, to see how a server error is reported."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as platform_urlpatterns


def explode(request: HttpRequest, number: int) -> HttpResponse:
    raise RuntimeError("the disk is on fire")


urlpatterns = [path("failing/<int:number>/", explode), *platform_urlpatterns]
__all__ = ["handler404", "handler500", "urlpatterns"]
