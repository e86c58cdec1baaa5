"""Accounts API (``/api/v1/accounts/``)."""

from ninja import Router

router = Router(tags=["accounts"])
