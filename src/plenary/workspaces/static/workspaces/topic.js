/* The topic page, live: new messages, edits, reactions and read markers arrive
   over the workspace socket (socket.js; the URL is #topic's data-live-socket).

   Every (re)connection brings a workspace.snapshot with the topic's latest
   messages: the page brings its list up to date from it, so a tab that was
   offline misses nothing. Messages are built from the <template> the server
   rendered (the same markup as its own list); their HTML was sanitised by
   the server when written. */
(function () {
  "use strict";
  var root = document.getElementById("topic");
  if (!root || !window.PlenaryLive) return;
  var topicId = Number(root.dataset.topic);
  var me = Number(root.dataset.me || 0);
  var moderator = root.hasAttribute("data-moderator");
  var writer = root.hasAttribute("data-writer");
  var list = document.getElementById("messages");
  var template = document.getElementById("message-template");
  var status = document.getElementById("live-status");
  var compose = document.querySelector("form[data-ws-compose]");
  var replyField = compose && compose.querySelector("input[name=reply_to]");
  var replying = document.getElementById("replying");
  var format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "medium", timeStyle: "short" });
  var pageLanguage = document.documentElement.lang;
  var live = PlenaryLive.open(0);
  var lastRead = 0;

  function localTimes(scope) {
    scope.querySelectorAll("time[datetime]").forEach(function (t) {
      var when = new Date(t.getAttribute("datetime"));
      if (!isNaN(when)) t.textContent = format.format(when);
    });
  }

  // The template's URLs name message 0 (workspaces/urls.py: .../messages/<id>/...).
  function withId(url, id) { return url.replace("/messages/0/", "/messages/" + id + "/"); }

  function reactionForm(messageId, reaction) {
    var form = document.createElement("form");
    form.method = "post";
    form.action = withId(root.dataset.reactUrl, messageId);
    form.setAttribute("data-ws-form", "");
    var mine = reaction.users.indexOf(me) !== -1;
    [["csrfmiddlewaretoken", csrf()], ["emoji", reaction.emoji], ["on", mine ? "0" : "1"]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    var button = document.createElement("button");
    button.type = "submit";
    button.className = "secondary ws-reaction";
    button.setAttribute("aria-pressed", mine ? "true" : "false");
    button.disabled = !writer;
    button.textContent = reaction.emoji + " ";
    var count = document.createElement("span");
    count.textContent = String(reaction.count);
    button.appendChild(count);
    form.appendChild(button);
    PlenaryWorkspaces.wireAction(form);
    return form;
  }

  function csrf() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function setReactions(item, reactions) {
    var box = item.querySelector(".ws-reactions");
    box.replaceChildren.apply(box, (reactions || []).map(function (r) { return reactionForm(Number(item.dataset.id), r); }));
  }

  var sizeFormat = new Intl.NumberFormat(pageLanguage, { style: "unit", unit: "kilobyte", maximumFractionDigits: 0 });

  // The files posted with a message: a link each (what the server's template shows).
  function setAttachments(item, files) {
    var list = item.querySelector(".ws-attachments");
    list.replaceChildren.apply(list, (files || []).map(function (file) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = file.url;
      link.setAttribute("download", "");
      var title = document.createElement("span");
      title.dir = "auto";
      title.textContent = file.title;
      link.appendChild(title);
      var meta = document.createElement("span");
      meta.className = "meta";
      meta.textContent = file.kind.toUpperCase() + ", " + sizeFormat.format(Math.max(1, Math.round(file.size / 1024)));
      li.append(link, " ", meta);
      return li;
    }));
    list.hidden = !(files && files.length);
  }

  function fill(item, m) {
    delete item.dataset.translatedHtml;  // an edit makes any translation shown stale
    item.dataset.showing = "original";
    item.querySelector(".ws-translated").hidden = true;
    item.classList.toggle("is-hidden", m.hidden);
    item.querySelector(".ws-body").innerHTML = m.html;  // sanitised by the server (workspaces.markup)
    if (m.language) item.querySelector(".ws-body").setAttribute("lang", m.language);
    setAttachments(item, m.attachments);
    item.querySelector(".ws-edited").hidden = !m.edited;
    item.querySelector(".ws-hidden-note").hidden = !m.hidden;
    var hide = item.querySelector(".ws-hide");
    if (hide) {
      hide.form.querySelector("input[name=hidden]").value = m.hidden ? "0" : "1";
      hide.textContent = m.hidden ? root.dataset.sayShow : root.dataset.sayHide;
    }
  }

  function build(m) {
    var item = template.content.firstElementChild.cloneNode(true);
    item.id = "m" + m.id;
    item.dataset.id = m.id;
    item.dataset.author = m.author_id;
    item.querySelectorAll("[action]").forEach(function (el) { el.action = withId(el.getAttribute("action"), m.id); });
    item.querySelectorAll("a[href]").forEach(function (el) {
      var href = el.getAttribute("href");
      if (href === "#m0") el.setAttribute("href", "#m" + m.id);
      else if (el.classList.contains("ws-reply")) { el.setAttribute("href", "?reply_to=" + m.id + "#compose"); el.dataset.reply = m.id; }
      else if (href.charAt(0) !== "#") el.setAttribute("href", withId(href, m.id));
    });
    item.querySelector(".ws-reply-to").hidden = !m.reply_to;
    if (m.reply_to) item.querySelector(".ws-reply-to a").setAttribute("href", "#m" + m.reply_to);
    item.querySelector(".ws-author").textContent = m.author;
    var entity = item.querySelector(".ws-entity");
    if (entity) { if (m.entity) entity.textContent = m.entity; else entity.remove(); }
    else if (m.entity) {
      var span = document.createElement("span");
      span.className = "meta ws-entity"; span.dir = "auto"; span.textContent = m.entity;
      item.querySelector(".ws-author").after(" ", span);
    }
    var time = item.querySelector("time");
    time.setAttribute("datetime", m.at);
    if (m.author_id !== me) item.querySelectorAll(".ws-edit, .ws-own").forEach(function (el) { el.remove(); });
    var translate = item.querySelector(".ws-translate");
    if (translate && (!m.language || m.language === pageLanguage || m.hidden)) translate.remove();
    item.querySelectorAll("form[data-ws-form]").forEach(PlenaryWorkspaces.wireAction);
    fill(item, m);
    localTimes(item);
    return item;
  }

  function visibleTo(m) { return !m.hidden || moderator || m.author_id === me; }

  function upsert(m) {
    var item = document.getElementById("m" + m.id);
    if (!visibleTo(m)) { if (item) item.remove(); return; }
    if (item) { fill(item, m); return; }
    item = build(m);
    var after = null;
    list.querySelectorAll(".ws-message").forEach(function (el) { if (Number(el.dataset.id) < m.id) after = el; });
    if (after) after.after(item); else list.prepend(item);
    document.getElementById("no-messages").hidden = true;
  }

  function latestId() {
    var items = list.querySelectorAll(".ws-message");
    return items.length ? Number(items[items.length - 1].dataset.id) : 0;
  }

  function markRead() {
    var latest = latestId();
    if (!me || document.visibilityState !== "visible" || latest <= lastRead) return;
    if (live.send("workspace.read", { topic_id: topicId, up_to: latest })) lastRead = latest;
  }

  function setLocked(locked) {
    document.getElementById("locked-badge").hidden = !locked;
    if (compose && !moderator) compose.querySelectorAll("textarea, button").forEach(function (el) { el.disabled = locked; });
  }

  function setNotices(count) {
    document.querySelectorAll("[data-notice-count]").forEach(function (el) {
      el.textContent = String(count);
      el.parentElement.hidden = !count;
    });
  }

  // The call on in this topic (null: none): who may join, who may end it, who may start one.
  var callBox = document.getElementById("call");
  function setCall(call) {
    if (!callBox) return;
    callBox.querySelector("[data-call-on]").hidden = !call;
    var start = callBox.querySelector("[data-call-start]");
    if (start) start.hidden = !!call;
    if (!call) return;
    callBox.querySelector("[data-call-text]").textContent = callBox.dataset.sayOn.replace("%(name)s", call.started_by);
    callBox.querySelectorAll("form[data-call-action]").forEach(function (form) {
      form.action = form.dataset.callAction.replace("/calls/0/", "/calls/" + call.id + "/");
    });
    var end = callBox.querySelector("[data-call-end]");
    if (end) end.hidden = !(call.started_by_id === me || root.hasAttribute("data-moderator"));
  }

  document.addEventListener("plenary-ws-message", function (e) {
    if (e.detail.topic_id === topicId) upsert(e.detail);
  });

  live.on(function (msg) {
    if (msg.type === "workspace.call" && msg.topic_id === topicId) {
      setCall(msg.call);
    } else if (msg.type === "workspace.snapshot" && msg.topic) {
      setCall(msg.topic.call);
      msg.topic.messages.forEach(upsert);
      msg.topic.messages.forEach(function (m) {
        var item = document.getElementById("m" + m.id);
        if (item) setReactions(item, msg.topic.reactions[String(m.id)]);
      });
      lastRead = Math.max(lastRead, msg.topic.last_read_id);
      setLocked(msg.topic.locked);
      setNotices(msg.unread_notices);
      markRead();
    } else if ((msg.type === "workspace.message" || msg.type === "workspace.edited") && msg.message.topic_id === topicId) {
      upsert(msg.message);
      if (msg.type === "workspace.message") markRead();
    } else if (msg.type === "workspace.reactions" && msg.topic_id === topicId) {
      var item = document.getElementById("m" + msg.message_id);
      if (item) setReactions(item, msg.reactions);
    } else if (msg.type === "workspace.topic" && msg.topic_id === topicId) {
      setLocked(msg.locked);
    } else if (msg.type === "workspace.read") {
      if (msg.topic_id === topicId) lastRead = Math.max(lastRead, msg.last_read_id);
      setNotices(msg.unread_notices);
    } else if (msg.type === "workspace.notice") {
      setNotices(msg.unread);
    }
  });

  live.onStatus(function (connected, state) {
    status.textContent = connected ? (state === "reconnected" ? root.dataset.sayReconnected : "") : (state === "connecting" ? "" : root.dataset.sayReconnecting);
  });

  list.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-reply]");
    if (!link || !replyField) return;
    e.preventDefault();
    replyField.value = link.dataset.reply;
    replying.hidden = false;
    compose.querySelector("textarea").focus();
  });
  var cancel = document.getElementById("cancel-reply");
  if (cancel) cancel.addEventListener("click", function () { replyField.value = ""; replying.hidden = true; });
  if (compose) compose.addEventListener("ws:sent", function () { if (replyField) replyField.value = ""; if (replying) replying.hidden = true; });
  // "Translate into my language": the translation in place of the text, labelled, and
  // the original one click away (the link works without JavaScript too).
  list.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-translate]");
    if (!link) return;
    e.preventDefault();
    var item = link.closest(".ws-message");
    var body = item.querySelector(".ws-body");
    var label = item.querySelector(".ws-translated");
    if (item.dataset.translatedHtml) {  // toggle between the two
      var showing = item.dataset.showing === "translation";
      swap(item, body, label, link, !showing);
      return;
    }
    fetch(link.href, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (reply) {
        if (reply.error) { label.textContent = reply.error.message; label.hidden = false; return; }
        item.dataset.originalHtml = body.innerHTML;
        item.dataset.originalLang = body.getAttribute("lang") || "";
        item.dataset.translatedHtml = reply.html;  // sanitised by the server
        item.dataset.translatedLang = reply.language;
        item.dataset.label = reply.label;
        swap(item, body, label, link, true);
      })
      .catch(function () { label.textContent = document.body.dataset.offline || ""; label.hidden = false; });
  });

  function swap(item, body, label, link, translated) {
    body.innerHTML = translated ? item.dataset.translatedHtml : item.dataset.originalHtml;
    body.setAttribute("lang", translated ? item.dataset.translatedLang : item.dataset.originalLang);
    label.textContent = translated ? item.dataset.label : "";
    label.hidden = !translated;
    link.textContent = translated ? link.dataset.original : link.dataset.again;
    item.dataset.showing = translated ? "translation" : "original";
  }

  document.addEventListener("visibilitychange", markRead);
  localTimes(list);
})();
