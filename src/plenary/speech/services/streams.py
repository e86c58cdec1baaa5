"""Caption streams: started and stopped by staff or following the session, given to
workers, their AI voices routed, and their state and the session's caption
coverage published to clients and the media plane."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, Refusal
from plenary.live.floor import floor
from plenary.live.services import get_session
from plenary.meetings.models import Session
from plenary.speech import events, mt, signals
from plenary.speech.models import FLOOR, CaptionSegment, CaptionStream, SpeechWorker
from plenary.speech.services.access import check_language, check_manage_captions
from plenary.speech.services.glossaries import glossary_for

# A worker silent for this long is considered dead and its streams reassigned.
WORKER_TIMEOUT = dt.timedelta(seconds=15)
ACTIVE = (CaptionStream.Status.WAITING, CaptionStream.Status.ASSIGNED, CaptionStream.Status.LIVE)


def _translation_targets(stream: CaptionStream) -> list[str]:
    """Languages a floor stream is machine-translated into: those with no booth captions."""
    if stream.channel != FLOOR:
        return []
    meeting_languages = stream.session.meeting.languages or [
        stream.session.meeting.working_language
    ]
    booths = set(
        CaptionStream.objects.filter(session=stream.session, stopped_at__isnull=True)
        .exclude(channel=FLOOR)
        .values_list("channel", flat=True)
    )
    return [code for code in meeting_languages if code != stream.language and code not in booths]


def caption_coverage(session: Session) -> dict[str, dict[str, str]]:
    """How each of the meeting's languages is captioned now, so that a listener who
    picks one is told why it stays empty rather than left in silence.

    Per language: ``captioned`` (a stream — the floor or a booth — speaks it),
    ``translated`` (the floor is machine-translated into it, ``source``:
    the floor's language), ``unavailable`` (the floor is captioned but the
    language has neither a booth nor an installed MT model from ``source``), or
    ``idle`` (nothing is captioned: the session is not live, or the floor has no
    recogniser).
    """
    active = list(
        CaptionStream.objects.filter(session=session, stopped_at__isnull=True).exclude(
            status=CaptionStream.Status.FAILED
        )
    )
    spoken = {stream.language for stream in active}
    floor = next((stream for stream in active if stream.channel == FLOOR), None)
    targets = set(_translation_targets(floor)) if floor is not None else set()
    pairs = mt.available_pairs() if floor is not None else set()
    coverage: dict[str, dict[str, str]] = {}
    for code in session.meeting.languages or [session.meeting.working_language]:
        if code in spoken:
            coverage[code] = {"status": "captioned"}
        elif floor is None:
            coverage[code] = {"status": "idle"}
        elif code in targets and (floor.language, code) in pairs:
            coverage[code] = {"status": "translated", "source": floor.language}
        else:
            coverage[code] = {"status": "unavailable", "source": floor.language}
    return coverage


def _publish_stream(stream: CaptionStream, *, audio: bool = True) -> None:
    """Tell the session's clients the stream's state after commit and, if ``audio``, the
    media plane (``signals.stream_audio_changed``)."""
    events.publish_stream(stream, caption_coverage(stream.session))
    if audio:
        stream_id = stream.pk
        transaction.on_commit(
            lambda: signals.stream_audio_changed.send(sender=CaptionStream, stream_id=stream_id),
            robust=True,
        )


def assignment(stream: CaptionStream) -> dict[str, Any]:
    """What a worker needs to caption ``stream`` (sent as ``assign``)."""
    terms = glossary_for(stream.session.meeting)
    targets = _translation_targets(stream)
    spoken = [t[stream.language] for t in terms if t.get(stream.language)]
    return {
        "type": "assign",
        "stream": stream.pk,
        "session": stream.session_id,
        "channel": stream.channel,
        "language": stream.language,
        "targets": targets,
        "voices": {code: dest for code, dest in stream.voices.items() if code in targets and dest},
        "prompt": ", ".join(spoken),
        "hotwords": " ".join(spoken),
        "glossary": {
            target: {
                t[stream.language]: t[target]
                for t in terms
                if t.get(stream.language) and t.get(target)
            }
            for target in targets
        },
    }


def _assign_waiting(avoid: int | None = None) -> None:
    """Give every waiting stream to the connected worker with the most free room.

    ``avoid``: a worker that just fell behind, not to be handed work again now.
    A worker silent for ``WORKER_TIMEOUT`` gets nothing even before it is
    expired (after a server restart its row says connected for a while).
    """
    waiting = CaptionStream.objects.select_for_update().filter(status=CaptionStream.Status.WAITING)
    alive_since = timezone.now() - WORKER_TIMEOUT
    for stream in waiting.select_related("session__meeting"):
        worker = (
            SpeechWorker.objects.filter(disconnected_at__isnull=True, last_seen_at__gte=alive_since)
            .exclude(pk=avoid or 0)
            .annotate(load=Count("streams", filter=Q(streams__status__in=ACTIVE)))
            .filter(load__lt=F("capacity"))
            .order_by("load", "id")
            .first()
        )
        if worker is None:
            return
        stream.worker = worker
        stream.status = CaptionStream.Status.ASSIGNED
        stream.save(update_fields=["worker", "status"])
        events.send_to_worker(worker.pk, assignment(stream))
        _publish_stream(stream)


@transaction.atomic
def do_start_stream(
    user: Any, session_id: int, channel: str, language: str, voices: list[str] | None = None
) -> CaptionStream:
    """Caption one channel of a session; ``voices``: languages to speak as AI interpretation."""
    session = get_session(session_id)
    check_manage_captions(user, session)
    check_language(language)
    if channel != FLOOR:
        check_language(channel, "channel")
        if channel != language:
            raise Refusal(
                _("An interpretation channel is captioned in its own language."),
                "invalid",
                "language",
            )
    requested = {check_language(code, "voices"): "" for code in voices or []}
    if CaptionStream.objects.filter(
        session=session, channel=channel, stopped_at__isnull=True
    ).exists():
        raise Refusal(_("This channel is already being captioned."), "conflict", "channel")
    return _start_stream(user, session, channel, language, requested)


def _start_stream(
    actor: Any, session: Session, channel: str, language: str, voices: dict[str, str]
) -> CaptionStream:
    now = timezone.now()
    stream = CaptionStream.objects.create(
        session=session,
        channel=channel,
        language=language,
        voices=voices,
        started_at=now,
        captioned_until=now,
    )
    audit.record(
        actor,
        "speech.stream_started",
        session,
        channel=channel,
        language=language,
        voices=sorted(voices),
    )
    _publish_stream(stream)
    _assign_waiting()
    stream.refresh_from_db()
    return stream


@transaction.atomic
def do_follow_session(session_id: int) -> None:
    """Captions follow the session: the floor is captioned while it is open, in the
    meeting's working language, where the site offers captions; closing stops all."""
    status = floor().status(session_id)
    if status == "scheduled":
        return
    session = get_session(session_id)
    active = CaptionStream.objects.select_for_update().filter(
        session=session, stopped_at__isnull=True
    )
    if status == "closed":
        for stream in active:
            _stop(stream)
        return
    site = session.meeting.site
    offers = site is None or site.offers_captions
    if status == "open" and offers and not active.filter(channel=FLOOR).exists():
        _start_stream(None, session, FLOOR, session.meeting.working_language, {})


