"""docs/realtime.md lists exactly the registered commands and the declared events."""

from __future__ import annotations

from plenary.core.events import declared
from plenary.live import protocol, protocol_doc


def test_the_page_holds_the_tables_the_code_gives() -> None:
    text = protocol_doc.page().read_text(encoding="utf-8")
    assert protocol_doc.rewrite(text) == text, "run .venv/bin/plenary realtime_doc"


def test_the_tables_name_every_command_and_event() -> None:
    tables = protocol_doc.render()
    for registry in protocol.registries:
        for type_ in registry.types():
            assert f"| {registry.name} | `{type_}` |" in tables
    for type_ in declared():
        assert f"| `{type_}` |" in tables


def test_the_session_socket_and_the_webcast_have_their_commands() -> None:
    names = {registry.name: registry.types() for registry in protocol.registries}
    assert {"ping", "floor.request", "media.listen", "booth.take", "captions.subscribe"} <= names[
        "session"
    ]
    # Watching only: no floor request, no microphone, no camera, no chat.
    assert names["webcast"] == {
        "ping",
        "resync",
        "captions.subscribe",
        "captions.unsubscribe",
        "media.video",
        "media.nonce",
        "media.listen",
        "media.answer",
        "media.channel",
        "media.hangup",
    }
