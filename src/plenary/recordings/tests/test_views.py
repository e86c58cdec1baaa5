"""The archive, the player and the files, for each kind of visitor; names, ranges."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.recordings import queries, services
from plenary.recordings.models import Recording
from plenary.recordings.tests.helpers import packaged_recording, public_webcast

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Recording:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.01)
    return packaged_recording(SessionFactory.create(meeting__languages=["en", "fr"]))


def read(response: Any) -> Any:
    """The response with its body read (``body``): read to its end, a file response
    closes its file."""
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


def get(client: Client, user: Any, url: str, **headers: str) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return read(client.get(url, headers=headers))


def test_who_may_watch(client: Client, recording: Recording) -> None:
    meeting = recording.session.meeting
    delegate = ParticipationFactory.create(meeting=meeting, role=Participation.Role.DELEGATE).user
    pages = [
        f"/recordings/{recording.pk}/",
        f"/recordings/{recording.pk}/files/index.m3u8",
        f"/meetings/{meeting.code}/recordings/",
    ]
    for url in pages:
        assert get(client, None, url).status_code == 404
        assert get(client, DelegateFactory.create(), url).status_code == 404  # not in it
        assert get(client, delegate, url).status_code == 200
        assert get(client, StaffFactory.create(), url).status_code == 200
    public_webcast(meeting)
    for url in pages:  # a public webcast: a public archive
        assert get(client, None, url).status_code == 200


def test_the_player_offers_each_language_and_its_audio(
    client: Client, recording: Recording
) -> None:
    meeting = recording.session.meeting
    delegate = ParticipationFactory.create(meeting=meeting).user
    client.force_login(delegate)
    page = client.get(f"/recordings/{recording.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'value="0" data-channel="floor"' in page and 'value="1" data-channel="fr"' in page
    assert "Original (salle)" in page and "Français" in page
    assert f"/recordings/{recording.pk}/files/fr.m4a?download=1" in page
    download = read(client.get(f"/recordings/{recording.pk}/files/fr.m4a?download=1"))
    assert download["Content-Type"] == "audio/mp4"
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert download["Content-Disposition"].endswith('-fr.m4a"')
    master = read(client.get(f"/recordings/{recording.pk}/files/index.m3u8"))
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert b'LANGUAGE="fr"' in master.body


def test_the_player_shows_the_video_or_plays_sound_only(
    client: Client, settings: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.01)
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    recording = packaged_recording(session, video=True)
    assert recording.video["playlist"] == "video/index.m3u8"
    assert not recording.video_folder.exists()  # Janus's files go once packaged
    client.force_login(ParticipationFactory.create(meeting=session.meeting).user)
    base = f"/recordings/{recording.pk}/files/"
    page = client.get(f"/recordings/{recording.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<video id="recording-audio"' in page and 'name="picture" value="sound"' in page
    assert f'data-source="{base}video.m3u8" data-sound-source="{base}index.m3u8"' in page
    assert f'href="{base}video.mp4?download=1"' in page
    with_video = read(client.get(base + "video.m3u8")).body.decode()
    assert "RESOLUTION=1280x720" in with_video and with_video.endswith("video/index.m3u8\n")
    assert 'LANGUAGE="fr"' in with_video
    assert "RESOLUTION" not in read(client.get(base + "index.m3u8")).body.decode()
    assert read(client.get(base + "video/init.mp4")).status_code == 200
    assert read(client.get(base + "video/00000.m4s")).status_code == 200
    download = read(client.get(base + "video.mp4?download=1"))
    assert download["Content-Type"] == "video/mp4"
    assert download["Content-Disposition"].endswith('-video.mp4"')
    assert "Content-Disposition" not in read(client.get(base + "video/init.mp4?download=1"))


def test_a_recording_without_video_has_no_video_playlist(
    client: Client, recording: Recording
) -> None:
    client.force_login(StaffFactory.create())
    assert recording.video == {}
    assert client.get(f"/recordings/{recording.pk}/files/video.m3u8").status_code == 404
    assert client.get(f"/recordings/{recording.pk}/files/video.mp4").status_code == 404
    page = client.get(f"/recordings/{recording.pk}/").content.decode()
    assert "<audio" in page and "<video" not in page and 'name="picture"' not in page


def test_only_the_packaged_names_are_served(client: Client, recording: Recording) -> None:
    client.force_login(StaffFactory.create())
    (recording.folder / "secret.txt").write_text("no")
    base = f"/recordings/{recording.pk}/files/"
    assert read(client.get(base + "fr/init.mp4")).status_code == 200
    assert read(client.get(base + "fr/00000.m4s")).status_code == 200
    for name in (
        "../secret.txt",
        "fr/../../secret.txt",
        "%2e%2e/secret.txt",
        "de/index.m3u8",
        "fr/index.m3u8.bak",
        "fr/99999.m4s",
        "wav/floor/x.wav",
        "",
    ):
        assert client.get(base + name).status_code == 404, name


def test_byte_ranges(client: Client, recording: Recording) -> None:
    client.force_login(StaffFactory.create())
    url = f"/recordings/{recording.pk}/files/floor.m4a"
    whole = read(client.get(url)).body
    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.content == whole[10:20]
    assert part["Content-Range"] == f"bytes 10-19/{len(whole)}"
    tail = client.get(url, headers={"Range": "bytes=-5"})
    assert tail.content == whole[-5:]
    beyond = client.get(url, headers={"Range": f"bytes={len(whole)}-"})
    assert beyond.status_code == 416 and beyond["Content-Range"] == f"bytes */{len(whole)}"
    backwards = client.get(url, headers={"Range": "bytes=20-10"})
    assert backwards.status_code == 416
    nonsense = read(client.get(url, headers={"Range": "pages=1-2"}))
    assert nonsense.status_code == 200  # not a byte range: the whole file


def test_a_recording_not_ready_says_so_and_serves_nothing(
    client: Client, recording: Recording
) -> None:
    Recording.objects.filter(pk=recording.pk).update(status=Recording.Status.PACKAGING, progress=40)
    client.force_login(StaffFactory.create())
    page = client.get(f"/recordings/{recording.pk}/").content.decode()
    assert "40 %" in page and "recording-audio" not in page
    assert client.get(f"/recordings/{recording.pk}/files/index.m3u8").status_code == 404


def test_the_meeting_page_links_to_its_recordings_for_those_who_may_watch(
    client: Client, recording: Recording
) -> None:
    meeting = recording.session.meeting
    delegate = ParticipationFactory.create(meeting=meeting).user
    page = get(client, delegate, f"/meetings/{meeting.code}/").body.decode()
    assert f'href="/meetings/{meeting.code}/recordings/"' in page
    stranger = get(client, DelegateFactory.create(), f"/meetings/{meeting.code}/").body.decode()
    assert "/recordings/" not in stranger


def test_the_player_lists_the_speakers_and_the_transcript_and_serves_it_as_webvtt(
    client: Client, recording: Recording
) -> None:
    import datetime as dt

    from plenary.floor.models import SessionEvent
    from plenary.speech.models import CaptionSegment

    assert recording.origin is not None
    moment = recording.origin + dt.timedelta(seconds=3)
    SessionEvent.objects.create(
        session=recording.session,
        seq=1,
        kind="floor.given",
        data={"request": {"kind": "speak", "entity": "Brazil", "name": "Ana"}},
        at=moment,
    )
    CaptionSegment.objects.create(
        session=recording.session,
        channel="floor",
        language="fr",
        kind="asr",
        starts_at=moment,
        ends_at=moment + dt.timedelta(seconds=2),
        text="Le Brésil appuie la proposition.",
        speaker_name="Ana",
    )
    client.force_login(ParticipationFactory.create(meeting=recording.session.meeting).user)
    page = client.get(f"/recordings/{recording.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    text = page.content.decode()
    assert 'data-at="3.0"' in text and "<bdi>Brazil</bdi>" in text
    assert "Le Brésil appuie la proposition." in text
    master = client.get(f"/recordings/{recording.pk}/files/index.m3u8").content.decode()
    assert (
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="Français",LANGUAGE="fr",'
        'DEFAULT=NO,AUTOSELECT=NO,URI="subtitles/fr.m3u8"'
    ) in master
    assert 'AUDIO="audio",SUBTITLES="subtitles"' in master
    subtitles = client.get(f"/recordings/{recording.pk}/files/subtitles/fr.m3u8").content.decode()
    assert f"\n/recordings/{recording.pk}/transcript/fr.vtt\n#EXT-X-ENDLIST" in subtitles
    assert client.get(f"/recordings/{recording.pk}/files/subtitles/xx.m3u8").status_code == 404
    vtt = client.get(f"/recordings/{recording.pk}/transcript/fr.vtt")
    assert vtt["Content-Type"] == "text/vtt; charset=utf-8"
    assert vtt.content.decode().startswith("WEBVTT\n\n00:00:03.000 --> 00:00:05.000\n<v Ana>Le")
    assert client.get(f"/recordings/{recording.pk}/transcript/xx.vtt").status_code == 404
    client.logout()
    assert client.get(f"/recordings/{recording.pk}/transcript/fr.vtt").status_code == 404


def test_the_secretariat_removes_a_recording_with_a_reason_and_its_files_go(
    client: Client, recording: Recording, django_capture_on_commit_callbacks: Any
) -> None:
    from plenary.core.models import AuditEntry

    meeting = recording.session.meeting
    url = f"/recordings/{recording.pk}/remove/"
    delegate = ParticipationFactory.create(meeting=meeting).user
    client.force_login(delegate)
    assert "remove-reason" not in client.get(f"/recordings/{recording.pk}/").content.decode()
    assert client.post(url, {"reason": "closed meeting"}).status_code == 403
    staff = StaffFactory.create()
    client.force_login(staff)
    archive = client.get(f"/meetings/{meeting.code}/recordings/").content.decode()
    assert "on disk" in archive
    assert client.post(url, {"reason": "  "}).status_code == 302  # refused: no reason
    assert Recording.objects.get().status == Recording.Status.READY
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "A closed part was recorded by mistake."})
    recording.refresh_from_db()
    assert recording.status == Recording.Status.REMOVED and not recording.folder.exists()
    entry = AuditEntry.objects.get(action="recording.removed")
    assert entry.actor == staff and entry.data["reason"].startswith("A closed part")
    assert client.get(f"/recordings/{recording.pk}/files/index.m3u8").status_code == 404
    assert "removed" in client.get(f"/recordings/{recording.pk}/").content.decode()
    assert client.post(url, {"reason": "again"}).status_code == 302  # refused: already
    assert AuditEntry.objects.filter(action="recording.removed").count() == 1


@pytest.fixture
def running(settings: Any, tmp_path: Any) -> Recording:
    """A recording running now with its live webcast (files as the live origin writes them)."""
    from django.utils import timezone

    from plenary.recordings import live

    settings.DATA_DIR = tmp_path
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    recording = Recording.objects.create(session=session, started_at=timezone.now())
    for channel in ("floor", "fr"):
        (recording.wav_folder(channel) / "janus-audioroom-10-1800000000000000.wav").parent.mkdir(
            parents=True
        )
        (recording.wav_folder(channel) / "janus-audioroom-10-1800000000000000.wav").touch()
        (recording.live_folder / channel).mkdir(parents=True)
        (recording.live_folder / channel / "index.m3u8").write_text("#EXTM3U\n00000.ts\n")
        (recording.live_folder / channel / "00000.ts").write_bytes(b"G" * 188)
    live.master(recording.live_folder, ["floor", "fr"])
    return recording


def test_the_live_webcast_is_served_while_the_session_is_recorded(
    client: Client, running: Recording
) -> None:
    meeting = running.session.meeting
    delegate = ParticipationFactory.create(meeting=meeting).user
    base = f"/recordings/{running.pk}/live/"
    assert get(client, None, base + "index.m3u8").status_code == 404
    page = get(client, delegate, f"/recordings/{running.pk}/").body.decode()
    assert "data-live" in page and f'data-source="{base}index.m3u8"' in page
    assert 'value="1" data-channel="fr"' in page and "recording-speed" not in page
    master = get(client, delegate, base + "index.m3u8")
    assert master["Content-Type"] == "application/vnd.apple.mpegurl"
    assert master["Cache-Control"] == "private, no-cache"
    folder = running.live_folder / "fr"
    (folder / "index.m3u8").write_text("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:9\n00009.ts\n")
    (folder / "discontinuities").write_text("4\n")
    french = get(client, delegate, base + "fr/index.m3u8").body.decode()
    assert "#EXT-X-MEDIA-SEQUENCE:9\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n" in french
    segment = get(client, delegate, base + "fr/00000.ts")
    assert (
        segment["Content-Type"] == "video/mp2t"
        and segment["Cache-Control"] == "private, max-age=3600"
    )
    for name in (
        "../wav/floor/x.wav",
        "fr/00000.m4s",
        "de/index.m3u8",
        "fr/0.ts",
        "index.m3u8.tmp",
    ):
        assert get(client, delegate, base + name).status_code == 404, name

    public_webcast(meeting)
    public = get(client, None, base + "floor/00000.ts")  # a public webcast: a CDN may keep it
    assert public.status_code == 200 and public["Cache-Control"] == "public, max-age=3600"

    Recording.objects.filter(pk=running.pk).update(status=Recording.Status.READY)
    queries.forget_live_decisions()  # else decided again within two seconds
    assert get(client, None, base + "index.m3u8").status_code == 404  # the archive now


def test_the_webcast_page_links_to_the_live_stream_only_while_there_is_one(
    running: Recording,
) -> None:
    from plenary.recordings.templatetags.recordings_tags import live_link

    assert live_link(running.session)["recording"] == running
    assert live_link("")["recording"] is None
    (running.live_folder / "index.m3u8").unlink()
    assert live_link(running.session)["recording"] is None
