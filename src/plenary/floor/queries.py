"""Read-side helpers for the live session pages."""

from __future__ import annotations

from django.db.models import QuerySet

from plenary.meetings.models import Participation, Session


def listable_participants(session: Session) -> QuerySet[Participation]:
    """Delegates the chair may put on the list for them, people in the room first."""
    return (
        Participation.objects.filter(
            meeting_id=session.meeting_id,
            role__in=[Participation.Role.DELEGATE, Participation.Role.VICE_CHAIR],
        )
        .select_related("user", "entity")
        .order_by("attendance", "entity__name", "user__last_name")  # "onsite" < "remote"
    )
