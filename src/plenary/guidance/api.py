"""Guidance and training API (``/api/v1/guidance/``)."""

from ninja import Router

router = Router(tags=["guidance"])
