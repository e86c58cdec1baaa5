"""Who may request which service, what a site can offer, and who approves.

Pure functions of the requester, the meeting and the service (no queries):
the services call them, the pages show their reasons, ``docs/services.md``
prints the same table.

=========================  ==============================================
service                    decision
=========================  ==============================================
interpretation             always the conference department
any other, regional-office staff for a meeting at their own office:
                           automatic
any other, requested by the secretariat (or conference department):
                           automatic
remote participation,      automatic for the meeting's organiser
captions
webcast                    the secretariat
=========================  ==============================================

Requests come only from people who may manage the meeting (``may_manage``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import User
from plenary.meetings.models import Meeting
from plenary.meetings.services.access import can_manage
from plenary.provisioning.models import Service

Approver = User.StaffRole


@dataclass(frozen=True)
class Approval:
    """The policy's answer: automatic, or which staff role decides, and why."""

    automatic: bool
    approver: Approver | None
    reason: str | Promise


_SITE_OFFERS = {
    Service.REMOTE_PARTICIPATION: "offers_remote_participation",
    Service.INTERPRETATION: "offers_interpretation",
    Service.CAPTIONS: "offers_captions",
    Service.WEBCAST: "offers_webcast",
}


def may_manage(user: User, meeting: Meeting) -> bool:
    """Who may request services: whoever may manage the meeting (the meetings app's rule:
    secretariat any meeting, regional-office staff those at their office, other organisers
    their own)."""
    return can_manage(user, meeting)


def _at_own_office(user: User, meeting: Meeting) -> bool:
    return (
        user.staff_role == User.StaffRole.REGIONAL_OFFICE
        and meeting.site_id is not None
        and meeting.site_id == user.staff_site_id
    )


def site_offers(meeting: Meeting, service: str) -> bool:
    """Whether the meeting's site can deliver ``service``; fully virtual meetings offer all four
    (interpretation is then remote interpretation)."""
    if meeting.site is None:
        return True
    return bool(getattr(meeting.site, _SITE_OFFERS[Service(service)]))


def approval_for(user: User, meeting: Meeting, service: str) -> Approval:
    """Whether ``user``'s request for ``service`` is approved at once, and if not, by whom."""
    if service == Service.INTERPRETATION:
        return Approval(
            False,
            Approver.CONFERENCE,
            _("Interpretation is always approved by the conference department."),
        )
    if _at_own_office(user, meeting):
        return Approval(True, None, _("Approved automatically: the meeting is at your office."))
    if user.is_secretariat:
        return Approval(True, None, _("Approved automatically: requested by the secretariat."))
    if service != Service.WEBCAST and meeting.organiser_id == user.pk:
        return Approval(True, None, _("Approved automatically for the meeting's organiser."))
    return Approval(False, Approver.SECRETARIAT, _("Needs the approval of the secretariat."))


def may_decide(user: User, service: str) -> bool:
    """Conference department for interpretation; the secretariat for everything else."""
    if user.is_superuser:
        return True
    if service == Service.INTERPRETATION:
        return user.staff_role == User.StaffRole.CONFERENCE
    return user.is_secretariat


def approver_roles(service: str) -> set[str]:
    """The staff roles whose members are asked to decide a request for ``service``."""
    if service == Service.INTERPRETATION:
        return {User.StaffRole.CONFERENCE}
    return {User.StaffRole.SECRETARIAT, User.StaffRole.CONFERENCE}
