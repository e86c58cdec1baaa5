"""Groups (``@rapporteurs``) and who belongs: moderators keep them, members read them,
mentions reach them; invitations are mailed in the invitee's language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.models import AuditEntry
from plenary.workspaces.models import Group
from plenary.workspaces.services import groups, setup
from plenary.workspaces.services.notices import resolve_mentions
from plenary.workspaces.tests.helpers import Cast
from plenary.workspaces.tests.test_api import API, bearer

pytestmark = pytest.mark.django_db


def test_a_moderator_makes_a_group_whose_mention_reaches_its_members(cast: Cast) -> None:
    place = cast.place(cast.moderator)
    group = groups.do_create_group(
        cast.moderator, place, "Rapporteurs", "  Rapporteurs   of Q4 ", ["jean", "ANA"]
    )
    assert (group.handle, group.name) == ("rapporteurs", "Rapporteurs of Q4")
    reached = resolve_mentions(cast.place(cast.french_too), ["rapporteurs"])
    assert reached == {cast.french.pk, cast.brazilian.pk}
    changed = groups.do_change_group(
        cast.moderator, place, "rapporteurs", "", [cast.brazilian.email], moderators_only=True
    )
    assert changed.name == "rapporteurs" and list(changed.members.all()) == [cast.brazilian]
    with pytest.raises(PermissionRefusal):  # now for moderators only
        resolve_mentions(cast.place(cast.french_too), ["rapporteurs"])
    groups.do_remove_group(cast.moderator, place, "rapporteurs")
    assert not Group.objects.exists()
    assert list(
        AuditEntry.objects.filter(action__startswith="workspace.group")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["workspace.group_created", "workspace.group_changed", "workspace.group_removed"]


@pytest.mark.parametrize(
    ("handle", "people", "field"),
    [
        ("", ["jean"], "handle"),
        ("everyone", ["jean"], "handle"),
        ("France", ["jean"], "handle"),  # an entity's name: @France must stay France
        ("f", ["jean"], "handle"),  # an entity's code
        ("ana", ["jean"], "handle"),  # a member's user name
        ("heads", ["wanjiru"], "members"),  # not a member of the workspace
        ("heads", ["nobody-at-all"], "members"),
    ],
)
def test_a_group_that_would_hide_someone_or_holds_a_stranger_is_refused(
    cast: Cast, handle: str, people: list[str], field: str
) -> None:
    with pytest.raises(Refusal) as refused:
        groups.do_create_group(cast.moderator, cast.place(cast.moderator), handle, "", people)
    assert refused.value.field == field
    assert not Group.objects.exists()


def test_members_do_not_make_groups_and_outsiders_do_not_see_them(cast: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        groups.do_create_group(cast.french, cast.place(cast.french), "heads", "", ["jean"])
    groups.do_create_group(cast.moderator, cast.place(cast.moderator), "heads", "", ["jean"])
    with pytest.raises(Refusal) as taken:
        groups.do_create_group(cast.moderator, cast.place(cast.moderator), "heads", "", [])
    assert taken.value.field == "handle"
    assert [g.handle for g in groups.groups(cast.place(cast.french))] == ["heads"]
    with pytest.raises(PermissionRefusal):
        groups.groups(cast.place(cast.outsider))
    with pytest.raises(PermissionRefusal):
        groups.do_remove_group(cast.french, cast.place(cast.french), "heads")
    assert list(Group.objects.get().members.all()) == [cast.french]


def test_the_groups_page_in_french_makes_changes_and_refuses_in_french(
    client: Client, cast: Cast
) -> None:
    client.force_login(cast.moderator)
    client.cookies["django_language"] = "fr"
    made = client.post("/workspaces/sg17/groups/", {"handle": "heads", "members": "jean, ana"})
    assert made.status_code == 302
    page = client.get("/workspaces/sg17/groups/").content.decode()
    assert "@heads" in page and "Jean Dupont" in page and "Modifier <bdi>@heads</bdi>" in page
    refused = client.post("/workspaces/sg17/groups/", {"handle": "x", "members": "wanjiru"})
    assert refused.status_code == 400
    assert "n\u2019est pas membre de cet espace de travail" in refused.content.decode()
    client.post("/workspaces/sg17/groups/heads/", {"heads-name": "Chefs", "heads-members": "ana"})
    group = Group.objects.get()
    assert (group.name, list(group.members.all())) == ("Chefs", [cast.brazilian])
    client.post("/workspaces/sg17/groups/heads/remove/")
    assert not Group.objects.exists()
    client.force_login(cast.french)
    assert client.get("/workspaces/sg17/groups/").status_code == 200
    assert "Créer un groupe" not in client.get("/workspaces/sg17/groups/").content.decode()


def test_groups_and_members_through_the_api(client: Client, cast: Cast) -> None:
    moderator, member = bearer(cast.moderator), bearer(cast.french)
    body: dict[str, Any] = {"handle": "heads", "name": "Heads", "members": ["jean"]}
    assert (
        client.post(f"{API}/sg17/groups", body, content_type="application/json", **member)
    ).status_code == 403
    made = client.post(f"{API}/sg17/groups", body, content_type="application/json", **moderator)
    assert made.status_code == 201, made.content
    assert made.json()["members"][0]["username"] == "jean"
    changed = client.put(
        f"{API}/sg17/groups/heads",
        {"name": "Heads", "members": ["ana", "mod"], "moderators_only": True},
        content_type="application/json",
        **moderator,
    )
    assert {p["username"] for p in changed.json()["members"]} == {"ana", "mod"}
    assert client.get(f"{API}/sg17/groups", **member).json()[0]["moderators_only"] is True
    assert client.get(f"{API}/sg17/groups", **bearer(cast.outsider)).status_code == 404
    assert client.delete(f"{API}/sg17/groups/heads", **moderator).status_code == 204
    assert client.delete(f"{API}/sg17/groups/heads", **moderator).status_code == 404

    roster = client.get(f"{API}/sg17/members", **member).json()
    assert {p["username"]: p["role"] for p in roster}["mod"] == "moderator"
    added = client.post(
        f"{API}/sg17/members",
        {"person": "wanjiru", "role": "member"},
        content_type="application/json",
        **moderator,
    )
    assert added.status_code == 201 and added.json()["entity"] == "Kenya"
    refused = client.post(
        f"{API}/sg17/members", {"person": "sec"}, content_type="application/json", **member
    )
    assert refused.status_code == 403


def test_an_invitation_is_mailed_once_in_the_invitees_language(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.outsider.preferred_language = "ar"
    cast.outsider.save()
    place = cast.place(cast.moderator)
    with django_capture_on_commit_callbacks(execute=True):
        setup.do_invite(cast.moderator, place, "wanjiru")
        setup.do_invite(cast.moderator, place, "wanjiru", "moderator")  # a new role: no mail
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [cast.outsider.email] and "Mona Rapporteur" in sent.body
    assert "/workspaces/sg17/" in sent.body and "مساحة العمل" in sent.body
