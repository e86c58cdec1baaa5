/* The session socket for every app's page: one WebSocket per tab.

   var live = PlenaryLive.open(sessionId);
   live.on(function (message) { ... });   // every message from the server
   live.send("media.offer", {sdp: ...});   // {"v": 1, "type": ..., "id": ...}
   live.onStatus(function (connected, state) { ... });
   live.status                             // the state now (below)

   States: "connecting" (the first time), "connected", "reconnecting" (the
   connection dropped), "restarting" (the server closed with 1012: it is
   restarting), "reconnected" (connected again after a drop), "refused" (4429:
   too many messages or connections; retried later), "gone" (4404: no such
   session any more; never retried).

   Reconnects by itself (docs/realtime.md, "Connecting"): after
   min(2 s, 250 ms x 2^attempt), each delay drawn between half and all of it,
   so a restarted server is rejoined within about 2 s of being ready and the
   jitter spreads thousands of tabs over that time. The server sends a fresh
   snapshot on every connection. Plain JavaScript, standard APIs. */
(function () {
  "use strict";
  var sockets = new Map();
  var BASE_MS = 250;
  var CAP_MS = 2000;
  var REFUSED_MS = 5000;  // after 4429: the server asked for less

  function deviceClass() {
    if (/iPad|Tablet/i.test(navigator.userAgent)) return "tablet";
    if (/Mobi|iPhone|Android/i.test(navigator.userAgent)) return "phone";
    return "desktop";
  }

  function jitter(ms) { return ms * (0.5 + Math.random() / 2); }

  // The public webcast counts viewers by an anonymous key kept in this browser (no name, no sign-in).
  function viewerKey() {
    try {
      var key = localStorage.getItem("plenary.webcast.viewer");
      if (!key) { key = crypto.randomUUID(); localStorage.setItem("plenary.webcast.viewer", key); }
      return key;
    } catch (e) { return ""; }  // no storage or no secure context: the socket counts once
  }

  // The session socket, unless the page declares another (the public webcast's:
  // ``data-live-socket`` on an element, with ``data-live-viewer`` to be counted),
  // so that every script of the page shares it.
  function pageSocket(sessionId) {
    var declared = document.querySelector("[data-live-socket]");
    if (!declared) return "/ws/sessions/" + sessionId + "/";
    var url = declared.dataset.liveSocket;
    return declared.hasAttribute("data-live-viewer") ? url + "?viewer=" + encodeURIComponent(viewerKey()) : url;
  }

  function open(sessionId) {
    var url = pageSocket(sessionId);
    if (sockets.has(url)) return sockets.get(url);
    var listeners = [];
    var statusListeners = [];
    var socket = null;
    var attempt = 0;
    var seq = 0;
    var dropped = false;  // connected once, then lost: the next open is "reconnected"
    var api = {
      status: "connecting",
      on: function (handler) { listeners.push(handler); },
      onStatus: function (handler) { statusListeners.push(handler); },
      send: function (type, fields) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return null;
        var id = "c" + (++seq);
        socket.send(JSON.stringify(Object.assign({ v: 1, type: type, id: id }, fields || {})));
        return id;
      }
    };
    function status(state) {
      api.status = state;
      var connected = state === "connected" || state === "reconnected";
      statusListeners.forEach(function (h) { h(connected, state); });
    }
    function connect() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + url + (url.indexOf("?") === -1 ? "?" : "&") + "device=" + deviceClass());
      socket.addEventListener("open", function () {
        attempt = 0;
        status(dropped ? "reconnected" : "connected");
      });
      socket.addEventListener("message", function (e) {
        var message = JSON.parse(e.data);
        listeners.forEach(function (h) { h(message); });
      });
      socket.addEventListener("close", function (e) {
        if (e.code === 4404) { status("gone"); return; }  // no such session (any more)
        dropped = dropped || api.status === "connected" || api.status === "reconnected";
        var delay;
        if (e.code === 4429) {
          status("refused");
          delay = jitter(REFUSED_MS);
        } else {
          // Tries that fail while the server restarts (1006) keep saying it restarts.
          var restarting = e.code === 1012 || (api.status === "restarting" && e.code === 1006);
          status(restarting ? "restarting" : "reconnecting");
          delay = jitter(Math.min(CAP_MS, BASE_MS * Math.pow(2, attempt++)));
        }
        setTimeout(connect, delay);
      });
    }
    setInterval(function () { api.send("ping"); }, 45000);
    connect();
    sockets.set(url, api);
    return api;
  }

  window.PlenaryLive = { open: open };
})();
