"""Media API (``/api/v1/media/``)."""

from ninja import Router

router = Router(tags=["media"])
