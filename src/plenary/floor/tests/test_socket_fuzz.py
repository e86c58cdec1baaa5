"""No message of any shape raises out of a live socket (hypothesis).

Arbitrary JSON of any depth and type, and arbitrary text, goes to the session
socket and to the public webcast socket, as every role. Every frame must be
answered by well-formed messages, and the socket must stay open (a ping
after the frames gets its pong): a consumer that raised would have closed it.
The flood guards are raised out of the way; they are tested on their own.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plenary.config.routing import websocket_urlpatterns
from plenary.floor.tests.factories import Cast, cast, participant
from plenary.live import limits, protocol
from plenary.media.tests.fixtures import WEBCAST_TOKEN, janus_down, public_webcast_session
from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory

__all__ = ["janus_down"]  # autouse: Janus calls fail fast

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("anonymous", "delegate", "chair", "interpreter", "secretariat")
SOCKETS = ("session", "webcast")
SOME_TYPES = sorted(protocol.session_commands.types() | {"ping", "media.listen", "media.speak"})

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)
command_fields = st.sampled_from(
    ["kind", "request_id", "user_id", "version", "order", "seconds", "language", "nonce",
     "sdp", "channel", "underneath", "target", "text", "down", "on", "layer", "allowed",
     "video"]
)  # fmt: skip
PLAUSIBLE_WORDS = ["fr", "en", "zh-hans", "floor", "speak", "point_of_order", "listening",
                   "camera", "screen", "x"]  # fmt: skip
# Values a handler would accept, often enough to get past validation into the services.
plausible = (
    st.sampled_from(PLAUSIBLE_WORDS)
    | st.integers(min_value=-1, max_value=5)
    | st.booleans()
    | st.lists(st.integers(min_value=0, max_value=5), max_size=3)
    | json_values
)
commands = st.fixed_dictionaries(
    {
        "v": st.just(1) | st.just(1) | json_values,
        "type": st.sampled_from(SOME_TYPES) | st.sampled_from(SOME_TYPES) | json_values,
    },
    optional={"id": st.text(max_size=70) | json_values},
).flatmap(
    lambda base: st.dictionaries(command_fields | st.text(max_size=8), plausible, max_size=4).map(
        lambda extra: {**extra, **base}
    )
)


def fields_of(type_: str) -> list[str]:
    schema = protocol.session_commands.schema_of(type_)
    return [name for name in (schema.model_fields if schema else {}) if name not in ("v", "type")]


_NAMES = st.sampled_from(["fr", "en", "zh-hans", "floor", "listening", "xx"])
_KINDS = st.sampled_from(["speak", "contribution", "point_of_order", "right_of_reply", "x"])
_NUMBERS = st.integers(min_value=-1, max_value=5)
_BY_FIELD: dict[str, st.SearchStrategy[Any]] = {
    "language": _NAMES,
    "channel": _NAMES,
    "target": _NAMES | st.none(),
    "kind": _KINDS,
    "order": st.lists(_NUMBERS, max_size=3),
}


def value_for(name: str) -> st.SearchStrategy[Any]:
    return _BY_FIELD.get(
        name, _NUMBERS if name.endswith(("_id", "version", "seconds")) else plausible
    )


def well_formed(type_: str) -> st.SearchStrategy[dict[str, Any]]:
    """A ``type_`` command with its own fields, plausibly filled: past validation, into
    the services (random fields alone seldom get there)."""
    return st.fixed_dictionaries(
        {"v": st.just(1), "type": st.just(type_)}
        | {
            name: (st.none() | st.text(max_size=8) | plausible)
            if name == "id"
            else (value_for(name) | value_for(name) | plausible)
            for name in fields_of(type_)
        }
    )


# Every registered command once, in a random order.
every_command = st.tuples(*(well_formed(type_) for type_ in SOME_TYPES)).flatmap(st.permutations)


def nested(depth: int, mixed: bool) -> str:
    opening = '{"a":[' if mixed else "["
    closing = "]}" if mixed else "]"
    return '{"v":1,"type":"ping","x":' + opening * depth + closing * depth + "}"


frames = st.one_of(
    commands.map(json.dumps),
    json_values.map(json.dumps),
    st.builds(nested, st.integers(min_value=1, max_value=6000), st.booleans()),
    st.text(max_size=200),
)


@pytest.fixture(autouse=True)
def no_flood_guards(settings: Any) -> Iterator[None]:
    for name in ("CONNECTION", "ACCOUNT", "ADDRESS"):
        setattr(settings, f"WS_{name}_BURST", 1_000_000)
        setattr(settings, f"WS_{name}_RATE", 1_000_000.0)
    limits.reset()
    yield
    limits.reset()


@pytest.fixture
def people() -> tuple[Cast, dict[str, Any]]:
    c = cast()
    webcast = public_webcast_session()
    interpreter = participant(c.session, Participation.Role.INTERPRETER)
    # The webcast's meeting has the same people, so every role can watch it.
    for user in (c.delegate, c.chair, interpreter):
        ParticipationFactory.create(meeting=webcast.meeting, user=user)
    users = {
        "anonymous": AnonymousUser(),
        "delegate": c.delegate,
        "chair": c.chair,
        "interpreter": interpreter,
        "secretariat": c.secretariat,
    }
    return c, {"users": users, "webcast": webcast}


async def converse(path: str, user: Any, sent: list[str]) -> None:
    ws = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    ws.scope["user"] = user
    ws.scope["client"] = ("192.0.2.10", 40000)
    connected, _ = await ws.connect()
    assert connected
    try:
        for frame in sent:
            await ws.send_input({"type": "websocket.receive", "text": frame})
        await ws.send_to(text_data='{"v":1,"type":"ping","id":"last"}')
        while True:
            output = await ws.receive_output(timeout=10)
            assert output["type"] == "websocket.send", output  # never closed
            message = json.loads(output["text"])
            assert isinstance(message, dict)
            assert message["v"] == 1
            assert isinstance(message["type"], str)
            if message["type"] == "error":
                assert isinstance(message["code"], str)
                assert isinstance(message["message"], str)
                assert message["message"]
                assert message["code"] != "internal", message  # an unexpected failure
            if message.get("ref") == "last" and message["type"] == "pong":
                return
    finally:
        await ws.disconnect()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", SOCKETS)
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sweep=every_command, sent=st.lists(frames, min_size=1, max_size=8))
def test_no_message_of_any_shape_raises_out_of_a_socket(
    people: tuple[Cast, dict[str, Any]],
    kind: str,
    role: str,
    sweep: list[dict[str, Any]],
    sent: list[str],
) -> None:
    c, world = people
    if kind == "session":
        path = f"/ws/sessions/{c.session.pk}/"
    else:
        path = f"/ws/media/webcast/{WEBCAST_TOKEN}/{world['webcast'].pk}/"
    async_to_sync(converse)(path, world["users"][role], [json.dumps(c) for c in sweep] + sent)
