from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from plenary.core import metrics
from plenary.core.health import READINESS, run_checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Machine-readable health of every component; 503 when one is down."""
    return _health_response(run_checks())


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Whether this web server can serve (its database and channel layer): what a
    load balancer checks; 503 when not."""
    return _health_response(run_checks(READINESS))


def _health_response(report: dict[str, Any]) -> JsonResponse:
    return JsonResponse(report, status=200 if report["ok"] else 503)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics of this process (``plenary.core.metrics``)."""
    if not metrics.allowed(request):
        return HttpResponseForbidden(_("The metrics are not public."), content_type="text/plain")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
