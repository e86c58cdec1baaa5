"""Speech workers: registration, heartbeats, loss and expiry; the partial and final
segments they send, validated again here; and the gaps in the record when
nobody captioned (a first start, an outage, audio a worker could not recognise)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import metrics
from plenary.core.errors import NotFoundRefusal, Refusal
from plenary.live.floor import floor
from plenary.speech import events
from plenary.speech.models import CaptionSegment, CaptionStream, SpeechWorker
from plenary.speech.services.access import MAX_TEXT
from plenary.speech.services.streams import (
    ACTIVE,
    WORKER_TIMEOUT,
    _assign_waiting,
    _end_outage,
    _locked_stream,
    _publish_stream,
    _translation_targets,
)

# A stream this far behind real time moves to another worker (if there is one).
MAX_LAG_S = 10.0
# Shorter holes than this are pauses in speech, not gaps in the record.
MIN_GAP = dt.timedelta(seconds=2)


@transaction.atomic
def do_register_worker(name: str, device: str, capacity: int, channel_name: str) -> SpeechWorker:
    """Record a worker; it is given streams on its first heartbeat, once it listens."""
    return SpeechWorker.objects.create(
        name=name[:80],
        device=device[:16],
        capacity=max(1, min(capacity, 1000)),
        channel_name=channel_name,
    )


def _worker(worker_id: int) -> SpeechWorker:
    try:
        return SpeechWorker.objects.select_for_update().get(
            pk=worker_id, disconnected_at__isnull=True
        )
    except SpeechWorker.DoesNotExist:
        raise NotFoundRefusal(_("This speech worker is not connected.")) from None


def _own_stream(worker: SpeechWorker, stream_id: int) -> CaptionStream:
    stream = _locked_stream(stream_id)
    if stream.worker_id != worker.pk:
        raise Refusal(_("This stream is not assigned to this worker."), "not_assigned")
    return stream


@transaction.atomic
def do_worker_lost(worker_id: int) -> None:
    """The worker disconnected or stopped beating: its streams wait for another worker
    (shown as interrupted, an outage gap open) and go to one if any has room."""
    worker = SpeechWorker.objects.select_for_update().filter(pk=worker_id).first()
    if worker is None or worker.disconnected_at is not None:
        return
    now = timezone.now()
    worker.disconnected_at = now
    worker.save(update_fields=["disconnected_at"])
    for stream in (
        CaptionStream.objects.select_for_update()
        .select_related("session__meeting")
        .filter(worker=worker, status__in=ACTIVE)
    ):
        _interrupt(stream, CaptionStream.Interruption.WORKER_LOST, now)
    _assign_waiting()


def do_forget_workers_of_a_previous_server() -> list[int]:
    """Start-up of the only server process (in-memory channel layer): every worker
    still registered was connected to the server that died, so it is lost now,
    and its streams wait (interrupted, an outage gap open) for the workers that
    connect to this one. With a shared layer (Redis) other servers' workers are
    alive: those of a dead server are expired by the heartbeat timeout."""
    from channels.layers import InMemoryChannelLayer, get_channel_layer

    if not isinstance(get_channel_layer(), InMemoryChannelLayer):
        return []
    registered = list(
        SpeechWorker.objects.filter(disconnected_at__isnull=True).values_list("pk", flat=True)
    )
    for worker_id in registered:
        do_worker_lost(worker_id)
    return registered


def do_expire_stale_workers(now: dt.datetime | None = None) -> list[int]:
    cutoff = (now or timezone.now()) - WORKER_TIMEOUT
    stale = list(
        SpeechWorker.objects.filter(
            disconnected_at__isnull=True, last_seen_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    for worker_id in stale:
        do_worker_lost(worker_id)
    return stale


@transaction.atomic
def do_heartbeat(worker_id: int, lags: Mapping[int, float]) -> None:
    """A worker is alive; a stream too far behind moves to another worker.

    The time the lagging worker failed to caption is marked as a gap.
    """
    worker = _worker(worker_id)
    worker.last_seen_at = timezone.now()
    worker.save(update_fields=["last_seen_at"])
    for lag in lags.values():
        metrics.CAPTION_LAG.observe(lag)
    others = (
        SpeechWorker.objects.filter(disconnected_at__isnull=True).exclude(pk=worker.pk).exists()
    )
    lagging = [stream_id for stream_id, lag in lags.items() if lag > MAX_LAG_S and others]
    for stream_id in lagging:
        stream = _own_stream(worker, stream_id)
        events.send_to_worker(worker.pk, {"type": "release", "stream": stream.pk})
        _interrupt(stream, CaptionStream.Interruption.WORKER_BEHIND, timezone.now())
    transaction.on_commit(do_expire_stale_workers)
    _assign_waiting(avoid=worker.pk if lagging else None)


@transaction.atomic
def do_stream_ready(
    worker_id: int, stream_id: int, rtp_port: int, rtp_host: str = "127.0.0.1"
) -> CaptionStream:
    """The worker listens for the channel's RTP on ``rtp_host:rtp_port``."""
    stream = _own_stream(_worker(worker_id), stream_id)
    # Until now nobody listened to this channel: a worker replacing a lost one
    # ends the outage gap here; on a first start the record says so too.
    now = timezone.now()
    if not _end_outage(stream, now):
        _mark_gap(stream, now)
    stream.rtp_port, stream.rtp_host = rtp_port, rtp_host
    stream.status = CaptionStream.Status.LIVE
    stream.detail = ""
    stream.save(update_fields=["rtp_port", "rtp_host", "status", "detail"])
    _publish_stream(stream)
    return stream


