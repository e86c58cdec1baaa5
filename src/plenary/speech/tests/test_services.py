"""Caption streams, workers, segments, gaps and corrections, through the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.utils import timezone

from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.floor.models import SessionEvent
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import events, services
from plenary.speech.models import CaptionSegment, CaptionStream, SegmentEdit, SpeechWorker

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with committed(): ...`` runs the after-commit publishing of what it wraps."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def listen() -> Callable[[str], Callable[[], list[dict[str, Any]]]]:
    """Subscribe a channel to a group; the returned function drains what it received."""
    layer = get_channel_layer()

    def subscribe(group: str) -> Callable[[], list[dict[str, Any]]]:
        channel = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(group, channel)

        def drain() -> list[dict[str, Any]]:
            received: list[dict[str, Any]] = []
            while True:
                try:
                    message = async_to_sync(_receive_now)(layer, channel)
                except TimeoutError:
                    return received
                received.append(message["event"])

        return drain

    return subscribe


async def _receive_now(layer: Any, channel: str) -> dict[str, Any]:
    import asyncio

    return dict(await asyncio.wait_for(layer.receive(channel), 0.2))


@pytest.fixture
def session() -> Session:
    return SessionFactory.create(meeting__languages=["en", "fr", "es"])


@pytest.fixture
def chair(session: Session) -> Any:
    return ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user


def _worker() -> SpeechWorker:
    """A connected worker that has sent its first heartbeat (and so takes streams)."""
    worker = services.do_register_worker("w", "cpu", 1, "chan")
    services.do_heartbeat(worker.pk, {})
    return worker


def test_chair_starts_a_stream_and_a_connected_worker_gets_it(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    worker = _worker()
    inbox = listen(events.worker_group(worker.pk))
    with committed():
        stream = services.do_start_stream(chair, session.pk, "floor", "en")
    stream.refresh_from_db()
    assert (stream.status, stream.worker_id) == (CaptionStream.Status.ASSIGNED, worker.pk)
    [assign] = inbox()
    assert assign["type"] == "assign" and assign["language"] == "en"
    assert set(assign["targets"]) == {"fr", "es"}


def test_the_media_plane_hears_of_a_stream_change_after_commit_and_not_of_its_own_answer(
    session: Session, chair: Any, committed: Any
) -> None:
    """Saving a stream once made Janus sync, which saved it again and synced again."""
    from plenary.speech.signals import stream_audio_changed

    heard: list[int] = []

    def receiver(sender: Any, stream_id: int, **kwargs: Any) -> None:
        heard.append(stream_id)

    stream_audio_changed.connect(receiver, dispatch_uid="test.heard")
    try:
        with committed():
            stream = services.do_start_stream(chair, session.pk, "floor", "en", voices=["fr"])
            assert heard == []  # nothing before the commit
        assert heard == [stream.pk]
        with committed():
            services.do_route_voice(stream.pk, "fr", "127.0.0.1", 5004)
        assert heard == [stream.pk]
    finally:
        stream_audio_changed.disconnect(dispatch_uid="test.heard")


def test_a_stream_waits_while_the_workers_are_full_and_gets_captions_once_one_frees(
    session: Session, chair: Any, committed: Any
) -> None:
    worker = _worker()  # capacity 1
    first = services.do_start_stream(chair, session.pk, "floor", "en")
    other = SessionFactory.create(meeting=session.meeting)
    second = services.do_start_stream(chair, other.pk, "floor", "en")
    assert (first.worker_id, second.status) == (worker.pk, CaptionStream.Status.WAITING)
    coverage = services.caption_coverage(other)
    assert coverage["en"] == {"status": "captioned"}  # spoken, if waiting: said by the stream
    with committed():
        services.do_stop_stream(chair, first.pk)
    second.refresh_from_db()
    assert (second.status, second.worker_id) == (CaptionStream.Status.ASSIGNED, worker.pk)


def test_a_delegate_may_not_start_captions(session: Session) -> None:
    delegate = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.DELEGATE
    ).user
    with pytest.raises(PermissionRefusal):
        services.do_start_stream(delegate, session.pk, "floor", "en")
    assert not CaptionStream.objects.exists()


def test_a_channel_is_captioned_once(session: Session, chair: Any) -> None:
    services.do_start_stream(chair, session.pk, "floor", "en")
    with pytest.raises(Refusal):
        services.do_start_stream(chair, session.pk, "floor", "fr")


@pytest.mark.parametrize(("channel", "language"), [("fr", "es"), ("xx", "xx"), ("floor", "de")])
def test_bad_channel_or_language_is_refused(
    session: Session, chair: Any, channel: str, language: str
) -> None:
    with pytest.raises(Refusal):
        services.do_start_stream(chair, session.pk, channel, language)


def test_a_booth_stream_removes_its_language_from_floor_translation(
    session: Session, chair: Any
) -> None:
    floor = services.do_start_stream(chair, session.pk, "floor", "en")
    services.do_start_stream(chair, session.pk, "fr", "fr")
    assert services.assignment(floor)["targets"] == ["es"]


def test_final_is_stored_with_the_floor_holder_and_translations(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    given = timezone.now() - dt.timedelta(seconds=30)
    SessionEvent.objects.create(
        session=session,
        seq=1,
        kind="floor.given",
        at=given,
        data={"request": {"user_id": chair.pk, "name": "Ms Chair"}},
    )
    english, french = (
        listen(events.caption_group(session.pk, "en")),
        listen(events.caption_group(session.pk, "fr")),
    )
    start = timezone.now() - dt.timedelta(seconds=3)
    with committed():
        segment = services.do_final(
            worker.pk,
            stream.pk,
            "The meeting is open.",
            start,
            start + dt.timedelta(seconds=2),
            translations={"fr": "La séance est ouverte.", "ar": "not a meeting language"},
        )
    assert (segment.speaker_id, segment.speaker_name) == (chair.pk, "Ms Chair")
    assert {(s.language, s.kind) for s in CaptionSegment.objects.all()} == {
        ("en", "asr"),
        ("fr", "mt"),
    }
    [en_event] = english()
    assert en_event["segment"]["text"] == "The meeting is open." and en_event["segment"]["machine"]
    [fr_event] = french()
    assert fr_event["segment"]["kind"] == "mt" and fr_event["segment"]["source"] == segment.pk


def test_partial_is_published_not_stored(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    english = listen(events.caption_group(session.pk, "en"))
    with committed():
        services.do_partial(worker.pk, stream.pk, "The meeting")
    assert [e["type"] for e in english()] == ["captions.partial"]
    assert not CaptionSegment.objects.exists()


def test_a_worker_may_not_write_another_workers_stream(session: Session, chair: Any) -> None:
    owner = _worker()
    intruder = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    assert stream.worker_id == owner.pk
    with pytest.raises(Refusal):
        services.do_final(
            intruder.pk, stream.pk, "x", timezone.now(), timezone.now(), translations={}
        )
    assert not CaptionSegment.objects.exists()


def test_lost_worker_leaves_a_gap_and_its_stream_moves(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    first = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    CaptionStream.objects.filter(pk=stream.pk).update(
        captioned_until=timezone.now() - dt.timedelta(seconds=20)
    )
    second = _worker()
    inbox = listen(events.worker_group(second.pk))
    with committed():
        services.do_worker_lost(first.pk)
    stream.refresh_from_db()
    assert (stream.worker_id, stream.status) == (second.pk, CaptionStream.Status.ASSIGNED)
    gap = CaptionSegment.objects.get(kind=CaptionSegment.Kind.GAP)
    assert gap.ends_at - gap.starts_at >= dt.timedelta(seconds=19)
    assert [m["type"] for m in inbox()] == ["assign"]


def test_silent_worker_is_expired(session: Session, chair: Any) -> None:
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    SpeechWorker.objects.filter(pk=worker.pk).update(
        last_seen_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert services.do_expire_stale_workers() == [worker.pk]
    stream.refresh_from_db()
    assert stream.status == CaptionStream.Status.WAITING


def test_a_restarted_server_forgets_the_workers_of_the_one_that_died(
    session: Session, chair: Any, settings: Any
) -> None:
    """The only server restarts: the worker that was captioning died with it (its row
    still reads as connected, and beat a moment ago); its stream waits, interrupted."""
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    gone = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    assert stream.worker_id == gone.pk
    assert services.do_forget_workers_of_a_previous_server() == [gone.pk]
    stream.refresh_from_db()
    assert (stream.status, stream.worker_id) == (CaptionStream.Status.WAITING, None)
    assert stream.interruption == CaptionStream.Interruption.WORKER_LOST
    fresh = _worker()
    stream.refresh_from_db()
    assert stream.worker_id == fresh.pk


def test_a_silent_worker_not_yet_expired_gets_no_stream(session: Session, chair: Any) -> None:
    """After a server restart the previous run's workers still read as connected."""
    gone = _worker()
    SpeechWorker.objects.filter(pk=gone.pk).update(
        last_seen_at=timezone.now() - dt.timedelta(minutes=1)
    )
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    assert (stream.status, stream.worker_id) == (CaptionStream.Status.WAITING, None)
    fresh = _worker()
    stream.refresh_from_db()
    assert stream.worker_id == fresh.pk


