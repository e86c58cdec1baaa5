"""The public webcast: anyone with the webcast's address listens, nobody speaks.

Its socket (``/ws/media/webcast/<token>/<session>/``) accepts only the
listening commands, validated with the same schemas as the session socket;
the token is checked on connect (a provisioned, public webcast of a
published meeting, and the session belongs to that meeting).

Viewers are counted without signing in (``stats.WebcastView``): once audio
plays, and at each channel change, with the anonymous key the page keeps in
the browser (``?viewer=`` on the socket; this socket's id without one).
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import Any
from urllib.parse import parse_qs

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal, Refusal
from plenary.floor import protocol
from plenary.floor.events import error_event, event
from plenary.media import services
from plenary.media.commands import (
    AnswerCommand,
    ChannelCommand,
    HangupCommand,
    ListenCommand,
    NonceCommand,
    run,
)
from plenary.media.rooms import FLOOR
from plenary.media.signalling import consume_nonce, issue_nonce, validate_sdp
from plenary.media.turn import ice_servers
from plenary.meetings.models import Session
from plenary.provisioning.services import webcast_by_token
from plenary.stats.services import record_webcast_view

logger = logging.getLogger(__name__)

_SCHEMAS: dict[str, type[Any]] = {
    "media.nonce": NonceCommand,
    "media.listen": ListenCommand,
    "media.answer": AnswerCommand,
    "media.channel": ChannelCommand,
    "media.hangup": HangupCommand,
}


def check_webcast(token: str, session_id: int | None) -> Session:
    """The session, if ``token`` is a public webcast of its meeting; else not found.

    ``session_id`` is ``None`` when the address's session part is no id.
    """
    webcast = webcast_by_token(token)
    session = (
        Session.objects.select_related("meeting")
        .filter(pk=session_id, meeting_id=webcast.meeting_id)
        .first()
        if session_id is not None
        else None
    )
    if session is None:
        raise NotFoundRefusal(_("There is no public webcast at this address."))
    return session


_VIEWER_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def viewer_key(query_string: bytes, connection_id: str) -> str:
    """The browser's anonymous viewer key from the socket's query, else the socket's id."""
    keys = parse_qs(query_string.decode("latin-1")).get("viewer", [])
    return keys[0] if keys and _VIEWER_KEY.fullmatch(keys[0]) else connection_id


def record_view(session: Session, viewer: str, channel: str) -> None:
    """A webcast viewer hears ``channel`` (the floor counts as no particular language)."""
    record_webcast_view(session, viewer, "" if channel == FLOOR else channel)


def handle(
    session: Session, connection_id: str, viewer: str, message: dict[str, Any], language: str = ""
) -> list[dict[str, Any]]:
    """Run one listening command from a webcast socket; return the replies.

    Messages are in ``language`` (the socket's); nothing raises: an
    unexpected failure is logged and answered with an ``internal`` error.
    """
    with translation.override(language) if language else contextlib.nullcontext():
        ref = protocol.reference(message)
        try:
            return _handle(session, connection_id, viewer, message, ref)
        except Refusal as refusal:
            return [error_event(refusal.code, str(refusal.message), ref)]
        except Exception:
            logger.exception("webcast command failed on %s", connection_id)
            return [protocol.internal_error(ref)]


def _handle(
    session: Session, connection_id: str, viewer: str, message: dict[str, Any], ref: str | None
) -> list[dict[str, Any]]:
    if message.get("type") == "ping":  # the shared page socket's keepalive (floor/socket.js)
        return [event("pong", server_time=timezone.now().isoformat(), ref=ref)]
    type_ = message.get("type")
    schema = _SCHEMAS.get(type_) if isinstance(type_, str) else None
    if schema is None:
        return [error_event("unknown_type", _("Unknown message type."), ref)]
    return [_run(session, connection_id, viewer, protocol.validate(schema, message))]


def _run(session: Session, connection_id: str, viewer: str, cmd: Any) -> dict[str, Any]:
    layout = services.layout_for(session)
    if isinstance(cmd, NonceCommand):
        nonce = issue_nonce(None, session.pk, connection_id)
        return event("media.nonce", nonce=nonce, ice_servers=ice_servers(connection_id), ref=cmd.id)
    if isinstance(cmd, ListenCommand):
        services.check_channel(layout, cmd.channel)
        consume_nonce(cmd.nonce, None, session.pk, connection_id)
        offer = run(services.do_listen, connection_id, None, layout, cmd.channel, cmd.underneath)
        return event("media.offer", channel=cmd.channel, sdp=offer, ref=cmd.id)
    if isinstance(cmd, AnswerCommand):
        consume_nonce(cmd.nonce, None, session.pk, connection_id)
        run(services.do_listen_answer, connection_id, layout, validate_sdp(cmd.sdp))
        conn = services.connection(connection_id)
        record_view(session, viewer, conn.channel if conn is not None else FLOOR)
        return event("media.listening", ref=cmd.id)
    if isinstance(cmd, ChannelCommand):
        services.check_channel(layout, cmd.channel)
        run(services.do_switch, connection_id, layout, cmd.channel, cmd.underneath)
        record_view(session, viewer, cmd.channel)
        return event("media.channel", channel=cmd.channel, underneath=cmd.underneath, ref=cmd.id)
    run(services.do_hangup, connection_id, None)
    return event("media.closed", target=None, ref=cmd.id)