@transaction.atomic
def do_follow_booth(session_id: int, language: str, on_air: bool) -> None:
    """Captions follow the booths: a booth with an interpreter on air is captioned in its
    language while the session is open (where the site offers captions); a booth
    going off the air stops its stream, whoever started it (nobody speaks there)."""
    session = get_session(session_id)
    active = CaptionStream.objects.select_for_update().filter(
        session=session, channel=language, stopped_at__isnull=True
    )
    if not on_air:
        for stream in active:
            _stop(stream)
        return
    site = session.meeting.site
    offers = site is None or site.offers_captions
    if floor().status(session_id) == "open" and offers and not active.exists():
        _start_stream(None, session, language, language, {})


@transaction.atomic
def do_route_voice(stream_id: int, language: str, host: str, port: int) -> CaptionStream:
    """Send the AI voice in ``language`` as RTP to ``host:port`` (called by the media plane
    once Janus listens there); the stream's worker is told at once."""
    stream = _locked_stream(stream_id)
    if language not in stream.voices:
        raise Refusal(_("No AI voice was requested in this language."), "invalid", "language")
    stream.voices[language] = f"{host}:{port}"
    stream.save(update_fields=["voices"])
    if stream.worker_id is not None:
        events.send_to_worker(stream.worker_id, assignment(stream))
    _publish_stream(stream, audio=False)  # the media plane's own answer: nothing to sync
    return stream


@transaction.atomic
def do_stop_stream(user: Any, stream_id: int) -> CaptionStream:
    stream = _locked_stream(stream_id)
    check_manage_captions(user, stream.session)
    if stream.stopped_at is None:
        _stop(stream)
        audit.record(user, "speech.stream_stopped", stream.session, channel=stream.channel)
    return stream


def _stop(stream: CaptionStream) -> None:
    # Stopped first, so that the coverage published with the release leaves it out.
    stream.stopped_at = timezone.now()
    stream.save(update_fields=["stopped_at"])
    # Captions never resumed: the outage lasted until the stream stopped.
    _end_outage(stream, stream.stopped_at)
    freed = stream.worker_id is not None
    _release(stream, CaptionStream.Status.STOPPED)
    if freed:  # a stream waiting for room gets it now, not at the next heartbeat
        _assign_waiting()


def _locked_stream(stream_id: int) -> CaptionStream:
    try:
        return (
            CaptionStream.objects.select_for_update()
            .select_related("session__meeting")
            .get(pk=stream_id)
        )
    except CaptionStream.DoesNotExist:
        raise NotFoundRefusal(_("This caption stream does not exist.")) from None


def _release(stream: CaptionStream, status: str) -> None:
    if stream.worker_id is not None:
        events.send_to_worker(stream.worker_id, {"type": "release", "stream": stream.pk})
    stream.worker = None
    stream.status = status
    stream.rtp_port = None
    stream.save(update_fields=["worker", "status", "rtp_port"])
    _publish_stream(stream)


def _end_outage(stream: CaptionStream, until: dt.datetime) -> bool:
    """Close the stream's open outage gap at ``until`` (captions resume, or it stops):
    the gap is published again with its full span. ``False`` when there was none."""
    if stream.outage_id is None:
        return False
    gap = CaptionSegment.objects.filter(pk=stream.outage_id).first()
    if gap is not None:  # a gap deleted meanwhile (the session's record purged) is not recreated
        gap.ends_at = max(gap.ends_at, until)
        gap.save(update_fields=["ends_at"])
        events.publish_segment(gap)
    stream.captioned_until = max(stream.captioned_until, until)
    stream.outage, stream.interrupted_at, stream.interruption = None, None, ""
    stream.save(update_fields=["captioned_until", "outage", "interrupted_at", "interruption"])
    return True
