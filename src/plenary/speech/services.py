"""Business operations of the speech plane: caption streams, workers, segments, transcripts.

``check_*`` authorise and validate; ``do_*`` write and publish (after commit).
Workers are trusted only after ``check_worker_token``; what they send is
validated again here (lengths, times, the stream being theirs), so a faulty
worker cannot write outside its own streams or flood the transcript.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.live.floor import floor
from plenary.live.services import get_session
from plenary.live.standing import Standing, standing_for
from plenary.meetings.models import Meeting, Session
from plenary.speech import events, mt, signals
from plenary.speech.models import (
    FLOOR,
    CaptionSegment,
    CaptionStream,
    GlossaryTerm,
    SegmentEdit,
    SpeechWorker,
)

# A worker silent for this long is considered dead and its streams reassigned.
WORKER_TIMEOUT = dt.timedelta(seconds=15)
# A stream this far behind real time moves to another worker (if there is one).
MAX_LAG_S = 10.0
# Shorter holes than this are pauses in speech, not gaps in the record.
MIN_GAP = dt.timedelta(seconds=2)
MAX_TEXT = 2000
ACTIVE = (CaptionStream.Status.WAITING, CaptionStream.Status.ASSIGNED, CaptionStream.Status.LIVE)


# --- Authorisation -----------------------------------------------------------


def worker_token() -> str:
    """The workers' shared secret: configured, or derived from ``SECRET_KEY``."""
    configured = str(settings.SPEECH_WORKER_TOKEN)
    if configured:
        return configured
    return hmac.new(
        settings.SECRET_KEY.encode(), b"plenary.speech.worker", hashlib.sha256
    ).hexdigest()


def check_worker_token(token: str) -> None:
    if not hmac.compare_digest(token.encode(), worker_token().encode()):
        raise PermissionRefusal(_("This speech worker is not authorised."))


def check_manage_captions(user: Any, session: Session) -> Standing:
    """Chair, secretariat and room operators start and stop captions and AI voices."""
    standing = standing_for(user, session)
    if not standing.is_staff:
        raise PermissionRefusal(
            _("Only the chair, the secretariat and room operators manage captions.")
        )
    return standing


def check_view_transcript(user: Any, session: Session) -> Standing:
    standing = standing_for(user, session)
    published = session.meeting.status == Meeting.Status.PUBLISHED
    if not (standing.is_participant or (published and standing.user_id is not None)):
        raise PermissionRefusal(_("You may not read this transcript."))
    return standing


def check_correct_segment(user: Any, segment: CaptionSegment, text: str) -> str:
    standing = standing_for(user, segment.session)
    if not standing.is_secretariat:
        raise PermissionRefusal(_("Only the secretariat corrects the transcript."))
    if segment.kind == CaptionSegment.Kind.GAP:
        raise Refusal(_("A gap in the captions has no text to correct."), "invalid", "text")
    text = text.strip()
    if not text:
        raise Refusal(_("The corrected text may not be empty."), "invalid", "text")
    if len(text) > MAX_TEXT:
        raise Refusal(_("The text is too long."), "invalid", "text")
    return text


def check_language(code: str, field: str = "language") -> str:
    if code not in UN_LANGUAGES:
        raise Refusal(
            _("“%(code)s” is not an official language.") % {"code": code}, "invalid", field
        )
    return code


# --- Streams -------------------------------------------------------------------


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


def glossary_for(meeting: Meeting) -> list[dict[str, str]]:
    return [dict(term.terms) for term in GlossaryTerm.objects.filter(meeting=meeting)]


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
    _release(stream, CaptionStream.Status.STOPPED)


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


# --- Workers -------------------------------------------------------------------


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


# --- Transcript ----------------------------------------------------------------


def transcript(session: Session, language: str) -> QuerySet[CaptionSegment]:
    return CaptionSegment.objects.filter(session=session, language=language).order_by(
        "starts_at", "id"
    )


def recent_segments(session_id: int, language: str, limit: int = 20) -> list[CaptionSegment]:
    newest = CaptionSegment.objects.filter(session_id=session_id, language=language).order_by(
        "-starts_at", "-id"
    )
    return list(reversed(newest[:limit]))


@transaction.atomic
def do_correct_segment(user: Any, segment_id: int, text: str) -> CaptionSegment:
    try:
        segment = (
            CaptionSegment.objects.select_for_update()
            .select_related("session__meeting")
            .get(pk=segment_id)
        )
    except CaptionSegment.DoesNotExist:
        raise NotFoundRefusal(_("This caption segment does not exist.")) from None
    text = check_correct_segment(user, segment, text)
    if text == segment.text:
        return segment
    SegmentEdit.objects.create(
        segment=segment, editor=user, previous_text=segment.text, new_text=text
    )
    segment.text = text
    segment.edited_at = timezone.now()
    segment.save(update_fields=["text", "edited_at"])
    audit.record(user, "speech.segment_corrected", segment.session, segment=segment.pk)
    events.publish_segment(segment, "captions.corrected")
    return segment


# --- Glossary ------------------------------------------------------------------


def check_manage_glossary(user: Any, meeting: Meeting) -> None:
    if not (
        getattr(user, "is_authenticated", False)
        and (user.is_secretariat or user.pk == meeting.organiser_id)
    ):
        raise PermissionRefusal(_("Only the organiser and the secretariat edit the glossary."))


@transaction.atomic
def do_add_glossary_term(user: Any, meeting_id: int, terms: Mapping[str, str]) -> GlossaryTerm:
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFoundRefusal(_("This meeting does not exist."))
    check_manage_glossary(user, meeting)
    cleaned = {
        check_language(code): value.strip()[:200] for code, value in terms.items() if value.strip()
    }
    if len(cleaned) < 2:
        raise Refusal(_("Give the term in at least two languages."), "invalid", "terms")
    term = GlossaryTerm.objects.create(meeting=meeting, terms=cleaned)
    audit.record(user, "speech.glossary_term_added", meeting, terms=cleaned)
    return term


@transaction.atomic
def do_delete_glossary_term(user: Any, term_id: int) -> None:
    term = GlossaryTerm.objects.select_related("meeting").filter(pk=term_id).first()
    if term is None:
        raise NotFoundRefusal(_("This glossary term does not exist."))
    check_manage_glossary(user, term.meeting)
    audit.record(user, "speech.glossary_term_deleted", term.meeting, terms=term.terms)
    term.delete()
