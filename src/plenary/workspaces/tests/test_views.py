"""The workspace pages and forms: who gets what, for every endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from plenary.workspaces.models import Message, Reaction, Topic
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(cast: Cast) -> Message:
    return posting.do_start_topic(
        cast.french, cast.place(cast.french), cast.general.pk, "Work plan", "**Draft** v1"
    )


def paths(message: Message) -> dict[str, tuple[str, str]]:
    """Every endpoint of one workspace: name -> (method, path)."""
    t = message.topic_id
    base = "/workspaces/sg17/"
    return {
        "home": ("get", base),
        "members": ("get", base + "members/"),
        "channel": ("get", base + "c/general/"),
        "topic": ("get", f"{base}c/general/{t}/"),
        "history": ("get", f"{base}messages/{message.pk}/history/"),
        "edit_form": ("get", f"{base}messages/{message.pk}/edit/"),
        "start_topic": ("post", base + "c/general/topics/"),
        "post": ("post", f"{base}c/general/{t}/post/"),
        "react": ("post", f"{base}messages/{message.pk}/react/"),
        "hide": ("post", f"{base}messages/{message.pk}/hide/"),
        "moderate": ("post", f"{base}c/general/{t}/moderate/"),
        "topic_level": ("post", f"{base}c/general/{t}/level/"),
        "channel_level": ("post", base + "c/general/level/"),
        "channel_read": ("post", base + "c/general/read/"),
        "create_channel": ("post", base + "channels/"),
        "join": ("post", base + "join/"),
        "invite": ("post", base + "members/"),
        "groups": ("get", base + "groups/"),
        "settings": ("get", base + "settings/"),
        "create_group": ("post", base + "groups/"),
        "change_group": ("post", base + "groups/chairs/"),
        "remove_group": ("post", base + "groups/chairs/remove/"),
    }


DATA = {
    "start_topic": {"title": "New one", "text": "Hello"},
    "post": {"text": "A reply"},
    "react": {"emoji": "👍"},
    "hide": {"hidden": "1"},
    "moderate": {"action": "lock"},
    "topic_level": {"level": "follow"},
    "channel_level": {"level": "mute"},
    "create_channel": {"name": "Liaison"},
    "invite": {"person": "wanjiru", "role": "member"},
    "create_group": {"handle": "chairs", "members": "mod"},
    "change_group": {"chairs-name": "Chairs", "chairs-members": "mod jean"},
}

# Who gets what: 200/302 when allowed, 403 forbidden, 404 not found (no leak).
ALLOWED = (200, 302)
MATRIX: dict[str, dict[str, Any]] = {
    "anonymous": {"*": (302, 404)},  # sign in first (POST) or "no such workspace" (GET)
    "outsider": {"*": (404,)},
    "member": {
        "home": ALLOWED, "members": ALLOWED, "channel": ALLOWED, "topic": ALLOWED,
        "history": ALLOWED, "edit_form": (403,), "start_topic": ALLOWED, "post": ALLOWED,
        "react": ALLOWED, "hide": (403,), "moderate": (403,), "topic_level": ALLOWED,
        "channel_level": ALLOWED, "channel_read": ALLOWED, "create_channel": (403,),
        "join": ALLOWED, "invite": (403,), "groups": ALLOWED, "create_group": (403,),
        "change_group": (403,), "remove_group": (403,), "settings": (403,),
    },
    "author": {"edit_form": ALLOWED},
    # Moderators hide, only authors edit, only the workspace's staff change its settings.
    "moderator": {"*": ALLOWED, "edit_form": (403,), "settings": (403,)},
}  # fmt: skip


def who(cast: Cast, role: str) -> Any:
    return {
        "anonymous": None,
        "outsider": cast.outsider,
        "member": cast.brazilian,
        "author": cast.french,
        "moderator": cast.moderator,
    }[role]


@pytest.mark.parametrize("role", list(MATRIX))
def test_the_permission_matrix_of_every_endpoint(
    client: Client, cast: Cast, message: Message, role: str
) -> None:
    person = who(cast, role)
    if person is not None:
        client.force_login(person)
    rules = MATRIX[role]
    for name, (method, path) in paths(message).items():
        expected = rules.get(name) or rules.get("*") or MATRIX["member"][name]
        response = getattr(client, method)(path, DATA.get(name, {}))
        assert response.status_code in expected, (role, name, response.status_code)
    if role in ("anonymous", "outsider"):
        assert Topic.objects.count() == 1 and Message.objects.count() == 1
        assert not Reaction.objects.exists()


def test_a_member_reads_a_topic_with_its_sanitised_html(
    client: Client, cast: Cast, message: Message
) -> None:
    client.force_login(cast.brazilian)
    html = client.get(f"/workspaces/sg17/c/general/{message.topic_id}/").content.decode()
    assert "<strong>Draft</strong> v1" in html
    assert 'data-live-socket="/ws/workspaces/' in html
    assert 'id="message-template"' in html
    assert "'topic_id'" not in html  # the messages are not shown as a dict anywhere


def test_posting_as_json_answers_ok_or_the_reason_in_the_readers_language(
    client: Client, cast: Cast, message: Message
) -> None:
    client.force_login(cast.brazilian)
    url = f"/workspaces/sg17/c/general/{message.topic_id}/post/"
    ok = client.post(url, {"text": "Agreed"}, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and ok.json()["ok"]
    empty = client.post(
        url, {"text": "   "}, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert empty.status_code == 400
    assert empty.json()["error"]["message"] == "Écrivez d’abord un message."  # noqa: RUF001
    bad_reply = client.post(url, {"text": "x", "reply_to": "abc"}, HTTP_ACCEPT="application/json")
    assert bad_reply.status_code == 400
    assert Message.objects.count() == 2


def test_a_new_topic_by_form_redirects_to_its_first_message(client: Client, cast: Cast) -> None:
    client.force_login(cast.french)
    response = client.post(
        "/workspaces/sg17/c/general/topics/", {"title": "Liaison statement", "text": "Draft"}
    )
    message = Message.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{message.topic_id}/#m{message.pk}")


def test_the_header_counts_unread_notices(client: Client, cast: Cast) -> None:
    posting.do_start_topic(
        cast.french, cast.place(cast.french), cast.general.pk, "Ping", "@ana look"
    )
    client.force_login(cast.brazilian)
    html = client.get("/workspaces/").content.decode()
    assert "<span data-notice-count>1</span>" in html
    assert "Study Group 17" in html


def test_staff_manage_workspaces_in_the_admin_and_messages_stay_read_only(
    cast: Cast, message: Message
) -> None:
    from plenary.accounts.tests.helpers import sign_in_verified, staff_with_device

    admin = Client()
    sign_in_verified(admin, staff_with_device(is_superuser=True))
    workspace = cast.workspace.pk
    assert admin.get(f"/admin/workspaces/workspace/{workspace}/change/").status_code == 200
    assert admin.get("/admin/workspaces/workspace/add/").status_code == 200
    assert admin.get("/admin/workspaces/message/").status_code == 200
    assert admin.get(f"/admin/workspaces/message/{message.pk}/change/").status_code == 200
    assert admin.post(f"/admin/workspaces/message/{message.pk}/delete/").status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()
