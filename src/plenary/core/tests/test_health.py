import logging

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_channel_layer(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["components"]["database"]["ok"] is True
    assert body["components"]["channel_layer"]["ok"] is True


def test_healthz_is_503_when_a_component_is_down(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    from plenary.core import health

    @health.register("broken")
    def broken() -> health.ComponentHealth:
        raise RuntimeError("unreachable db.internal:5432")

    try:
        with caplog.at_level(logging.ERROR, logger="plenary.core.health"):
            response = client.get("/healthz")
    finally:
        health._checks.pop("broken")
    assert response.status_code == 503
    assert response.json()["components"]["broken"] == {
        "ok": False,
        "detail": "RuntimeError",
        "data": {},
        "status": "down",
    }
    assert "db.internal:5432" in caplog.text
