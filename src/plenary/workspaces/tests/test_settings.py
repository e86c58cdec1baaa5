"""A workspace's own settings and the organisers' self-service: names per language,
who reads, member entities, sector, archive — its staff's, on the page and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.meetings.models import Sector
from plenary.workspaces.models import Workspace
from plenary.workspaces.services import access, setup
from plenary.workspaces.tests.helpers import Cast
from plenary.workspaces.tests.test_api import API, bearer

pytestmark = pytest.mark.django_db


def change(cast: Cast, user: Any, **fields: Any) -> Workspace:
    values: dict[str, Any] = {
        "names": {},
        "descriptions": {},
        "visibility": Workspace.Visibility.MEMBERS,
        "entity_ids": [cast.france.pk, cast.brazil.pk],
        **fields,
    }
    return setup.do_change_workspace(user, cast.place(user), **values)


def test_its_staff_change_a_name_in_one_language_readers_entities_and_archive_it(
    cast: Cast,
) -> None:
    workspace = change(
        cast,
        cast.organiser,
        names={"fr": "  CE 17 ", "es": "Comisión de Estudio 17"},
        descriptions={"fr": "Sécurité"},
        visibility=Workspace.Visibility.ACCREDITED,
        entity_ids=[cast.france.pk],
    )
    assert workspace.names == {
        "en": "Study Group 17",
        "fr": "CE 17",
        "es": "Comisión de Estudio 17",
    }
    assert workspace.descriptions == {"fr": "Sécurité"}
    assert cast.place(cast.brazilian).is_member is False  # Brazil is no member entity now
    assert cast.place(cast.brazilian).may_read is True  # ... but accredited people read
    archived = change(cast, cast.secretariat, names={"es": ""}, archived=True)
    assert "es" not in archived.names and archived.archived_at is not None
    assert cast.place(cast.french).may_write is False
    assert change(cast, cast.organiser).archived_at is None


def test_nobody_else_changes_the_settings_and_a_bad_change_keeps_them(cast: Cast) -> None:
    for person in (cast.moderator, cast.french, cast.outsider):
        with pytest.raises(PermissionRefusal):
            change(cast, person, visibility=Workspace.Visibility.PUBLIC)
    with pytest.raises(Refusal):  # every name taken away
        change(cast, cast.organiser, names={"en": " ", "fr": ""})
    with pytest.raises(Refusal):
        change(cast, cast.organiser, visibility="everybody")
    cast.workspace.refresh_from_db()
    assert cast.workspace.visibility == Workspace.Visibility.MEMBERS
    assert cast.workspace.names["fr"] == "Commission d'études 17"


def test_the_settings_page_in_french_and_the_self_service_form_with_entities(
    client: Client, cast: Cast
) -> None:
    client.cookies["django_language"] = "fr"
    client.force_login(cast.organiser)
    page = client.get("/workspaces/sg17/settings/")
    assert page.status_code == 200 and "Commission d&#x27;études 17" in page.content.decode()
    saved = client.post(
        "/workspaces/sg17/settings/",
        {"name": "CE17", "name_language": "fr", "visibility": "public",
         "entities": [cast.france.pk], "sector": Sector.objects.get_or_create(code="T")[0].pk},
    )  # fmt: skip
    assert saved.status_code == 302
    cast.workspace.refresh_from_db()
    assert cast.workspace.names["fr"] == "CE17"
    assert cast.workspace.sector is not None and cast.workspace.sector.code == "T"

    kenya = cast.outsider.entity
    made = client.post(
        "/workspaces/new/",
        {"slug": "ken-q1", "name": "Q1", "name_language": "en", "kind": "question",
         "visibility": "members", "entities": [kenya.pk]},
    )  # fmt: skip
    assert made.status_code == 302, made.content
    new = Workspace.objects.get(slug="ken-q1")
    assert access.place_of(cast.outsider, new).is_member
    client.force_login(cast.moderator)
    assert client.get("/workspaces/sg17/settings/").status_code == 403


def test_workspaces_are_made_and_changed_through_the_api(client: Client, cast: Cast) -> None:
    organiser = bearer(OrganiserFactory.create(username="org2"))
    body = {"slug": "rg-af", "kind": "regional_group", "names": {"fr": "Groupe Afrique"},
            "entity_ids": [cast.outsider.entity_id], "sector": "D"}  # fmt: skip
    made = client.post(f"{API}/", body, content_type="application/json", **organiser)
    assert made.status_code == 201, made.content
    assert made.json()["slug"] == "rg-af"
    delegate = bearer(DelegateFactory.create())
    refused = client.post(
        f"{API}/", {**body, "slug": "other"}, content_type="application/json", **delegate
    )
    assert refused.status_code == 403
    unknown = client.post(
        f"{API}/", {**body, "slug": "x", "entity_ids": [987654]},
        content_type="application/json", **organiser,
    )  # fmt: skip
    assert unknown.status_code == 400 and unknown.json()["field"] == "entity_ids"
    changed = client.put(
        f"{API}/rg-af",
        {"names": {"en": "Africa group"}, "visibility": "accredited", "archived": True},
        content_type="application/json",
        **organiser,
    )
    assert changed.status_code == 200 and changed.json()["visibility"] == "accredited"
    workspace = Workspace.objects.get(slug="rg-af")
    assert workspace.names == {"fr": "Groupe Afrique", "en": "Africa group"}
    assert workspace.archived_at is not None and not workspace.entities.exists()
    assert client.put(
        f"{API}/sg17", {"visibility": "public"}, content_type="application/json",
        **bearer(cast.moderator),
    ).status_code == 403  # fmt: skip
