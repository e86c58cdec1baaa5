"""``/healthz``: is every Janus reachable with our secret, and which ones take sessions?

Registered when media is in use in this process: at start-up with external
Janus servers, or when ``plenary serve`` has started the embedded one.
"""

from __future__ import annotations

from asgiref.sync import async_to_sync
from django.conf import settings

from plenary.core import health
from plenary.core.health import ComponentHealth
from plenary.media import engine, placement
from plenary.media.janus.client import JanusClient, JanusError


async def _unreachable(urls: list[str]) -> list[str]:
    down = []
    for url in urls:
        try:
            client = await JanusClient(url, settings.JANUS_API_SECRET).connect(2.0)
        except JanusError as exc:
            down.append(f"{url}: {exc}")
            continue
        await client.close()
    return down


def check_janus() -> ComponentHealth:
    """Healthy while every server answers; with several, degraded (not failed) while
    at least one that takes new sessions does: its sessions have moved."""
    if not settings.JANUS_URLS:
        down = async_to_sync(_unreachable)([engine.embedded_config().url])
        return ComponentHealth(ok=not down, detail="; ".join(down) or "ok", data={"servers": 1})
    placement.register_configured()
    servers = placement.servers()
    down = async_to_sync(_unreachable)([server.url for server in servers])
    down_urls = {line.split(": ", 1)[0] for line in down}
    taking = [s for s in servers if not s.draining and s.url not in down_urls]
    return ComponentHealth(
        ok=bool(taking),
        status="" if not taking or not down else "degraded",
        detail="; ".join(down) or "ok",
        data={
            "servers": len(servers),
            "down": len(down),
            "draining": sum(server.draining for server in servers),
            "listeners": sum(server.listeners for server in servers),
            "sessions": sum(server.sessions for server in servers),
        },
    )


def register_janus_check() -> None:
    health.register("janus")(check_janus)
