"""Captions and speech API (``/api/v1/speech/``)."""

from ninja import Router

router = Router(tags=["speech"])
