from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from plenary.accounts import signin
from plenary.accounts.models import User
from plenary.accounts.permissions import verified_staff_required
from plenary.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    DelegateFactory,
    StaffFactory,
    UserFactory,
)
from plenary.accounts.tests.helpers import (
    sign_in_verified,
    staff_with_device,
    totp_code,
    totp_code_for,
)

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
ENROL = "/accounts/login/authenticator/"


def password_step(client: Client, user: User, next_url: str = "") -> HttpResponse:
    data = {"username": user.username, "password": DEFAULT_PASSWORD, "next": next_url}
    return client.post(LOGIN, data)  # type: ignore[return-value]


def test_delegate_signs_in_and_the_interface_switches_to_their_language() -> None:
    user = DelegateFactory.create(preferred_language="ar")
    client = Client()
    response = password_step(client, user, "/pms/")
    assert response.status_code == 302
    assert response["Location"] == "/pms/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ar"


def test_wrong_password_is_refused_on_the_form() -> None:
    user = DelegateFactory.create()
    response = Client().post(LOGIN, {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_repeated_wrong_passwords_block_even_the_right_one() -> None:
    user = DelegateFactory.create()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": user.username.upper(), "password": "a guess"})
    response = password_step(client, user)
    assert response.status_code == 429
    assert "Too many failed sign-ins." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_staff_password_alone_does_not_sign_in() -> None:
    user = staff_with_device()
    client = Client()
    response = password_step(client, user, "/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    assert SESSION_KEY not in client.session


def test_staff_with_the_right_code_is_signed_in_and_verified() -> None:
    user = staff_with_device(preferred_language="ru")
    client = Client()
    password_step(client, user, "/admin/")
    response = client.post(f"{VERIFY}?next=/admin/", {"code": totp_code_for(user)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    assert client.get("/admin/").status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message() -> None:
    user = staff_with_device()
    client = Client()
    password_step(client, user)
    wrong = f"{(int(totp_code_for(user)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert "This code is wrong or has expired" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_password_step_left_too_long_ago_must_be_repeated() -> None:
    user = staff_with_device()
    client = Client()
    password_step(client, user)
    session = client.session
    session[signin.PENDING_SINCE] -= signin.PENDING_TTL + 1
    session.save()
    response = client.post(VERIFY, {"code": totp_code_for(user)})
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session


def test_the_code_step_needs_the_password_step_first() -> None:
    staff_with_device()
    response = Client().get(VERIFY)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")


def test_staff_without_a_device_enrols_with_a_qr_code_then_is_signed_in() -> None:
    user = StaffFactory.create()
    client = Client()
    response = password_step(client, user)
    assert response["Location"].startswith(ENROL)
    page = client.get(response["Location"]).content.decode()
    assert "<svg" in page
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert secret is not None
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(ENROL, {"code": totp_code(device)})
    assert confirmed.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[SESSION_KEY] == str(user.pk)


def test_a_password_alone_cannot_replace_an_existing_device() -> None:
    user = staff_with_device()
    client = Client()
    password_step(client, user)
    response = client.get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()


def test_verified_staff_may_set_up_a_new_device_from_their_profile() -> None:
    user = staff_with_device()
    client = Client()
    sign_in_verified(client, user)
    assert "Set up a new authenticator app" in client.get("/accounts/profile/").content.decode()
    assert client.get(ENROL).status_code == 200


def staff_page(request: HttpRequest) -> HttpResponse:
    return HttpResponse("staff only")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", "/accounts/login/?next=/x/"),
        ("unverified staff", "/accounts/login/verify/?next=%2Fx%2F"),
        ("delegate", 403),
        ("verified staff", 200),
    ],
)
def test_staff_pages_need_a_verified_staff_session(who: str, expected: object) -> None:
    client = Client()
    if who == "unverified staff":
        client.force_login(staff_with_device())
    elif who == "delegate":
        client.force_login(DelegateFactory.create())
    elif who == "verified staff":
        sign_in_verified(client, staff_with_device())
    request = RequestFactory().get("/x/")
    request.session = client.session
    # The real middleware stack that sets request.user and its OTP device.
    for middleware in (AuthenticationMiddleware, OTPMiddleware):
        middleware(lambda r: HttpResponse())(request)
    view = verified_staff_required(staff_page)
    if expected == 403:
        with pytest.raises(PermissionDenied):
            view(request)
        return
    response = view(request)
    if isinstance(expected, int):
        assert response.status_code == expected
    else:
        assert response["Location"] == expected


def test_admin_sends_unverified_staff_to_the_code_step() -> None:
    client = Client()
    client.force_login(staff_with_device())
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response["Location"])
    assert login["Location"].startswith(VERIFY)


def test_sign_up_creates_an_account_and_signs_in() -> None:
    client = Client()
    response = client.post(
        "/accounts/sign-up/",
        {
            "first_name": "Li",
            "last_name": "Wei",
            "email": "li.wei@example.org",
            "username": "liwei",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "preferred_language": "zh-hans",
            "gender": "",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="liwei")
    assert client.session[SESSION_KEY] == str(user.pk)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_sign_up_shows_every_problem_and_keeps_the_input() -> None:
    UserFactory.create(email="li.wei@example.org")
    response = Client().post(
        "/accounts/sign-up/",
        {
            "first_name": "Li",
            "last_name": "",
            "email": "LI.WEI@example.org",
            "username": "liwei",
            "password1": "password",
            "password2": "password",
            "preferred_language": "zh-hans",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "An account with this email address already exists." in page
    assert "This password is too common." in page
    assert "This field is required." in page
    assert 'value="liwei"' in page
    assert not User.objects.filter(username="liwei").exists()


def test_sign_up_suggests_the_language_of_the_page() -> None:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    page = client.get("/accounts/sign-up/").content.decode()
    assert '<option value="ru" selected>' in page


def test_profile_saves_the_language_and_switches_the_interface() -> None:
    user = DelegateFactory.create()
    client = Client()
    client.force_login(user)
    response = client.post(
        "/accounts/profile/",
        {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "preferred_language": "es",
            "gender": "other",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.preferred_language, user.gender) == ("es", "other")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_password_reset_mails_a_link_that_sets_a_new_password() -> None:
    user = DelegateFactory.create()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="198.51.100.1").post(LOGIN, {"username": user.username, "password": "?"})
    assert password_step(client, user).status_code == 429
    response = client.post("/accounts/password-reset/", {"email": user.email})
    assert response["Location"] == reverse("accounts:password_reset_done")
    link = re.search(r"http://testserver(/accounts/password-reset/\S+/)", str(mail.outbox[0].body))
    assert link is not None
    form_url = client.get(link.group(1))["Location"]
    new = "another-long-passphrase-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    client.post(LOGIN, {"username": user.username, "password": new})
    assert client.session[SESSION_KEY] == str(user.pk)


def test_the_single_sign_on_button_shows_only_when_enabled() -> None:
    label = "Sign in with your organisation's account"
    assert label not in Client().get(LOGIN).content.decode()
    with override_settings(OIDC_ENABLED=True, ROOT_URLCONF="plenary.accounts.tests.oidc_urls"):
        page = Client().get(LOGIN + "?next=/pms/").content.decode()
    assert label in page
    back = "/accounts/login/continue/%3Fnext%3D%252Fpms%252F"
    assert f'href="/oidc/authenticate/?next={back}"' in page


def test_single_sign_on_continues_to_the_code_step_for_staff() -> None:
    user = staff_with_device()
    client = Client()
    client.force_login(user)
    response = client.get("/accounts/login/continue/?next=/pms/")
    assert response["Location"] == f"{VERIFY}?next=%2Fpms%2F"
    session_before = client.session.session_key
    response = client.post(response["Location"], {"code": totp_code_for(user)})
    assert response["Location"] == "/pms/"
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.session.session_key != session_before


def test_single_sign_on_continues_in_the_delegates_language() -> None:
    client = Client()
    client.force_login(DelegateFactory.create(preferred_language="zh-hans"))
    response = client.get("/accounts/login/continue/?next=https://evil.example/")
    assert response["Location"] == reverse(settings.LOGIN_REDIRECT_URL)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


def test_single_sign_on_people_are_not_offered_a_password_change() -> None:
    user = DelegateFactory.create()
    user.set_unusable_password()
    user.save()
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/profile/").content.decode()
    assert "your password is managed there" in page
    assert reverse("accounts:password_change") not in page
