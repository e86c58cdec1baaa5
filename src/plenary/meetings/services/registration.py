"""Registration and accreditation: register, withdraw, approve or reject.

A delegate registers for their own entity and that entity's focal points
decide; an observer registers without an entity and the meeting's organiser
or secretariat decides. Approval creates the ``Participation``.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.locking import lock
from plenary.meetings.models import AttendanceMode, Meeting, Participation, Registration
from plenary.meetings.services.access import can_decide
from plenary.meetings.services.notifications import notify_decision, notify_new_registration

ACTIVE = (Registration.Status.PENDING, Registration.Status.APPROVED)


def _already_registered() -> Refusal:
    return Refusal(_("You are already registered for this meeting."), code="already_registered")


def check_register(actor: Any, meeting: Meeting, kind: str, attendance: str) -> Registration | None:
    """May ``actor`` register so? Their withdrawn registration to reuse, if any."""
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise PermissionRefusal(_("Sign in to register."))
    if meeting.status == Meeting.Status.DRAFT:
        raise NotFoundRefusal(_("No such meeting."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise Refusal(_("This meeting is cancelled."), code="cancelled")
    if not meeting.registration_open or meeting.end_date < timezone.localdate():
        raise Refusal(_("Registration for this meeting is closed."), code="registration_closed")
    if kind not in Registration.Kind.values:
        raise Refusal(_("Register as a delegate or as an observer."), field="kind")
    if kind == Registration.Kind.DELEGATE and actor.entity_id is None:
        raise Refusal(
            _("You do not represent an entity; you may register as an observer."),
            code="no_entity",
            field="kind",
        )
    if attendance not in AttendanceMode.values:
        raise Refusal(_("Choose how you will attend."), field="attendance")
    if meeting.is_virtual and attendance == AttendanceMode.ONSITE:
        raise Refusal(
            _("This meeting is fully virtual: register to attend remotely."),
            code="virtual_meeting",
            field="attendance",
        )
    existing = Registration.objects.filter(meeting=meeting, user=actor).first()
    if existing is not None and existing.status != Registration.Status.WITHDRAWN:
        if existing.status == Registration.Status.REJECTED:
            raise Refusal(
                _("Your registration for this meeting was not approved."),
                code="already_registered",
            )
        raise _already_registered()
    return existing


def _save(
    actor: User, meeting: Meeting, kind: str, attendance: str, withdrawn: Registration | None
) -> Registration:
    """Store a pending registration (reusing a withdrawn one), audited. Inside a transaction."""
    registration = withdrawn or Registration(meeting=meeting, user=actor)
    registration.entity = actor.entity if kind == Registration.Kind.DELEGATE else None
    registration.kind = kind
    registration.attendance = attendance
    registration.status = Registration.Status.PENDING
    registration.decided_by = None
    registration.decided_at = None
    registration.decision_note = ""
    registration.save()
    audit.record(actor, "registration.created", registration, kind=kind, attendance=attendance)
    return registration


def do_register(actor: Any, meeting: Meeting, kind: str, attendance: str) -> Registration:
    """Register ``actor`` as a delegate of their entity or as an observer (pending; a
    withdrawn registration is reused) and tell the deciders."""
    try:
        with transaction.atomic():
            withdrawn = check_register(actor, lock(meeting), kind, attendance)
            registration = _save(actor, meeting, kind, attendance, withdrawn)
    except IntegrityError:
        # The last guard: a registration stored outside the meeting's lock won.
        raise _already_registered() from None
    entity = registration.entity
    deciders = list(entity.focal_points.all()) if entity is not None else [meeting.organiser]
    notify_new_registration(registration, deciders)
    return registration


def import_registration(actor: User, meeting: Meeting, kind: str, attendance: str) -> Registration:
    """A registration recorded as it was made, for a meeting whose registration is over
    (imported history, the demo's past meetings): no window check, nobody is told."""
    with transaction.atomic():
        return _save(actor, meeting, kind, attendance, None)


def check_withdraw(actor: Any, registration: Registration) -> None:
    """May ``actor`` withdraw it? Only the registrant, while it is active."""
    if not isinstance(actor, User) or registration.user_id != actor.pk:
        raise PermissionRefusal(_("Only the person registered may withdraw."))
    if registration.status not in ACTIVE:
        raise Refusal(_("This registration is no longer active."), code="not_active")


def do_withdraw(actor: Any, registration: Registration) -> Registration:
    """The registrant withdraws; an approved registration also loses its participation."""
    with transaction.atomic():
        check_withdraw(actor, lock(registration))
        registration.status = Registration.Status.WITHDRAWN
        registration.save(update_fields=["status"])
        registration.participations.all().delete()
        audit.record(actor, "registration.withdrawn", registration)
    return registration


def check_decide(actor: Any, registration: Registration, note: str) -> None:
    """May ``actor`` decide it now (see ``access.can_decide`` for who)?"""
    if not can_decide(actor, registration):
        if registration.entity_id is not None:
            raise PermissionRefusal(
                _("Only a focal point of %(entity)s may decide this registration.")
                % {"entity": registration.entity}
            )
        raise PermissionRefusal(
            _("Only the meeting's organiser or secretariat may decide this registration.")
        )
    if registration.status != Registration.Status.PENDING:
        raise Refusal(_("This registration has already been decided."), code="not_pending")
    if len(note) > 500:
        raise Refusal(_("Keep the note under 500 characters."), field="note")


def do_decide(
    actor: Any, registration: Registration, approve: bool, note: str = ""
) -> Registration:
    """Approve or reject a pending registration; approval creates the participation.
    Mails the registrant after commit."""
    with transaction.atomic():
        check_decide(actor, lock(registration), note)
        note = note.strip()
        registration.status = (
            Registration.Status.APPROVED if approve else Registration.Status.REJECTED
        )
        registration.decided_by = actor
        registration.decided_at = timezone.now()
        registration.decision_note = note
        registration.save()
        if approve:
            Participation.objects.update_or_create(
                meeting=registration.meeting,
                user=registration.user,
                role=registration.kind,
                defaults={
                    "entity": registration.entity,
                    "attendance": registration.attendance,
                    "registration": registration,
                },
            )
        audit.record(
            actor,
            "registration.approved" if approve else "registration.rejected",
            registration,
            note=note,
        )
    notify_decision(registration)
    return registration
