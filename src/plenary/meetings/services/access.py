"""Who may manage a meeting and decide its registrations (server-side rules)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.meetings.models import Meeting, Participation, Registration, Site


def _is_user(actor: Any) -> bool:
    return isinstance(actor, User) and actor.is_authenticated


def can_manage(actor: Any, meeting: Meeting) -> bool:
    """Secretariat staff manage every meeting, regional-office staff those at their
    office, other organisers the meetings they organise."""
    if not _is_user(actor):
        return False
    if actor.is_secretariat:
        return True
    if actor.staff_role == User.StaffRole.REGIONAL_OFFICE:
        return actor.staff_site_id is not None and meeting.site_id == actor.staff_site_id
    return actor.can_organise and meeting.organiser_id == actor.pk


def check_can_manage(actor: Any, meeting: Meeting) -> None:
    """Refuse (403) anyone :func:`can_manage` does not allow."""
    if not can_manage(actor, meeting):
        raise PermissionRefusal(_("You may not manage this meeting."))


def check_can_organise_at(actor: Any, site: Site | None) -> None:
    """May ``actor`` hold a meeting at ``site`` (``None``: fully virtual)?"""
    if not _is_user(actor) or not actor.can_organise:
        raise PermissionRefusal(_("Only organisers and secretariat staff may set up meetings."))
    if (
        actor.staff_role == User.StaffRole.REGIONAL_OFFICE
        and not actor.is_secretariat
        and (site is None or site.pk != actor.staff_site_id)
    ):
        raise Refusal(
            _("Regional office staff set up meetings at their own office only."),
            code="site_not_allowed",
            field="site",
        )


def is_meeting_secretariat(actor: Any, meeting: Meeting) -> bool:
    """Organisers of the meeting, secretariat staff, or the meeting's secretariat role."""
    return can_manage(actor, meeting) or (
        _is_user(actor)
        and Participation.objects.filter(
            meeting=meeting, user=actor, role=Participation.Role.SECRETARIAT
        ).exists()
    )


def can_decide(actor: Any, registration: Registration) -> bool:
    """The focal points of the registration's entity decide; registrations without an
    entity (observers) are decided by the meeting's organiser or secretariat."""
    if not _is_user(actor):
        return False
    if registration.entity_id is not None:
        return registration.entity.focal_points.filter(pk=actor.pk).exists()  # type: ignore[union-attr]
    return is_meeting_secretariat(actor, registration.meeting)
