from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from plenary.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("plenary.core.urls")),
    path("accounts/", include("plenary.accounts.urls")),
    path("", include("plenary.meetings.urls")),
    path("services/", include("plenary.provisioning.urls")),
    path("live/", include("plenary.floor.urls")),
    path("media/", include("plenary.media.urls")),
    path("interpretation/", include("plenary.interpretation.urls")),
    path("captions/", include("plenary.speech.urls")),
    path("pms/", include("plenary.proposals.urls")),
    path("statistics/", include("plenary.stats.urls")),
    path("guidance/", include("plenary.guidance.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
if not settings.PRODUCTION:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
