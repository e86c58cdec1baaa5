"""Security headers: the Content-Security-Policy on every page, HSTS and HTTPS in production."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from plenary.accounts.tests.factories import DelegateFactory
from plenary.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def test_every_key_page_carries_the_policy() -> None:
    meeting = MeetingFactory.create()
    client = Client()
    client.force_login(DelegateFactory.create())
    for path in (
        "/",
        "/accounts/login/",
        "/accounts/profile/",
        "/accounts/profile/tokens/",
        f"/meetings/{meeting.code}/",
        "/guidance/",
        "/pms/",
        "/statistics/public/",
        "/api/v1/docs",
        "/no-such-page/",
    ):
        policy = directives(client.get(path)["Content-Security-Policy"])
        assert policy["script-src"][0] == "'self'", path
        assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"], path
        assert "'unsafe-eval'" not in policy["script-src"], path
        assert policy["object-src"] == ["'none'"], path
        assert policy["frame-ancestors"] == ["'none'"], path


def test_the_sockets_and_media_of_the_same_host_are_allowed() -> None:
    policy = directives(Client().get("/", HTTP_HOST="localhost:8000")["Content-Security-Policy"])
    assert policy["connect-src"] == ["'self'", "ws://localhost:8000", "wss://localhost:8000"]
    assert set(policy["media-src"]) == {"'self'", "blob:", "mediastream:"}


@override_settings(ROOT_URLCONF="plenary.core.tests.failing_urls")
def test_the_500_page_styles_itself_with_its_responses_nonce() -> None:
    response = Client(raise_request_exception=False).get("/fail/")
    assert response.status_code == 500
    policy = directives(response["Content-Security-Policy"])
    style = re.search(r'<style nonce="([^"]+)">', response.content.decode())
    assert style is not None
    assert f"'nonce-{style.group(1)}'" in policy["style-src"]


def test_production_settings_pass_the_deploy_check_for_hsts_and_https(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PLENARY_PRODUCTION": "true",
        "PLENARY_SECRET_KEY": secrets.token_urlsafe(50),
        "PLENARY_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "plenary.config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-m", "plenary", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert "System check identified" in output or result.returncode == 0, output
    assert "security.W004" not in output  # HSTS
    assert "security.W008" not in output  # HTTPS redirect
