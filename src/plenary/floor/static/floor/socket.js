/* The session socket for every app's page: one WebSocket per tab.

   var live = PlenaryLive.open(sessionId);
   live.on(function (message) { ... });   // every message from the server
   live.send("media.offer", {sdp: ...});   // {"v": 1, "type": ..., "id": ...}

   Reconnects by itself with exponential backoff and jitter; the server sends
   a fresh snapshot on every connection. Plain JavaScript, standard APIs. */
(function () {
  "use strict";
  var sockets = new Map();

  function deviceClass() {
    if (/iPad|Tablet/i.test(navigator.userAgent)) return "tablet";
    if (/Mobi|iPhone|Android/i.test(navigator.userAgent)) return "phone";
    return "desktop";
  }

  // ``path``: another socket about the session (the public webcast's); the session socket by default.
  function open(sessionId, path) {
    var url = path || "/ws/sessions/" + sessionId + "/";
    if (sockets.has(url)) return sockets.get(url);
    var listeners = [];
    var statusListeners = [];
    var socket = null;
    var attempt = 0;
    var seq = 0;
    var api = {
      on: function (handler) { listeners.push(handler); },
      onStatus: function (handler) { statusListeners.push(handler); },
      send: function (type, fields) {
        if (!socket || socket.readyState !== WebSocket.OPEN) return null;
        var id = "c" + (++seq);
        socket.send(JSON.stringify(Object.assign({ v: 1, type: type, id: id }, fields || {})));
        return id;
      }
    };
    function status(connected) { statusListeners.forEach(function (h) { h(connected); }); }
    function connect() {
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      socket = new WebSocket(scheme + location.host + url + (url.indexOf("?") === -1 ? "?" : "&") + "device=" + deviceClass());
      socket.addEventListener("open", function () { attempt = 0; status(true); });
      socket.addEventListener("message", function (e) {
        var message = JSON.parse(e.data);
        listeners.forEach(function (h) { h(message); });
      });
      socket.addEventListener("close", function (e) {
        status(false);
        if (e.code === 4404) return;  // no such session (any more)
        // At most 30 s; the jitter spreads the tabs of a restarted server.
        var delay = Math.min(30000, 1000 * Math.pow(2, attempt++)) * (0.5 + Math.random() / 2);
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
