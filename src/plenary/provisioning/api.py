"""Services API (``/api/v1/provisioning/``)."""

from ninja import Router

router = Router(tags=["provisioning"])
