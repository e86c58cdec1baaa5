// The stage of the meeting room: the floor holder's camera and the shared
// screen, each shown while pictures arrive; audio only when the participant
// chooses it, or by itself when the connection cannot carry video; the
// simulcast layer this connection and this screen size allow; and, for those
// who may, the camera and screen buttons. Needs media.js and listen.js (its
// listener, window.plenaryListener, carries the video).
(function () {
  "use strict";
  const root = document.getElementById("media-page");
  const listener = window.plenaryListener;
  if (!root || !listener || !document.querySelector("[data-video]")) return;
  const msg = (name) => root.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  const $ = (id) => document.getElementById(id);
  const link = listener.link;
  const note = document.querySelector("[data-video-note]");

  // --- Audio only: chosen (and remembered in this browser), or forced by a poor line.
  const audioOnly = $("audio-only");
  try { audioOnly.checked = localStorage.getItem("plenary.audioOnly") === "1"; } catch (e) { /* no storage */ }
  listener.video = !audioOnly.checked;
  let layer = 0;
  async function see() {
    listener.video = !audioOnly.checked;
    document.querySelectorAll("[data-video]").forEach((f) => { if (audioOnly.checked) f.hidden = true; });
    if (window.plenaryMediaState && window.plenaryMediaState.listening) {
      try { await listener.see(listener.video, layer); } catch (e) { note.textContent = e.message; }
    }
  }
  audioOnly.addEventListener("change", () => {
    try { localStorage.setItem("plenary.audioOnly", audioOnly.checked ? "1" : "0"); } catch (e) { /* no storage */ }
    note.textContent = "";
    bad = 0;
    see();
  });

  // --- The pictures: each stream's <video>, shown while its frames keep coming.
  document.addEventListener("plenary-video", (e) => {
    const figure = document.querySelector(`[data-video="${CSS.escape(e.detail.mid)}"]`);
    if (!figure) return;
    const element = figure.querySelector("video");
    element.srcObject = new MediaStream([e.detail.track]);
    element.play().catch(() => {});
  });
  // Every 3 s: show what has pictures; pick the layer (the stage's size on this
  // screen, less when packets are lost); below the lowest layer, audio only.
  let last = {};
  let bad = 0;
  setInterval(async () => {
    if (!listener.pc || audioOnly.checked) return;
    const stats = await listener.videoStats();
    Object.entries(stats).forEach(([mid, now]) => {
      const figure = document.querySelector(`[data-video="${CSS.escape(mid)}"]`);
      if (figure) figure.hidden = now.frames <= ((last[mid] || {}).frames || 0);
    });
    const stage = stats.stage, before = last.stage || {packets: 0, lost: 0};
    last = stats;
    if (!stage || stage.packets === before.packets) return;
    const lost = Math.max(0, stage.lost - before.lost), got = stage.packets - before.packets;
    const loss = lost / (lost + got);
    const width = document.querySelector("[data-video=stage]").clientWidth * (window.devicePixelRatio || 1);
    const wanted = width >= 960 ? 2 : width >= 480 ? 1 : 0;
    let next = layer;
    if (loss > 0.05) next = Math.max(0, layer - 1);
    else if (loss < 0.01 && layer < wanted) next = layer + 1;
    if (next > wanted) next = wanted;
    bad = layer === 0 && loss > 0.1 ? bad + 1 : 0;
    if (bad >= 3) {  // nine seconds losing a tenth of the lowest layer: the audio comes first
      audioOnly.checked = true; bad = 0;
      note.textContent = msg("videoOff");
      return see();
    }
    if (next !== layer) { layer = next; see(); }
  }, 3000);
  window.plenaryVideo = {stats: () => listener.videoStats(), bytes: () => listener.bytes()};

  // --- Sending: the camera while the floor gives the stage, the screen for a presenter.
  const user = Number(root.dataset.user);
  const status = $("video-status");
  if (!status) return;
  const button = (id) => $(id) || document.createElement("button");
  const camera = new PlenaryMedia.Publisher(link, "camera", (e) => stopped("camera", e));
  const screen = new PlenaryMedia.Publisher(link, "screen", (e) => stopped("screen", e));
  let onStage = root.dataset.onStage === "1";
  const presentsByRole = root.dataset.presents === "role";
  let floorMayPresent = root.dataset.floorMayPresent === "1";
  function update() {
    button("camera-start").disabled = !onStage;
    button("screen-start").disabled = !(presentsByRole || (onStage && floorMayPresent));
  }
  function stopped(kind, error) {
    button(kind + "-start").hidden = false; button(kind + "-stop").hidden = true;
    if (error) status.textContent = error.message;
  }
  async function publish(kind, publisher, open) {
    try {
      await publisher.start(await open());
      button(kind + "-start").hidden = true; button(kind + "-stop").hidden = false;
      status.textContent = msg(kind + "On");
    } catch (e) { if (e.code !== "closed") status.textContent = e.message; }
  }
  button("camera-start").addEventListener("click", () => publish("camera", camera,
    () => navigator.mediaDevices.getUserMedia({video: {width: 1280, height: 720, frameRate: 24}})));
  button("camera-stop").addEventListener("click", () => camera.stop());
  button("screen-start").addEventListener("click", () => {
    if (!navigator.mediaDevices.getDisplayMedia) { status.textContent = msg("noScreen"); return; }
    publish("screen", screen, async () => {
      const stream = await navigator.mediaDevices.getDisplayMedia({video: {frameRate: 5}, audio: false});
      // The browser's own "Stop sharing" ends the track: stop here too.
      stream.getVideoTracks()[0].addEventListener("ended", () => { screen.stop(); status.textContent = msg("screenEnded"); });
      return stream;
    });
  });
  button("screen-stop").addEventListener("click", () => { screen.stop(); status.textContent = msg("screenEnded"); });
  link.on("media.stage", (e) => {
    onStage = e.user_ids.includes(user);
    floorMayPresent = e.floor_may_present;
    update();
    // The server removes a publisher who lost the right; the page stops asking again.
    if (!onStage && camera.stream) { camera.end(null); status.textContent = msg("cameraEnded"); }
    if (!presentsByRole && !(onStage && floorMayPresent) && screen.stream) {
      screen.end(null); status.textContent = msg("screenEnded");
    }
  });
  // A presenter stops whoever shares a screen; the presenter whose share it was is told.
  const stopAny = $("screen-stop-any");
  if (stopAny) {
    stopAny.addEventListener("click", async () => {
      try { await link.request({type: "media.stop_screen"}); status.textContent = msg("screenStoppedAny"); }
      catch (e) { status.textContent = e.message; }
    });
  }
  link.on("media.screen_stopped", (e) => {
    if (e.user_ids.includes(user) && screen.stream) { screen.end(null); status.textContent = msg("screenStopped"); }
  });
  const allow = $("floor-may-present");
  if (allow) {
    allow.addEventListener("change", async () => {
      try { await link.request({type: "media.floor_may_present", allowed: allow.checked}); }
      catch (e) { status.textContent = e.message; allow.checked = !allow.checked; }
    });
  }
  update();
})();
