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


def test_readyz_asks_only_what_this_server_needs(client: Client) -> None:
    """A shared component down (a Janus, the speech workers) makes /healthz 503 but keeps
    /readyz, what the load balancer checks, at 200: every web server would be taken out."""
    from plenary.core import health

    @health.register("shared")
    def shared() -> health.ComponentHealth:
        return health.ComponentHealth(ok=False, detail="no worker")

    try:
        assert client.get("/healthz").status_code == 503
        response = client.get("/readyz")
    finally:
        health._checks.pop("shared")
    assert response.status_code == 200
    assert set(response.json()["components"]) == {"database", "channel_layer"}


def test_readyz_is_503_when_the_database_is_unreachable(client: Client) -> None:
    from plenary.core import health

    original = health._checks["database"]

    def unreachable() -> health.ComponentHealth:
        raise OSError("connection refused")

    health._checks["database"] = unreachable
    try:
        response = client.get("/readyz")
    finally:
        health._checks["database"] = original
    assert response.status_code == 503
    assert response.json()["components"]["database"]["ok"] is False
