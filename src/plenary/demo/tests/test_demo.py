import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from plenary.accounts.models import User
from plenary.demo.loader import load_demo
from plenary.meetings.models import Meeting, Registration
from plenary.proposals.models import ProposalDocument
from plenary.provisioning.models import Service, ServiceRequest

pytestmark = pytest.mark.django_db


def test_demo_loads_the_three_meetings_in_realistic_states() -> None:
    accounts = load_demo()

    assert {a.username for a in accounts} >= {"organiser", "fp.kenya", "ro.africa", "admin"}
    codes = list(Meeting.objects.values_list("code", flat=True))
    assert len(codes) == 3
    assert all(m.status == Meeting.Status.PUBLISHED for m in Meeting.objects.all())
    council = Meeting.objects.get(code__startswith="C-")
    interpretation = council.service_requests.get(service=Service.INTERPRETATION)
    assert interpretation.status == ServiceRequest.Status.PENDING
    assert sorted(interpretation.languages) == sorted(["ar", "zh-hans", "en", "fr", "ru", "es"])
    pending = Registration.objects.filter(status=Registration.Status.PENDING)
    assert {r.user.username for r in pending} >= {"delegate.kenya", "observer"}
    proposal_document = ProposalDocument.objects.get(entity__code="F")
    assert {p.action for p in proposal_document.proposals.all()} == {"MOD", "ADD"}


def test_demo_loads_twice_without_changes_and_passwords_sign_in() -> None:
    first = load_demo()
    counts = (User.objects.count(), Meeting.objects.count(), Registration.objects.count())

    second = load_demo()

    assert (User.objects.count(), Meeting.objects.count(), Registration.objects.count()) == counts
    assert first == second
    chair = next(a for a in second if a.username == "chair")
    assert User.objects.get(username="chair").check_password(chair.password)


@override_settings(DEMO=False)
def test_demo_command_refuses_outside_demo_mode() -> None:
    with pytest.raises(CommandError, match="PLENARY_DEMO"):
        call_command("demo")
    assert not Meeting.objects.exists()
