"""Emails go out after commit, each in its recipient's preferred language."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from plenary.accounts.models import User
from plenary.meetings.models import Meeting
from plenary.provisioning import services
from plenary.provisioning.models import Service
from plenary.provisioning.services import ServiceSpec

pytestmark = pytest.mark.django_db


def test_approvers_are_asked_in_their_language(
    organiser: User,
    meeting: Meeting,
    conference: User,
    secretariat: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.check_request_services(
            organiser, meeting, [ServiceSpec(Service.INTERPRETATION, languages=["en", "fr"])]
        )
    # Only the conference department decides interpretation; it reads French.
    assert [m.to for m in mail.outbox] == [[conference.email]]
    message = mail.outbox[0]
    assert message.subject == f"Demande de service à traiter pour {meeting.code}"
    assert "Interprétation" in message.body
    assert "Anglais, Français" in message.body
    assert message.body.startswith(f"Bonjour {conference.get_full_name()},")
    assert "/services/requests/" in message.body


def test_the_organiser_learns_the_decision_in_their_language(
    organiser: User,
    meeting: Meeting,
    secretariat: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    (pending,) = services.check_request_services(organiser, meeting, [ServiceSpec(Service.WEBCAST)])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.check_decide(secretariat, pending, approve=False, note="Sin presupuesto")
    assert [m.to for m in mail.outbox] == [[organiser.email]]
    assert mail.outbox[0].subject == f"Decisión sobre una solicitud de servicio para {meeting.code}"
    assert "Se ha rechazado la solicitud" in mail.outbox[0].body
    assert "Sin presupuesto" in mail.outbox[0].body


def test_participants_get_their_join_link_in_their_language(
    organiser: User, meeting: Meeting, delegate: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.check_request_services(
            organiser, meeting, [ServiceSpec(Service.REMOTE_PARTICIPATION)]
        )
    (message,) = mail.outbox
    assert message.to == [delegate.email]
    assert message.subject == f"رابطك للانضمام إلى {meeting.code}"
    assert "/services/join/" in message.body


def test_a_refused_request_sends_nothing(
    organiser: User, meeting: Meeting, conference: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(services.Refusal):
        services.check_request_services(
            organiser,
            meeting,
            [ServiceSpec(Service.WEBCAST), ServiceSpec(Service.INTERPRETATION, languages=["ru"])],
        )
    assert mail.outbox == []
