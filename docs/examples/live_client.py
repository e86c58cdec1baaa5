"""Follow a live session from a script, with a personal access token.

    export PLENARY_TOKEN=plenary_...   # profile > Personal access tokens, scopes "read" and "live"
    python live_client.py https://plenary.example.org 42

Prints one JSON object per line: who the token signs in as (REST API), then
the session's snapshot and every event after it, as the session socket sends
them (docs/realtime.md). ``--once`` stops after the snapshot. Needs only the
standard library and the ``websockets`` package (``pip install websockets``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.request
from typing import Any

from websockets.sync.client import connect

PING_SECONDS = 45  # the server forgets a presence after 120 s without a ping


def api_get(base: str, path: str, token: str) -> Any:
    """GET a REST API resource as the token's owner."""
    request = urllib.request.Request(  # noqa: S310 (the URL is the operator's own server)
        f"{base}/api/v1{path}", headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)


def follow(base: str, session_id: int, token: str, once: bool) -> None:
    """Print the session's snapshot, then its events until the socket closes."""
    url = base.replace("http", "ws", 1) + f"/ws/sessions/{session_id}/?device=desktop"
    headers = {"Authorization": f"Bearer {token}"}
    with connect(url, additional_headers=headers) as socket:
        while True:
            try:
                message = json.loads(socket.recv(timeout=PING_SECONDS))
            except TimeoutError:
                socket.send(json.dumps({"v": 1, "type": "ping"}))
                continue
            print(json.dumps(message, ensure_ascii=False), flush=True)
            if message["type"] == "error" and message.get("ref") is None:
                sys.exit(message["message"])  # the token was refused
            if once and message["type"] == "snapshot":
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the server's address, e.g. https://plenary.example.org")
    parser.add_argument("session", type=int, help="the session's number")
    parser.add_argument("--once", action="store_true", help="stop after the snapshot")
    args = parser.parse_args()
    token = os.environ.get("PLENARY_TOKEN", "")
    if not token:
        sys.exit("Set PLENARY_TOKEN to a personal access token.")
    base = args.base.rstrip("/")
    print(json.dumps(api_get(base, "/accounts/me", token), ensure_ascii=False), flush=True)
    follow(base, args.session, token, args.once)


if __name__ == "__main__":
    main()
