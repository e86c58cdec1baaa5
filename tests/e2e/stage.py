"""Stage a live session in a database of its own, for tests that run ``plenary serve``.

Run as ``python -m tests.e2e.stage`` with the server's environment (the same
``PLENARY_DATA_DIR``, so the same SQLite file and secret key): migrates, then
makes a published meeting's session, opens it, and gives the floor to a
remote delegate, all through the services. Prints JSON: the session's id,
the cookie name, and a signed-in session cookie for the delegate and for an
observer (who listens).
"""

from __future__ import annotations

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from plenary.floor import services  # noqa: E402
from plenary.floor.tests.factories import cast  # noqa: E402


def _cookie(user: object) -> str:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return str(client.cookies[settings.SESSION_COOKIE_NAME].value)


def main() -> None:
    call_command("migrate", verbosity=0)
    c = cast()
    session_id = c.session.pk
    services.do_set_status(c.chair, session_id, "open", services.current_state(session_id)[0])
    services.do_request_floor(c.delegate, session_id, "speak")
    version, state = services.current_state(session_id)
    request_id = next(item["id"] for item in state["queue"] if item["user_id"] == c.delegate.pk)
    services.do_give_floor(c.chair, session_id, request_id, version)
    print(
        json.dumps(
            {
                "session_id": session_id,
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "delegate": _cookie(c.delegate),
                "observer": _cookie(c.observer),
            }
        )
    )


if __name__ == "__main__":
    main()
