"""Map sessions to Janus objects, and re-create them after a Janus restart.

Per session: one AudioBridge room per channel (the floor and each
interpretation language), one VideoRoom for the stage camera and the shared
screen, and one multi-stream Streaming mountpoint with one audio stream per
channel (``mid`` = channel code) and two video streams (``stage``, simulcast
with three layers, and ``screen``), fed by ``rtp_forward`` from the rooms.
Listeners only ever watch the mountpoint: the mix is encoded once per
channel and the video is relayed once into it, whatever the audience; each
viewer is sent the layer it asks for (``choose_layer``), and the
mountpoint's keyframe requests to a publisher are at most one a second.

Janus ids are derived from the session id, so every control-plane process
finds the same objects without sharing state. Which Janus a session is on is
the placer's answer (``media.placement``: by load, across the registered
servers; the embedded default has one): when a server's connection stays lost
past the failover delay, its sessions are placed again and re-created on the
server each now has, and their clients are told to re-signal.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from plenary.core import metrics
from plenary.core.languages import UN_LANGUAGES
from plenary.media.janus.client import (
    Handle,
    JanusClient,
    JanusError,
    JanusUnavailableError,
    JsonDict,
    PluginReply,
)

logger = logging.getLogger(__name__)

FLOOR = "floor"
AUDIOBRIDGE = "janus.plugin.audiobridge"
STREAMING = "janus.plugin.streaming"
VIDEOROOM = "janus.plugin.videoroom"
# The mountpoint's video streams: the camera of who has the floor, and the presentation.
STAGE = "stage"
SCREEN = "screen"
VIDEO = (STAGE, SCREEN)
VP8_PT = 96
# What a publisher may send (REMB cap, bit/s): three camera layers, a detailed screen.
VIDEO_BITRATE = {STAGE: 1_200_000, SCREEN: 1_500_000}
# Janus error codes for "already exists" (AudioBridge 486, Streaming 456).
_EXISTS = {486, 456}
_NO_SUCH_ROOM = 485
# VideoRoom's own codes: no such room, room exists.
_NO_SUCH_VIDEO_ROOM = 426
_VIDEO_ROOM_EXISTS = 427
OPUS_PT = 100
# Opus bit rate of every mix (the forwards to listeners and to the speech
# workers use the room's): speech coded as wideband (SILK) stays clear, and an
# audio-only listener's SRTP packets (headers, extensions and tag included)
# fit in 32 kbit/s. Measured by the video browser test and ``./scripts/bench room``.
MIX_BITRATE = 12_000
# Seconds the supervision waits for a lost Janus to answer before the next round
# (a host that went away may not even refuse the connection).
RECONNECT_TIMEOUT = 1.0


def room_id(session_id: int, channel: str) -> int:
    """The AudioBridge room of ``channel`` (``floor`` or a language) in a session."""
    offset = 0 if channel == FLOOR else 1 + UN_LANGUAGES.index(channel)
    return session_id * 10 + offset


def mountpoint_id(session_id: int) -> int:
    return session_id


def video_room_id(session_id: int) -> int:
    return session_id


@dataclass(frozen=True)
class SessionLayout:
    session_id: int
    languages: tuple[str, ...]

    @property
    def channels(self) -> tuple[str, ...]:
        return (FLOOR, *self.languages)


@dataclass(frozen=True)
class ServerLoad:
    """What a Janus carries now: AudioBridge rooms, and listeners (the mountpoints'
    viewers plus the rooms' participants)."""

    rooms: int
    listeners: int


class Placer(Protocol):
    """Decides which Janus a session is on, and hears what the manager sees of each."""

    async def place(self, session_id: int) -> str:
        """The URL of the Janus that has (or is now given) the session."""

    async def lost(self, url: str) -> None:
        """The Janus at ``url`` stayed unreachable past the failover delay."""

    async def back(self, url: str) -> None:
        """The Janus at ``url`` answers again."""

    async def sampled(self, url: str, load: ServerLoad) -> None:
        """A fresh sample of the load of the Janus at ``url``."""


class OneServer:
    """The placer of a single Janus (the embedded default, and the tests'): everything there."""

    def __init__(self, url: str):
        self.url = url

    async def place(self, session_id: int) -> str:
        return self.url

    async def lost(self, url: str) -> None:
        return None

    async def back(self, url: str) -> None:
        return None

    async def sampled(self, url: str, load: ServerLoad) -> None:
        return None


ClientFactory = Callable[[str], Awaitable[JanusClient]]
RestartCallback = Callable[[list[int]], Awaitable[None]]
RebuiltCallback = Callable[[int], Awaitable[None]]


def _ports(streams: list[dict[str, Any]]) -> dict[str, int]:
    return {str(stream["mid"]): int(stream["port"]) for stream in streams}


class RoomManager:
    """Owns the connections to Janus (one per URL) and the sessions placed on them.

    ``failover_after``: seconds a lost Janus may stay unreachable before its
    sessions are placed elsewhere (``None``: never, they wait for it);
    ``sample_every``: seconds between load samples sent to the placer
    (``None``: none taken).
    """

    def __init__(
        self,
        placer: Placer,
        connect: ClientFactory,
        admin_key: str,
        failover_after: float | None = None,
        sample_every: float | None = None,
    ):
        self.placer = placer
        self._connect = connect
        self._admin_key = admin_key
        self._failover_after = failover_after
        self._sample_every = sample_every
        self._sampled_at = 0.0
        # Where each session in use is, as the placer said; and since when a URL is lost.
        self._placed: dict[int, str] = {}
        self._lost_since: dict[str, float] = {}
        self._clients: dict[str, JanusClient] = {}
        self._control: dict[str, tuple[Handle, Handle]] = {}
        self._video_control: dict[str, Handle] = {}
        # Every session in use, and those whose objects exist on the current connection.
        self._layouts: dict[int, SessionLayout] = {}
        self._ready: set[int] = set()
        # URLs reconnected after a loss, whose sessions still need re-creating.
        self._reconnected: set[str] = set()
        self._lock = asyncio.Lock()
        self.on_restart: RestartCallback | None = None
        # Told the id of a session whose mountpoint was replaced (its listeners must reconnect).
        self.on_rebuilt: RebuiltCallback | None = None
        # AI voice inputs: a plain RTP participant per (session, language), held here.
        self._voices: dict[tuple[int, str], tuple[Handle, str, int]] = {}
        # A silent participant in each recorded room, by (session, channel): see ``record``.
        self._keepers: dict[tuple[int, str], Handle] = {}

    async def url_for(self, session_id: int) -> str:
        """The Janus the session is on (asked of the placer once, then remembered)."""
        url = self._placed.get(session_id)
        if url is None:
            url = self._placed[session_id] = await self.placer.place(session_id)
        return url

    def _sessions_on(self, url: str) -> list[int]:
        return [sid for sid, placed in self._placed.items() if placed == url]

    # --- A browser's legs (the plugin requests; services decide who may) ---------

    async def join(
        self, session_id: int, channel: str, display: str, muted: bool, offer: str
    ) -> tuple[Handle, str | None]:
        """A speaking leg: join ``channel``'s room with the browser's offer; the
        handle and Janus's answer (``None`` if it gave none)."""
        handle, reply = await self.open_handle(
            session_id,
            AUDIOBRIDGE,
            {
                "request": "join",
                "room": room_id(session_id, channel),
                "id": secrets.randbelow(2**52) + 1,
                "display": display,
                "muted": muted,
                "prebuffer": 1,  # one packet of jitter buffer: the least delay (see benchmarks)
            },
            jsep={"type": "offer", "sdp": offer},
        )
        return handle, str(reply.jsep["sdp"]) if reply.jsep else None

    async def watch(self, session_id: int) -> tuple[Handle, str | None]:
        """A listening leg: watch the session's mountpoint; the handle and Janus's
        offer (``None`` if it gave none). Video starts at the lowest layer."""
        handle, reply = await self.open_handle(
            session_id,
            STREAMING,
            {"request": "watch", "id": mountpoint_id(session_id), "substream": 0},
        )
        return handle, str(reply.jsep["sdp"]) if reply.jsep else None

    async def publish(
        self, session_id: int, mid: str, display: str, video_mid: str, offer: str
    ) -> tuple[Handle, str | None]:
        """A video leg: publish the browser's offer in the session's VideoRoom and
        forward its video (``video_mid``) into the mountpoint's ``mid`` stream (each
        simulcast layer to its own port); the handle and Janus's answer."""
        handle, reply = await self.open_handle(
            session_id,
            VIDEOROOM,
            {
                "request": "joinandconfigure",
                "room": video_room_id(session_id),
                "ptype": "publisher",
                "display": display,
                "bitrate": VIDEO_BITRATE[mid],
                # Written into the stream's recording (``mjr`` header ``d``): which it is.
                "descriptions": [{"mid": video_mid, "description": mid}],
            },
            jsep={"type": "offer", "sdp": offer},
        )
        try:
            if not reply.jsep:
                return handle, None
            ports = await self._video_ports(session_id, mid)
            stream: JsonDict = {"mid": video_mid, "port": ports["port"], "pt": VP8_PT}
            stream["rtcp_port"] = ports["rtcpport"]  # the viewers' keyframe requests come back
            if mid == STAGE:
                stream |= {"port_2": ports["port2"], "port_3": ports["port3"]}
            await handle.send(
                {
                    "request": "rtp_forward",
                    "room": video_room_id(session_id),
                    "publisher_id": int(reply.data["id"]),
                    "host": "127.0.0.1",
                    "admin_key": self._admin_key,
                    "streams": [stream],
                }
            )
        except JanusError:
            await handle.detach()
            raise
        return handle, str(reply.jsep["sdp"])

    async def publishers(self, session_id: int) -> list[dict[str, Any]]:
        """The session's VideoRoom participants (``id``, ``display``, ``publisher``)."""
        videoroom = await self._videoroom(session_id)
        try:
            reply = await videoroom.send(
                {"request": "listparticipants", "room": video_room_id(session_id)}
            )
        except JanusError as exc:
            if exc.code == _NO_SUCH_VIDEO_ROOM:
                return []
            raise
        return list(reply.data.get("participants", []))

    async def kick(self, session_id: int, participant: int) -> None:
        """Remove a publisher from the VideoRoom: its video stops reaching anyone."""
        videoroom = await self._videoroom(session_id)
        await videoroom.send(
            {"request": "kick", "room": video_room_id(session_id), "id": participant}
        )

    @staticmethod
    async def choose_layer(listener: Handle, mid: str, substream: int) -> None:
        """Which simulcast layer of ``mid`` the listening leg gets (0: lowest)."""
        await listener.send({"request": "configure", "mid": mid, "substream": substream})

    @staticmethod
    async def start_watching(listener: Handle, answer: str) -> None:
        await listener.send({"request": "start"}, jsep={"type": "answer", "sdp": answer})

    @staticmethod
    async def send_streams(listener: Handle, sent: dict[str, bool]) -> None:
        """Which of the mountpoint's streams (by ``mid``) the listening leg gets."""
        # One request per stream: Janus 1.1 applies the per-mid form reliably.
        for mid, send in sent.items():
            await listener.send({"request": "configure", "mid": mid, "send": send})

    async def client_for(self, session_id: int) -> JanusClient:
        return await self._client(await self.url_for(session_id))

    async def open_handle(
        self, session_id: int, plugin: str, body: JsonDict, jsep: JsonDict | None = None
    ) -> tuple[Handle, PluginReply]:
        """A new handle on the session's Janus and the reply to its first request;
        a refused request leaves no handle behind."""
        handle = await (await self.client_for(session_id)).attach(plugin)
        try:
            return handle, await handle.send(body, jsep=jsep)
        except JanusError:
            await handle.detach()
            raise

    async def _client(self, url: str) -> JanusClient:
        client = self._clients.get(url)
        if client is not None and not client.closed.is_set():
            return client
        async with self._lock:
            client = self._clients.get(url)
            if client is None or client.closed.is_set():
                try:
                    client = await self._connect(url)
                except JanusUnavailableError:
                    self._lost_since.setdefault(url, time.monotonic())
                    raise
                if url in self._clients:  # a new connection: Janus may have lost everything
                    self._ready -= set(self._sessions_on(url))
                    self._reconnected.add(url)
                self._clients[url] = client
                self._control[url] = (
                    await client.attach(AUDIOBRIDGE),
                    await client.attach(STREAMING),
                )
                self._video_control[url] = await client.attach(VIDEOROOM)
        return client

    async def _handles(self, session_id: int) -> tuple[Handle, Handle]:
        await self.client_for(session_id)
        return self._control[await self.url_for(session_id)]

    async def _videoroom(self, session_id: int) -> Handle:
        await self.client_for(session_id)
        return self._video_control[await self.url_for(session_id)]

    async def ensure_session(self, layout: SessionLayout) -> SessionLayout:
        """Create the session's rooms and mountpoint unless they exist on this connection.

        Objects that another process (or this one, before a restart) made are
        reused. A mountpoint lacking one of the channels (a booth language was
        added since) is rebuilt with every channel, the rooms are forwarded to
        its new ports, and ``on_rebuilt`` is told, so that the listeners of the
        old mountpoint reconnect. Returns the layout now in Janus.
        """
        await self.client_for(layout.session_id)
        known = self._layouts.get(layout.session_id) if layout.session_id in self._ready else None
        if known is not None and set(layout.languages) <= set(known.languages):
            return known
        audiobridge, streaming = await self._handles(layout.session_id)
        layout, ports, rebuilt = await self._mountpoint(audiobridge, streaming, layout)
        for channel in layout.channels:
            room = room_id(layout.session_id, channel)
            created = await self._create_room(audiobridge, layout.session_id, channel)
            # An existing room is already forwarded by whoever created it,
            # unless the mountpoint it fed was just replaced.
            if created or rebuilt:
                await self._forward(audiobridge, room, "127.0.0.1", ports[channel])
        await self._create_video_room(await self._videoroom(layout.session_id), layout.session_id)
        self._layouts[layout.session_id] = layout
        self._ready.add(layout.session_id)
        if rebuilt:
            logger.info("Rebuilt the mountpoint of session %s with %s", layout.session_id, layout)
            if self.on_rebuilt is not None:
                await self.on_rebuilt(layout.session_id)
        return layout

    async def _create_room(self, audiobridge: Handle, session_id: int, channel: str) -> bool:
        """Create ``channel``'s AudioBridge room; False if it exists already."""
        try:
            await audiobridge.send(
                {
                    "request": "create",
                    "room": room_id(session_id, channel),
                    "admin_key": self._admin_key,
                    "description": f"{session_id}/{channel}",
                    "sampling_rate": 48000,
                    "default_bitrate": MIX_BITRATE,
                    "default_prebuffering": 1,
                    "audiolevel_event": False,
                    # Only the control plane joins (browsers' joins are built here):
                    # the AI voices come in as plain RTP participants.
                    "allow_rtp_participants": True,
                }
            )
        except JanusError as exc:
            if exc.code not in _EXISTS:
                raise
            return False
        return True

    async def _create_video_room(self, videoroom: Handle, session_id: int) -> None:
        """Create the session's VideoRoom unless it exists (publishers only: nobody
        subscribes in it, everything reaches viewers through the mountpoint)."""
        try:
            await videoroom.send(
                {
                    "request": "create",
                    "room": video_room_id(session_id),
                    "admin_key": self._admin_key,
                    "description": f"{session_id}/video",
                    "is_private": True,
                    "publishers": 3,  # the camera, the screen, and one hand-over overlap
                    "videocodec": "vp8",  # simulcast layers and temporal layers (VP8 only)
                    "bitrate": VIDEO_BITRATE[STAGE],
                    "fir_freq": 10,
                    # Rotation would be lost on the way through the mountpoint: the
                    # browser rotates the frames itself instead.
                    "videoorient_ext": False,
                    "require_pvtid": True,
                }
            )
        except JanusError as exc:
            if exc.code != _VIDEO_ROOM_EXISTS:
                raise

    async def _video_ports(self, session_id: int, mid: str) -> dict[str, int]:
        """Where the mountpoint takes ``mid``'s video: ``port``, ``port2``, ``port3``
        (simulcast layers) and ``rtcpport`` (what it sends back: keyframe requests)."""
        _, streaming = await self._handles(session_id)
        info = await streaming.send(
            {"request": "info", "id": mountpoint_id(session_id), "admin_key": self._admin_key}
        )
        media = next(m for m in info.data["info"]["media"] if m.get("mid") == mid)
        return {key: int(media.get(key, 0)) for key in ("port", "port2", "port3", "rtcpport")}

    async def _forward(self, audiobridge: Handle, room: int, host: str, port: int) -> int:
        reply = await audiobridge.send(
            {
                "request": "rtp_forward",
                "room": room,
                "admin_key": self._admin_key,
                "host": host,
                "port": port,
                "codec": "opus",
                "ptype": OPUS_PT,
                "always_on": True,
            }
        )
        return int(reply.data["stream_id"])

    async def forward(self, layout: SessionLayout, channel: str, host: str, port: int) -> int:
        """Send ``channel``'s mix as Opus RTP to ``host:port``; return the forward's id."""
        await self.ensure_session(layout)
        audiobridge, _ = await self._handles(layout.session_id)
        return await self._forward(audiobridge, room_id(layout.session_id, channel), host, port)

    async def stop_forward(self, session_id: int, channel: str, forward_id: int) -> None:
        audiobridge, _ = await self._handles(session_id)
        await audiobridge.send(
            {
                "request": "stop_rtp_forward",
                "room": room_id(session_id, channel),
                "stream_id": forward_id,
                "admin_key": self._admin_key,
            }
        )

    async def voice_input(self, layout: SessionLayout, language: str) -> tuple[str, int]:
        """Where Janus takes Opus RTP into ``language``'s room (an AI voice): host, port.

        A plain RTP participant of the room, held by this manager's connection;
        a lost connection loses it, and the next call makes a new one.
        """
        key = (layout.session_id, language)
        known = self._voices.get(key)
        if known is not None and not known[0].client.closed.is_set():
            return known[1], known[2]
        await self.ensure_session(layout)
        handle, reply = await self.open_handle(
            layout.session_id,
            AUDIOBRIDGE,
            {
                "request": "join",
                "room": room_id(layout.session_id, language),
                "display": f"ai-voice-{language}",
                "rtp": {"payload_type": OPUS_PT},  # receive only: no ip/port to send to
            },
        )
        rtp = reply.data["rtp"]
        self._voices[key] = (handle, str(rtp["ip"]), int(rtp["port"]))
        return str(rtp["ip"]), int(rtp["port"])

    async def record(
        self, layout: SessionLayout, channel: str, folder: str | None, new_file: bool = False
    ) -> None:
        """Have Janus record ``channel``'s mix as WAV files in ``folder``; stop if ``None``.

        Janus names each file ``janus-audioroom-<room>-<start in µs>.wav`` and
        starts a new one whenever recording starts in a room (after a Janus
        restart, or with ``new_file``). The AudioBridge writes its mix only
        while the room has a participant, so a silent plain RTP participant
        (held by this manager's connection) stays in each recorded room: the
        file then runs on the wall clock, whoever is in the room.
        """
        await self.ensure_session(layout)
        audiobridge, _ = await self._handles(layout.session_id)
        room = room_id(layout.session_id, channel)
        key = (layout.session_id, channel)
        if folder is None or new_file:
            await audiobridge.send({"request": "enable_recording", "room": room, "record": False})
        if folder is None:
            keeper = self._keepers.pop(key, None)
            if keeper is not None:
                await keeper.detach()
            return
        keeper = self._keepers.get(key)
        if keeper is None or keeper.client.closed.is_set():
            keeper, _reply = await self.open_handle(
                layout.session_id,
                AUDIOBRIDGE,
                {
                    "request": "join",
                    "room": room,
                    "display": f"recorder-{channel}",
                    "muted": True,
                    "rtp": {"payload_type": OPUS_PT},  # sends nothing, takes nothing
                },
            )
            self._keepers[key] = keeper
        await audiobridge.send(
            {"request": "enable_recording", "room": room, "record": True, "record_dir": folder}
        )

    async def record_video(self, layout: SessionLayout, folder: str | None) -> None:
        """Have Janus record every publisher of the session's VideoRoom into ``folder``
        (one ``.mjr`` file per stream and start, whose header says which stream,
        ``stage`` or ``screen``, and when it started); stop if ``None``."""
        await self.ensure_session(layout)
        videoroom = await self._videoroom(layout.session_id)
        room = video_room_id(layout.session_id)
        if folder is not None:
            await videoroom.send({"request": "edit", "room": room, "new_rec_dir": folder})
        await videoroom.send(
            {"request": "enable_recording", "room": room, "record": folder is not None}
        )

    async def drop_voice(self, session_id: int, language: str) -> None:
        known = self._voices.pop((session_id, language), None)
        if known is not None:
            await known[0].detach()

    async def _mountpoint(
        self, audiobridge: Handle, streaming: Handle, layout: SessionLayout
    ) -> tuple[SessionLayout, dict[str, int], bool]:
        """The session's mountpoint, made or found: its layout, ports by channel, and
        whether it replaced one that lacked some of ``layout``'s channels.

        A replaced mountpoint keeps the channels it had (a language dropped from
        the meeting keeps its room, so its stream stays too); the rooms'
        forwards to its ports are stopped before it goes, so that no stale
        forward feeds a port the new mountpoint may be given.
        """
        try:
            return layout, await self._create_mountpoint(streaming, layout), False
        except JanusError as exc:
            if exc.code not in _EXISTS:
                raise
        found = await self._mountpoint_ports(streaming, layout.session_id)
        if {*layout.channels, *VIDEO} <= found.keys():
            return layout, found, False
        wanted = set(layout.languages) | (found.keys() - {FLOOR, *VIDEO})
        layout = SessionLayout(
            layout.session_id, tuple(code for code in UN_LANGUAGES if code in wanted)
        )
        old_ports = set(found.values())
        for channel in layout.channels:
            await self._stop_forwards_to(
                audiobridge, room_id(layout.session_id, channel), old_ports
            )
        await streaming.send(
            {
                "request": "destroy",
                "id": mountpoint_id(layout.session_id),
                "admin_key": self._admin_key,
            }
        )
        return layout, await self._create_mountpoint(streaming, layout), True

    async def _create_mountpoint(self, streaming: Handle, layout: SessionLayout) -> dict[str, int]:
        """Create the session's mountpoint (one Opus stream per channel, the stage's
        three layers, the screen); ports by ``mid``.

        Its one relay thread polls at most 50 sockets (Janus 1.1.2): seven
        channels, the stage's four and the screen's two stay far below.
        """
        media: list[JsonDict] = [
            {
                "type": "audio",
                "mid": channel,
                "label": channel,
                "port": 0,
                "pt": OPUS_PT,
                "codec": "opus",
            }
            for channel in layout.channels
        ]
        video: JsonDict = {"type": "video", "port": 0, "rtcpport": 0, "pt": VP8_PT, "codec": "vp8"}
        layers = {"simulcast": True, "port2": 0, "port3": 0}
        media.append(video | layers | {"mid": STAGE, "label": STAGE})
        media.append(video | {"mid": SCREEN, "label": SCREEN})
        reply = await streaming.send(
            {
                "request": "create",
                "admin_key": self._admin_key,
                "type": "rtp",
                "id": mountpoint_id(layout.session_id),
                "description": f"session {layout.session_id}",
                "media": media,
            }
        )
        return _ports(reply.data["stream"]["ports"])

    async def _mountpoint_ports(self, streaming: Handle, session_id: int) -> dict[str, int]:
        """The ports, by channel (``mid``), of the session's existing mountpoint."""
        info = await streaming.send(
            {"request": "info", "id": mountpoint_id(session_id), "admin_key": self._admin_key}
        )
        return _ports(info.data["info"]["media"])

    async def _stop_forwards_to(self, audiobridge: Handle, room: int, ports: set[int]) -> None:
        """Stop ``room``'s forwards to these local ports (a mountpoint's); others stay."""
        try:
            reply = await audiobridge.send(
                {"request": "listforwarders", "room": room, "admin_key": self._admin_key}
            )
        except JanusError as exc:
            if exc.code == _NO_SUCH_ROOM:
                return
            raise
        for forward in reply.data.get("rtp_forwarders", []):
            if forward.get("ip") == "127.0.0.1" and int(forward.get("port", 0)) in ports:
                await audiobridge.send(
                    {
                        "request": "stop_rtp_forward",
                        "room": room,
                        "stream_id": int(forward["stream_id"]),
                        "admin_key": self._admin_key,
                    }
                )

    async def destroy_session(self, session_id: int) -> None:
        layout = self._layouts.pop(session_id, None)
        if layout is None:
            return
        self._ready.discard(session_id)
        audiobridge, streaming = await self._handles(session_id)
        for channel in layout.channels:
            await audiobridge.send(
                {
                    "request": "destroy",
                    "room": room_id(session_id, channel),
                    "admin_key": self._admin_key,
                }
            )
        await streaming.send(
            {"request": "destroy", "id": mountpoint_id(session_id), "admin_key": self._admin_key}
        )
        videoroom = await self._videoroom(session_id)
        await videoroom.send(
            {
                "request": "destroy",
                "room": video_room_id(session_id),
                "admin_key": self._admin_key,
            }
        )

    async def participants(self, session_id: int, channel: str) -> list[dict[str, object]]:
        audiobridge, _ = await self._handles(session_id)
        reply = await audiobridge.send(
            {"request": "listparticipants", "room": room_id(session_id, channel)}
        )
        return list(reply.data.get("participants", []))

    async def set_muted(self, session_id: int, channel: str, participant: int, muted: bool) -> None:
        audiobridge, _ = await self._handles(session_id)
        await audiobridge.send(
            {
                "request": "mute" if muted else "unmute",
                "room": room_id(session_id, channel),
                "id": participant,
            }
        )

    async def supervise(self, interval: float = 0.25) -> None:
        """Reconnect to a Janus that went away, re-create its sessions, report them.

        Runs for the life of the server and never stops on an error: each
        round that fails is logged and tried again. ``on_restart`` gets the
        ids of the sessions that were re-created, so that clients can be told
        to reconnect.
        """
        while True:
            await asyncio.sleep(interval)
            try:
                await self._recover()
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Janus supervision round failed; trying again")

    async def _recover(self) -> None:
        for url in {*self._clients, *self._lost_since}:
            client = self._clients.get(url)
            if client is None or client.closed.is_set():
                try:
                    async with asyncio.timeout(RECONNECT_TIMEOUT):
                        await self._client(url)
                except (JanusError, TimeoutError) as exc:
                    logger.debug("Janus %s still unavailable: %s", url, exc)
                    await self._unreachable(url)
                    continue
            if self._lost_since.pop(url, None) is not None:
                await self.placer.back(url)
        for url in list(self._reconnected):
            lost = [self._layouts[sid] for sid in self._sessions_on(url) if sid in self._layouts]
            try:
                for layout in lost:
                    await self.ensure_session(layout)
            except JanusError as exc:
                logger.warning("Could not re-create sessions on %s: %s", url, exc)
                continue
            self._reconnected.discard(url)
            logger.info("Janus %s is back; re-created sessions %s", url, lost)
            if self.on_restart is not None and lost:
                await self.on_restart([layout.session_id for layout in lost])
        if self._sample_every is not None and time.monotonic() >= self._sampled_at:
            self._sampled_at = time.monotonic() + self._sample_every
            await self._sample()

    async def _unreachable(self, url: str) -> None:
        """Past the failover delay, the sessions in use on ``url`` move: each is placed
        again, re-created where it now is, and reported (``on_restart``) so that its
        clients re-signal. The placer may keep a session where it was (nowhere else
        to go): it then waits for that Janus, as with one server."""
        since = self._lost_since.setdefault(url, time.monotonic())
        if self._failover_after is None or time.monotonic() - since < self._failover_after:
            return
        sessions = self._sessions_on(url)
        if not sessions:
            return
        await self.placer.lost(url)
        moved = []
        for session_id in sessions:
            del self._placed[session_id]
            if await self.url_for(session_id) == url:
                continue
            self._ready.discard(session_id)
            layout = self._layouts.get(session_id)
            if layout is not None:
                await self.ensure_session(layout)
            moved.append(session_id)
        if moved:
            logger.warning("Janus %s is lost; moved sessions %s", url, moved)
            if self.on_restart is not None:
                await self.on_restart(moved)

    async def _sample(self) -> None:
        for url, client in list(self._clients.items()):
            if client.closed.is_set():
                continue
            try:
                load = await self.load(url)
            except JanusError as exc:
                logger.debug("No load sample from %s: %s", url, exc)
                continue
            metrics.JANUS_ROOMS.labels(url).set(load.rooms)
            metrics.JANUS_LISTENERS.labels(url).set(load.listeners)
            await self.placer.sampled(url, load)

    async def load(self, url: str) -> ServerLoad:
        """The rooms and listeners of the Janus at ``url``, from its own lists."""
        await self._client(url)
        audiobridge, streaming = self._control[url]
        rooms = (await audiobridge.send({"request": "list", "admin_key": self._admin_key})).data
        mountpoints = await streaming.send({"request": "list", "admin_key": self._admin_key})
        viewers = 0
        for mountpoint in mountpoints.data.get("list", []):
            info = await streaming.send(
                {"request": "info", "id": mountpoint["id"], "admin_key": self._admin_key}
            )
            viewers += int(info.data["info"].get("viewers", 0))
        listed = rooms.get("list", [])
        participants = sum(int(room.get("num_participants", 0)) for room in listed)
        return ServerLoad(rooms=len(listed), listeners=viewers + participants)

    async def close(self) -> None:
        for client in self._clients.values():
            await client.close()
        self._clients.clear()
        self._placed.clear()
        self._lost_since.clear()
        self._ready.clear()
        self._layouts.clear()
        self._voices.clear()
        self._keepers.clear()
