"""A study group's workspace and the people around it, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plenary.accounts.models import Entity, User
from plenary.accounts.tests.factories import (
    DelegateFactory,
    EntityFactory,
    OrganiserFactory,
    StaffFactory,
    UserFactory,
)
from plenary.workspaces.models import Channel, Membership, Workspace
from plenary.workspaces.services import access, setup


@dataclass
class Cast:
    workspace: Workspace
    general: Channel
    france: Entity
    brazil: Entity
    organiser: Any  # staff of the workspace (created it)
    french: Any  # a delegate of France: a member by entity
    french_too: Any
    brazilian: Any  # a delegate of Brazil: a member by entity
    moderator: Any
    outsider: Any  # a delegate of an entity that is not a member
    secretariat: Any

    def place(self, user: Any) -> access.Place:
        return access.place_of(user, self.workspace)


def make_cast(visibility: str = Workspace.Visibility.MEMBERS) -> Cast:
    france = EntityFactory.create(code="F", name="France", country="FR")
    brazil = EntityFactory.create(code="B", name="Brazil", country="BR")
    other = EntityFactory.create(code="KEN", name="Kenya", country="KE")
    organiser = OrganiserFactory.create(username="organiser")
    workspace = setup.do_create_workspace(
        organiser,
        slug="sg17",
        names={"en": "Study Group 17", "fr": "Commission d'études 17"},
        kind=Workspace.Kind.STUDY_GROUP,
        visibility=visibility,
        entity_ids=[france.pk, brazil.pk],
    )
    moderator = UserFactory.create(username="mod", first_name="Mona", last_name="Rapporteur")
    Membership.objects.create(workspace=workspace, user=moderator, role=Membership.Role.MODERATOR)
    return Cast(
        workspace=workspace,
        general=workspace.channels.get(slug="general"),
        france=france,
        brazil=brazil,
        organiser=organiser,
        french=DelegateFactory.create(
            username="jean", first_name="Jean", last_name="Dupont", entity=france
        ),
        french_too=DelegateFactory.create(username="marie", entity=france),
        brazilian=DelegateFactory.create(username="ana", entity=brazil),
        moderator=moderator,
        outsider=DelegateFactory.create(username="wanjiru", entity=other),
        secretariat=StaffFactory.create(username="sec"),
    )


def user(username: str) -> User:
    return User.objects.get(username=username)
