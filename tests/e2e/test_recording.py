"""Recording a session with a real Janus and real WebRTC peers, then packaging it.

A speaker on the floor and an interpreter on the French booth (aiortc peers
sending 1 kHz bursts at known wall-clock moments) are recorded by Janus; the
packaged HLS has both renditions with their LANGUAGE tags, and each burst is
where it was spoken on the shared timeline (±100 ms), so that switching
language keeps the place; while it runs, the live origin's segments of each
channel appear and carry what is spoken there. Janus killed during the recording keeps what it
wrote, records again once it is back, and the gap is marked. Runs inside a
private network namespace, as the other media tests (``tests.e2e.netns``).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from pathlib import Path

import numpy as np
import pytest
from asgiref.sync import sync_to_async

from tests.e2e.netns import IN_NAMESPACE, reporting

pytestmark = pytest.mark.e2e

SCENARIOS = [
    "test_the_floor_and_a_booth_are_recorded_and_packaged_on_one_timeline",
    "test_janus_killed_while_recording_keeps_what_it_wrote_and_marks_the_gap",
    "test_the_channels_are_live_over_http_while_the_session_is_recorded",
    "test_the_stage_and_a_shared_screen_are_recorded_and_composed_on_the_timeline",
]


if not IN_NAMESPACE:
    namespace_results, test_in_private_network = reporting(__file__, SCENARIOS)

else:
    import av
    from aiortc import VideoStreamTrack

    from plenary.media import engine, probes, recorder, services, video
    from plenary.media.janus.process import JanusProcess
    from plenary.media.rooms import FLOOR, SCREEN, STAGE, SessionLayout
    from plenary.recordings import ffmpeg, live, packaging, stage
    from plenary.recordings.tests.helpers import colour_at, decoded, near
    from tests.e2e.webrtc import (  # noqa: F401 (the fixtures are bound by importing them)
        Peer,
        janus,
        media,
        speak,
    )

    def _folders(layout: SessionLayout, root: Path) -> dict[str, str]:
        return {channel: str(root / "wav" / channel) for channel in layout.channels}

    async def _wait_for_files(folder: Path, count: int) -> None:
        async with asyncio.timeout(15):
            while len(list(folder.glob("*.wav"))) < count:
                await asyncio.sleep(0.1)

    def _sent_at(peer: Peer) -> dict[int, float]:
        """When ``peer`` sent each of its frames (wall clock), by frame."""
        track = peer.pc.getSenders()[0].track
        assert isinstance(track, probes.ArrayTrack)
        return dict(track.sent_at)

    def _onsets(samples: probes.Signal) -> list[float]:
        """Where each burst starts (seconds): loud after at least 0.3 s of quiet."""
        loud = np.flatnonzero(np.abs(samples) > 0.05)
        starts = [loud[0]] if len(loud) else []
        starts += [b for a, b in itertools.pairwise(loud) if b - a > 0.3 * probes.RATE]
        return [float(s) / probes.RATE for s in starts]

    async def test_the_floor_and_a_booth_are_recorded_and_packaged_on_one_timeline(
        media: JanusProcess, tmp_path: Path
    ) -> None:
        layout = SessionLayout(201, ("fr",))
        await sync_to_async(services.set_heard)(201, FLOOR, frozenset({1}))
        await sync_to_async(services.set_heard)(201, "fr", frozenset({2}))
        await sync_to_async(recorder.set_recording)(layout, _folders(layout, tmp_path))
        await _wait_for_files(tmp_path / "wav" / FLOOR, 1)
        await _wait_for_files(tmp_path / "wav" / "fr", 1)
        bursts, frames = probes.bursts(3, every=0.8)
        speaker = await speak("speaker", 1, layout, FLOOR, bursts)
        await asyncio.sleep(1.3)
        interpreter = await speak("interpreter", 2, layout, "fr", bursts)
        await asyncio.sleep(3.5)
        await sync_to_async(recorder.set_recording)(layout, None)
        sent = {FLOOR: _sent_at(speaker), "fr": _sent_at(interpreter)}
        for peer in (speaker, interpreter):
            await peer.pc.close()
        await asyncio.sleep(0.5)

        done = await sync_to_async(packaging.package)(tmp_path / "wav", tmp_path / "hls")
        master = (tmp_path / "hls" / "index.m3u8").read_text()
        assert 'LANGUAGE="mul",DEFAULT=YES' in master and 'URI="floor/index.m3u8"' in master
        assert 'NAME="Français",LANGUAGE="fr",DEFAULT=NO' in master
        assert [track.channel for track in done.tracks] == [FLOOR, "fr"]
        for channel in (FLOOR, "fr"):
            heard = _onsets(decoded(tmp_path / "hls" / channel / "index.m3u8"))
            spoken = [sent[channel][frame] - done.origin for frame in frames]
            assert len(heard) >= len(spoken), (channel, heard, spoken)
            for at, expected in zip(heard, spoken, strict=False):
                assert abs(at - expected) <= 0.1, (channel, heard, spoken)

    async def test_janus_killed_while_recording_keeps_what_it_wrote_and_marks_the_gap(
        media: JanusProcess, tmp_path: Path
    ) -> None:
        layout = SessionLayout(202, ())
        folder = tmp_path / "wav" / FLOOR
        await sync_to_async(services.set_heard)(202, FLOOR, frozenset({1}))
        await sync_to_async(recorder.set_recording)(layout, _folders(layout, tmp_path))
        await _wait_for_files(folder, 1)
        speaker = await speak("speaker", 1, layout, FLOOR, probes.tone(440, 2))
        await asyncio.sleep(6)  # past Janus's first header update (every 5 s)
        media.kill()
        await speaker.pc.close()
        await asyncio.sleep(2)
        media.start()  # the supervision re-creates the rooms, and they record again
        await _wait_for_files(folder, 2)
        await asyncio.sleep(2)
        await sync_to_async(recorder.set_recording)(layout, None)
        await asyncio.sleep(0.5)

        pieces = packaging.pieces(folder)
        assert len(pieces) == 2 and pieces[0].seconds > 5  # up to the crash
        done = await sync_to_async(packaging.package)(tmp_path / "wav", tmp_path / "hls")
        (gap,) = done.tracks[0].gaps
        assert gap[1] - gap[0] >= 1.5  # Janus was down at least the two seconds
        assert gap[0] == pytest.approx(pieces[0].seconds, abs=0.1)

    async def test_the_channels_are_live_over_http_while_the_session_is_recorded(
        media: JanusProcess, tmp_path: Path
    ) -> None:
        layout = SessionLayout(203, ("fr",))
        await sync_to_async(services.set_heard)(203, FLOOR, frozenset({1}))
        await sync_to_async(services.set_heard)(203, "fr", frozenset({2}))
        await sync_to_async(recorder.set_recording)(layout, _folders(layout, tmp_path))
        recorded = {203: tmp_path}
        origin = live.Origin(running=lambda: dict(recorded))
        speaker = await speak("speaker", 1, layout, FLOOR, probes.tone(440, 30))
        interpreter = await speak("interpreter", 2, layout, "fr", probes.tone(880, 30))

        def segments(channel: str) -> list[Path]:
            path = tmp_path / "live" / channel / "index.m3u8"
            text = path.read_text() if path.exists() else ""
            return [path.parent / line for line in text.splitlines() if line.endswith(".ts")]

        try:
            async with asyncio.timeout(30):
                while not all(len(segments(channel)) >= 4 for channel in layout.channels):
                    await asyncio.to_thread(origin.tick)
                    await asyncio.sleep(0.2)
            for channel, hz in ((FLOOR, 440), ("fr", 880)):
                samples = decoded(segments(channel)[-1])
                spectrum = np.abs(np.fft.rfft(samples))
                peak = np.fft.rfftfreq(len(samples), 1 / probes.RATE)[int(np.argmax(spectrum))]
                assert abs(peak - hz) < 20, (channel, peak)
            master = (tmp_path / "live" / "index.m3u8").read_text()
            assert 'LANGUAGE="mul"' in master and 'LANGUAGE="fr"' in master
            recorded.clear()  # the recording stops
            await asyncio.to_thread(origin.tick)
            for channel in layout.channels:
                assert (
                    (tmp_path / "live" / channel / "index.m3u8").read_text().endswith(live.ENDLIST)
                )
        finally:
            origin.stop()
            await sync_to_async(recorder.set_recording)(layout, None)
            for peer in (speaker, interpreter):
                await peer.pc.close()

    class ColourTrack(VideoStreamTrack):
        """A camera (or a screen) that shows one colour, 640 by 360."""

        def __init__(self, rgb: tuple[int, int, int]):
            super().__init__()
            self.frame = np.zeros((360, 640, 3), np.uint8)
            self.frame[:, :] = rgb

        async def recv(self) -> av.VideoFrame:
            pts, time_base = await self.next_timestamp()
            frame = av.VideoFrame.from_ndarray(self.frame, format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            return frame

    async def _publish(layout: SessionLayout, mid: str, rgb: tuple[int, int, int]) -> Peer:
        """A publisher of the session's VideoRoom showing ``rgb`` on ``mid`` (the stage
        or the screen), as ``services.do_publish`` makes one for a browser."""
        peer = Peer()
        peer.pc.addTransceiver(ColourTrack(rgb), direction="sendonly")
        offer = await peer.offer()
        kind = "camera" if mid == STAGE else "screen"
        _handle, answer = await engine.manager().publish(
            layout.session_id, mid, video.display(1, kind, True), video.video_mid(offer), offer
        )
        assert answer is not None
        await peer.accept(answer)
        return peer

    async def test_the_stage_and_a_shared_screen_are_recorded_and_composed_on_the_timeline(
        media: JanusProcess, tmp_path: Path
    ) -> None:
        layout = SessionLayout(204, ())
        await sync_to_async(services.set_heard)(204, FLOOR, frozenset({1}))
        folders = _folders(layout, tmp_path)
        await sync_to_async(recorder.set_recording)(layout, folders, str(tmp_path / "video"))
        await _wait_for_files(tmp_path / "wav" / FLOOR, 1)
        speaker = await speak("speaker", 1, layout, FLOOR, probes.tone(440, 20))
        await asyncio.sleep(1.5)
        camera = await _publish(layout, STAGE, (0, 200, 0))  # green
        camera_at = time.time()
        await asyncio.sleep(3)
        screen = await _publish(layout, SCREEN, (200, 0, 0))  # red
        screen_at = time.time()
        await asyncio.sleep(3)
        await screen.pc.close()
        screen_off = time.time()
        await asyncio.sleep(2)
        await camera.pc.close()
        camera_off = time.time()
        await asyncio.sleep(1.5)
        await sync_to_async(recorder.set_recording)(layout, None)
        await speaker.pc.close()
        await asyncio.sleep(0.5)

        found = stage.clips(tmp_path / "video")
        assert [clip.stream for clip in found] == [STAGE, SCREEN]
        # Each clip starts with its first frame, once the publisher's connection is up.
        for clip, published in zip(found, (camera_at, screen_at), strict=True):
            assert published - 0.1 <= clip.start <= published + 2, (clip, published)
        done = await sync_to_async(packaging.package)(
            tmp_path / "wav", tmp_path / "hls", video_folder=tmp_path / "video"
        )
        assert done.video is not None and done.video.playlist == "video/index.m3u8"
        composed = tmp_path / "hls" / "video.mp4"
        assert ffmpeg.duration(composed) == pytest.approx(done.seconds, abs=0.2)

        def at(moment: float, x: int = 640, y: int = 200) -> tuple[int, ...]:
            return colour_at(composed, moment - done.origin, x, y)

        corner = (1280 - 16 - 160, 720 - 16 - 90)  # the middle of the picture in picture
        camera_on, screen_on = (clip.start for clip in found)
        # Each clip from its own start (±0.3 s: a few frames at 15 a second)...
        assert near(at(camera_on - 0.3), (0, 0, 0))  # nobody seen yet
        assert near(at(camera_on + 0.3), (0, 200, 0))  # the speaker
        assert near(at(screen_on - 0.3), (0, 200, 0))
        assert near(at(screen_on + 0.3), (200, 0, 0))  # the screen over the speaker...
        assert near(at(screen_on + 1, *corner), (0, 200, 0))  # ...small in its corner
        # ...to its last frame.
        assert near(at(screen_off - 1), (200, 0, 0))
        assert near(at(screen_off + 1), (0, 200, 0))  # the screen stopped
        assert near(at(camera_off + 1), (0, 0, 0))  # the camera too
        master = packaging.master_playlist(done.tracks, video=done.video)
        assert "RESOLUTION=1280x720" in master and master.endswith("video/index.m3u8\n")
