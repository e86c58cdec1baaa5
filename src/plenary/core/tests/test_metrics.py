"""``/metrics``: Prometheus's text format, for this machine or a bearer of the token only."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from django.test import Client
from prometheus_client.parser import text_string_to_metric_families

from plenary.core import metrics
from plenary.core.logformat import JsonFormatter

pytestmark = pytest.mark.django_db


def _scrape(client: Client, **headers: Any) -> dict[str, list[Any]]:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    families = text_string_to_metric_families(response.content.decode())
    return {family.name: family.samples for family in families}


def test_the_machine_itself_reads_the_metrics(client: Client) -> None:
    scraped = _scrape(client)
    for name in (
        "plenary_sockets_open",
        "plenary_tasks_due",
        "plenary_tasks_oldest_wait_seconds",
        "plenary_speech_workers",
        "plenary_caption_streams_waiting",
        "plenary_caption_lag_seconds",
        "process_cpu_seconds",
    ):
        assert name in scraped, name


@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "192.0.2.7"},
        {"HTTP_X_FORWARDED_FOR": "192.0.2.7"},  # relayed by a proxy on this machine
        {"REMOTE_ADDR": "not an address"},
    ],
)
def test_anyone_else_is_refused(client: Client, headers: dict[str, Any]) -> None:
    response = client.get("/metrics", **headers)
    assert response.status_code == 403
    assert b"plenary_" not in response.content


def test_with_a_token_only_its_bearer_reads_them(client: Client, settings: Any) -> None:
    settings.METRICS_TOKEN = "scrape-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    scraped = _scrape(client, HTTP_AUTHORIZATION="Bearer scrape-token", REMOTE_ADDR="192.0.2.7")
    assert "plenary_tasks_due" in scraped


def test_a_failing_collector_is_left_out_and_the_rest_served(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    @metrics.collector
    def broken() -> list[Any]:
        raise RuntimeError("a database that went away")

    try:
        scraped = _scrape(client)
    finally:
        metrics._scrapes.remove(broken)
    assert "plenary_tasks_due" in scraped
    assert "metrics collector broken failed" in caplog.text


def test_json_logs_carry_the_fields_and_the_traceback() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord(
            "plenary.test", logging.ERROR, __file__, 1, "failed %s", ("here",), None
        )
        record.exc_info = sys.exc_info()
    record.status_code = 500
    record.request = object()  # not JSON: left out
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR" and line["logger"] == "plenary.test"
    assert line["message"] == "failed here" and line["status_code"] == 500
    assert "request" not in line
    assert "ValueError: boom" in line["exception"]
    assert line["time"].endswith("+00:00")
