"""The REST API under ``/api/v1/`` (django-ninja), with its OpenAPI document."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from plenary.meetings.api import router as meetings_router

api = NinjaAPI(
    title="Plenary API",
    version="1",
    urls_namespace="api-1",
    auth=SessionAuth(),
    docs_url="/docs",
)
api.add_router("/meetings/", meetings_router)
