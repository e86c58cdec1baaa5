"""The workspaces API: the pages' rules for scripts (tokens) and anonymous readers."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from plenary.accounts import tokens
from plenary.workspaces.models import Message, Workspace
from plenary.workspaces.tests.helpers import Cast, make_cast

pytestmark = pytest.mark.django_db
API = "/api/v1/workspaces"


def bearer(user: Any, scope: str = "write") -> dict[str, Any]:
    scopes = ["read", "write"] if scope == "write" else ["read"]
    _token, secret = tokens.do_create_token(user, tokens.TokenData("script", scopes, 30))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_member_posts_and_reads_with_a_token(client: Client, cast: Cast) -> None:
    auth = bearer(cast.french)
    started = client.post(
        f"{API}/sg17/topics",
        {"channel_id": cast.general.pk, "title": "Plan", "text": "Bonjour @ana"},
        content_type="application/json",
        **auth,
    )
    assert started.status_code == 201, started.content
    topic_id = started.json()["topic_id"]
    reply = client.post(
        f"{API}/sg17/topics/{topic_id}/messages",
        {"text": "Et **ensuite**"},
        content_type="application/json",
        **bearer(cast.brazilian),
    )
    assert reply.status_code == 201
    listed = client.get(f"{API}/sg17/topics/{topic_id}/messages", **bearer(cast.french, "read"))
    assert [m["html"] for m in listed.json()] == [
        '<p>Bonjour <span class="mention" dir="auto">@ana</span></p>\n',
        "<p>Et <strong>ensuite</strong></p>\n",
    ]
    found = client.get(f"{API}/sg17/search", {"q": "ensuite"}, **auth).json()
    assert [m["id"] for m in found] == [reply.json()["id"]]
    assert client.get(f"{API}/", **auth).json()[0]["member"] is True


def test_outsiders_and_anonymous_callers_get_not_found_and_change_nothing(
    client: Client, cast: Cast
) -> None:
    assert client.get(f"{API}/sg17/channels").status_code == 404
    assert client.get(f"{API}/").json() == []
    outsider = bearer(cast.outsider)
    assert client.get(f"{API}/sg17/channels", **outsider).status_code == 404
    posted = client.post(
        f"{API}/sg17/topics",
        {"channel_id": cast.general.pk, "title": "x", "text": "y"},
        content_type="application/json",
        **outsider,
    )
    assert posted.status_code == 404
    assert not Message.objects.exists()


def test_a_public_workspace_is_read_by_anyone_and_written_by_members_only(
    client: Client, db: None
) -> None:
    cast = make_cast(visibility=Workspace.Visibility.PUBLIC)
    assert client.get(f"{API}/sg17/channels").status_code == 200
    refused = client.post(
        f"{API}/sg17/topics",
        {"channel_id": cast.general.pk, "title": "x", "text": "y"},
        content_type="application/json",
        **bearer(cast.outsider),
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"


def test_bad_input_is_a_clear_400_and_a_bad_token_401(client: Client, cast: Cast) -> None:
    auth = bearer(cast.french)
    oversized = client.post(
        f"{API}/sg17/topics",
        {"channel_id": cast.general.pk, "title": "x", "text": "y" * 10_001},
        content_type="application/json",
        **auth,
    )
    assert oversized.status_code == 400 and oversized.json()["field"] == "text"
    wrong_type = client.post(
        f"{API}/sg17/topics",
        {"channel_id": "x"},
        content_type="application/json",
        HTTP_AUTHORIZATION=auth["HTTP_AUTHORIZATION"],
    )
    assert wrong_type.status_code in (400, 422)
    bad = client.get(f"{API}/sg17/channels", HTTP_AUTHORIZATION="Bearer nope")
    assert bad.status_code == 401
    assert not Message.objects.exists()


def test_the_library_by_the_api_for_a_member_and_nobody_else(
    client: Client, cast: Cast, settings: Any
) -> None:
    from plenary.documents.tests import samples

    auth = bearer(cast.french)
    added = client.post(
        f"{API}/sg17/library",
        {"title": "Work plan", "file": samples.contribution("Plan of work")},
        **auth,
    )
    assert added.status_code == 201, added.content
    document = added.json()
    assert document["title"] == "Work plan" and document["versions"][0]["number"] == 1
    again = client.post(
        f"{API}/sg17/library/{document['id']}/versions",
        {"label": "as agreed", "file": samples.contribution("Agreed plan")},
        **bearer(cast.brazilian),
    )
    assert [v["label"] for v in again.json()["versions"]] == ["as agreed", ""]
    listed = client.get(f"{API}/sg17/library", **bearer(cast.french, "read")).json()
    assert [d["id"] for d in listed] == [document["id"]]
    url = again.json()["versions"][0]["url"]
    download = client.get(url, **auth)
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"  # type: ignore[attr-defined]
    outsider = bearer(cast.outsider)
    assert client.get(url, **outsider).status_code == 404
    assert client.get(f"{API}/sg17/library", **outsider).status_code == 404
    refused = client.post(
        f"{API}/sg17/library", {"file": samples.upload("x.html", b"<b>x</b>")}, **auth
    )
    assert refused.status_code == 400 and refused.json()["code"]
    settings.DOCUMENT_MAX_BYTES = 1000
    too_big = client.post(f"{API}/sg17/library", {"file": samples.contribution()}, **auth)
    assert too_big.status_code == 400 and too_big.json()["code"] == "too_large"
    assert client.post(f"{API}/sg17/library", {}, **auth).status_code == 400
    assert len(client.get(f"{API}/sg17/library", **auth).json()) == 1


def test_a_call_by_the_api(client: Client, cast: Cast) -> None:
    auth = bearer(cast.french)
    topic_id = client.post(
        f"{API}/sg17/topics",
        {"channel_id": cast.general.pk, "title": "Plan", "text": "Call?"},
        content_type="application/json",
        **auth,
    ).json()["topic_id"]
    started = client.post(f"{API}/sg17/topics/{topic_id}/call", **auth)
    assert started.status_code == 201
    call = started.json()
    assert call["room"] == f"/live/sessions/{call['session_id']}/" and not call["ended"]
    joined = client.post(f"{API}/sg17/calls/{call['id']}/join", **bearer(cast.brazilian))
    assert joined.status_code == 200
    assert (
        client.post(f"{API}/sg17/calls/{call['id']}/join", **bearer(cast.outsider)).status_code
        == 404
    )
    assert (
        client.post(f"{API}/sg17/calls/{call['id']}/end", **bearer(cast.brazilian)).status_code
        == 403
    )
    ended = client.post(f"{API}/sg17/calls/{call['id']}/end", **auth)
    assert ended.status_code == 200 and "/transcript/" in ended.json()["html"]
