from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from plenary.core.health import run_checks


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Machine-readable health of every component; 503 when one is down."""
    report = run_checks()
    return JsonResponse(report, status=200 if report["ok"] else 503)
