from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from plenary.accounts import services
from plenary.accounts.models import User
from plenary.accounts.services import ProfileData, SignUpData
from plenary.accounts.tests.factories import (
    DelegateFactory,
    EntityFactory,
    StaffFactory,
    UserFactory,
)
from plenary.accounts.tests.helpers import add_device, totp_code, totp_code_for
from plenary.core.audit import entries_for
from plenary.core.errors import PermissionRefusal, Refusal

pytestmark = pytest.mark.django_db


def sign_up_data(**overrides: object) -> SignUpData:
    values: dict[str, object] = {
        "first_name": "Amina",
        "last_name": "Diallo",
        "email": "amina@example.org",
        "preferred_language": "fr",
        "gender": "",
        "username": "amina",
        "password": "a-long-and-unusual-passphrase",
        "entity": None,
    }
    values.update(overrides)
    return SignUpData(**values)  # type: ignore[arg-type]


def test_sign_up_creates_a_delegate_who_is_never_staff() -> None:
    entity = EntityFactory.create()
    user = services.do_sign_up(sign_up_data(entity=entity))
    assert user.check_password("a-long-and-unusual-passphrase")
    assert (user.entity, user.preferred_language, user.is_staff, user.staff_role) == (
        entity,
        "fr",
        False,
        "",
    )
    assert [e.action for e in entries_for(user)] == ["accounts.signed_up"]


def test_sign_up_refuses_an_email_already_used_in_another_case() -> None:
    UserFactory.create(email="Amina@Example.org")
    with pytest.raises(Refusal) as refused:
        services.do_sign_up(sign_up_data(email="amina@EXAMPLE.org"))
    assert (refused.value.code, refused.value.field) == ("email_taken", "email")
    assert not User.objects.filter(username="amina").exists()


def test_sign_up_refuses_a_weak_password() -> None:
    with pytest.raises(Refusal) as refused:
        services.do_sign_up(sign_up_data(password="12345678"))
    assert refused.value.code == "weak_password"


def test_profile_update_is_audited_with_the_changed_fields() -> None:
    user = DelegateFactory.create(first_name="Ana", preferred_language="en")
    data = ProfileData("Ana", user.last_name, user.email, "es", "female")
    services.do_update_profile(user, data)
    user.refresh_from_db()
    assert (user.preferred_language, user.gender) == ("es", "female")
    entry = entries_for(user).get()
    assert set(entry.data["fields"]) == {"preferred_language", "gender"}


def test_profile_update_refuses_another_persons_email() -> None:
    UserFactory.create(email="taken@example.org")
    user = UserFactory.create()
    data = ProfileData(user.first_name, user.last_name, "TAKEN@example.org", "en", "")
    with pytest.raises(Refusal):
        services.do_update_profile(user, data)


def verified(user: User) -> User:
    """``user`` as ``OTPMiddleware`` presents it after a verified sign-in."""
    user.otp_device = add_device(user)  # type: ignore[attr-defined]
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user


def test_secretariat_sets_focal_points_and_each_change_is_audited() -> None:
    actor = verified(StaffFactory.create())
    first = DelegateFactory.create()
    entity = first.entity
    assert entity is not None
    second = DelegateFactory.create(entity=entity)
    services.do_set_focal_points(actor, entity, [first, second])
    services.do_set_focal_points(actor, entity, [second])
    assert set(entity.focal_points.all()) == {second}
    actions = [(e.action, e.data["user"]) for e in entries_for(entity)]
    assert sorted(actions) == sorted(
        [
            ("accounts.focal_point_added", first.username),
            ("accounts.focal_point_added", second.username),
            ("accounts.focal_point_removed", first.username),
        ]
    )


def test_focal_points_must_represent_the_entity() -> None:
    actor = verified(StaffFactory.create())
    entity = EntityFactory.create()
    outsider = DelegateFactory.create()
    with pytest.raises(Refusal) as refused:
        services.do_set_focal_points(actor, entity, [outsider])
    assert refused.value.code == "not_a_member"
    assert not entity.focal_points.exists()


def test_unverified_staff_may_not_set_focal_points() -> None:
    actor = StaffFactory.create()
    entity = EntityFactory.create()
    with pytest.raises(PermissionRefusal):
        services.do_set_focal_points(actor, entity, [])


def test_a_wrong_code_is_refused_and_counted_for_throttling() -> None:
    device = add_device(StaffFactory.create())
    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    with pytest.raises(Refusal) as refused:
        services.check_totp_code(device, wrong)
    assert refused.value.code == "code_wrong"
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_right_code_is_refused_while_throttled() -> None:
    user = StaffFactory.create()
    device = add_device(user)
    device.throttling_failure_count = 5
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    with pytest.raises(Refusal) as refused:
        services.check_totp_code(device, totp_code_for(user))
    assert refused.value.code == "throttled"
    assert "16 seconds" in str(refused.value.message)


def test_a_code_that_is_not_six_digits_is_refused_without_counting() -> None:
    device = add_device(StaffFactory.create())
    with pytest.raises(Refusal) as refused:
        services.check_totp_code(device, "12ab")
    assert refused.value.code == "code_format"
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_the_same_code_is_accepted_only_once() -> None:
    user = StaffFactory.create()
    device = add_device(user)
    code = totp_code_for(user)
    services.check_totp_code(device, code)
    with pytest.raises(Refusal):
        services.check_totp_code(device, code)


def test_confirming_a_new_device_replaces_the_old_one_and_tells_the_person(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    user = StaffFactory.create(preferred_language="fr")
    add_device(user)
    new = services.do_start_enrolment(user)
    assert services.do_start_enrolment(user) == new
    with django_capture_on_commit_callbacks(execute=True):
        services.do_confirm_device(user, new, totp_code(new))
    assert mail.outbox[0].to == [user.email]
    assert "application d'authentification" in mail.outbox[0].subject
    assert list(TOTPDevice.objects.filter(user=user)) == [new]
    new.refresh_from_db()
    assert new.confirmed
    assert entries_for(user).get().action == "accounts.two_factor_enrolled"


def test_delegates_do_not_enrol_a_second_factor() -> None:
    with pytest.raises(PermissionRefusal):
        services.do_start_enrolment(DelegateFactory.create())
