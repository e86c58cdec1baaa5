"""Creating workspaces and channels, and who belongs: invitations, joining, roles.

Staff who organise (secretariat, organisers, regional offices) create
workspaces; whoever creates one is its first staff member. Moderators add
channels and groups, invite people and give roles. Anyone accredited joins a
workspace open to the accredited or the public by themselves.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.core.locking import lock
from plenary.workspaces.models import Channel, Membership, Workspace
from plenary.workspaces.services import mail
from plenary.workspaces.services.access import Place, check_moderate, members

Role = Membership.Role
DEFAULT_CHANNELS = ("general",)
ROSTER_LIMIT = 500  # people listed on the members page
RESERVED = frozenset(
    {"new", "notices", "start", "unsubscribe", "digests", "files"}
)  # the addresses of pages beside the workspaces


def check_create(user: Any) -> None:
    if not getattr(user, "is_authenticated", False) or not user.can_organise:
        raise PermissionRefusal(_("Only organisers and secretariat staff create workspaces."))


def _clean_names(names: dict[str, str]) -> dict[str, str]:
    clean = {
        language: " ".join(str(name).split())[:200]
        for language, name in names.items()
        if language in UN_LANGUAGES and str(name).strip()
    }
    if not clean:
        raise Refusal(_("Give the workspace a name."), "invalid_workspace", "names")
    return clean


def do_create_workspace(
    user: Any,
    *,
    slug: str,
    names: dict[str, str],
    kind: str,
    visibility: str = Workspace.Visibility.MEMBERS,
    descriptions: dict[str, str] | None = None,
    meeting: Any = None,
    sector: Any = None,
    entity_ids: list[int] | None = None,
) -> Workspace:
    with transaction.atomic():
        check_create(user)
        slug = slugify(slug)[:64]
        if not slug:
            raise Refusal(_("Give the workspace an address."), "invalid_workspace", "slug")
        if slug in RESERVED or Workspace.objects.filter(slug=slug).exists():
            raise Refusal(_("This address is taken."), "invalid_workspace", "slug")
        if kind not in Workspace.Kind.values:
            raise Refusal(_("Choose a kind of workspace."), "invalid_workspace", "kind")
        if visibility not in Workspace.Visibility.values:
            raise Refusal(_("Choose who may read it."), "invalid_workspace", "visibility")
        workspace = Workspace.objects.create(
            slug=slug,
            names=_clean_names(names),
            descriptions={
                k: v[:2000] for k, v in (descriptions or {}).items() if k in UN_LANGUAGES
            },
            kind=kind,
            visibility=visibility,
            meeting=meeting,
            sector=sector,
            created_by=user,
        )
        if entity_ids:
            workspace.entities.set(entity_ids)
        Membership.objects.create(workspace=workspace, user=user, role=Role.STAFF)
        for position, channel in enumerate(DEFAULT_CHANNELS):
            Channel.objects.create(
                workspace=workspace, slug=channel, name=_("General"), position=position
            )
        audit.record(user, "workspace.created", workspace, slug=slug)
        return workspace


def check_manage(place: Place) -> None:
    """The workspace's settings are its staff's (and the secretariat's)."""
    if not place.may_manage:
        raise PermissionRefusal(_("Only the workspace's staff change its settings."))


def do_change_workspace(
    user: Any,
    place: Place,
    *,
    names: dict[str, str],
    descriptions: dict[str, str],
    visibility: str,
    entity_ids: list[int],
    sector: Any = None,
    archived: bool = False,
) -> Workspace:
    """Change the names and descriptions given (per language; the others stay), who may
    read, the member entities, the sector; archive (read-only) or bring back."""
    with transaction.atomic():
        check_manage(place)
        workspace = lock(place.workspace)
        if visibility not in Workspace.Visibility.values:
            raise Refusal(_("Choose who may read it."), "invalid_workspace", "visibility")
        # A blank name or description takes that language's away; one name must stay.
        workspace.names = _clean_names({**workspace.names, **names})
        workspace.descriptions = {
            language: text[:2000]
            for language, text in {**workspace.descriptions, **descriptions}.items()
            if language in UN_LANGUAGES and text.strip()
        }
        workspace.visibility = visibility
        workspace.sector = sector
        if archived != (workspace.archived_at is not None):
            workspace.archived_at = timezone.now() if archived else None
        workspace.save()
        workspace.entities.set(entity_ids)
        audit.record(
            user,
            "workspace.changed",
            workspace,
            visibility=visibility,
            entities=len(entity_ids),
            archived=archived,
        )
        return workspace


def do_create_channel(
    user: Any, place: Place, name: str, *, description: str = "", moderators_post: bool = False
) -> Channel:
    with transaction.atomic():
        check_moderate(place)
        name = " ".join(name.split())[:80]
        slug = slugify(name, allow_unicode=True)[:64]
        if not name or not slug:
            raise Refusal(_("Name the channel."), "invalid_channel", "name")
        if Channel.objects.filter(workspace=place.workspace, slug=slug).exists():
            raise Refusal(_("A channel of this name exists."), "invalid_channel", "name")
        channel = Channel.objects.create(
            workspace=place.workspace,
            slug=slug,
            name=name,
            description=description[:300],
            moderators_post=moderators_post,
            position=place.workspace.channels.count(),
        )
        audit.record(user, "workspace.channel_created", channel)
        return channel


def find_person(identifier: str) -> Any:
    """An active account by user name or e-mail address (``NotFoundRefusal`` if none)."""
    identifier = identifier.strip()
    person = (
        get_user_model()
        .objects.filter(
            Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
        )
        .first()
        if identifier
        else None
    )
    if person is None:
        raise NotFoundRefusal(_("No one has this user name or e-mail address."))
    return person


def do_invite(user: Any, place: Place, identifier: str, role: str = Role.MEMBER) -> Membership:
    """A moderator makes someone a member (or gives a member another role)."""
    with transaction.atomic():
        check_moderate(place)
        if role not in Role.values:
            raise Refusal(_("Choose a role."), "invalid_role", "role")
        if role == Role.STAFF and not place.secretariat and place.role != Role.STAFF:
            raise PermissionRefusal(_("Only staff give the staff role."))
        person = find_person(identifier)
        membership, created = Membership.objects.get_or_create(
            workspace=place.workspace,
            user=person,
            defaults={"role": role, "invited_by": user},
        )
        if created:
            mail.invited(membership)
        elif membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        audit.record(user, "workspace.member", place.workspace, user=person.pk, role=role)
        return membership


def roster(place: Place, limit: int = ROSTER_LIMIT) -> tuple[list[tuple[Any, str]], int]:
    """The first ``limit`` members by name, each with their role, and how many there are
    (members only see who belongs: a public workspace shows its messages, not its people)."""
    if not place.is_member:
        raise PermissionRefusal(_("Only the workspace's members see who belongs to it."))
    people = (
        members(place.workspace)
        .select_related("entity")
        .order_by("last_name", "first_name", "username")
    )
    roles = dict(place.workspace.memberships.values_list("user_id", "role"))
    return [
        (person, roles.get(person.pk, Role.MEMBER)) for person in people[:limit]
    ], people.count()


def do_join(user: Any, place: Place) -> Membership:
    with transaction.atomic():
        if not place.may_join:
            if place.is_member:
                raise Refusal(_("You are a member already."), "already_member")
            raise PermissionRefusal(_("This workspace is open to its members only."))
        membership, _created = Membership.objects.get_or_create(
            workspace=place.workspace, user=user, defaults={"role": Role.MEMBER}
        )
        return membership
