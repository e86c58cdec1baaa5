"""The public live webcast's files answered ahead of Django; anything else handed on."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings as django_settings
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plenary.accounts.tests.factories import DelegateFactory
from plenary.meetings.tests.factories import ParticipationFactory
from plenary.recordings import queries
from plenary.recordings.live_http import LiveFiles
from plenary.recordings.models import Recording
from plenary.recordings.tests.helpers import public_webcast
from plenary.recordings.tests.test_views import running  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)  # the layer closes old connections


class Django:
    """Stands for the rest of the application: says it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.asked.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def ask(
    app: LiveFiles, path: str, *headers: tuple[bytes, bytes], method: str = "GET"
) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": list(headers)}
    async_to_sync(app)(scope, receive, send)
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


@pytest.fixture
def public(running: Recording) -> Recording:
    meeting = running.session.meeting
    public_webcast(meeting)
    return running


@pytest.fixture(autouse=True)
def forget() -> None:
    queries.forget_live_decisions()


def test_a_public_live_webcast_is_answered_ahead_of_django(public: Recording) -> None:
    django = Django()
    app = LiveFiles(django)
    base = f"/recordings/{public.pk}/live/"
    status, headers, body = ask(app, base + "fr/00000.ts")
    assert status == 200 and body == b"G" * 188
    assert headers[b"content-type"] == b"video/mp2t"
    assert headers[b"cache-control"] == b"public, max-age=3600"
    assert headers[b"x-content-type-options"] == b"nosniff"
    status, headers, body = ask(app, base + "index.m3u8")
    assert headers[b"cache-control"] == b"public, no-cache" and b'LANGUAGE="fr"' in body
    folder = public.live_folder / "fr"
    (folder / "index.m3u8").write_text("#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:9\n00009.ts\n")
    (folder / "discontinuities").write_text("4\n")
    status, headers, body = ask(app, base + "fr/index.m3u8")
    assert b"#EXT-X-MEDIA-SEQUENCE:9\n#EXT-X-DISCONTINUITY-SEQUENCE:1\n" in body
    assert headers[b"content-length"] == str(len(body)).encode()
    assert django.asked == []


def test_anything_else_goes_on_to_django(public: Recording) -> None:
    django = Django()
    app = LiveFiles(django)
    base = f"/recordings/{public.pk}/live/"
    for path in (
        base + "fr/00001.ts",  # not there
        base + "../wav/floor/x.wav",
        base + "de/index.m3u8",
        f"/recordings/{public.pk}/files/index.m3u8",
        "/",
    ):
        assert ask(app, path)[0] == 404
    assert ask(app, base + "fr/00000.ts", (b"range", b"bytes=0-9"))[0] == 404
    assert len(django.asked) == 6


def test_a_webcast_for_accredited_listeners_by_their_browser_session(
    running: Recording,
) -> None:
    django = Django()
    app = LiveFiles(django)
    path = f"/recordings/{running.pk}/live/index.m3u8"
    assert ask(app, path)[0] == 404  # nobody signed in: Django refuses
    stranger, delegate = Client(), Client()
    stranger.force_login(DelegateFactory.create())
    delegate.force_login(ParticipationFactory.create(meeting=running.session.meeting).user)
    assert ask(app, path, cookie(stranger))[0] == 404
    assert ask(app, path, (b"cookie", b"sessionid=\x00;;=bad"))[0] == 404
    status, headers, _ = ask(app, path, cookie(delegate))
    assert status == 200 and headers[b"cache-control"] == b"private, no-cache"
    assert django.asked == [path] * 3


def cookie(client: Client) -> tuple[bytes, bytes]:
    name = django_settings.SESSION_COOKIE_NAME
    return b"cookie", f"other=1; {name}={client.cookies[name].value}".encode()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tail=st.one_of(
        st.sampled_from(["index.m3u8", "fr/00000.ts", "fr/index.m3u8", "../secret"]),
        st.text(max_size=30),
    ),
    recording_id=st.one_of(st.none(), st.integers(min_value=0, max_value=10**13)),
    headers=st.lists(
        st.tuples(
            st.sampled_from([b"cookie", b"range", b"host", b"x-any"]), st.binary(max_size=60)
        ),
        max_size=4,
    ),
    method=st.sampled_from(["GET", "HEAD", "POST"]),
)
def test_any_request_is_answered_or_handed_on_never_an_error(
    public: Recording,
    tail: str,
    recording_id: int | None,
    headers: list[tuple[bytes, bytes]],
    method: str,
) -> None:
    django = Django()
    app = LiveFiles(django)
    pk = public.pk if recording_id is None else recording_id
    status, _, _ = ask(app, f"/recordings/{pk}/live/{tail}", *headers, method=method)
    assert status in {200, 404}
    assert (status == 200) == (django.asked == [])
