"""Live sessions API (``/api/v1/floor/``)."""

from ninja import Router

router = Router(tags=["floor"])
