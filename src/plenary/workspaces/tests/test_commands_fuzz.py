"""The workspace socket's commands, fuzzed (hypothesis): every frame answers, none raises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plenary.workspaces.commands import WorkspaceContext, workspace_commands
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db

VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["workspace.read", "workspace.resync", "ping"]),
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.dictionaries(st.sampled_from(["v", "type", "id", "topic_id", "up_to", "extra"]), VALUES))
def test_no_command_raises_out_of_the_registry(cast: Cast, message: dict[str, Any]) -> None:
    ctx = WorkspaceContext(cast.brazilian, cast.workspace.pk, None, "fuzz", "fr")
    replies = workspace_commands.dispatch(ctx, {"v": 1, "type": "workspace.read", **message})
    assert replies and all(isinstance(reply, dict) and "type" in reply for reply in replies)
    json.dumps(replies)
