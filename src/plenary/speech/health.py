"""``/healthz``: the speech plane as it is — models, workers, and whether every open
caption stream has a worker.

Status (``plenary.core.health``):

* ``ok``: recognition is installed and every open stream has a connected worker;
* ``degraded``: an open stream has no worker (its worker died or fell behind and
  none has taken over yet, or none ever connected); ``data["waiting"]`` lists
  them and the detail says since when and why. ``ok`` stays true: the meeting
  goes on without those captions, and a load balancer pointed at ``/healthz``
  must not take the server out for it;
* ``down``: no recognition model is installed.

A worker counts as connected while its socket is open and it has beaten within
``services.WORKER_TIMEOUT``. That the embedded worker is being restarted is
the supervisor's component's to say (``process.speech-worker``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from plenary.core.health import ComponentHealth, register
from plenary.speech.engines import catalog
from plenary.speech.models import CaptionStream, SpeechWorker
from plenary.speech.services import ACTIVE, WORKER_TIMEOUT

_NAMED = 3  # streams named in the detail; ``data["waiting"]`` has them all


def connected_workers(now: dt.datetime | None = None) -> QuerySet[SpeechWorker]:
    """Workers whose socket is open and whose last heartbeat is recent."""
    cutoff = (now or timezone.now()) - WORKER_TIMEOUT
    return SpeechWorker.objects.filter(disconnected_at__isnull=True, last_seen_at__gte=cutoff)


def streams_without_worker(now: dt.datetime | None = None) -> list[CaptionStream]:
    """Open caption streams that nobody captions now, longest interrupted first."""
    alive = connected_workers(now).values("pk")
    return list(
        CaptionStream.objects.filter(stopped_at__isnull=True, status__in=ACTIVE)
        .filter(Q(worker__isnull=True) | ~Q(worker__in=alive))
        .order_by("interrupted_at", "id")
    )


def _describe(stream: CaptionStream) -> str:
    where = f"session {stream.session_id} {stream.channel}"
    if stream.interrupted_at is None:
        return f"{where} (no worker yet)"
    return f"{where} since {stream.interrupted_at:%H:%M:%S} UTC ({stream.interruption})"


@register("speech")
def check_speech() -> ComponentHealth:
    now = timezone.now()
    models = catalog.installed_models()
    workers = connected_workers(now).count()
    by_task = {
        task: sorted({code for m in models if m.task == task for code in m.languages})
        for task in ("asr", "mt", "tts")
    }
    waiting = streams_without_worker(now)
    detail = f"{workers} worker(s); recognition in {', '.join(by_task['asr']) or 'no language'}"
    if waiting:
        named = "; ".join(_describe(stream) for stream in waiting[:_NAMED])
        more = f" and {len(waiting) - _NAMED} more" if len(waiting) > _NAMED else ""
        detail += f"; {len(waiting)} caption stream(s) without a worker: {named}{more}"
    if not by_task["asr"]:
        status = "down"
    elif waiting:
        status = "degraded"
    else:
        status = "ok"
    data: dict[str, Any] = {
        "workers": workers,
        "languages": by_task,
        "waiting": [
            {
                "stream": stream.pk,
                "session": stream.session_id,
                "channel": stream.channel,
                "interruption": stream.interruption,
                "since": stream.interrupted_at.isoformat() if stream.interrupted_at else None,
            }
            for stream in waiting
        ],
    }
    return ComponentHealth(ok=status != "down", detail=detail, data=data, status=status)