@transaction.atomic
def do_stream_failed(worker_id: int, stream_id: int, reason: str) -> CaptionStream:
    """The worker cannot caption this stream (no model for the language): say so."""
    stream = _own_stream(_worker(worker_id), stream_id)
    # A replacement worker without the model: captions do not resume, the outage ends here.
    _end_outage(stream, timezone.now())
    stream.worker = None
    stream.status = CaptionStream.Status.FAILED
    stream.detail = reason[:300]
    stream.save(update_fields=["worker", "status", "detail"])
    _publish_stream(stream)
    return stream


def do_partial(worker_id: int, stream_id: int, text: str) -> None:
    """Text in progress: published, never stored."""
    with transaction.atomic():
        stream = _own_stream(_worker(worker_id), stream_id)
        events.publish_partial(stream, text[:MAX_TEXT])


@transaction.atomic
def do_final(
    worker_id: int,
    stream_id: int,
    text: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    *,
    translations: Mapping[str, str],
) -> CaptionSegment:
    """Store a final segment and its machine translations, then publish them."""
    stream = _own_stream(_worker(worker_id), stream_id)
    now = timezone.now()
    # Times come from the worker's clock: keep them sane and ordered.
    ends_at = min(max(ends_at, starts_at), now + dt.timedelta(seconds=5))
    starts_at = min(starts_at, ends_at)
    speaker_id, speaker_name = floor().speaker_at(stream.session_id, starts_at)
    common = {
        "session_id": stream.session_id,
        "stream": stream,
        "channel": stream.channel,
        "speaker_id": speaker_id,
        "speaker_name": speaker_name[:200],
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    segment = CaptionSegment.objects.create(
        language=stream.language,
        kind=CaptionSegment.Kind.RECOGNISED,
        text=text[:MAX_TEXT],
        **common,
    )
    events.publish_segment(segment)
    allowed = set(_translation_targets(stream))
    for language, translated in translations.items():
        if language in allowed and translated.strip():
            events.publish_segment(
                CaptionSegment.objects.create(
                    language=language,
                    kind=CaptionSegment.Kind.TRANSLATED,
                    source=segment,
                    text=translated[:MAX_TEXT],
                    **common,
                )
            )
    stream.captioned_until = max(stream.captioned_until, ends_at)
    stream.save(update_fields=["captioned_until"])
    return segment


@transaction.atomic
def do_lost_audio(
    worker_id: int, stream_id: int, starts_at: dt.datetime, ends_at: dt.datetime
) -> CaptionSegment:
    """The worker could not recognise this span of the channel (a pass failed): the
    transcript shows a gap there. A span that continues the stream's latest gap
    extends it, so a model that fails pass after pass leaves one growing gap."""
    stream = _own_stream(_worker(worker_id), stream_id)
    ends_at = min(ends_at, timezone.now() + dt.timedelta(seconds=5))
    starts_at = min(max(starts_at, stream.started_at), ends_at)
    latest = CaptionSegment.objects.filter(stream=stream).order_by("-ends_at", "-id").first()
    if (
        latest is not None
        and latest.kind == CaptionSegment.Kind.GAP
        and starts_at - latest.ends_at <= MIN_GAP
    ):
        gap = latest
        gap.ends_at = max(gap.ends_at, ends_at)
        gap.save(update_fields=["ends_at"])
    else:
        gap = _new_gap(stream, starts_at, ends_at)
    events.publish_segment(gap)
    stream.captioned_until = max(stream.captioned_until, ends_at)
    stream.save(update_fields=["captioned_until"])
    return gap


def _mark_gap(stream: CaptionStream, until: dt.datetime) -> None:
    """Record that nobody captioned the channel from ``captioned_until`` to ``until``.

    Called when a worker starts listening to a stream that had none (its first
    start); pauses in speech between captions are not gaps.
    """
    if until - stream.captioned_until >= MIN_GAP:
        events.publish_segment(_new_gap(stream, stream.captioned_until, until))
    stream.captioned_until = max(stream.captioned_until, until)
    stream.save(update_fields=["captioned_until"])


def _interrupt(stream: CaptionStream, why: str, now: dt.datetime) -> None:
    """The stream's worker is gone (or too far behind): it waits for another, shown as
    such, and an outage gap opens from the end of its last caption.

    The gap stays open — it is extended when captions resume or the stream
    stops (:func:`_end_outage`) — so the transcript covers the whole outage,
    not only up to the loss. A stream interrupted again before it resumed
    keeps its first outage. Call inside ``transaction.atomic()``, the stream locked.
    """
    if stream.outage_id is None:
        gap = _new_gap(stream, stream.captioned_until, max(now, stream.captioned_until))
        events.publish_segment(gap)
        stream.outage, stream.interrupted_at, stream.interruption = gap, now, why
    stream.worker = None
    stream.status = CaptionStream.Status.WAITING
    stream.rtp_port = None
    stream.save(
        update_fields=["worker", "status", "rtp_port", "outage", "interrupted_at", "interruption"]
    )
    _publish_stream(stream)


def _new_gap(stream: CaptionStream, starts_at: dt.datetime, ends_at: dt.datetime) -> CaptionSegment:
    return CaptionSegment.objects.create(
        session_id=stream.session_id,
        stream=stream,
        channel=stream.channel,
        language=stream.language,
        kind=CaptionSegment.Kind.GAP,
        starts_at=starts_at,
        ends_at=ends_at,
    )
