// The listener page (and the room feed): choose a channel, hear it, and
// optionally send a microphone to the floor. Uses PlenaryMedia (media.js,
// after live/socket.js).
(function () {
  "use strict";
  const root = document.getElementById("media-page");
  if (!root) return;
  const msg = (name) => root.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  const $ = (id) => document.getElementById(id);
  const link = PlenaryMedia.sessionLink(root.dataset.session);
  const mixer = {real: null, pending: [], track(mid, t) {
    // Video goes to the stage (media/stage.js, where the page has one).
    if (t.kind === "video") { document.dispatchEvent(new CustomEvent("plenary-video", {detail: {mid, track: t}})); return; }
    this.real ? this.real.track(mid, t) : this.pending.push([mid, t]);
  }};
  const listener = new PlenaryMedia.Listener(link, mixer);
  window.plenaryListener = listener;
  const status = $("listen-status");
  const chosen = () => document.querySelector("input[name=channel]:checked").value;
  const underneath = () => $("underneath").checked;
  window.plenaryMediaState = {listening: false, channel: null, error: null};
  window.plenaryMediaEnergy = () => listener.energy();
  // The share of audio packets lost since the last call (the room's connection quality).
  let counted = {lost: 0, received: 0};
  window.plenaryMediaLoss = async () => {
    if (!listener.pc) return 0;
    const now = {lost: 0, received: 0};
    (await listener.pc.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp") { now.lost += s.packetsLost || 0; now.received += s.packetsReceived || 0; }
    });
    const lost = Math.max(0, now.lost - counted.lost), received = Math.max(0, now.received - counted.received);
    counted = now;
    return lost + received > 0 ? lost / (lost + received) : 0;
  };

  function show(text) { status.textContent = text; }
  // Language channels with an interpreter heard now (the page's figure, then media.heard):
  // a listener on a silent channel is told why it is silent.
  const onAir = new Set((root.dataset.onAir || "").split(",").filter(Boolean));
  const silent = (channel) => channel !== "floor" && !onAir.has(channel);
  // Each booth's badge says whether it is on air or silent; the note, the floor's language.
  function badge(channel) {
    const shown = document.querySelector(`[data-channel-state="${CSS.escape(channel)}"]`);
    if (!shown) return;
    shown.textContent = msg(onAir.has(channel) ? "channelLive" : "channelSilent");
    shown.classList.toggle("badge-ok", onAir.has(channel));
  }
  link.on("booth.floor_language", (e) => {
    const note = document.querySelector("[data-floor-language]");
    const radio = document.querySelector(`input[name=channel][value="${CSS.escape(e.language)}"]`);
    const name = radio ? radio.parentElement.querySelector("[data-channel-name]").textContent : e.language;
    if (note) { note.textContent = msg("floorLanguage").replace("%(language)s", name); note.hidden = false; }
  });
  function onAirNow(channel, on) {
    const was = onAir.has(channel);
    if (on) onAir.add(channel); else onAir.delete(channel);
    badge(channel);
    if (channel !== chosen() || was === on) return;
    if (window.plenaryMediaState.listening) show(msg(on ? "nowOnAir" : "notOnAir"));
    else show(on ? "" : msg("notOnAir"));
  }
  link.on("media.heard", (e) => { if (e.channel !== "floor") onAirNow(e.channel, e.user_ids.length > 0); });
  // Every (re)connection's snapshot: what changed while the socket was away.
  link.on("snapshot", (e) => {
    if (!Array.isArray(e.on_air)) return;
    document.querySelectorAll("[data-channel-state]").forEach((shown) => {
      onAirNow(shown.dataset.channelState, e.on_air.includes(shown.dataset.channelState));
    });
  });
  function fail(e) {
    window.plenaryMediaState.error = e.message;
    show(e.code === "closed" ? msg("connecting") : e.message);  // the socket reconnects by itself
  }

  $("listen-start").addEventListener("click", async () => {
    if (!mixer.real) {
      mixer.real = new PlenaryMedia.Mixer(root.dataset.limit === "1");
      mixer.pending.forEach(([m, t]) => mixer.real.track(m, t));
    }
    await mixer.real.resume();
    mixer.real.set(chosen(), underneath());
    show(msg("connecting"));
    try {
      await listener.start(chosen(), underneath());
      window.plenaryMediaState = {listening: true, channel: chosen(), error: null};
      show(msg(silent(chosen()) ? "notOnAir" : "listening"));
      $("listen-start").hidden = true; $("listen-stop").hidden = false;
    } catch (e) { fail(e); }
  });
  $("listen-stop").addEventListener("click", async () => {
    await listener.stop();
    window.plenaryMediaState.listening = false;
    show(msg("stopped"));
    $("listen-start").hidden = false; $("listen-stop").hidden = true;
  });
  async function rechoose() {
    if (mixer.real) mixer.real.set(chosen(), underneath());
    if (!window.plenaryMediaState.listening) { show(silent(chosen()) ? msg("notOnAir") : ""); return; }
    try {
      await listener.choose(chosen(), underneath());
      window.plenaryMediaState.channel = chosen();
      show(silent(chosen()) ? msg("notOnAir") : msg("switched"));
    } catch (e) { fail(e); }
  }
  document.querySelectorAll("input[name=channel]").forEach((r) => r.addEventListener("change", rechoose));
  $("underneath").addEventListener("change", rechoose);
  $("volume").addEventListener("input", (e) => mixer.real && mixer.real.volume(Number(e.target.value)));

  // Speaking: device check, then a microphone leg to the floor (or a booth).
  if (!$("speak-start")) return;
  const speaker = new PlenaryMedia.Speaker(link, root.dataset.target);
  const user = Number(root.dataset.user);
  let stream = null;
  let live = false;  // heard on the target channel, as the server last said
  let connected = false;  // our microphone leg is up
  // One place decides the on-air badge, whatever order the speak reply and
  // the server's media.heard arrive in.
  function showAir() {
    const on = $("on-air");
    on.textContent = live ? msg("onAir") : msg(connected ? "connected" : "offAir");
    on.className = live ? "badge badge-error" : "badge";
  }
  async function microphone() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = await PlenaryMedia.openMicrophone($("microphone").value);
    PlenaryMedia.meter(stream, $("level"));
    await PlenaryMedia.listMicrophones($("microphone"));
    return stream;
  }
  $("mic-check").addEventListener("click", () => microphone().catch(fail));
  $("microphone").addEventListener("change", () => microphone().catch(fail));
  $("test-tone").addEventListener("click", () => PlenaryMedia.testTone());
  $("speak-start").addEventListener("click", async () => {
    try {
      await speaker.start(stream || await microphone());
      $("speak-start").hidden = true; $("speak-stop").hidden = false;
      connected = true; showAir();
    } catch (e) { fail(e); }
  });
  $("speak-stop").addEventListener("click", async () => {
    await speaker.stop();
    $("speak-start").hidden = false; $("speak-stop").hidden = true;
    connected = false; live = false; showAir();
  });
  link.on("media.heard", (e) => {
    if (e.channel !== root.dataset.target) return;
    live = e.user_ids.includes(user);
    showAir();
  });
})();
