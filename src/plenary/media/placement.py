"""Which Janus each session is on: least-loaded placement, draining and failover.

The registered servers (``MediaServer``) carry a capacity in listeners and the
load the web servers' room managers last sampled from Janus. A session is
placed once, on the server with the lowest share of its capacity in use that
is up and not draining, and stays there (``Placement``), so that every web
server sends its clients to the same Janus. Its sessions move only when that
server is down: the first room manager to give up on it marks it down, and
each session it had is placed again the next time it is asked for.

Sessions placed but not yet seen in a sample count as ``SESSION_LISTENERS``
listeners each, so that a burst of sessions opening at once is spread rather
than all given the server that was empty a moment ago.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.media.janus.client import JanusClient, JanusError, JanusUnavailableError
from plenary.media.models import MediaServer, Placement
from plenary.media.rooms import STREAMING, ServerLoad

logger = logging.getLogger(__name__)

# What a session placed since the last sample is taken to weigh, in listeners.
SESSION_LISTENERS = 50
# A session still counts on its server this long after its scheduled end.
OVERRUN = dt.timedelta(hours=2)


class PlacementError(Exception):
    """A media server cannot be registered or changed (the message says why)."""


class NoMediaServerError(PlacementError):
    """No registered media server is up."""


@dataclass(frozen=True)
class ServerState:
    url: str
    capacity: int
    draining: bool
    down: bool
    rooms: int
    listeners: int
    sessions: int

    @property
    def share(self) -> float:
        """The share of its capacity in use (above 1: over capacity)."""
        return self.listeners / self.capacity


def servers() -> list[ServerState]:
    """Every registered server, as the placement sees it."""
    still_going = Q(placements__session__ends_at__gt=timezone.now() - OVERRUN)
    unsampled = Q(sampled_at__isnull=True) | Q(placements__placed_at__gt=F("sampled_at"))
    servers = MediaServer.objects.annotate(
        sessions=Count("placements", filter=still_going),
        fresh=Count("placements", filter=still_going & unsampled),
    )
    return [
        ServerState(
            url=server.url,
            capacity=server.capacity,
            draining=server.draining,
            down=server.down_since is not None,
            rooms=server.rooms,
            listeners=server.listeners + SESSION_LISTENERS * server.fresh,
            sessions=server.sessions,
        )
        for server in servers
    ]


def choose(states: list[ServerState]) -> ServerState | None:
    """The server for a new session: up, not draining, least share in use; one over
    capacity only if all are; a draining one only if nothing else is up."""
    up = [state for state in states if not state.down]
    open_ = [state for state in up if not state.draining]
    roomy = [state for state in open_ if state.share < 1]
    for candidates in (roomy, open_, up):
        if candidates:
            if candidates is not roomy:
                logger.error("No media server has room; placing over capacity or on a drain")
            return min(candidates, key=lambda state: (state.share, state.sessions, state.url))
    return None


def server_for(session_id: int) -> str:
    """The URL of the Janus the session is on, placing it (or again, if its server
    is down) on the least-loaded one. Web servers racing agree: the first placement
    stored wins."""
    placement = Placement.objects.select_related("server").filter(session_id=session_id).first()
    if placement is not None and placement.server.down_since is None:
        return placement.server.url
    choice = choose(servers())
    if choice is None:
        if placement is not None:
            return placement.server.url  # nowhere else to go: wait for it
        raise NoMediaServerError(_("No media server is available."))
    server = MediaServer.objects.get(url=choice.url)
    if placement is None:
        placement, _created = Placement.objects.get_or_create(
            session_id=session_id, defaults={"server": server}
        )
    else:
        Placement.objects.filter(pk=placement.pk, server_id=placement.server_id).update(
            server=server, placed_at=timezone.now()
        )
        logger.info("Session %s moved from %s to %s", session_id, placement.server, server)
    return Placement.objects.select_related("server").get(pk=placement.pk).server.url


def mark_down(url: str) -> None:
    if MediaServer.objects.filter(url=url, down_since=None).update(down_since=timezone.now()):
        logger.warning("Media server %s is down; its sessions are placed again", url)


def mark_up(url: str) -> None:
    if MediaServer.objects.filter(url=url).exclude(down_since=None).update(down_since=None):
        logger.info("Media server %s is up again", url)


def record_load(url: str, load: ServerLoad) -> None:
    MediaServer.objects.filter(url=url).update(
        rooms=load.rooms, listeners=load.listeners, sampled_at=timezone.now()
    )


def _checked_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss") or not parts.hostname or len(url) > 200:
        raise PlacementError(_("A media server's address is a ws:// or wss:// URL."))
    return url


async def verify(url: str, api_secret: str, admin_key: str) -> None:
    """Refuse (``PlacementError``) a Janus that does not take our API secret and admin key."""
    try:
        client = await JanusClient(url, api_secret).connect(5.0)
    except JanusError as exc:
        raise PlacementError(_("The media server refused the connection: %s") % exc) from exc
    try:
        handle = await client.attach(STREAMING)
        await handle.send({"request": "list", "admin_key": admin_key})
    except JanusError as exc:
        raise PlacementError(_("The media server refused the admin key: %s") % exc) from exc
    finally:
        await client.close()


def register(url: str, capacity: int, check: bool = True) -> MediaServer:
    """Add (or update the capacity of) a media server, after checking it takes our keys."""
    url = _checked_url(url)
    if capacity < 1:
        raise PlacementError(_("A media server's capacity is at least one listener."))
    if check:
        try:
            async_to_sync(verify)(url, settings.JANUS_API_SECRET, settings.JANUS_ADMIN_KEY)
        except PlacementError:
            logger.warning("Media server %s refused at registration", url, exc_info=True)
            raise
    server, created = MediaServer.objects.update_or_create(url=url, defaults={"capacity": capacity})
    logger.info(
        "Media server %s %s (capacity %s)", url, "registered" if created else "updated", capacity
    )
    return server


def set_draining(url: str, draining: bool) -> None:
    if not MediaServer.objects.filter(url=url).update(draining=draining):
        raise PlacementError(_("No media server is registered at %s.") % url)
    logger.info("Media server %s %s", url, "draining" if draining else "takes new sessions")


def remove(url: str) -> None:
    """Forget a server with no session still going on it (drain it first)."""
    state = next((state for state in servers() if state.url == url), None)
    if state is None:
        raise PlacementError(_("No media server is registered at %s.") % url)
    if state.sessions and not state.down:
        raise PlacementError(
            _("%(url)s still has %(count)s sessions: drain it and wait for them to end.")
            % {"url": url, "count": state.sessions}
        )
    MediaServer.objects.filter(url=url).delete()


def register_configured() -> None:
    """The servers named in ``PLENARY_JANUS_URLS`` are registered at first use (those
    already known keep their capacity and state)."""
    for url in settings.JANUS_URLS:
        MediaServer.objects.get_or_create(url=url, defaults={"capacity": settings.JANUS_CAPACITY})


class RegisteredServers:
    """The room managers' placer in scale-out: this module, off the event loop."""

    def __init__(self) -> None:
        self._registered = False

    async def place(self, session_id: int) -> str:
        """Where the session is; with no server up, Janus is unavailable to the callers
        (their clients are told the media are unavailable, as when a Janus is down)."""
        if not self._registered:
            await sync_to_async(register_configured)()
            self._registered = True
        try:
            return await sync_to_async(server_for)(session_id)
        except NoMediaServerError as exc:
            raise JanusUnavailableError(str(exc)) from exc

    async def lost(self, url: str) -> None:
        await sync_to_async(mark_down)(url)

    async def back(self, url: str) -> None:
        await sync_to_async(mark_up)(url)

    async def sampled(self, url: str, load: ServerLoad) -> None:
        await sync_to_async(record_load)(url, load)
