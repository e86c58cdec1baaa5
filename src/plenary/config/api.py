"""The REST API under ``/api/v1/`` (django-ninja), with its OpenAPI document.

Callers authenticate with the session cookie (pages, with CSRF) or with a
personal access token, ``Authorization: Bearer <token>`` (scripts; no CSRF,
since a browser never sends that header by itself).
"""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.security import SessionAuth

from plenary.accounts.api import router as accounts_router
from plenary.accounts.api_auth import TokenAuth
from plenary.core.errors import Refusal
from plenary.floor.api import router as floor_router
from plenary.guidance.api import router as guidance_router
from plenary.meetings.api import router as meetings_router
from plenary.proposals.api import router as proposals_router
from plenary.provisioning.api import router as provisioning_router
from plenary.speech.api import router as speech_router
from plenary.stats.api import router as stats_router
from plenary.workspaces.api import router as workspaces_router

api = NinjaAPI(
    title="Plenary API",
    version="1",
    urls_namespace="api-1",
    # The token first: the session's CSRF check must not refuse a token's request.
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
)
api.add_router("/accounts/", accounts_router)
api.add_router("/meetings/", meetings_router)
api.add_router("/provisioning/", provisioning_router)
api.add_router("/floor/", floor_router)
api.add_router("/speech/", speech_router)
api.add_router("/pms/", proposals_router)
api.add_router("/stats/", stats_router)
api.add_router("/guidance/", guidance_router)
api.add_router("/workspaces/", workspaces_router)


@api.exception_handler(Refusal)
def refusal(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """A service refused: its status (400, 401, 403, 404 or 429) and the message."""
    body = {"code": exc.code, "message": str(exc.message), "field": exc.field}
    return api.create_response(request, body, status=exc.status)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Schema validation failed: a translated summary plus the per-field details."""
    body = {"code": "invalid", "message": _("The request is not valid."), "errors": exc.errors}
    return api.create_response(request, body, status=422)
