"""``/healthz``: is every Janus reachable with our secret?

Registered when media is in use in this process: at start-up with external
Janus servers, or when ``plenary serve`` has started the embedded one.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.conf import settings

from plenary.core import health
from plenary.core.health import ComponentHealth
from plenary.media import engine
from plenary.media.janus.client import JanusClient, JanusError


async def _unreachable() -> list[str]:
    down = []
    for url in engine.janus_urls():
        try:
            client = await JanusClient(url, settings.JANUS_API_SECRET).connect(2.0)
        except JanusError as exc:
            down.append(f"{url}: {exc}")
            continue
        await client.close()
    return down


def check_janus() -> ComponentHealth:
    down = async_to_sync(_unreachable)()
    return ComponentHealth(
        ok=not down,
        detail="; ".join(down) or "ok",
        data={"servers": len(engine.janus_urls()), "down": len(down)},
    )


def register_janus_check() -> None:
    health.register("janus")(check_janus)
