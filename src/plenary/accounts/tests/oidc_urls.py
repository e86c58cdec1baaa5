"""The project's URLs with single sign-on switched on, as settings.py does it."""

from django.urls import include, path

from plenary.config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("oidc/", include("mozilla_django_oidc.urls"))]
