"""The live state of a session as a pure fold over its event log.

``apply(state, kind, data)`` is the only code that changes the state; the
server uses it to write ``LiveSession.state`` and to rebuild it from the log,
and ``static/floor/live.js`` mirrors it so that clients keep their copy in step
from the events. The state is plain JSON::

    {"status": "scheduled" | "open" | "suspended" | "closed",
     "presiding": user id of a vice-chair in the chair, or null (the chair),
     "limit_s": speaking-time limit in seconds (0: none),
     "queue": [request, ...],          # in speaking order
     "speaker": null | {"request": request, "started_at": ISO time,
                        "limit_s": int, "muted": bool},
     "document": null | document,      # the document on the room's screen
     "recording": null | {"id": int, "started_at": ISO time}}  # being recorded now

    request = {"id": int, "user_id": int, "name": str, "entity": str,
               "kind": "speak" | "contribution" | "point_of_order" | "right_of_reply",
               "attendance": "onsite" | "remote", "requested_at": ISO time,
               "added_by": user id of the chair or secretariat, or null}
    document = {"document_id": int, "reference": str, "title": str, "title_language": str,
                "language": str, "number": int (file version), "pages": int, "page": int,
                "path": str (where its page images are, "<path><page>.png"),
                "public": bool (the public webcast shows it)}

The document's events (``document.*``) come from the documents app
(``plenary.documents.screen``) and the recording's (``recording.*``) from the
recordings app, both through ``services.do_record``: the log is the session's
record of which document was discussed when, and of when it was recorded. A
state stored before those existed has no "document" or "recording" key; every
reader uses ``.get``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

DEFAULT_LIMIT_S = 180

# Points of order are heard before anything else, then rights of reply, then
# the list in order of request.
PRIORITY = {"point_of_order": 0, "right_of_reply": 1, "speak": 2, "contribution": 2}

State = dict[str, Any]


def initial_state() -> State:
    return {
        "status": "scheduled",
        "presiding": None,
        "limit_s": DEFAULT_LIMIT_S,
        "queue": [],
        "speaker": None,
        "document": None,
        "recording": None,
    }


def _insert_by_priority(queue: list[dict[str, Any]], request: dict[str, Any]) -> None:
    rank = PRIORITY[request["kind"]]
    position = len(queue)
    for index, item in enumerate(queue):
        if PRIORITY[item["kind"]] > rank:
            position = index
            break
    queue.insert(position, request)


def _opened(state: State, data: dict[str, Any]) -> None:
    state["status"] = "open"


def _suspended(state: State, data: dict[str, Any]) -> None:
    state["status"] = "suspended"
    state["speaker"] = None


def _document_shown(state: State, data: dict[str, Any]) -> None:
    state["document"] = dict(data)


def _document_page(state: State, data: dict[str, Any]) -> None:
    if state.get("document"):
        state["document"]["page"] = data["page"]


def _document_cleared(state: State, data: dict[str, Any]) -> None:
    state["document"] = None


def _recording_started(state: State, data: dict[str, Any]) -> None:
    state["recording"] = {"id": data["id"], "started_at": data["started_at"]}


def _recording_stopped(state: State, data: dict[str, Any]) -> None:
    state["recording"] = None


def _closed(state: State, data: dict[str, Any]) -> None:
    state["status"] = "closed"
    state["speaker"] = None
    state["queue"] = []
    state["document"] = None


def _chair_assigned(state: State, data: dict[str, Any]) -> None:
    state["presiding"] = data["user_id"]


def _requested(state: State, data: dict[str, Any]) -> None:
    _insert_by_priority(state["queue"], data["request"])


def _withdrawn(state: State, data: dict[str, Any]) -> None:
    state["queue"] = [item for item in state["queue"] if item["id"] != data["request_id"]]


def _reordered(state: State, data: dict[str, Any]) -> None:
    by_id = {item["id"]: item for item in state["queue"]}
    state["queue"] = [by_id[request_id] for request_id in data["order"]]


def _given(state: State, data: dict[str, Any]) -> None:
    state["queue"] = [item for item in state["queue"] if item["id"] != data["request"]["id"]]
    state["speaker"] = {
        "request": data["request"],
        "started_at": data["started_at"],
        "limit_s": state["limit_s"],
        "muted": False,
    }


def _ended(state: State, data: dict[str, Any]) -> None:
    state["speaker"] = None


def _muted(state: State, data: dict[str, Any]) -> None:
    state["speaker"]["muted"] = True


def _unmuted(state: State, data: dict[str, Any]) -> None:
    state["speaker"]["muted"] = False


def _limit_set(state: State, data: dict[str, Any]) -> None:
    state["limit_s"] = data["seconds"]
    if state["speaker"] is not None:
        state["speaker"]["limit_s"] = data["seconds"]


_APPLY: dict[str, Callable[[State, dict[str, Any]], None]] = {
    "session.opened": _opened,
    "session.suspended": _suspended,
    "session.closed": _closed,
    "chair.assigned": _chair_assigned,
    "floor.requested": _requested,
    "floor.withdrawn": _withdrawn,
    "floor.reordered": _reordered,
    "floor.given": _given,
    "floor.ended": _ended,
    "floor.muted": _muted,
    "floor.unmuted": _unmuted,
    "floor.limit_set": _limit_set,
    "document.shown": _document_shown,
    "document.page": _document_page,
    "document.cleared": _document_cleared,
    "recording.started": _recording_started,
    "recording.stopped": _recording_stopped,
}
EVENT_KINDS = frozenset(_APPLY)


def apply(state: State, kind: str, data: dict[str, Any]) -> State:
    """The state after the event ``kind`` with ``data``; ``state`` is not modified."""
    if kind not in _APPLY:
        raise ValueError(f"unknown session event {kind!r}")
    new = copy.deepcopy(state)
    _APPLY[kind](new, data)
    return new


def fold(events: Iterable[tuple[str, dict[str, Any]]]) -> State:
    """The state after ``events`` (kind, data) from the initial state."""
    state = initial_state()
    for kind, data in events:
        state = apply(state, kind, data)
    return state
