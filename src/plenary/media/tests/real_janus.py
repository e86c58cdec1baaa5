"""A real Janus for the tests that need one (its API needs no ICE: loopback will do)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from plenary.media.janus.config import JanusConfig
from plenary.media.janus.process import JanusProcess


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusConfig]:
    """One Janus per test module, with fixed secrets."""
    config = JanusConfig(ws_port=free_port(), api_secret="api-secret", admin_key="admin-key")
    process = JanusProcess(config, tmp_path_factory.mktemp("janus"))
    process.start()
    yield config
    process.stop()
