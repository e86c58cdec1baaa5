// The meeting room: the chat, the connection's quality, on a phone the bottom
// bar that mirrors the panels' main controls, and the keyboard shortcuts.
// Rides the tab's one session socket (PlenaryLive, live/socket.js); floor/live.js
// and media/listen.js run the floor and the audio on the same page.
(function () {
  "use strict";
  const root = document.getElementById("live");
  if (!root || !window.PlenaryLive) return;
  const live = window.PlenaryLive.open(root.dataset.session);
  const texts = JSON.parse(document.getElementById("chat-texts").textContent);
  const fill = (text, values) => text.replace(/%\((\w+)\)s/g, (_, key) => values[key] ?? "");

  // --- The site's header: folded on a phone, open on a wide screen. -------------
  const menu = document.querySelector("[data-room-menu]");
  if (menu && window.matchMedia("(min-width: 40.01rem)").matches) menu.open = true;

  // --- Connection quality: the socket's round trip and, while listening, the audio's
  // packet loss; shown here and reported to the staff when it changes. --------------
  const waiting = new Map();  // command id -> what to do with its reply (pong, chat)
  live.on((message) => {
    const then = message.ref && waiting.get(message.ref);
    if (then) { waiting.delete(message.ref); then(message); }
  });
  const badge = document.querySelector("[data-quality]");
  let reported = "";
  function roundTrip() {
    const started = performance.now();
    const id = live.send("ping", {});
    if (id === null) return Promise.resolve(Infinity);
    return new Promise((resolve) => {
      waiting.set(id, () => resolve(performance.now() - started));
      setTimeout(() => { waiting.delete(id); resolve(Infinity); }, 5000);
    });
  }
  async function measure() {
    if (live.status !== "connected" && live.status !== "reconnected") return;
    const rtt = await roundTrip();
    const loss = window.plenaryMediaLoss ? await window.plenaryMediaLoss() : 0;
    const level = rtt < 400 && loss < 0.02 ? "good" : rtt < 1500 && loss < 0.08 ? "fair" : "poor";
    badge.textContent = fill(texts.quality, {quality: texts["quality_" + level]});
    badge.className = "badge " + {good: "badge-ok", fair: "badge-warn", poor: "badge-error"}[level];
    badge.hidden = false;
    if (level !== reported) { reported = level; live.send("presence.quality", {quality: level}); }
  }
  live.onStatus((up) => { if (up) { reported = ""; setTimeout(measure, 1000); } });
  if (live.status === "connected" || live.status === "reconnected") setTimeout(measure, 1000);
  setInterval(measure, 15000);

  // --- The bottom bar (a phone): the same controls, mirrored. -----------------
  const barChannel = document.querySelector("[data-bar-channel]");
  const radios = () => Array.from(document.querySelectorAll("input[name=channel]"));
  if (barChannel) {
    barChannel.addEventListener("change", () => {
      const radio = radios().find((r) => r.value === barChannel.value);
      if (radio && !radio.checked) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
    radios().forEach((r) => r.addEventListener("change", () => { barChannel.value = r.value; }));
  }
  // A bar button does what the first shown, enabled button among ``selectors`` does.
  function mirror(bar, selectors, observed) {
    if (!bar) return;
    const target = () => selectors.map((s) => document.querySelector(s))
      .find((b) => b && !b.hidden && !b.disabled);
    function update() {
      const button = target();
      bar.disabled = !button;
      if (button) bar.textContent = button.textContent;
    }
    bar.addEventListener("click", () => { const button = target(); if (button) button.click(); });
    const watch = new MutationObserver(update);
    observed.filter(Boolean).forEach((node) => watch.observe(node, {attributes: true, subtree: true, childList: true}));
    update();
  }
  mirror(document.querySelector("[data-bar-listen]"), ["#listen-stop", "#listen-start"],
    [document.getElementById("listen")]);
  mirror(document.querySelector("[data-bar-floor]"), ["[data-yield]", "[data-withdraw-mine]", "[data-request=speak]"],
    [document.querySelector("[data-request=speak]")?.closest("section")]);
  mirror(document.querySelector("[data-bar-microphone]"), ["#speak-stop", "#speak-start"],
    [document.getElementById("speak-start")?.closest("section")]);

  // --- Keyboard: Alt+Shift+R ask for (or withdraw) the floor, Alt+Shift+L listen or stop,
  // Alt+Shift+C the next channel, Alt+Shift+M the chat's message box. -------------------
  const keys = {
    KeyR: () => document.querySelector("[data-bar-floor]")?.click(),
    KeyL: () => document.querySelector("[data-bar-listen]")?.click(),
    KeyC: () => {
      const all = radios();
      if (!all.length) return;
      const next = all[(all.findIndex((r) => r.checked) + 1) % all.length];
      next.checked = true;
      next.dispatchEvent(new Event("change", {bubbles: true}));
      next.focus();
    },
    KeyM: () => document.getElementById("chat-text")?.focus(),
  };
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return;
    const action = keys[event.code];
    if (action) { event.preventDefault(); action(); }
  });

  // --- Chat. -----------------------------------------------------------------
  const chat = document.getElementById("chat");
  if (!chat) return;
  const log = chat.querySelector("[data-chat-log]");
  const empty = chat.querySelector("[data-chat-empty]");
  const status = chat.querySelector("[data-chat-status]");
  const closedNote = chat.querySelector("[data-chat-closed]");
  const toggle = chat.querySelector("[data-chat-toggle]");
  const form = chat.querySelector("[data-chat-form]");
  const moderator = chat.dataset.moderator === "1";
  let publicOpen = chat.dataset.publicOpen === "1";

  function policy(open) {
    publicOpen = open;
    closedNote.hidden = open;
    if (toggle) toggle.textContent = open ? texts.close_chat : texts.open_chat;
  }
  function audience(message) {
    if (message.audience === "secretariat") return texts.secretariat;
    if (message.audience === "delegation") {
      return fill(texts.from_delegation, {entity: message.entity, to: message.to_entity});
    }
    return "";
  }
  function render(message) {
    const item = document.createElement("li");
    item.dataset.id = message.id;
    if (message.audience !== "everyone") item.className = "chat-private";
    const meta = document.createElement("p");
    meta.className = "chat-meta";
    const who = document.createElement("strong");
    who.dir = "auto";
    who.textContent = message.author + (message.entity ? ` (${message.entity})` : "");
    meta.append(who);
    const where = audience(message);
    if (where) { const badge = document.createElement("span"); badge.className = "badge"; badge.textContent = where; meta.append(badge); }
    const time = document.createElement("time");
    time.dateTime = message.at;
    time.textContent = new Date(message.at).toLocaleTimeString(document.documentElement.lang, {hour: "2-digit", minute: "2-digit"});
    meta.append(time);
    const text = document.createElement("p");
    text.dir = "auto";
    text.textContent = message.text;  // text, never HTML
    item.append(meta, text);
    translation(item, message, text);
    if (message.hidden) markHidden(item);
    else if (moderator) {
      const hide = document.createElement("button");
      hide.type = "button";
      hide.className = "secondary chat-hide";
      hide.textContent = texts.hide;
      hide.addEventListener("click", () => live.send("chat.hide", {message_id: message.id}));
      meta.append(hide);
    }
    return item;
  }
  // A message in another language than the page's, where a model can translate it:
  // a button asks for the machine translation, labelled, the original one click away.
  const language = chat.dataset.language;
  const translatable = new Set((chat.dataset.translatable || "").split(",").filter(Boolean));
  function translation(item, message, text) {
    if (!message.language || message.language === language || !translatable.has(message.language)) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "secondary";
    button.textContent = texts.translate;
    let original = null;
    button.addEventListener("click", () => {
      if (original !== null) {  // showing a translation: back to the original
        text.textContent = original;
        original = null;
        button.textContent = texts.translate;
        item.querySelector(".chat-machine")?.remove();
        return;
      }
      const id = live.send("chat.translate", {message_id: message.id});
      if (id === null) { status.textContent = texts.not_connected; return; }
      waiting.set(id, (reply) => {
        if (reply.type === "error") { status.textContent = reply.message; return; }
        original = text.textContent;
        text.textContent = reply.text;
        button.textContent = texts.original;
        const label = document.createElement("span");
        label.className = "badge chat-machine";
        label.textContent = texts.machine;
        text.before(label);
      });
    });
    item.querySelector(".chat-meta").append(button);
  }
  function markHidden(item) {
    item.classList.add("chat-hidden");
    item.querySelector(".chat-hide")?.remove();
    if (!item.querySelector(".chat-hidden-note")) {
      const note = document.createElement("span");
      note.className = "badge chat-hidden-note";
      note.textContent = texts.hidden;
      item.querySelector(".chat-meta").append(note);
    }
  }
  function add(message) {
    if (log.querySelector(`[data-id="${message.id}"]`)) return;
    const following = log.scrollHeight - log.scrollTop - log.clientHeight < 32;
    log.append(render(message));
    empty.hidden = true;
    if (following) log.scrollTop = log.scrollHeight;  // the log scrolls, never the page
  }

  live.onStatus((up) => { if (up) live.send("chat.join", {}); });
  if (live.status === "connected" || live.status === "reconnected") live.send("chat.join", {});
  live.on((message) => {
    if (message.type === "chat.history") {
      log.replaceChildren(...message.messages.map(render));
      empty.hidden = message.messages.length > 0;
      log.scrollTop = log.scrollHeight;
      policy(message.public_open);
    } else if (message.type === "chat.message") {
      add(message.message);
    } else if (message.type === "chat.hidden") {
      const item = log.querySelector(`[data-id="${message.id}"]`);
      if (item && moderator) markHidden(item);
      else if (item) item.remove();
    } else if (message.type === "chat.policy") {
      policy(message.public_open);
      status.textContent = message.public_open ? texts.opened : texts.closed;
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const [kind, entity] = form.elements.to.value.split(":");
    const fields = {audience: kind, text: form.elements.text.value};
    if (entity) fields.to = Number(entity);
    const id = live.send("chat.send", fields);
    if (id === null) { status.textContent = texts.not_connected; return; }
    waiting.set(id, (reply) => {
      if (reply.type === "error") { status.textContent = reply.message; return; }
      form.elements.text.value = "";
      status.textContent = texts.sent;
    });
  });
  form.elements.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  if (toggle) {
    toggle.addEventListener("click", () => {
      const id = live.send("chat.public", {open: !publicOpen});
      if (id !== null) waiting.set(id, (reply) => { if (reply.type === "error") status.textContent = reply.message; });
    });
  }
})();
