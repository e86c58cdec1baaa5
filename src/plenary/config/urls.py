from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.urls import URLPattern, URLResolver, include, path

from plenary.config.api import api

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("plenary.core.urls")),
    path("accounts/", include("plenary.accounts.urls")),
    path("", include("plenary.meetings.urls")),
    path("services/", include("plenary.provisioning.urls")),
    path("live/", include("plenary.room.urls")),
    path("live/", include("plenary.floor.urls")),
    path("media/", include("plenary.media.urls")),
    path("interpretation/", include("plenary.interpretation.urls")),
    path("captions/", include("plenary.speech.urls")),
    path("pms/", include("plenary.proposals.urls")),
    path("", include("plenary.documents.urls")),
    path("workspaces/", include("plenary.workspaces.urls")),
    path("", include("plenary.recordings.urls")),
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


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 view, given the response's CSP nonce for the page's inline style.

    Like Django's, it renders without the context processors, which may be
    what failed.
    """
    # str(): the nonce is lazy, and only a nonce that was read goes into the header.
    nonce = str(request.csp_nonce) if hasattr(request, "csp_nonce") else ""
    page = loader.get_template("500.html").render({"CSP_NONCE": nonce})
    return HttpResponseServerError(page)


handler500 = server_error
