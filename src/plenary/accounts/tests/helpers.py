"""Sign staff in from tests: a TOTP device with a known key, and its current code.

In a browser test, either walk the real form::

    user = staff_with_device()
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("6-digit code").fill(totp_code_for(user))
    page.get_by_role("button", name="Verify").click()

or skip it with a ready, verified session::

    page.context.add_cookies([verified_session_cookie(user, live_url)])

In a view test, ``sign_in_verified(client, user)``.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from plenary.accounts.models import User
from plenary.accounts.tests.factories import StaffFactory

# 20 bytes, hex-encoded, as django-otp stores TOTP keys.
KNOWN_TOTP_KEY = "3132333435363738393031323334353637383930"


def add_device(user: User, key: str = KNOWN_TOTP_KEY) -> TOTPDevice:
    """Give ``user`` a confirmed TOTP device with a known key."""
    return TOTPDevice.objects.create(user=user, name="test phone", key=key, confirmed=True)


def staff_with_device(**fields: Any) -> User:
    """A secretariat staff member (or ``StaffFactory(**fields)``) with a confirmed device."""
    user = StaffFactory.create(**fields)
    add_device(user)
    return user


def totp_code_for(user: User) -> str:
    """A code that the user's confirmed device accepts now."""
    return totp_code(TOTPDevice.objects.get(user=user, confirmed=True))


def totp_code(device: TOTPDevice) -> str:
    """A code that ``device`` accepts now.

    A device accepts each time step once; after a code was used, this returns
    the next step's code (within the device's tolerance of one step), so two
    sign-ins in the same 30 seconds both work.
    """
    device.refresh_from_db()
    now = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now, device.last_t + 1)
    if step > now + device.tolerance:
        raise AssertionError("every code of this time window was used; wait for the next step")
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}"


def sign_in_verified(client: Client, user: User) -> None:
    """Sign ``user`` in on ``client`` with a session verified by their device."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def verified_session_cookie(user: User, live_url: str) -> dict[str, str]:
    """A Playwright cookie (``context.add_cookies([...])``) for a verified session."""
    client = Client()
    sign_in_verified(client, user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_url}
