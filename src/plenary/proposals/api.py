"""Proposals API (``/api/v1/proposals/``)."""

from ninja import Router

router = Router(tags=["proposals"])
