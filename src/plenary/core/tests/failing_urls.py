"""The project's URLs plus one view that fails, for the tests of the 500 page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from plenary.config.urls import handler500
from plenary.config.urls import urlpatterns as project_urlpatterns


def fail(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), *project_urlpatterns]
__all__ = ["handler500", "urlpatterns"]
