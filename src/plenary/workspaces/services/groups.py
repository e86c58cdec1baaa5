"""A workspace's groups: people mentioned together (``@rapporteurs``).

Moderators make, change and remove them; only the workspace's members may be
in one. A handle may not take the place of ``@all``, of an entity or of a
member (mentions try groups first: ``services.notices``), so that no one
stops being reachable by their own name. A group marked so is mentioned by
moderators only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.live.standing import display_name
from plenary.workspaces.models import Group
from plenary.workspaces.services.access import Place, check_moderate, members
from plenary.workspaces.services.notices import EVERYONE
from plenary.workspaces.services.setup import find_person

MAX_MEMBERS = 1000  # people named in one form or call


def groups(place: Place) -> QuerySet[Group]:
    """The workspace's groups with their members (members of the workspace only see them)."""
    if not place.is_member:
        raise PermissionRefusal(_("Only the workspace's members see who belongs to it."))
    return place.workspace.groups.prefetch_related("members").order_by("handle")


def get_group(place: Place, handle: str) -> Group:
    found = groups(place).filter(handle=handle).first()
    if found is None:
        raise NotFoundRefusal(_("This group does not exist."))
    return found


def do_create_group(
    user: Any,
    place: Place,
    handle: str,
    name: str,
    people: Iterable[str],
    *,
    moderators_only: bool = False,
) -> Group:
    with transaction.atomic():
        check_moderate(place)
        handle = _check_handle(place, handle)
        member_ids = _members_named(place, people)
        group = Group.objects.create(
            workspace=place.workspace,
            handle=handle,
            name=_clean_name(name) or handle,
            moderators_only=moderators_only,
        )
        group.members.set(member_ids)
        audit.record(user, "workspace.group_created", group, members=len(member_ids))
        return group


def do_change_group(
    user: Any,
    place: Place,
    handle: str,
    name: str,
    people: Iterable[str],
    *,
    moderators_only: bool = False,
) -> Group:
    with transaction.atomic():
        check_moderate(place)
        group = get_group(place, handle)
        member_ids = _members_named(place, people)
        group.name = _clean_name(name) or group.handle
        group.moderators_only = moderators_only
        group.save(update_fields=["name", "moderators_only"])
        group.members.set(member_ids)
        audit.record(user, "workspace.group_changed", group, members=len(member_ids))
        return group


def do_remove_group(user: Any, place: Place, handle: str) -> Group:
    """Remove the group; its mentions in messages stay text."""
    with transaction.atomic():
        check_moderate(place)
        group = get_group(place, handle)
        audit.record(user, "workspace.group_removed", group, handle=group.handle)
        group.delete()
        return group


def _check_handle(place: Place, handle: str) -> str:
    handle = slugify(handle)[:40]
    if not handle or handle in EVERYONE:
        raise Refusal(_("Choose another handle."), "invalid_group", "handle")
    if place.workspace.groups.filter(handle=handle).exists():
        raise Refusal(_("A group has this handle already."), "invalid_group", "handle")
    if (
        Entity.objects.filter(Q(code__iexact=handle) | Q(name__iexact=handle)).exists()
        or members(place.workspace).filter(username__iexact=handle).exists()
    ):
        raise Refusal(
            _("This handle is a member's or an entity's: choose another."),
            "invalid_group",
            "handle",
        )
    return handle


def _clean_name(name: str) -> str:
    return " ".join(name.split())[:120]


def _members_named(place: Place, people: Iterable[str]) -> list[int]:
    """The accounts that ``people`` (user names or e-mail addresses) name, each a
    member of the workspace; the first that is not one refuses them all."""
    named = [person.strip() for person in people if person.strip()]
    if len(named) > MAX_MEMBERS:
        raise Refusal(
            _("A group has at most %(count)d members.") % {"count": MAX_MEMBERS},
            "invalid_group",
            "members",
        )
    workspace_members = members(place.workspace)
    ids: list[int] = []
    for identifier in dict.fromkeys(named):
        try:
            person = find_person(identifier)
        except NotFoundRefusal:
            raise Refusal(
                _("No one has the user name or e-mail address “%(person)s”.")
                % {"person": identifier[:100]},
                "invalid_group",
                "members",
            ) from None
        if not workspace_members.filter(pk=person.pk).exists():
            raise Refusal(
                _("%(person)s is not a member of this workspace.")
                % {"person": display_name(person)},
                "invalid_group",
                "members",
            )
        ids.append(person.pk)
    return ids
