// Caption panel: subscribes to one language on the session socket and shows
// final captions (announced to screen readers) and the text in progress.
(function () {
  "use strict";
  const panel = document.getElementById("caption-panel");
  if (!panel) return;
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

  let socket = null;
  let retry = 1000;
  const streams = new Map();

  function setStatus() {
    const mine = [...streams.values()].filter((s) => s.language === picker.value);
    if (mine.some((s) => s.status === "live" || s.status === "assigned")) status.textContent = text("Live");
    else if (mine.some((s) => s.status === "failed")) status.textContent = text("Failed");
    else if (mine.some((s) => s.status === "waiting")) status.textContent = text("Waiting");
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
    if (!existing) {
      lines.append(item);
      while (lines.children.length > MAX_LINES) lines.firstElementChild.remove();
    }
    item.scrollIntoView({ block: "nearest" });
  }

  function subscribe() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      lines.replaceChildren();
      partial.textContent = "";
      socket.send(JSON.stringify({ v: 1, type: "captions.subscribe", language: picker.value }));
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
        message.segments.forEach(addSegment);
        setStatus();
        break;
      case "captions.stream":
        streams.set(message.stream.id, message.stream);
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

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(scheme + "//" + location.host + "/ws/sessions/" + session + "/");
    socket.addEventListener("open", () => { retry = 1000; });
    socket.addEventListener("message", (event) => onMessage(JSON.parse(event.data)));
    socket.addEventListener("close", () => {
      status.textContent = text("Lost");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    });
  }

  picker.addEventListener("change", () => { store("language", picker.value); subscribe(); });
  size.addEventListener("change", () => { store("size", size.value); applyLook(); });
  contrast.addEventListener("change", () => { store("contrast", contrast.checked ? "1" : ""); applyLook(); });
  connect();
})();
