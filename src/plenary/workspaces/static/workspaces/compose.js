/* The workspace forms without page reloads, and drafts kept across reloads.

   A form[data-ws-compose] (a new topic, a message) or form[data-ws-form] (a
   reaction, hiding) is sent with fetch and "Accept: application/json"; the
   server answers {"ok": true, ...} or {"error": {"message": ...}} in the
   reader's language. The change itself arrives through the workspace socket
   (topic.js). Without JavaScript the same forms post and redirect.

   A textarea[data-draft] keeps what is typed in localStorage, per form, until
   the form is sent: a reload, a crash or a lost connection loses nothing. */
(function () {
  "use strict";
  var PREFIX = "plenary.draft:";

  function draftKey(form) { return PREFIX + form.getAttribute("action"); }

  function store(key, value) {
    try { if (value) localStorage.setItem(key, value); else localStorage.removeItem(key); }
    catch (e) { /* private mode, full storage: the draft stays in the page only */ }
  }

  function restore(key) {
    try { return localStorage.getItem(key) || ""; } catch (e) { return ""; }
  }

  function say(form, text) {
    var box = form.querySelector(".ws-error") || document.getElementById("ws-alert");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    return fetch(form.action, {
      method: "POST",
      body: data,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return { error: { message: form.dataset.failed || "" } }; });
    }).catch(function () {
      return { error: { message: document.body.dataset.offline || "" } };
    }).then(function (reply) {
      if (button) button.disabled = false;
      return reply;
    });
  }

  function wireCompose(form) {
    var text = form.querySelector("textarea[data-draft]");
    var key = draftKey(form);
    if (text) {
      if (!text.value) text.value = restore(key);
      text.addEventListener("input", function () { store(key, text.value); });
      text.addEventListener("keydown", function (e) {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
      });
    }
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      say(form, "");
      send(form, e.submitter).then(function (reply) {
        if (reply.error) { say(form, reply.error.message); return; }
        store(key, "");
        if (reply.url) { location.assign(reply.url); return; }
        form.reset();
        form.dispatchEvent(new CustomEvent("ws:sent", { detail: reply }));
      });
    });
  }

  function wireAction(form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      send(form, e.submitter).then(function (reply) {
        if (reply.error) say(form, reply.error.message);
        // The changed message, for the page to show without waiting for its socket.
        if (reply.message) document.dispatchEvent(new CustomEvent("plenary-ws-message", { detail: reply.message }));
        var menu = form.closest("details");
        if (menu) menu.open = false;
      });
    });
  }

  window.PlenaryWorkspaces = { wireAction: wireAction };
  document.querySelectorAll("form[data-ws-compose]").forEach(wireCompose);
  document.querySelectorAll("form[data-ws-form]").forEach(wireAction);
})();
