"""``/healthz``: one check per component, registered by the apps that own them.

Each check returns a ``ComponentHealth``; a check that raises is reported as
down with the exception's type only (its message may name hosts or
credentials), unless DEBUG; the full exception goes to the server log.
Media and speech apps add their checks (Janus, speech workers) when they are
installed, and ``plenary serve`` one per supervised child (``process.<name>``).

Each component has a ``status`` as well as ``ok``: ``ok``, ``degraded`` (it
works, with less: a stream waiting for a worker), ``restarting``, ``down``;
checks that set none get ``ok`` or ``down`` from ``ok``.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ComponentHealth:
    ok: bool
    detail: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    status: str = ""

    def __post_init__(self) -> None:
        if not self.status:
            object.__setattr__(self, "status", "ok" if self.ok else "down")


HealthCheck = Callable[[], ComponentHealth]
_checks: dict[str, HealthCheck] = {}


def register(name: str) -> Callable[[HealthCheck], HealthCheck]:
    def decorator(check: HealthCheck) -> HealthCheck:
        _checks[name] = check
        return check

    return decorator


def unregister(name: str) -> None:
    _checks.pop(name, None)


# What this process needs to serve a page and a socket: ``/readyz``, which a load
# balancer asks every second or two. The other components (Janus, speech workers,
# the task queue) are shared by every web server: one of them down is no reason to
# take this server out, and asking them all costs seconds on a busy machine.
READINESS = ("database", "channel_layer")


def run_checks(only: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Run every check, or those named in ``only``."""
    components: dict[str, Any] = {}
    checks = dict(_checks)
    for name in checks if only is None else only:
        check = checks[name]
        try:
            result = check()
        except Exception as exc:
            logger.exception("health check %s failed", name)
            detail = type(exc).__name__
            if settings.DEBUG:
                detail = f"{detail}: {exc}"
            result = ComponentHealth(ok=False, detail=detail)
        components[name] = asdict(result)
    return {"ok": all(c["ok"] for c in components.values()), "components": components}


@register("database")
def check_database() -> ComponentHealth:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return ComponentHealth(ok=True, detail=connection.vendor)


@register("channel_layer")
def check_channel_layer() -> ComponentHealth:
    layer = get_channel_layer()
    if layer is None:
        return ComponentHealth(ok=False, detail="not configured")
    probe = {"type": "health.probe", "nonce": uuid.uuid4().hex}

    async def round_trip() -> dict[str, Any]:
        channel = await layer.new_channel()
        await layer.send(channel, json.loads(json.dumps(probe)))
        return dict(await layer.receive(channel))

    received = async_to_sync(round_trip)()
    return ComponentHealth(ok=received == probe, detail=type(layer).__name__)
