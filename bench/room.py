"""./scripts/bench room: the meeting room's video fan-out on one Janus.

Like ``bench/media.py`` (whose machinery this reuses: it re-runs the script
inside a private network namespace, root needed), with Janus in the
product's configuration. One speaker on camera: headless Chromium with a
fake 1280x720 camera sending three simulcast layers (as ``media.js`` does),
published through the product's services (``services.do_publish``: the
VideoRoom, then ``rtp_forward`` of each layer into the session's
mountpoint); one interpreter on the French channel (a lean speaker). Then,
in the same run:

- ``audio_listener_loss`` per step and ``audio_listeners_per_core``: lean
  listeners in audio-only mode (the French channel, no video): the baseline;
- ``video_viewer_loss`` per step and ``video_viewers_per_core``: lean viewers
  of the French channel and the stage at the lowest layer (``watch`` with
  ``substream`` 0), the baseline being the audio-only figure;
- ``audio_only_kbps``: what one audio-only listener receives, UDP payload
  (SRTP packets: RTP header and extensions, Opus, authentication tag), over
  a window with ``QUIET`` listeners (``on_the_wire_kbps`` adds the IPv4 and
  UDP headers); baseline: what a video viewer receives, likewise.

Per core = peers over Janus's CPU share, from the largest step that lost at
most ``media.MAX_LOSS`` % with no silent peer. Lean peers count packets from
the RTP headers without decrypting (``media_load``), so the load processes
stay far below Janus.

``keyframe_requests_per_minute``: the PLIs and FIRs that reached the
speaker's browser (its ``outbound-rtp`` counts) during the video ramp, in
which every joining viewer asks the mountpoint for a keyframe; baseline: the
same during the audio-only ramp (no viewer asks).

And first, ``video_glass_to_glass_p50``: a page paints the clock (16 black
or white blocks) into a canvas, publishes it as the camera through the
product, and a second page watching the session (lowest layer, a real
decoding browser) reads the clock back from every frame it shows
(``requestVideoFrameCallback``); baseline: the same canvas over a direct
connection between two peer connections of the first page, read the same
way. ``video_added_by_product_p50`` is the difference.

Options: --viewers 500,1000 (steps, for both ramps) --seconds 10 --processes 2
--parts latency,capacity --frames 200.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import media  # re-runs this script inside the namespace first (see bench/media.py)
from asgiref.sync import sync_to_async
from media import (
    LoadProcess,
    Sample,
    emit,
    emit_per_core,
    join_speaker,
    ramp,
    running,
    steps,
)

from plenary.live.standing import Standing
from plenary.media import engine, probes, services
from plenary.media.rooms import SessionLayout

media.BENCH = "room"
QUIET = 20  # peers of the per-peer figures
PAGE = "https://bench.invalid/"  # answered by the bench itself: a secure page, no network
# Publishes the fake camera (or, ``painted``, the page's painted clock) as media.js does.
PUBLISH = """async (painted) => {
    const stream = painted
        ? window.painted
        : await navigator.mediaDevices.getUserMedia({video: {width: 1280, height: 720}});
    const pc = new RTCPeerConnection();
    window.pc = pc;
    pc.addTransceiver(stream.getVideoTracks()[0], {direction: "sendonly", sendEncodings: [
        {rid: "h", maxBitrate: 900000},
        {rid: "m", scaleResolutionDownBy: 2, maxBitrate: 300000},
        {rid: "l", scaleResolutionDownBy: 4, maxBitrate: 100000},
    ]});
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((done) => {
        pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && done();
        setTimeout(done, 3000);
    });
    return pc.localDescription.sdp;
}"""
SPEAKER = Standing(
    user_id=1,
    name="speaker",
    roles=frozenset({"delegate"}),
    attendance="remote",
    entity=None,
    is_secretariat_staff=False,
    right=None,
)


async def launch(playwright: Any, *capture: str) -> Any:
    return await playwright.chromium.launch(
        executable_path="/usr/bin/chromium",
        headless=True,
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            *capture,
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--autoplay-policy=no-user-gesture-required",
        ],
    )


async def page_of(browser: Any) -> Any:
    """A page of ``browser`` on a secure origin that the bench answers itself."""
    page = await browser.new_page()

    async def fulfil(route: Any) -> None:
        await route.fulfill(content_type="text/html", body="<!doctype html><title>bench</title>")

    await page.route(PAGE, fulfil)
    await page.goto(PAGE)
    return page


async def publish_camera(playwright: Any, layout: SessionLayout, folder: str) -> tuple[Any, Any]:
    """Chromium's fake camera on the stage, through the product's services; browser and page."""
    camera = probes.camera_y4m(Path(folder) / "camera.y4m")
    browser = await launch(playwright, f"--use-file-for-fake-video-capture={camera}")
    page = await page_of(browser)
    offer = await page.evaluate(PUBLISH, False)
    answer = await services.do_publish("camera", SPEAKER, layout, "camera", offer)
    await page.evaluate("(sdp) => window.pc.setRemoteDescription({type: 'answer', sdp})", answer)
    return browser, page


# Keyframe requests (PLI and FIR) that reached the publishing browser, all layers.
KEYFRAME_REQUESTS = """async () => {
    let n = 0;
    (await window.pc.getStats()).forEach((s) => {
        if (s.type === "outbound-rtp") n += (s.pliCount || 0) + (s.firCount || 0);
    });
    return n;
}"""


# The publishing page paints the clock (ms, 16 bits) as 16 black or white blocks.
PAINT = """() => {
    const canvas = document.createElement("canvas");
    canvas.width = 1280; canvas.height = 720;
    const draw = canvas.getContext("2d");
    setInterval(() => {
        const t = Date.now() & 0xffff;
        for (let i = 0; i < 16; i++) {
            draw.fillStyle = (t >> i) & 1 ? "#fff" : "#000";
            draw.fillRect((i % 4) * 320, Math.floor(i / 4) * 180, 320, 180);
        }
    }, 10);
    window.painted = canvas.captureStream(30);
}"""
# A receiving page reads the clock back from each frame it shows: its age in ms.
READ = """async ([mid, count]) => {
    const video = window.videos[mid];
    const canvas = document.createElement("canvas");
    canvas.width = 64; canvas.height = 64;
    const draw = canvas.getContext("2d", {willReadFrequently: true});
    const ages = [];
    await new Promise((done) => {
        const next = () => video.requestVideoFrameCallback(() => {
            draw.drawImage(video, 0, 0, 64, 64);
            const pixels = draw.getImageData(0, 0, 64, 64).data;
            let t = 0;
            for (let i = 0; i < 16; i++) {
                const x = (i % 4) * 16 + 8, y = Math.floor(i / 4) * 16 + 8;
                if (pixels[(y * 64 + x) * 4] > 128) t |= 1 << i;
            }
            ages.push(((Date.now() & 0xffff) - t + 65536) % 65536);
            if (ages.length >= count) done(); else next();
        });
        next();
    });
    return ages;
}"""
# Answers the mountpoint's offer in a page, showing each video stream in a <video>.
ANSWER = """async (offer) => {
    const pc = new RTCPeerConnection();
    window.videos = window.videos || {};
    pc.ontrack = (e) => {
        if (e.track.kind !== "video") return;
        const video = Object.assign(document.createElement("video"), {muted: true, autoplay: true});
        video.srcObject = new MediaStream([e.track]);
        document.body.append(video);
        video.play();
        window.videos[e.transceiver.mid] = video;
    };
    await pc.setRemoteDescription({type: "offer", sdp: offer});
    await pc.setLocalDescription(await pc.createAnswer());
    await new Promise((done) => {
        pc.onicegatheringstatechange = () => pc.iceGatheringState === "complete" && done();
        setTimeout(done, 3000);
    });
    window.viewer = pc;
    return pc.localDescription.sdp;
}"""
# The baseline: the same painted track, at the lowest layer's size and rate, over a
# direct connection inside the page.
DIRECT = """async () => {
    const [a, b] = [new RTCPeerConnection(), new RTCPeerConnection()];
    a.onicecandidate = (e) => e.candidate && b.addIceCandidate(e.candidate);
    b.onicecandidate = (e) => e.candidate && a.addIceCandidate(e.candidate);
    window.videos = window.videos || {};
    b.ontrack = (e) => {
        const video = Object.assign(document.createElement("video"), {muted: true, autoplay: true});
        video.srcObject = new MediaStream([e.track]);
        document.body.append(video);
        video.play();
        window.videos.direct = video;
    };
    // As the viewer gets the product's lowest layer: a quarter of the size, 100 kbit/s.
    a.addTransceiver(window.painted.getVideoTracks()[0], {
        direction: "sendonly",
        streams: [window.painted],
        sendEncodings: [{scaleResolutionDownBy: 4, maxBitrate: 100000}],
    });
    await a.setLocalDescription(await a.createOffer());
    await b.setRemoteDescription(a.localDescription);
    await b.setLocalDescription(await b.createAnswer());
    await a.setRemoteDescription(b.localDescription);
    window.direct = [a, b];
}"""


async def glass_to_glass(playwright: Any, layout: SessionLayout, frames: int) -> None:
    """A painted clock through the product (VideoRoom, forward, mountpoint, lowest layer)
    and over a direct connection, read back from the frames each page shows."""
    browser = await launch(playwright)
    publisher, viewer = await page_of(browser), await page_of(browser)
    await publisher.evaluate(PAINT)
    offer = await publisher.evaluate(PUBLISH, True)
    answer = await services.do_publish("clock", SPEAKER, layout, "camera", offer)
    await publisher.evaluate(
        "(sdp) => window.pc.setRemoteDescription({type: 'answer', sdp})", answer
    )
    await publisher.evaluate(DIRECT)
    watch = await services.do_listen("clock-viewer", None, layout, "fr", False, with_video=True)
    await services.do_listen_answer("clock-viewer", layout, await viewer.evaluate(ANSWER, watch))
    await asyncio.sleep(6)  # the jitter buffers settle
    through = await viewer.evaluate(READ, ["stage", frames])
    direct = await publisher.evaluate(READ, ["direct", frames])
    product, baseline = statistics.median(through), statistics.median(direct)
    emit("video_glass_to_glass_p50", product, "ms", baseline, frames=len(through))
    emit(
        "video_added_by_product_p50",
        product - baseline,
        "ms",
        p90=round(
            statistics.quantiles(through, n=10)[-1] - statistics.quantiles(direct, n=10)[-1], 1
        ),
    )
    await browser.close()
    await services.do_hangup("clock")
    await services.do_hangup("clock-viewer")


async def main(args: argparse.Namespace, loads: list[LoadProcess]) -> None:
    from playwright.async_api import async_playwright

    layout = SessionLayout(3, ("fr",))
    try:
        async with running(engine.embedded_config()) as janus, async_playwright() as playwright:
            if "latency" in args.parts:
                await glass_to_glass(playwright, layout, args.frames)
            if "capacity" not in args.parts:
                return
            with tempfile.TemporaryDirectory() as folder:
                await sync_to_async(services.set_heard)(3, "fr", frozenset({1}))
                await join_speaker(loads[0], "interpreter", 1, layout, "fr")
                browser, camera = await publish_camera(playwright, layout, folder)
                await asyncio.sleep(8)  # the camera's bandwidth estimate ramps up to three layers

                async def audio(load: LoadProcess, i: int) -> None:
                    key = f"audio-{i}"
                    offer = await services.do_listen(key, None, layout, "fr", False)
                    await services.do_listen_answer(
                        key, layout, await load.call("answer", key, offer)
                    )

                async def viewer(load: LoadProcess, i: int) -> None:
                    key = f"video-{i}"
                    offer = await services.do_listen(
                        key, None, layout, "fr", False, with_video=True
                    )
                    await services.do_listen_answer(
                        key, layout, await load.call("answer", key, offer)
                    )

                async def measured(prefix: str, step: list[int], metric: str) -> Sample | None:
                    join = audio if prefix == "audio-" else viewer
                    return await ramp(
                        janus,
                        loads,
                        step,
                        args.seconds,
                        prefix=prefix,
                        join=join,
                        metric=metric,
                    )

                # What one peer receives, from a few peers on a quiet machine (at the
                # large steps the load processes' interpreter falls behind its clock).
                quiet_audio = await measured("audio-", [QUIET], "audio_only_quiet_loss")
                quiet_video = await measured("video-", [QUIET], "video_quiet_loss")
                asked = await camera.evaluate(KEYFRAME_REQUESTS)
                started = time.monotonic()
                listening = await measured("audio-", args.viewers, "audio_listener_loss")
                asked_audio = await camera.evaluate(KEYFRAME_REQUESTS)
                audio_minutes = minutes(started)
                started = time.monotonic()
                watching = await measured("video-", args.viewers, "video_viewer_loss")
                asked_video = await camera.evaluate(KEYFRAME_REQUESTS)
                # Every viewer that joins asks the mountpoint for a keyframe; what reaches
                # the speaker's browser is what it must encode (a storm: one per viewer).
                emit(
                    "keyframe_requests_per_minute",
                    round((asked_video - asked_audio) / minutes(started), 1),
                    "requests/min",
                    round((asked_audio - asked) / audio_minutes, 1),
                    viewers_joined=max(args.viewers),
                )
                emit_per_core("audio_listeners_per_core", "listeners", listening)
                emit_per_core("video_viewers_per_core", "viewers", watching, listening)
                if quiet_audio is not None:
                    emit(
                        "audio_only_kbps",
                        quiet_audio.kbits_per_peer,
                        "kbit/s",
                        quiet_video.kbits_per_peer if quiet_video is not None else None,
                        measured_with=quiet_audio.peers,
                        # With the IPv4 and UDP headers (28 bytes a packet, 50 packets a second).
                        on_the_wire_kbps=round(quiet_audio.kbits_per_peer + 28 * 8 * 50 / 1000, 1),
                    )
                await browser.close()
                await services.do_hangup("camera")
    finally:
        await asyncio.gather(*(load.stop() for load in loads))


def minutes(since: float) -> float:
    return (time.monotonic() - since) / 60


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--viewers", type=steps, default=steps("500,1000"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=2, help="load processes")
    parser.add_argument("--parts", default="latency,capacity")
    parser.add_argument("--frames", type=int, default=200, help="frames read for the latency")
    arguments = parser.parse_args()
    logging.disable(logging.WARNING)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    processes = [LoadProcess() for _ in range(arguments.processes)]
    asyncio.run(main(arguments, processes))
