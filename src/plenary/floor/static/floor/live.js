/* The live session client: one WebSocket per tab, snapshot + events, reconnect
   with backoff and resync (socket.js). `apply` mirrors plenary/floor/state.py.
   Plain JavaScript, standard APIs only. */
(function () {
  "use strict";

  var root = document.getElementById("live");
  if (!root) return;
  var T = JSON.parse(document.getElementById("live-texts").textContent);
  var sessionId = root.dataset.session;
  var view = root.dataset.view;
  var $ = function (sel) { return root.querySelector(sel); };

  var PRIORITY = { point_of_order: 0, right_of_reply: 1, speak: 2, contribution: 2 };
  var client = { version: -1, state: null, you: null, presence: new Map(), offset: 0 };

  function fmt(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }

  /* --- The fold, as on the server ------------------------------------------ */
  function apply(state, kind, data) {
    var s = JSON.parse(JSON.stringify(state));
    var without = function (id) { return s.queue.filter(function (r) { return r.id !== id; }); };
    switch (kind) {
      case "session.opened": s.status = "open"; break;
      case "session.suspended": s.status = "suspended"; s.speaker = null; break;
      case "session.closed": s.status = "closed"; s.speaker = null; s.queue = []; s.document = null; break;
      case "chair.assigned": s.presiding = data.user_id; break;
      case "floor.requested": {
        var rank = PRIORITY[data.request.kind];
        var at = s.queue.findIndex(function (r) { return PRIORITY[r.kind] > rank; });
        s.queue.splice(at === -1 ? s.queue.length : at, 0, data.request);
        break;
      }
      case "floor.withdrawn": s.queue = without(data.request_id); break;
      case "floor.reordered": {
        var byId = new Map(s.queue.map(function (r) { return [r.id, r]; }));
        s.queue = data.order.map(function (id) { return byId.get(id); });
        break;
      }
      case "floor.given":
        s.queue = without(data.request.id);
        s.speaker = { request: data.request, started_at: data.started_at, limit_s: s.limit_s, muted: false };
        break;
      case "floor.ended": s.speaker = null; break;
      case "floor.muted": s.speaker.muted = true; break;
      case "floor.unmuted": s.speaker.muted = false; break;
      case "floor.limit_set":
        s.limit_s = data.seconds;
        if (s.speaker) s.speaker.limit_s = data.seconds;
        break;
      case "document.shown": s.document = Object.assign({}, data); break;
      case "document.page": if (s.document) s.document.page = data.page; break;
      case "document.cleared": s.document = null; break;
      case "recording.started": s.recording = { id: data.id, started_at: data.started_at }; break;
      case "recording.stopped": s.recording = null; break;
      default: return null;
    }
    return s;
  }

  /* --- Socket ------------------------------------------------------------------ */
  var KINDS = ["session.opened", "session.suspended", "session.closed", "chair.assigned",
    "floor.requested", "floor.withdrawn", "floor.reordered", "floor.given", "floor.ended",
    "floor.muted", "floor.unmuted", "floor.limit_set",
    "document.shown", "document.page", "document.cleared", "recording.started", "recording.stopped"];
  var live = window.PlenaryLive.open(sessionId);
  // The page's other scripts share the socket: their errors are theirs to show.
  var sent = new Set();
  function send(type, fields) {
    var id = live.send(type, fields);
    if (id !== null) sent.add(id);
    return id;
  }

  function versioned(type, fields) {
    send(type, Object.assign({ version: client.version }, fields || {}));
  }

  function receive(m) {
    if (m.type === "snapshot") {
      client.version = m.version;
      client.state = m.state;
      client.you = m.you;
      client.offset = Date.parse(m.server_time) - Date.now();
      client.presence = new Map((m.presence || []).map(function (p) { return [p.connection, p]; }));
      render(null);
    } else if (m.type === "error") {
      if (!m.ref || sent.has(m.ref)) showError(m.message);
    } else if (m.type === "pong") {
      client.offset = Date.parse(m.server_time) - Date.now();
    } else if (m.type === "presence.joined") {
      client.presence.set(m.connection, m);
      renderPresence();
    } else if (m.type === "presence.quality") {
      var known = client.presence.get(m.connection);
      if (known) { known.quality = m.quality; renderPresence(); }
    } else if (m.type === "presence.left") {
      client.presence.delete(m.connection);
      renderPresence();
    } else if (KINDS.indexOf(m.type) !== -1 && client.state) {
      if (m.version <= client.version) return;  // already in the snapshot
      var next = m.version === client.version + 1 ? apply(client.state, m.type, m.data) : null;
      if (next === null) { send("resync"); return; }  // missed something: start again
      var before = client.state;
      client.state = next;
      client.version = m.version;
      showError("");
      render({ type: m.type, before: before });
    }
  }

  /* --- Rendering ----------------------------------------------------------------- */
  function setConnection(text) { var el = $("[data-connection]"); if (el) el.textContent = text; }

  function showError(text) {
    var el = $("[data-error]");
    if (!el) return;
    el.textContent = text;
    el.hidden = !text;
  }

  function announce(text) {
    var el = $("[data-announce]");
    el.textContent = "";
    setTimeout(function () { el.textContent = text; }, 50);
  }

  function mine(request) { return client.you && request.user_id === client.you.user_id; }

  function presides() {
    var you = client.you;
    if (!you) return false;
    if (you.roles.indexOf("chair") !== -1) return true;
    return you.roles.indexOf("vice_chair") !== -1 && client.state.presiding === you.user_id;
  }

  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "secondary";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }

  function moveTo(id, position) {
    var order = client.state.queue.map(function (r) { return r.id; }).filter(function (x) { return x !== id; });
    position = Math.max(0, Math.min(order.length, position));
    order.splice(position, 0, id);
    pendingFocus = id;
    versioned("floor.reorder", { order: order });
  }

  var pendingFocus = null;
  var dragged = null;

  function queueItem(request, index, manage) {
    var li = document.createElement("li");
    li.dataset.id = request.id;
    if (mine(request)) li.classList.add("mine");
    var kind = document.createElement("span");
    kind.className = "badge";
    kind.textContent = T[request.kind];
    var name = document.createElement("strong");
    name.textContent = " " + request.name + " ";
    var meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = [request.entity, T[request.attendance]].filter(Boolean).join(" · ");
    li.append(kind, name, meta);
    if (!manage) return li;
    li.tabIndex = 0;
    li.draggable = true;
    var actions = document.createElement("span");
    actions.className = "item-actions";
    if (presides()) actions.append(button(T.give, function () { versioned("floor.give", { request_id: request.id }); }));
    actions.append(
      button(T.up, function () { moveTo(request.id, index - 1); }),
      button(T.down, function () { moveTo(request.id, index + 1); }),
      button(T.strike, function () { send("floor.withdraw", { request_id: request.id }); })
    );
    actions.querySelectorAll("button")[0].setAttribute("aria-label", actions.querySelectorAll("button")[0].textContent + ": " + request.name);
    li.append(actions);
    li.addEventListener("keydown", function (e) {
      if (e.target !== li || !e.altKey) return;
      if (e.key === "ArrowUp") { e.preventDefault(); moveTo(request.id, index - 1); }
      if (e.key === "ArrowDown") { e.preventDefault(); moveTo(request.id, index + 1); }
    });
    li.addEventListener("dragstart", function (e) { dragged = request.id; li.classList.add("dragging"); e.dataTransfer.effectAllowed = "move"; e.dataTransfer.setData("text/plain", String(request.id)); });
    li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
    li.addEventListener("dragover", function (e) { e.preventDefault(); });
    li.addEventListener("drop", function (e) { e.preventDefault(); if (dragged !== null && dragged !== request.id) moveTo(dragged, index); dragged = null; });
    return li;
  }

  function renderQueue() {
    var list = $("[data-queue]");
    var limit = Number(list.dataset.limit || 0);
    var manage = Boolean(client.you && client.you.manages_list) && view === "console";
    var items = client.state.queue.slice(0, limit || undefined);
    list.replaceChildren.apply(list, items.map(function (r, i) { return queueItem(r, i, manage); }));
    $("[data-empty]").hidden = items.length > 0;
    if (pendingFocus !== null) {
      var target = list.querySelector('[data-id="' + pendingFocus + '"]');
      if (target) { target.focus(); pendingFocus = null; }
    }
  }

  function renderPresence() {
    var list = $("[data-presence]");
    if (!list) return;
    var people = new Map();
    client.presence.forEach(function (p) { people.set(p.user_id, p); });
    list.replaceChildren.apply(list, Array.from(people.values()).map(function (p) {
      var li = document.createElement("li");
      li.textContent = p.name + " — " + T[p.attendance] + " (" + p.device_class + ")"
        + (p.quality ? " · " + fmt(T.quality, { quality: T["quality_" + p.quality] }) : "");
      return li;
    }));
    $("[data-present-count]").textContent = fmt(T.present, { count: people.size });
  }

  function renderSpeaker() {
    var speaker = client.state.speaker;
    $("[data-speaker]").textContent = speaker
      ? speaker.request.name + (speaker.request.entity ? " — " + speaker.request.entity : "") + (speaker.muted ? " (" + T.muted + ")" : "")
      : T.nobody;
    var you = $("[data-you-floor]");
    if (you) you.hidden = !(speaker && mine(speaker.request));
    tick();
  }

  function renderMine() {
    var position = $("[data-my-position]");
    if (!position) return;
    var index = client.state.queue.findIndex(mine);
    position.textContent = index === -1 ? T.not_listed : fmt(T.listed, { position: index + 1 });
    $("[data-withdraw-mine]").hidden = index === -1;
    var speaker = client.state.speaker;
    $("[data-yield]").hidden = !(speaker && mine(speaker.request));
  }

  // What the page rendered for the status at load follows it live: requests are
  // refused once the session is closed, and "Open" stops being the primary action.
  function renderStatusControls(status) {
    document.querySelectorAll("[data-request]").forEach(function (b) { b.disabled = status === "closed"; });
    var note = $("[data-closed-note]");
    if (note) note.hidden = status !== "closed";
    var open = $('[data-cmd="session.open"]');
    if (open) open.classList.toggle("secondary", status === "open");
  }

  function render(change) {
    var state = client.state;
    $("[data-status]").textContent = T[state.status];
    var recording = $("[data-recording]");
    if (recording) recording.hidden = !state.recording;
    document.querySelectorAll("[data-send^='recording.']").forEach(function (b) {
      b.hidden = (b.dataset.send === "recording.start") === Boolean(state.recording);
    });
    renderStatusControls(state.status);
    renderSpeaker();
    renderQueue();
    renderMine();
    renderPresence();
    var limit = $("#limit-input");
    if (limit && document.activeElement !== limit) limit.value = state.limit_s;
    if (!change) return;
    if (change.type === "floor.given") {
      var request = state.speaker.request;
      announce(mine(request) ? T.you_have_floor : fmt(T.has_floor, { name: request.name }));
    } else if (change.type === "floor.ended") {
      announce(T.floor_ended);
    } else if (change.type === "recording.started" || change.type === "recording.stopped") {
      announce(state.recording ? T.recording_started : T.recording_stopped);
    } else if (change.type.indexOf("session.") === 0) {
      announce(fmt(T.session_status, { status: T[state.status] }));
    } else if (change.type === "floor.reordered" && pendingFocus === null && document.activeElement && document.activeElement.closest("[data-queue]")) {
      var item = document.activeElement.closest("li");
      var at = state.queue.findIndex(function (r) { return String(r.id) === item.dataset.id; });
      if (at !== -1) announce(fmt(T.moved, { name: state.queue[at].name, position: at + 1 }));
    }
  }

  function tick() {
    var el = $("[data-timer]");
    var speaker = client.state && client.state.speaker;
    if (!el) return;
    if (!speaker) { el.textContent = ""; el.classList.remove("over"); return; }
    var elapsed = Math.floor((Date.now() + client.offset - Date.parse(speaker.started_at)) / 1000);
    if (!speaker.limit_s) { el.textContent = T.no_limit + " · " + clock(elapsed); return; }
    var left = speaker.limit_s - elapsed;
    el.classList.toggle("over", left < 0);
    el.textContent = (left < 0 ? T.over + " " : T.remaining + " ") + clock(Math.abs(left));
  }

  function clock(seconds) {
    var s = Math.max(0, seconds);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  setInterval(tick, 1000);

  /* --- Controls --------------------------------------------------------------- */
  root.addEventListener("click", function (e) {
    var target = e.target.closest("button");
    if (!target) return;
    if (target.dataset.request) send("floor.request", { kind: target.dataset.request });
    else if (target.dataset.cmd) versioned(target.dataset.cmd);
    else if (target.dataset.send) send(target.dataset.send, {});
    else if ("withdrawMine" in target.dataset) {
      var request = client.state.queue.find(mine);
      if (request) send("floor.withdraw", { request_id: request.id });
    } else if ("yield" in target.dataset) versioned("floor.end");
  });

  var limitForm = $("[data-limit-form]");
  if (limitForm) limitForm.addEventListener("submit", function (e) {
    e.preventDefault();
    versioned("floor.set_limit", { seconds: Number(limitForm.elements.seconds.value) });
  });
  var addForm = $("[data-add-form]");
  if (addForm) addForm.addEventListener("submit", function (e) {
    e.preventDefault();
    send("floor.add", { user_id: Number(addForm.elements.user_id.value), kind: addForm.elements.kind.value });
  });

  // The connection's state (socket.js), in the header's live region (role="status").
  live.onStatus(function (connected, state) {
    setConnection(T[state] || (connected ? T.connected : T.reconnecting));
  });
  live.on(receive);
})();