def test_lagging_stream_moves_to_another_worker(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    slow = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    fast = _worker()
    told = listen(events.worker_group(slow.pk))
    with committed():
        services.do_heartbeat(slow.pk, {stream.pk: 30.0})
    stream.refresh_from_db()
    assert stream.worker_id == fast.pk
    assert stream.interruption == CaptionStream.Interruption.WORKER_BEHIND
    assert told() == [{"type": "release", "stream": stream.pk}]


def _live_stream(session: Session, chair: Any) -> tuple[CaptionStream, SpeechWorker]:
    """A floor stream captioned by a worker, its last caption 30 s ago."""
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    services.do_stream_ready(worker.pk, stream.pk, 40000)
    spoken = timezone.now() - dt.timedelta(seconds=32)
    services.do_final(
        worker.pk, stream.pk, "One.", spoken, spoken + dt.timedelta(seconds=2), translations={}
    )
    stream.refresh_from_db()
    return stream, worker


def test_a_lost_workers_stream_waits_shown_as_interrupted(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    _, worker = _live_stream(session, chair)
    everyone = listen(f"session-{session.pk}")
    with committed():
        services.do_worker_lost(worker.pk)
    [shown] = [e["stream"] for e in everyone() if e["type"] == "captions.stream"]
    assert (shown["status"], shown["interruption"]) == ("waiting", "worker_lost")
    assert shown["interrupted_at"] is not None


def test_the_outage_gap_spans_until_a_new_worker_listens(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    stream, worker = _live_stream(session, chair)
    last_caption_end = stream.captioned_until
    captions = listen(events.caption_group(session.pk, "en"))
    with committed():
        services.do_worker_lost(worker.pk)
    lost_at = timezone.now()
    replacement = _worker()
    with committed():
        services.do_stream_ready(replacement.pk, stream.pk, 40002)
    [gap] = CaptionSegment.objects.filter(
        kind=CaptionSegment.Kind.GAP, ends_at__gt=last_caption_end
    )
    assert gap.starts_at == last_caption_end
    assert gap.ends_at > lost_at  # not only up to the loss
    # Shown when it opened, then again, same segment, with its whole span.
    shown = [e["segment"] for e in captions() if e["segment"]["kind"] == "gap"]
    assert [s["id"] for s in shown] == [gap.pk, gap.pk]
    assert shown[-1]["ends_at"] == gap.ends_at.isoformat()
    stream.refresh_from_db()
    assert (stream.status, stream.interruption, stream.outage_id) == ("live", "", None)
    assert stream.captioned_until == gap.ends_at


def test_a_stream_interrupted_twice_before_resuming_keeps_one_gap(
    session: Session, chair: Any
) -> None:
    stream, worker = _live_stream(session, chair)
    services.do_worker_lost(worker.pk)
    second = _worker()  # takes the stream, dies before it listens
    services.do_worker_lost(second.pk)
    third = _worker()
    services.do_stream_ready(third.pk, stream.pk, 40004)
    gaps = CaptionSegment.objects.filter(
        kind=CaptionSegment.Kind.GAP, starts_at__gt=stream.started_at
    )
    assert gaps.count() == 1


def test_an_interrupted_stream_that_stops_ends_its_gap_at_the_stop(
    session: Session, chair: Any
) -> None:
    stream, worker = _live_stream(session, chair)
    services.do_worker_lost(worker.pk)
    stopped = services.do_stop_stream(chair, stream.pk)
    gap = CaptionSegment.objects.filter(kind=CaptionSegment.Kind.GAP).latest("ends_at")
    assert gap.ends_at == stopped.stopped_at
    stopped.refresh_from_db()
    assert (stopped.status, stopped.outage_id) == ("stopped", None)


def test_missing_model_is_reported_on_the_stream(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    everyone = listen(f"session-{session.pk}")
    with committed():
        services.do_stream_failed(worker.pk, stream.pk, "No speech recognition model for en.")
    stream.refresh_from_db()
    assert stream.status == CaptionStream.Status.FAILED
    assert everyone()[0]["stream"]["status"] == "failed"


def test_secretariat_correction_keeps_history(session: Session) -> None:
    segment = services.do_final(
        _worker().pk,
        services.do_start_stream(StaffFactory.create(), session.pk, "floor", "en").pk,
        "The meeting is clothed.",
        timezone.now(),
        timezone.now(),
        translations={},
    )
    staff = StaffFactory.create()
    services.do_correct_segment(staff, segment.pk, "The meeting is closed.")
    segment.refresh_from_db()
    assert segment.text == "The meeting is closed." and segment.edited_at is not None
    [edit] = SegmentEdit.objects.all()
    assert (edit.previous_text, edit.editor_id) == ("The meeting is clothed.", staff.pk)


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_bad_correction_is_refused_and_changes_nothing(session: Session, text: str) -> None:
    from plenary.speech.tests.factories import CaptionSegmentFactory

    segment = CaptionSegmentFactory.create(session=session)
    with pytest.raises(Refusal):
        services.do_correct_segment(StaffFactory.create(), segment.pk, text)
    segment.refresh_from_db()
    assert segment.text == "The meeting is called to order." and not SegmentEdit.objects.exists()


def test_a_delegate_may_not_correct(session: Session) -> None:
    from plenary.speech.tests.factories import CaptionSegmentFactory

    segment = CaptionSegmentFactory.create(session=session)
    with pytest.raises(PermissionRefusal):
        services.do_correct_segment(DelegateFactory.create(), segment.pk, "changed")


def test_glossary_biases_recognition_and_forces_translation(session: Session, chair: Any) -> None:
    services.do_add_glossary_term(
        session.meeting.organiser,
        session.meeting.pk,
        {"en": "Radio Regulations", "fr": "Règlement des radiocommunications"},
    )
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    assign = services.assignment(stream)
    assert "Radio Regulations" in assign["prompt"]
    assert assign["glossary"]["fr"] == {"Radio Regulations": "Règlement des radiocommunications"}
    assert assign["glossary"]["es"] == {}


def test_glossary_term_needs_two_languages(session: Session) -> None:
    with pytest.raises(Refusal):
        services.do_add_glossary_term(session.meeting.organiser, session.meeting.pk, {"en": "ITU"})


def test_worker_token_is_checked() -> None:
    services.check_worker_token(services.worker_token())
    with pytest.raises(PermissionRefusal):
        services.check_worker_token("guess")


def test_a_pause_between_captions_is_not_a_gap(session: Session, chair: Any) -> None:
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    first = timezone.now() - dt.timedelta(seconds=60)
    services.do_final(
        worker.pk, stream.pk, "One.", first, first + dt.timedelta(seconds=2), translations={}
    )
    later = first + dt.timedelta(seconds=40)
    services.do_final(
        worker.pk, stream.pk, "Two.", later, later + dt.timedelta(seconds=2), translations={}
    )
    assert not CaptionSegment.objects.filter(kind=CaptionSegment.Kind.GAP).exists()


def test_time_before_a_worker_listens_is_a_gap(session: Session, chair: Any) -> None:
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    CaptionStream.objects.filter(pk=stream.pk).update(
        captioned_until=timezone.now() - dt.timedelta(seconds=30)
    )
    worker = _worker()
    services.do_stream_ready(worker.pk, stream.pk, 40000)
    gap = CaptionSegment.objects.get(kind=CaptionSegment.Kind.GAP)
    assert gap.ends_at - gap.starts_at >= dt.timedelta(seconds=29)


def test_the_worker_says_where_janus_sends_its_channel(session: Session, chair: Any) -> None:
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    services.do_stream_ready(_worker().pk, stream.pk, 40000, "10.1.2.3")
    stream.refresh_from_db()
    assert (stream.status, stream.rtp_host, stream.rtp_port) == ("live", "10.1.2.3", 40000)


def _live(session: Session, status: str) -> None:
    from plenary.floor.models import LiveSession
    from plenary.floor.state import initial_state

    state = initial_state() | {"status": status}
    LiveSession.objects.update_or_create(session=session, defaults={"state": state})


def test_opening_the_session_captions_the_floor_and_closing_stops_it(session: Session) -> None:
    from plenary.live.signals import floor_changed

    _live(session, "open")
    floor_changed.send(
        sender=Session,
        session_id=session.pk,
        speaker_user_id=None,
        unmuted_user_ids=frozenset(),
        stage_user_ids=frozenset(),
    )
    stream = CaptionStream.objects.get(session=session)
    assert (stream.channel, stream.language) == ("floor", session.meeting.working_language)
    services.do_follow_session(session.pk)  # a second signal starts nothing more
    assert CaptionStream.objects.filter(session=session).count() == 1
    _live(session, "closed")
    services.do_follow_session(session.pk)
    stream.refresh_from_db()
    assert stream.status == CaptionStream.Status.STOPPED and stream.stopped_at is not None


def test_a_booth_on_air_is_captioned_in_its_language_until_it_leaves_the_air(
    session: Session, committed: Any
) -> None:
    from plenary.interpretation import services as booths

    interpreter = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language="fr"
    ).user
    _live(session, "open")
    with committed():
        booths.do_take_air(interpreter, session, "fr")
    stream = CaptionStream.objects.get(session=session, channel="fr")
    assert stream.language == "fr" and stream.stopped_at is None
    with committed():
        booths.do_cough(interpreter, session, "fr", True)  # a cough: still on air
    assert CaptionStream.objects.filter(session=session, stopped_at__isnull=True).count() == 1
    with committed():
        booths.do_leave_air(interpreter, session, "fr")
    stream.refresh_from_db()
    assert stream.status == CaptionStream.Status.STOPPED


def test_a_booth_on_air_before_the_session_opens_is_captioned_when_it_opens(
    session: Session, committed: Any
) -> None:
    from plenary.interpretation import services as booths
    from plenary.interpretation.receivers import booths_follow_session

    interpreter = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language="es"
    ).user
    with committed():
        booths.do_take_air(interpreter, session, "es")
    assert not CaptionStream.objects.filter(channel="es").exists()  # not open yet
    _live(session, "open")
    with committed():
        booths_follow_session(Session, session_id=session.pk)
    assert CaptionStream.objects.get(session=session, channel="es").language == "es"


def test_no_automatic_captions_where_the_site_offers_none(session: Session) -> None:
    site = session.meeting.site
    assert site is not None
    site.offers_captions = False
    site.save()
    _live(session, "open")
    services.do_follow_session(session.pk)
    assert not CaptionStream.objects.exists()


def test_a_ready_message_names_an_ip_address_or_means_loopback() -> None:
    from pydantic import ValidationError

    from plenary.speech.protocol import Ready, worker_message

    ready = worker_message.validate_python({"type": "ready", "stream": 1, "rtp_port": 4000})
    assert isinstance(ready, Ready) and str(ready.rtp_host) == "127.0.0.1"
    with pytest.raises(ValidationError):
        worker_message.validate_python(
            {"type": "ready", "stream": 1, "rtp_port": 4000, "rtp_host": "janus; rm -rf"}
        )


def test_a_failed_pass_is_a_gap_that_grows_while_passes_keep_failing(
    session: Session, chair: Any, listen: Any, committed: Any
) -> None:
    worker = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    english = listen(events.caption_group(session.pk, "en"))
    start = timezone.now() - dt.timedelta(seconds=5)
    CaptionStream.objects.filter(pk=stream.pk).update(started_at=start - dt.timedelta(minutes=1))
    second = dt.timedelta(seconds=1)
    with committed():
        first = services.do_lost_audio(worker.pk, stream.pk, start, start + second)
        again = services.do_lost_audio(worker.pk, stream.pk, start + second, start + 2 * second)
    assert first.pk == again.pk and first.kind == CaptionSegment.Kind.GAP
    again.refresh_from_db()
    assert (again.starts_at, again.ends_at) == (start, start + 2 * second)
    assert [e["segment"]["id"] for e in english()] == [first.pk, first.pk]
    stream.refresh_from_db()
    assert stream.captioned_until >= start + 2 * second
    # After captions resume, a new failure is a new gap.
    services.do_final(
        worker.pk, stream.pk, "Back.", start + 2 * second, start + 3 * second, translations={}
    )
    later = services.do_lost_audio(worker.pk, stream.pk, start + 4 * second, timezone.now())
    assert later.pk != first.pk


def test_only_the_streams_worker_reports_lost_audio(session: Session, chair: Any) -> None:
    _worker()
    intruder = _worker()
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    with pytest.raises(Refusal):
        services.do_lost_audio(intruder.pk, stream.pk, timezone.now(), timezone.now())
    assert not CaptionSegment.objects.exists()


def test_coverage_says_which_languages_get_no_captions_and_why(
    speech_models: Any, listen: Any, committed: Any
) -> None:
    # The tiny operator model translates en->es and en->fr; nothing reaches Russian.
    session = SessionFactory.create(meeting__languages=["en", "fr", "es", "ru"])
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user
    assert {c["status"] for c in services.caption_coverage(session).values()} == {"idle"}
    # A new listener per step: with Redis a channel is drained in one event loop only.
    everyone = listen(f"session-{session.pk}")
    with committed():
        services.do_start_stream(chair, session.pk, "floor", "en")
    assert services.caption_coverage(session) == {
        "en": {"status": "captioned"},
        "fr": {"status": "translated", "source": "en"},
        "es": {"status": "translated", "source": "en"},
        "ru": {"status": "unavailable", "source": "en"},
    }
    assert everyone()[-1]["coverage"]["ru"] == {"status": "unavailable", "source": "en"}
    # A Russian booth brings Russian captions; stopping it takes them away again.
    everyone = listen(f"session-{session.pk}")
    with committed():
        booth = services.do_start_stream(chair, session.pk, "ru", "ru")
    assert everyone()[-1]["coverage"]["ru"] == {"status": "captioned"}
    everyone = listen(f"session-{session.pk}")
    with committed():
        services.do_stop_stream(chair, booth.pk)
    assert everyone()[-1]["coverage"]["ru"] == {"status": "unavailable", "source": "en"}
