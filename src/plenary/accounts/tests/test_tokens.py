"""Personal access tokens: shown once, hashed at rest, scoped, revocable; API and socket."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from plenary.accounts import tokens
from plenary.accounts.models import AccessToken, User
from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.core.tests.live import serving

TOKENS = "/accounts/profile/tokens/"
ME = "/api/v1/accounts/me"
EXAMPLE = Path(__file__).resolve().parents[4] / "docs" / "examples" / "live_client.py"


def new_token(user: User, *scopes: str, days: int = 30) -> str:
    data = tokens.TokenData(name="script", scopes=list(scopes or ["read"]), days=days)
    return tokens.do_create_token(user, data)[1]


def bearer(raw: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


pytestmark = pytest.mark.django_db


def test_a_token_created_on_the_profile_page_is_shown_once_and_stored_hashed() -> None:
    user = DelegateFactory.create()
    client = Client()
    client.force_login(user)
    response = client.post(TOKENS, {"name": "Minutes robot", "scopes": ["read"], "days": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    shown = re.search(r'id="token-secret">([^<]+)<', response.content.decode())
    assert shown is not None
    raw = shown.group(1)
    stored = AccessToken.objects.get(user=user)
    assert raw not in json.dumps(list(AccessToken.objects.values()), default=str)
    assert stored.digest == tokens.digest(raw)
    listing = client.get(TOKENS).content.decode()
    assert "Minutes robot" in listing
    assert stored.prefix in listing
    assert raw not in listing


def test_the_token_page_is_translated() -> None:
    user = DelegateFactory.create()
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(user)
    page = client.get(TOKENS).content.decode()
    assert "Tokens de acceso personal" in page


def test_a_token_without_a_name_or_a_scope_is_refused_on_the_form() -> None:
    client = Client()
    client.force_login(DelegateFactory.create())
    response = client.post(TOKENS, {"name": " ", "days": "30"})
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_a_token_signs_a_script_in_to_the_api() -> None:
    user = DelegateFactory.create()
    response = Client().get(ME, **bearer(new_token(user)))
    assert response.status_code == 200
    assert response.json()["username"] == user.username
    assert AccessToken.objects.get(user=user).last_used_at is not None


def test_a_revoked_token_no_longer_works() -> None:
    user = DelegateFactory.create()
    raw = new_token(user)
    client = Client()
    client.force_login(user)
    token = AccessToken.objects.get(user=user)
    assert client.post(f"{TOKENS}{token.pk}/revoke/").status_code == 302
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"


def test_an_expired_or_unknown_token_is_refused_with_a_translated_message() -> None:
    user = DelegateFactory.create()
    raw = new_token(user)
    AccessToken.objects.update(expires_at=timezone.now())
    response = Client().get(ME, HTTP_ACCEPT_LANGUAGE="fr", **bearer(raw))
    assert response.status_code == 401
    assert "jeton" in response.json()["message"]
    assert Client().get(ME, **bearer("plenary_nonsense")).status_code == 401


def test_no_one_revokes_another_persons_token() -> None:
    owner, other = DelegateFactory.create(), DelegateFactory.create()
    raw = new_token(owner)
    client = Client()
    client.force_login(other)
    client.post(f"{TOKENS}{AccessToken.objects.get().pk}/revoke/")
    assert Client().get(ME, **bearer(raw)).status_code == 200


def test_a_read_token_may_not_change_anything() -> None:
    user = DelegateFactory.create()
    response = Client().post("/api/v1/guidance/completions", **bearer(new_token(user)))
    assert response.status_code == 403
    assert response.json()["code"] == "token_scope"


def test_a_write_token_needs_no_csrf_token() -> None:
    user = DelegateFactory.create()
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/guidance/completions", **bearer(new_token(user, "write")))
    assert response.status_code not in (401, 403)


def test_a_token_never_stands_in_for_the_second_factor() -> None:
    staff = StaffFactory.create()
    session = Client()
    sign_in_verified(session, staff)
    assert session.get(ME).json()["two_factor_verified"] is True
    assert Client().get(ME, **bearer(new_token(staff))).json()["two_factor_verified"] is False


async def connect(
    raw: str | None, session_id: int = 999999, origin: bytes | None = None
) -> tuple[WebsocketCommunicator, bool]:
    from plenary.config.asgi import application

    headers = [(b"host", b"localhost"), (b"accept-language", b"fr")]
    if raw is not None:
        headers.append((b"authorization", f"Bearer {raw}".encode()))
    if origin is not None:
        headers.append((b"origin", origin))
    path = f"/ws/sessions/{session_id}/"
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


@pytest.mark.django_db(transaction=True)
async def test_a_live_token_opens_the_session_socket_as_its_owner_without_an_origin() -> None:
    from asgiref.sync import sync_to_async

    from plenary.floor.tests.factories import cast

    people = await sync_to_async(cast)()
    raw = await sync_to_async(new_token)(people.delegate, "live")
    communicator, connected = await connect(raw, people.session.pk)
    assert connected
    snapshot = await communicator.receive_json_from()
    assert snapshot["type"] == "snapshot"
    assert snapshot["you"]["user_id"] == people.delegate.pk
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_socket_without_a_token_still_needs_an_allowed_origin() -> None:
    communicator, connected = await connect(None, origin=b"http://evil.example")
    assert connected is False
    await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_a_bad_or_unscoped_token_on_the_socket_gets_an_error_then_a_close() -> None:
    from asgiref.sync import sync_to_async

    user = await sync_to_async(DelegateFactory.create)()
    read_only = await sync_to_async(new_token)(user, "read")
    for raw, code, close in (
        ("plenary_wrong", "token_invalid", 4401),
        (read_only, "token_scope", 4403),
    ):
        communicator, connected = await connect(raw)
        assert connected
        event = await communicator.receive_json_from()
        assert (event["type"], event["code"]) == ("error", code)
        assert "jeton" in event["message"]  # in the handshake's language
        assert (await communicator.receive_output())["code"] == close
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
def test_the_documented_example_client_follows_a_session_with_a_token() -> None:
    from plenary.floor.tests.factories import cast

    people = cast()
    raw = new_token(people.delegate, "read", "live")
    with serving() as base:
        result = subprocess.run(  # noqa: S603 (our own example, on a loopback server)
            [sys.executable, str(EXAMPLE), base, str(people.session.pk), "--once"],
            env={"PLENARY_TOKEN": raw, "PATH": "/usr/bin:/bin"},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["username"] == people.delegate.username
    assert lines[1]["type"] == "snapshot"
    assert lines[1]["session"]["id"] == people.session.pk


def test_an_administrator_revokes_a_leaked_token_but_never_sees_its_secret() -> None:
    owner = DelegateFactory.create()
    raw = new_token(owner)
    admin = Client()
    sign_in_verified(admin, StaffFactory.create(is_superuser=True))
    token = AccessToken.objects.get()
    page = admin.get(f"/admin/accounts/accesstoken/{token.pk}/change/").content.decode()
    assert token.prefix in page
    assert token.digest not in page
    response = admin.post(
        "/admin/accounts/accesstoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert Client().get(ME, **bearer(raw)).status_code == 401
