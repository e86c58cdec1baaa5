"""Who reads, writes and moderates a workspace.

=====================================  =======  ==========  ======
                                       members  accredited  public
=====================================  =======  ==========  ======
anyone, signed in or not               —        —           reads
signed in and accredited (an entity,
a meeting role, or staff)              —        reads,      reads,
                                                may join    may join
member                                 writes   writes      writes
moderator (role), staff (role),
secretariat                            moderate moderate    moderate
=====================================  =======  ==========  ======

A member is someone with a ``Membership`` row, someone who represents one of
the workspace's entities, or a participant of its meeting. Secretariat staff
moderate every workspace. An archived workspace is read-only. Whoever may not
read a workspace is told it does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal, PermissionRefusal
from plenary.meetings.models import Participation
from plenary.workspaces.models import Membership, Workspace

Visibility = Workspace.Visibility
Role = Membership.Role


@dataclass(frozen=True)
class Place:
    """One person's standing in one workspace, looked up once per request."""

    workspace: Workspace
    user_id: int | None
    role: str  # "" (not a member), or a Membership.Role
    accredited: bool
    secretariat: bool

    @property
    def is_member(self) -> bool:
        return bool(self.role) or self.secretariat

    @property
    def is_moderator(self) -> bool:
        return self.secretariat or self.role in (Role.MODERATOR, Role.STAFF)

    @property
    def may_manage(self) -> bool:
        """Changes the workspace's settings: its staff and the secretariat."""
        return self.secretariat or self.role == Role.STAFF

    @property
    def may_read(self) -> bool:
        visibility = self.workspace.visibility
        return (
            self.is_member
            or visibility == Visibility.PUBLIC
            or (visibility == Visibility.ACCREDITED and self.accredited)
        )

    @property
    def may_join(self) -> bool:
        return (
            not self.is_member
            and self.accredited
            and self.workspace.visibility != Visibility.MEMBERS
            and self.workspace.archived_at is None
        )

    @property
    def may_write(self) -> bool:
        return self.is_member and self.workspace.archived_at is None


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_accredited(user: Any) -> bool:
    """Signed in and holding an accreditation: an entity, a meeting role, or a staff role."""
    if not _signed_in(user):
        return False
    return bool(
        user.entity_id
        or user.staff_role
        or user.is_superuser
        or Participation.objects.filter(user=user).exists()
    )


def derived_member(user: Any, workspace: Workspace) -> bool:
    """A member by accreditation: represents one of its entities, or takes part in its meeting."""
    if user.entity_id and workspace.entities.filter(pk=user.entity_id).exists():
        return True
    return bool(
        workspace.meeting_id
        and Participation.objects.filter(meeting_id=workspace.meeting_id, user=user).exists()
    )


def place_of(user: Any, workspace: Workspace) -> Place:
    if not _signed_in(user):
        return Place(workspace, None, "", False, False)
    membership = Membership.objects.filter(workspace=workspace, user=user).first()
    role = membership.role if membership else ""
    if not role and derived_member(user, workspace):
        role = Role.MEMBER
    return Place(workspace, user.pk, role, is_accredited(user), bool(user.is_secretariat))


def get_place(user: Any, *, slug: str | None = None, pk: int | None = None) -> Place:
    """``user``'s place in the workspace at ``slug`` (or of id ``pk``); not found if
    there is none or they may not read it."""
    lookup: dict[str, Any] = {"slug": slug} if slug is not None else {"pk": pk}
    workspace = Workspace.objects.filter(**lookup).first()
    place = place_of(user, workspace) if workspace is not None else None
    if place is None or not place.may_read:
        raise NotFoundRefusal(_("This workspace does not exist."))
    return place


def check_write(place: Place) -> None:
    if place.workspace.archived_at is not None:
        raise PermissionRefusal(_("This workspace is archived; it can be read, not written to."))
    if not place.is_member:
        raise PermissionRefusal(_("Only the workspace's members write in it; join it first."))


def check_moderate(place: Place) -> None:
    if not place.is_moderator:
        raise PermissionRefusal(_("Only the workspace's moderators and staff may do this."))


def members(workspace: Workspace) -> QuerySet[Any]:
    """Every member's account: explicit, by entity and by the meeting (no secretariat
    staff unless they are members one of these ways)."""
    who = Q(workspace_memberships__workspace=workspace) | Q(
        entity__in=workspace.entities.values("pk")
    )
    if workspace.meeting_id:
        who |= Q(
            pk__in=Participation.objects.filter(meeting_id=workspace.meeting_id).values("user_id")
        )
    return get_user_model().objects.filter(who, is_active=True).distinct()


def _membership(user: Any) -> Q:
    """The workspaces ``user`` (signed in) is a member of: by a row, by their entity, by
    a meeting they take part in (``derived_member`` for one workspace)."""
    mine = Q(memberships__user=user) | Q(
        meeting__in=Participation.objects.filter(user=user).values("meeting_id")
    )
    if user.entity_id:
        mine |= Q(entities=user.entity_id)
    return mine


def readable_workspaces(user: Any) -> QuerySet[Workspace]:
    """The workspaces ``user`` may read, archived ones included."""
    workspaces = Workspace.objects.all()
    if _signed_in(user) and user.is_secretariat:
        return workspaces
    readable = Q(visibility=Visibility.PUBLIC)
    if _signed_in(user):
        if is_accredited(user):
            readable |= Q(visibility=Visibility.ACCREDITED)
        readable |= _membership(user)
    return workspaces.filter(readable).distinct()


def my_workspaces(user: Any) -> QuerySet[Workspace]:
    """The workspaces ``user`` is a member of (explicitly or by accreditation)."""
    if not _signed_in(user):
        return Workspace.objects.none()
    return Workspace.objects.filter(_membership(user)).distinct()
