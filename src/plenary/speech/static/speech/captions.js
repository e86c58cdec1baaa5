// Caption panel: subscribes to one language on the session socket (the tab's
// one socket, PlenaryLive from live/socket.js) and shows final captions
// (announced to screen readers) and the text in progress (not announced).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const panel = document.getElementById("caption-panel");
  if (!panel || !window.PlenaryLive) return;
  const session = panel.dataset.session;
  const lines = document.getElementById("caption-lines");
  const partial = document.getElementById("caption-partial");
  const status = document.getElementById("caption-status");
  const picker = document.getElementById("caption-language");
  const size = document.getElementById("caption-size");
  const contrast = document.getElementById("caption-contrast");
  const text = (key) => panel.dataset["text" + key] || "";
  const MAX_LINES = 200;
  const stored = (key, fallback) => localStorage.getItem("plenary.captions." + key) || fallback;
  const store = (key, value) => localStorage.setItem("plenary.captions." + key, value);

  const languages = (panel.dataset.languages || "").split(",").filter(Boolean);
  const wanted = stored("language", panel.dataset.defaultLanguage);
  picker.value = languages.includes(wanted) ? wanted : picker.options[0] && picker.options[0].value;
  size.value = stored("size", "1");
  contrast.checked = stored("contrast", "") === "1";

  function applyLook() {
    panel.style.setProperty("--caption-scale", size.value);
    panel.classList.toggle("caption-high-contrast", contrast.checked);
  }
  applyLook();

  const live = window.PlenaryLive.open(session);
  const streams = new Map();

  // What the server says each language gets (captioned, translated, unavailable, idle).
  let coverage = {};
  // Languages whose booth has an interpreter on air (from the page, then booth.state).
  const onAir = new Set((panel.dataset.boothsOnAir || "").split(",").filter(Boolean));

  function languageName(code) {
    const option = [...picker.options].find((o) => o.value === code);
    return (option && option.dataset.name) || code;
  }

  function fill(template, source) {
    return template
      .replaceAll("%(language)s", languageName(picker.value))
      .replaceAll("%(source)s", languageName(source));
  }

  function setStatus() {
    const mine = [...streams.values()].filter((s) => s.language === picker.value);
    const covered = coverage[picker.value] || {};
    // An interrupted stream reads "assigned" before it is live again: say why first.
    const interrupted = mine.find((s) => s.interruption);
    if (interrupted) status.textContent = text(interrupted.interruption === "worker_behind" ? "WorkerBehind" : "WorkerLost");
    else if (mine.some((s) => s.status === "live" || s.status === "assigned")) status.textContent = text("Live");
    else if (mine.some((s) => s.status === "failed")) status.textContent = text("Failed");
    else if (mine.some((s) => s.status === "waiting")) status.textContent = text("Waiting");
    else if (covered.status === "unavailable") {
      const why = onAir.has(picker.value) ? "BoothUncaptioned" : "Unavailable";
      status.textContent = fill(text(why), covered.source);
    }
    else if (covered.status === "translated") status.textContent = fill(text("TranslatedFrom"), covered.source);
    else status.textContent = lines.children.length ? "" : text("None");
  }

  function addSegment(segment) {
    const existing = document.getElementById("caption-" + segment.id);
    const item = existing || document.createElement("li");
    item.id = "caption-" + segment.id;
    item.className = "caption-final caption-" + segment.kind;
    item.lang = segment.language;
    item.replaceChildren();
    if (segment.kind === "gap") {
      const seconds = Math.round((Date.parse(segment.ends_at) - Date.parse(segment.starts_at)) / 1000);
      item.textContent = "[" + text("Gap").replace("%(seconds)s", String(seconds)) + "]";
    } else {
      if (segment.speaker) {
        const who = document.createElement("strong");
        who.textContent = segment.speaker + ": ";
        item.append(who);
      }
      item.append(document.createTextNode(segment.text));
      if (segment.kind === "mt") {
        const badge = document.createElement("span");
        badge.className = "badge caption-mt";
        badge.textContent = text("Translated");
        item.append(" ", badge);
      }
    }
    // Follow the newest caption only if the reader is at the bottom of the box
    // already (reading back is not interrupted), and scroll the box itself:
    // scrollIntoView would move the whole page to the captions.
    const following = lines.scrollHeight - lines.scrollTop - lines.clientHeight < 32;
    if (!existing) {
      lines.append(item);
      while (lines.children.length > MAX_LINES) lines.firstElementChild.remove();
    }
    if (following) lines.scrollTop = lines.scrollHeight;
  }

  function subscribe() {
    if (live.send("captions.subscribe", { language: picker.value })) {
      lines.replaceChildren();
      partial.textContent = "";
    }
  }

  function onMessage(message) {
    switch (message.type) {
      case "snapshot":
        subscribe();
        break;
      case "captions.snapshot":
        streams.clear();
        message.streams.forEach((s) => streams.set(s.id, s));
        coverage = message.coverage || {};
        message.segments.forEach(addSegment);
        setStatus();
        break;
      case "captions.stream":
        streams.set(message.stream.id, message.stream);
        coverage = message.coverage || coverage;
        setStatus();
        break;
      case "booth.state":
        if (message.on_air) onAir.add(message.language);
        else onAir.delete(message.language);
        setStatus();
        break;
      case "captions.partial":
        if (message.language === picker.value) partial.textContent = message.text;
        break;
      case "captions.final":
      case "captions.corrected":
        if (message.segment.language !== picker.value) break;
        if (message.segment.kind === "asr") partial.textContent = "";
        addSegment(message.segment);
        setStatus();
        break;
    }
  }

  // Every (re)connection starts with a snapshot: subscribe again then.
  live.on(onMessage);
  live.onStatus(function (connected) {
    if (!connected) status.textContent = text("Lost");
  });
  subscribe();

  picker.addEventListener("change", () => { store("language", picker.value); subscribe(); });
  size.addEventListener("change", () => { store("size", size.value); applyLook(); });
  contrast.addEventListener("change", () => { store("contrast", contrast.checked ? "1" : ""); applyLook(); });
});
