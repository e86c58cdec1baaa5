"""The room manager of the running event loop, built from settings.

Janus connections are asyncio objects, so each event loop (the server's, or
a short-lived one in a management command) gets its own manager. The
server's manager also supervises Janus and re-creates rooms after a restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import logging
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable

from asgiref.sync import async_to_sync
from django.conf import settings

from plenary.media.janus.client import JanusClient
from plenary.media.janus.config import JanusConfig
from plenary.media.placement import RegisteredServers
from plenary.media.rooms import OneServer, RebuiltCallback, RestartCallback, RoomManager

logger = logging.getLogger(__name__)

_managers: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, RoomManager] = (
    weakref.WeakKeyDictionary()
)
_tasks: set[asyncio.Task[None]] = set()
_restart_callbacks: list[RestartCallback] = []
_rebuilt_callbacks: list[RebuiltCallback] = []


def embedded_config() -> JanusConfig:
    """The configuration of the Janus that ``plenary serve`` runs itself."""
    return JanusConfig(
        ws_port=settings.JANUS_PORT,
        api_secret=settings.JANUS_API_SECRET,
        admin_key=settings.JANUS_ADMIN_KEY,
        rtp_port_range=settings.JANUS_RTP_PORTS,
        ice_interfaces=settings.JANUS_ICE_INTERFACES,
        event_loops=settings.JANUS_EVENT_LOOPS,
        library_dir=settings.JANUS_LIBRARY_DIR,
    )


async def _connect(url: str) -> JanusClient:
    return await JanusClient(url, settings.JANUS_API_SECRET).connect()


def on_restart(callback: RestartCallback) -> RestartCallback:
    """Register ``callback(session_ids)``, awaited once Janus is back and rooms re-created."""
    _restart_callbacks.append(callback)
    return callback


async def _notify_restart(session_ids: list[int]) -> None:
    # Each callback is on its own: one that fails must not keep the others
    # (the clients' media.reset above all) from running.
    for callback in _restart_callbacks:
        try:
            await callback(session_ids)
        except Exception:
            logger.exception("Janus restart callback %s failed", callback.__name__)


def on_rebuilt(callback: RebuiltCallback) -> RebuiltCallback:
    """Register ``callback(session_id)``, awaited once a session's mountpoint was replaced."""
    _rebuilt_callbacks.append(callback)
    return callback


async def _notify_rebuilt(session_id: int) -> None:
    for callback in _rebuilt_callbacks:
        try:
            await callback(session_id)
        except Exception:
            logger.exception("mountpoint rebuilt callback %s failed", callback.__name__)


def _new_manager() -> RoomManager:
    if not settings.JANUS_URLS:
        rooms = RoomManager(
            OneServer(embedded_config().url),
            _connect,
            settings.JANUS_ADMIN_KEY,
            sample_every=settings.JANUS_SAMPLE_SECONDS,
        )
    else:
        rooms = RoomManager(
            RegisteredServers(),
            _connect,
            settings.JANUS_ADMIN_KEY,
            failover_after=settings.JANUS_FAILOVER_SECONDS,
            sample_every=settings.JANUS_SAMPLE_SECONDS,
        )
    rooms.on_rebuilt = _notify_rebuilt
    return rooms


def manager() -> RoomManager:
    """The manager of the running event loop (created, and supervised, on first use)."""
    loop = asyncio.get_running_loop()
    rooms = _managers.get(loop)
    if rooms is None:
        rooms = _new_manager()
        rooms.on_restart = _notify_restart
        _managers[loop] = rooms
        # A fresh context: the first caller may run inside asgiref's
        # async_to_sync, whose thread executor is gone once that call ends; a
        # task inheriting it could never run sync code again (it did, and
        # the supervision died with "CurrentThreadExecutor already quit").
        task = loop.create_task(rooms.supervise(), context=contextvars.Context())
        _tasks.add(task)
        task.add_done_callback(_tasks.discard)
    return rooms


@contextlib.asynccontextmanager
async def rooms_now() -> AsyncIterator[RoomManager]:
    """The loop's manager if it has one, else a short-lived one closed afterwards.

    For one-off work from synchronous code (a floor decision sent from a
    request thread or a command) whose event loop ends with the call.
    """
    rooms = _managers.get(asyncio.get_running_loop())
    if rooms is not None:
        yield rooms
        return
    rooms = _new_manager()
    try:
        yield rooms
    finally:
        await rooms.close()


def _serving_loop() -> asyncio.AbstractEventLoop | None:
    """The loop of this process's server, if it runs a room manager (else ``None``)."""
    return next((loop for loop in list(_managers) if loop.is_running()), None)


def submit(job: Callable[[], Awaitable[None]], what: str) -> None:
    """Run a Janus job from synchronous code without waiting for it.

    In the server the job runs on its event loop, beside the sockets, so the
    thread that calls (a command's, or an after-commit callback's: the one
    thread every socket's database work shares) is not held for Janus round
    trips. Without a server loop (management commands, tests without one) it
    runs now. Either way a failure is logged, never raised to the caller.
    """
    loop = _serving_loop()
    if loop is None:
        try:
            async_to_sync(job)()
        except Exception:
            logger.exception("Janus job failed: %s", what)
        return

    async def run() -> None:
        await job()

    def report(task: asyncio.Task[None]) -> None:
        _tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("Janus job failed: %s", what, exc_info=task.exception())

    def start() -> None:
        task = loop.create_task(run())
        _tasks.add(task)
        task.add_done_callback(report)

    # In a fresh context, not the caller's: a caller inside asgiref's sync_to_async
    # (a consumer's database work) carries its executor in its context, and the
    # job's own sync_to_async calls would be sent there ("would deadlock").
    loop.call_soon_threadsafe(start, context=contextvars.Context())


async def shutdown() -> None:
    """Close the running loop's manager (tests and server shutdown)."""
    rooms = _managers.pop(asyncio.get_running_loop(), None)
    for task in list(_tasks):
        if task.get_loop() is asyncio.get_running_loop():
            task.cancel()
    if rooms is not None:
        await rooms.close()


def shutdown_all(timeout: float = 5.0) -> None:
    """Close the managers of every running loop from outside them (server shutdown, tests)."""
    for loop in list(_managers):
        if loop.is_running():
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout)
