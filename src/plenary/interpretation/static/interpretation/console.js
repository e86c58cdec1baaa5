// The interpreter console: hear the floor or a relay (automatically when the
// floor speaks a language this interpreter does not cover), speak into the
// booth's channel, on-air handover, cough key and booth chat. The server
// decides who is heard; this page only asks.
(function () {
  "use strict";
  const root = document.getElementById("console");
  if (!root) return;
  const $ = (id) => document.getElementById(id);
  const msg = (name) => root.dataset["msg" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
  const language = root.dataset.language;
  const me = Number(root.dataset.user);
  const link = PlenaryMedia.sessionLink(root.dataset.session);
  const mixer = new PlenaryMedia.Mixer(true); // the limiter protects the interpreter's hearing
  mixer.volume(Number($("volume").value));
  const listener = new PlenaryMedia.Listener(link, mixer);
  const speaker = new PlenaryMedia.Speaker(link, language);
  const onAir = {}; // booth language -> user id on air
  let state = {on_air: Number(root.dataset.onAir) || null, requested_by: null, handover_at: null, cough: false};
  let floorLanguage = root.dataset.floorLanguage;
  let hearing = false;
  let stream = null;
  let countdown = null;

  function fail(e) {
    if (e.code === "closed") return;  // the socket reconnects by itself, and the legs with it
    const box = $("console-error"); box.textContent = e.message; box.hidden = false;
  }
  function send(body) { return link.request(body).catch(fail); }

  // What to hear: the chosen source, or a relay the automatic rule picks.
  function source() {
    const chosen = document.querySelector("input[name=source]:checked").value;
    if (chosen !== "floor" || !$("auto-relay").checked) return chosen;
    const covered = [...document.querySelectorAll("input[name=passive]:checked")].map((c) => c.value);
    if (covered.includes(floorLanguage)) return "floor";
    const relay = [...document.querySelectorAll("input[name=source]")].map((r) => r.value)
      .find((code) => code !== "floor" && covered.includes(code) && onAir[code]);
    return relay || "floor";
  }
  async function rehear() {
    const wanted = source();
    mixer.set(wanted, false);
    if (hearing && wanted !== listener.channel) await listener.choose(wanted, false).catch(fail);
    const names = JSON.parse($("console-channels").textContent);
    $("hear-status").textContent = msg("listening").replace("%(channel)s", names[wanted] || wanted);
  }
  $("hear-start").addEventListener("click", async () => {
    await mixer.resume();
    const wanted = source();
    mixer.set(wanted, false);
    try { await listener.start(wanted, false); hearing = true; $("hear-start").hidden = true; rehear(); } catch (e) { fail(e); }
  });
  document.querySelectorAll("input[name=source], input[name=passive], #auto-relay").forEach((el) => el.addEventListener("change", rehear));
  $("volume").addEventListener("input", (e) => mixer.volume(Number(e.target.value)));
  $("floor-language").addEventListener("change", (e) => send({type: "booth.floor_language", language: e.target.value}));
  link.on("booth.floor_language", (e) => { floorLanguage = e.language; $("floor-language").value = e.language; rehear(); });

  // Microphone and on-air state.
  $("mic-connect").addEventListener("click", async () => {
    try {
      stream = await PlenaryMedia.openMicrophone($("microphone").value);
      PlenaryMedia.meter(stream, $("level"));
      await PlenaryMedia.listMicrophones($("microphone"));
      await speaker.start(stream);
      $("handover-status").textContent = msg("connected");
    } catch (e) { fail(e); }
  });
  $("take-air").addEventListener("click", () => send({type: "booth.take", language}));
  $("leave-air").addEventListener("click", () => send({type: "booth.leave", language}));
  $("request-handover").addEventListener("click", () => send({type: "booth.request", language}));
  $("accept-handover").addEventListener("click", () => send({type: "booth.accept", language}));
  const cough = (down) => {
    $("cough").setAttribute("aria-pressed", String(down));
    if (state.on_air === me) send({type: "booth.cough", language, down});
  };
  $("cough").addEventListener("pointerdown", () => cough(true));
  $("cough").addEventListener("pointerup", () => cough(false));
  $("cough").addEventListener("pointerleave", () => { if ($("cough").getAttribute("aria-pressed") === "true") cough(false); });
  $("cough").addEventListener("keydown", (e) => { if ((e.key === " " || e.key === "Enter") && !e.repeat) { e.preventDefault(); cough(true); } });
  $("cough").addEventListener("keyup", (e) => { if (e.key === " " || e.key === "Enter") cough(false); });

  function render() {
    const light = $("on-air-light");
    const mine = state.on_air === me;
    light.textContent = mine ? (state.cough ? msg("coughing") : msg("live")) : (state.on_air ? msg("partner") : msg("idle"));
    light.classList.toggle("is-live", mine && !state.cough);
    $("take-air").hidden = !!state.on_air;
    $("leave-air").hidden = !mine;
    $("request-handover").hidden = !state.on_air || mine || state.requested_by === me;
    $("accept-handover").hidden = !(mine && state.requested_by && !state.handover_at);
    clearInterval(countdown);
    const status = $("handover-status");
    if (state.handover_at) {
      const tick = () => {
        const left = Math.ceil((new Date(state.handover_at) - Date.now()) / 1000);
        if (left <= 0) { clearInterval(countdown); send({type: "booth.complete", language}); return; }
        status.textContent = msg("handover").replace("%(seconds)s", left);
      };
      tick(); countdown = setInterval(tick, 250);
    } else if (mine && state.requested_by) {
      status.textContent = msg("requested");
    }
  }
  // Back from a lost connection: catch up with the booth (events may have been missed).
  link.on("reconnected", () => send({type: "booth.state", language}));
  link.on("booth.state", (e) => {
    onAir[e.language] = e.on_air;
    if (e.language === language) { state = e; render(); } else { rehear(); }
  });

  // Booth chat between partners.
  link.on("booth.chat", (e) => {
    if (e.language !== language) return;
    const line = document.createElement("p");
    const who = document.createElement("strong"); who.textContent = e.name + ": ";
    line.append(who, document.createTextNode(e.text));
    $("chat-log").append(line);
    $("chat-log").scrollTop = $("chat-log").scrollHeight;
  });
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("chat-text").value.trim();
    if (!text) return;
    send({type: "booth.chat", language, text}).then(() => { $("chat-text").value = ""; });
  });
  render();
})();
