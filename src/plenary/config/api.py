"""The REST API under ``/api/v1/`` (django-ninja), with its OpenAPI document."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from plenary.accounts.api import router as accounts_router
from plenary.floor.api import router as floor_router
from plenary.media.api import router as media_router
from plenary.meetings.api import router as meetings_router
from plenary.proposals.api import router as proposals_router
from plenary.provisioning.api import router as provisioning_router

api = NinjaAPI(
    title="Plenary API",
    version="1",
    urls_namespace="api-1",
    auth=SessionAuth(),
    docs_url="/docs",
)
api.add_router("/accounts/", accounts_router)
api.add_router("/meetings/", meetings_router)
api.add_router("/provisioning/", provisioning_router)
api.add_router("/floor/", floor_router)
api.add_router("/media/", media_router)
api.add_router("/pms/", proposals_router)
