"""Roles in a meeting that the organiser assigns (delegates and observers come
from approved registrations, see ``registration``)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import Refusal
from plenary.core.locking import lock
from plenary.meetings.models import AttendanceMode, Meeting, Participation
from plenary.meetings.services.access import check_can_manage

ASSIGNABLE_ROLES = (
    Participation.Role.CHAIR,
    Participation.Role.VICE_CHAIR,
    Participation.Role.SECRETARIAT,
    Participation.Role.INTERPRETER,
    Participation.Role.ROOM_OPERATOR,
)


def check_assign_role(
    actor: Any,
    meeting: Meeting,
    person: User,
    role: str,
    *,
    language: str = "",
    attendance: str = AttendanceMode.ONSITE,
) -> tuple[str, str]:
    """May ``person`` be given ``role``? Interpreters need a booth language the meeting
    offers. The booth language and the attendance to store."""
    check_can_manage(actor, meeting)
    if role not in ASSIGNABLE_ROLES:
        raise Refusal(_("Choose a role that the organiser assigns."), code="invalid", field="role")
    if role == Participation.Role.INTERPRETER:
        if language not in meeting.languages:
            raise Refusal(
                _("An interpreter's booth language must be one of the meeting's languages."),
                code="invalid",
                field="language",
            )
    else:
        language = ""
    if attendance not in AttendanceMode.values or (
        meeting.is_virtual and attendance == AttendanceMode.ONSITE
    ):
        attendance = AttendanceMode.REMOTE
    if Participation.objects.filter(meeting=meeting, user=person, role=role).exists():
        raise _already_holds(person)
    return language, attendance


def _already_holds(person: User) -> Refusal:
    return Refusal(
        _("%(person)s already holds this role in the meeting.") % {"person": person.display_name},
        code="duplicate",
        field="user",
    )


def do_assign_role(
    actor: Any,
    meeting: Meeting,
    person: User,
    role: str,
    *,
    language: str = "",
    attendance: str = AttendanceMode.ONSITE,
) -> Participation:
    """Give ``person`` a role in ``meeting``; a concurrent duplicate becomes a refusal."""
    try:
        with transaction.atomic():
            language, attendance = check_assign_role(
                actor, lock(meeting), person, role, language=language, attendance=attendance
            )
            participation = Participation.objects.create(
                meeting=meeting,
                user=person,
                role=role,
                language=language,
                attendance=attendance,
                entity=person.entity,
            )
            audit.record(
                actor, "participation.assigned", participation, role=role, user=person.username
            )
    except IntegrityError:
        # A concurrent request assigned the same role first.
        raise _already_holds(person) from None
    return participation


def check_remove_role(actor: Any, participation: Participation) -> None:
    """May the role be removed? Delegates and observers withdraw their registration."""
    check_can_manage(actor, participation.meeting)
    if participation.role not in ASSIGNABLE_ROLES:
        raise Refusal(
            _("Delegates and observers leave a meeting by withdrawing their registration."),
            code="invalid",
        )


def do_remove_role(actor: Any, participation: Participation) -> None:
    """Remove an assigned role (audited first)."""
    with transaction.atomic():
        check_remove_role(actor, lock(participation))
        audit.record(
            actor,
            "participation.removed",
            participation,
            role=participation.role,
            user=participation.user.username,
        )
        participation.delete()
