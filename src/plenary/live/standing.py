"""Who may do what in a live session, from the meeting's roles and the session's rights.

Whether a person may take the floor or introduce a contribution is decided by
``plenary.meetings.queries.remote_right_for`` (roles, attendance and the
session's remote right under the Sector rules); the roles decide who keeps
the list and who presides. Pure decisions live on ``Standing`` so that
services, snapshots and pages agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plenary.accounts.models import Entity
from plenary.meetings.models import AttendanceMode, Participation, RemoteRight, Session
from plenary.meetings.queries import remote_right_for
from plenary.meetings.rules import allows
from plenary.meetings.services.access import can_manage

Role = Participation.Role

# Roles that see the presence list and the secretariat view.
STAFF_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT, Role.ROOM_OPERATOR})


@dataclass(frozen=True)
class Standing:
    """A person's position in one session, computed once per connection or command."""

    user_id: int | None
    name: str
    roles: frozenset[str]
    attendance: str
    entity: Entity | None
    is_secretariat_staff: bool
    # What this person may do in the session (None: not a participant).
    right: str | None

    @property
    def is_participant(self) -> bool:
        return bool(self.roles) or self.is_secretariat_staff

    @property
    def is_staff(self) -> bool:
        """Sees presence and the secretariat view."""
        return self.is_secretariat_staff or bool(self.roles & STAFF_ROLES)

    @property
    def is_secretariat(self) -> bool:
        """The meeting's secretariat: secretariat staff, those who manage the meeting, or
        the secretariat role (``plenary.meetings.services.access.is_meeting_secretariat``)."""
        return self.is_secretariat_staff or Role.SECRETARIAT in self.roles

    @property
    def is_remote(self) -> bool:
        return self.attendance == AttendanceMode.REMOTE

    def presides(self, state: dict[str, Any]) -> bool:
        """The chair always may; a vice-chair only while the chair has handed over to them."""
        if Role.CHAIR in self.roles:
            return True
        return Role.VICE_CHAIR in self.roles and state.get("presiding") == self.user_id

    @property
    def manages_list(self) -> bool:
        """Chair, vice-chairs and secretariat keep the speakers' list (add, withdraw, reorder)."""
        return self.is_secretariat_staff or bool(
            self.roles & {Role.CHAIR, Role.VICE_CHAIR, Role.SECRETARIAT}
        )

    @property
    def may_mute(self) -> bool:
        return Role.ROOM_OPERATOR in self.roles or self.is_secretariat_staff

    def may_speak(self) -> bool:
        """May ask for the floor in their own name (observers, interpreters and room
        operators may not; remote delegates only where the session allows it)."""
        return self.right is not None and allows(self.right, RemoteRight.SPEAK)

    def may_contribute(self) -> bool:
        """May be listed to introduce a contribution."""
        return self.right is not None and allows(self.right, RemoteRight.CONTRIBUTE)

    def as_json(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "roles": sorted(self.roles),
            "attendance": self.attendance,
            "staff": self.is_staff,
            "manages_list": self.manages_list,
            "may_mute": self.may_mute,
            "may_speak": self.may_speak(),
            "may_contribute": self.may_contribute(),
        }


def display_name(user: Any) -> str:
    return str(user.display_name)


def standing_for(user: Any, session: Session) -> Standing:
    """The standing of ``user`` (possibly anonymous) in ``session``."""
    if not getattr(user, "is_authenticated", False):
        return Standing(None, "", frozenset(), AttendanceMode.REMOTE, None, False, None)
    participations = list(
        Participation.objects.filter(meeting_id=session.meeting_id, user=user).select_related(
            "entity"
        )
    )
    # The delegate participation (if any) decides where the person sits and for whom.
    participations.sort(key=lambda p: p.role != Role.DELEGATE)
    first = participations[0] if participations else None
    return Standing(
        user_id=user.pk,
        name=display_name(user),
        roles=frozenset(p.role for p in participations),
        attendance=first.attendance if first else AttendanceMode.REMOTE,
        entity=(first.entity if first else None) or user.entity,
        # Those who manage the meeting (its organiser) get in as its secretariat:
        # the same rule as ``plenary.meetings.queries.has_way_in``.
        is_secretariat_staff=bool(user.is_secretariat) or can_manage(user, session.meeting),
        right=remote_right_for(user, session),
    )
