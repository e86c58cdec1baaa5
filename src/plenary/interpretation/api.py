"""Interpretation API (``/api/v1/interpretation/``)."""

from ninja import Router

router = Router(tags=["interpretation"])
