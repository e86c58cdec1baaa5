// Plenary media: WebRTC audio over the Plenary session socket.
// Needs live/socket.js (PlenaryLive), loaded first.
// Plain RTCPeerConnection (no janus.js): the browser sends its SDP to Plenary,
// which checks the user's rights and talks to Janus; it never sees Janus.
// ICE is not trickled: offers and answers are sent once gathering is complete.
(function () {
  "use strict";

  // Request and reply over the tab's one socket (PlenaryLive, live/socket.js,
  // which reconnects with backoff): the reply or error to a command carries
  // the command's id as ``ref``. Emits "reconnected" when the socket is back
  // (the server dropped this socket's media legs when it went).
  class Link {
    constructor(live) {
      this.live = live;
      this.handlers = {};
      this.pending = new Map();
      this.waiting = [];  // requests sent while the socket was down
      this.wasDown = false;
      live.on((msg) => this.receive(msg));
      live.onStatus((up) => {
        if (!up) {
          this.wasDown = true;
          // Not for display (code "closed"): the legs come back with the socket.
          this.pending.forEach((p) => p.reject(Object.assign(new Error("closed"), {code: "closed"})));
          this.pending.clear();
          return;
        }
        this.waiting.splice(0).forEach((retry) => retry());
        if (this.wasDown) this.emit("reconnected", {});
      });
    }
    receive(msg) {
      const waiting = msg.ref && this.pending.get(msg.ref);
      if (waiting) {
        this.pending.delete(msg.ref);
        if (msg.type === "error") waiting.reject(Object.assign(new Error(msg.message), {code: msg.code}));
        else waiting.resolve(msg);
      }
      this.emit(msg.type, msg);
    }
    on(type, fn) { (this.handlers[type] = this.handlers[type] || []).push(fn); }
    emit(type, msg) { (this.handlers[type] || []).forEach((fn) => fn(msg)); }
    async request(body) {
      const {type, ...fields} = body;
      for (;;) {
        const id = this.live.send(type, fields);
        if (id !== null) return new Promise((resolve, reject) => this.pending.set(id, {resolve, reject}));
        await new Promise((retry) => this.waiting.push(retry));
      }
    }
  }
  const links = new Map();
  // The media link of the page's session socket (the webcast's, on its page): one per tab.
  function sessionLink(sessionId) {
    const live = window.PlenaryLive.open(sessionId);
    if (!links.has(live)) links.set(live, new Link(live));
    return links.get(live);
  }

  function gathered(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => { if (pc.iceGatheringState === "complete") resolve(); };
      pc.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, 3000); // send what we have on slow networks
    });
  }

  // A leg's restart: runs one at a time (calls made while it runs, a reset
  // and a reconnect arriving together, are folded into one more run after
  // it); a run that fails is tried again 2 s later unless another run has
  // made a leg meanwhile (a stale retry must not replace a healthy leg).
  function restarter(start) {
    let made = 0;
    const run = coalesced(async () => {
      const seen = made;
      try {
        if (await start() !== false) made++;
      } catch (e) {
        setTimeout(() => { if (made === seen) run(); }, 2000);
      }
    });
    return run;
  }

  // Runs ``task`` one at a time: calls made while it runs are folded into
  // one more run after it.
  function coalesced(task) {
    let running = null;
    let again = false;
    return () => {
      if (running) { again = true; return running; }
      running = (async () => {
        try {
          do { again = false; await task(); } while (again);
        } finally { running = null; }
      })();
      return running;
    };
  }

  // Watches a leg for the failures no message announces (a lost reset, a
  // network change, a media server that died): ICE failed or disconnected
  // for a while, or, for a receiving leg, no packet arriving for a while (an
  // AudioBridge mix is sent every 20 ms, silence included). Calls
  // ``restart`` once, then stops watching (the restart makes a new leg).
  // A leg that never connects (an answer lost with the media server that was to take
  // it) is broken too, once it has had far longer than ICE takes here.
  const STALL_MS = 4000;
  const CONNECT_MS = 15000;
  function watchLeg(pc, receiving, restart) {
    let lastPackets = -1;
    let quietSince = null;
    let brokenSince = null;
    let connected = false;
    const born = Date.now();
    const timer = setInterval(async () => {
      if (pc.connectionState === "closed") { clearInterval(timer); return; }
      const now = Date.now();
      connected = connected || pc.connectionState === "connected";
      const broken = pc.connectionState === "failed" || pc.connectionState === "disconnected" ||
        (!connected && now - born >= CONNECT_MS);
      brokenSince = broken ? (brokenSince || now) : null;
      if (receiving && pc.connectionState === "connected") {
        let packets = 0;
        (await pc.getStats()).forEach((s) => { if (s.type === "inbound-rtp") packets += s.packetsReceived || 0; });
        quietSince = packets === lastPackets ? (quietSince || now) : null;
        lastPackets = packets;
      }
      if ((brokenSince && now - brokenSince >= 2000) || (quietSince && now - quietSince >= STALL_MS)) {
        clearInterval(timer);
        restart();
      }
    }, 1000);
  }

  async function ticket(link) {
    const reply = await link.request({type: "media.nonce"});
    return {nonce: reply.nonce, iceServers: reply.ice_servers || []};
  }

  // Hears (and sees) the session: one connection carrying every channel and
  // the stage and screen video; the server sends only the chosen channel (and
  // the floor underneath, if asked), and the video only unless audio only.
  class Listener {
    constructor(link, output) {
      this.link = link;
      this.output = output;       // {track(mid, MediaStreamTrack)}
      this.channel = "floor";
      this.underneath = false;
      this.video = false;
      this.layer = 0;
      this.restart = restarter(async () => {
        if (!this.wanted) return false;
        await this.start(this.channel, this.underneath);
      });
      // Janus restarted, or the session's mountpoint was replaced; or the socket came back.
      link.on("media.reset", () => this.restart());
      link.on("reconnected", () => this.restart());
    }
    async start(channel, underneath) {
      this.channel = channel; this.underneath = !!underneath;
      this.wanted = true;
      this.stopPeer();
      const first = await ticket(this.link);
      const pc = new RTCPeerConnection({iceServers: first.iceServers});
      this.pc = pc;
      watchLeg(pc, true, () => { if (this.pc === pc) this.restart(); });
      pc.ontrack = (e) => this.output.track(e.transceiver.mid, e.track);
      const offer = await this.link.request({type: "media.listen", nonce: first.nonce,
        channel: this.channel, underneath: this.underneath, video: this.video});
      await pc.setRemoteDescription({type: "offer", sdp: offer.sdp});
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      const second = await ticket(this.link);
      await this.link.request({type: "media.answer", nonce: second.nonce, sdp: pc.localDescription.sdp});
      if (this.video && this.layer) await this.see(true, this.layer);
    }
    // Video on (at simulcast ``layer``, 0 the lowest) or off (audio only), on the same connection.
    async see(on, layer) {
      this.video = !!on; this.layer = layer || 0;
      if (!this.pc) return;
      await this.link.request({type: "media.video", on: this.video, layer: this.layer});
    }
    // What the video streams received: by mid, packets, bytes, frames decoded, size and loss.
    async videoStats() {
      const out = {};
      if (!this.pc) return out;
      (await this.pc.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "video") {
          out[s.mid] = {packets: s.packetsReceived || 0, lost: s.packetsLost || 0,
            bytes: (s.bytesReceived || 0) + (s.headerBytesReceived || 0),
            frames: s.framesDecoded || 0, width: s.frameWidth || 0, height: s.frameHeight || 0};
        }
      });
      return out;
    }
    // RTP bytes (payload and headers) received so far, per kind (what the mode costs).
    async bytes() {
      const out = {audio: 0, video: 0};
      if (!this.pc) return out;
      (await this.pc.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp") out[s.kind] += (s.bytesReceived || 0) + (s.headerBytesReceived || 0);
      });
      return out;
    }
    async choose(channel, underneath) {
      const reply = await this.link.request({type: "media.channel", channel, underneath: !!underneath});
      this.channel = reply.channel; this.underneath = reply.underneath;
      return reply;
    }
    stopPeer() { if (this.pc) { this.pc.close(); this.pc = null; } }
    // Audio energy received so far per channel (diagnostics, and how tests listen).
    async energy() {
      const out = {};
      if (!this.pc) return out;
      const mids = {};
      this.pc.getTransceivers().forEach((t) => { if (t.receiver.track) mids[t.receiver.track.id] = t.mid; });
      (await this.pc.getStats()).forEach((s) => {
        if (s.type === "inbound-rtp" && s.kind === "audio") out[s.mid || mids[s.trackIdentifier]] = s.totalAudioEnergy || 0;
      });
      return out;
    }
    async stop() {
      this.wanted = false;
      this.stopPeer();
      // The listening leg only: a microphone on the same socket stays connected.
      try { await this.link.request({type: "media.hangup", target: "listening"}); } catch (e) { /* already gone */ }
    }
  }

  // Sends a microphone to the floor or a booth. The server decides whether it is heard.
  class Speaker {
    constructor(link, target) {
      this.link = link;
      this.target = target;
      this.restart = restarter(async () => {
        if (!this.stream) return false;
        await this.start(this.stream);
      });
      // A reset with scope "listen" concerns listeners only: the rooms are untouched.
      link.on("media.reset", (e) => { if (e.scope !== "listen") this.restart(); });
      link.on("reconnected", () => this.restart());
    }
    async start(stream) {
      this.stream = stream;
      if (this.pc) this.pc.close();
      const first = await ticket(this.link);
      const pc = new RTCPeerConnection({iceServers: first.iceServers});
      this.pc = pc;
      watchLeg(pc, false, () => { if (this.pc === pc) this.restart(); });
      stream.getAudioTracks().forEach((t) => pc.addTransceiver(t, {direction: "sendonly", streams: [stream]}));
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const reply = await this.link.request({type: "media.speak", nonce: first.nonce,
        target: this.target, sdp: pc.localDescription.sdp});
      await pc.setRemoteDescription({type: "answer", sdp: reply.sdp});
    }
    async stop() {
      this.stream = null;
      if (this.pc) { this.pc.close(); this.pc = null; }
      try { await this.link.request({type: "media.hangup", target: this.target}); } catch (e) { /* gone */ }
    }
  }

  // Sends a camera (three simulcast layers: full, half and quarter size) or a
  // screen (one detailed layer at a low frame rate, so that a slide stays
  // sharp and keyframes stay rare) to the room's stage. The server decides
  // whether this user may; ``onStop`` is told when it refuses or stops it.
  const CAMERA_LAYERS = [
    {rid: "h", maxBitrate: 900000},
    {rid: "m", scaleResolutionDownBy: 2, maxBitrate: 300000},
    {rid: "l", scaleResolutionDownBy: 4, maxBitrate: 100000},
  ];
  class Publisher {
    constructor(link, kind, onStop) {
      this.link = link;
      this.kind = kind;
      this.onStop = onStop || (() => {});
      this.restart = restarter(async () => {
        if (!this.stream) return false;
        await this.start(this.stream);
      });
      // Any reset: a rebuilt mountpoint needs the video forwarded to it again.
      link.on("media.reset", () => this.restart());
      link.on("reconnected", () => this.restart());
    }
    async start(stream) {
      this.stream = stream;
      if (this.pc) this.pc.close();
      const first = await ticket(this.link);
      const pc = new RTCPeerConnection({iceServers: first.iceServers});
      this.pc = pc;
      watchLeg(pc, false, () => { if (this.pc === pc) this.restart(); });
      const track = stream.getVideoTracks()[0];
      if (this.kind === "screen") track.contentHint = "detail";
      pc.addTransceiver(track, {direction: "sendonly", streams: [stream],
        sendEncodings: this.kind === "screen" ? [{maxFramerate: 5, maxBitrate: 1500000}] : CAMERA_LAYERS});
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      let reply;
      try {
        reply = await this.link.request({type: "media.publish", nonce: first.nonce,
          kind: this.kind, sdp: pc.localDescription.sdp});
      } catch (e) {
        if (e.code !== "closed" && e.code !== "media_unavailable") this.end(e);
        throw e;
      }
      await pc.setRemoteDescription({type: "answer", sdp: reply.sdp});
    }
    // Stopped here or by the server (no longer allowed): no retry, the camera light goes off.
    end(reason) {
      if (this.stream) this.stream.getTracks().forEach((t) => t.stop());
      this.stream = null;
      if (this.pc) { this.pc.close(); this.pc = null; }
      this.onStop(reason);
    }
    async stop() {
      this.end(null);
      try { await this.link.request({type: "media.hangup", target: this.kind}); } catch (e) { /* gone */ }
    }
  }

  // Plays each channel's track in its own <audio> element, at the volume the
  // listener's choice gives it. With ``limit``, the audio goes through a
  // WebAudio limiter (a hard compressor) instead, protecting interpreters'
  // hearing from sudden loud sound.
  class Mixer {
    constructor(limit) {
      this.limit = limit;
      this.elements = {};
      this.gains = {};
      this.master = 1;
      if (limit) {
        this.ctx = new AudioContext();
        const limiter = this.ctx.createDynamicsCompressor();
        limiter.threshold.value = -12; limiter.knee.value = 0; limiter.ratio.value = 20;
        limiter.attack.value = 0.002; limiter.release.value = 0.1;
        limiter.connect(this.ctx.destination);
        this.limiter = limiter;
      }
    }
    track(mid, track) {
      if (track.kind !== "audio") return;
      const stream = new MediaStream([track]);
      const element = new Audio();
      element.srcObject = stream;
      if (this.limit) {
        element.muted = true; // Chromium pulls remote audio into WebAudio only while an element plays it
        const gain = this.ctx.createGain();
        this.ctx.createMediaStreamSource(stream).connect(gain);
        gain.connect(this.limiter);
        this.gains[mid] = gain;
      }
      element.play().catch(() => {});
      this.elements[mid] = element;
      this.apply();
    }
    set(channel, underneath, underneathLevel) {
      this.channel = channel; this.underneath = underneath; this.level = underneathLevel || 0.25;
      this.apply();
    }
    apply() {
      Object.keys(this.elements).forEach((mid) => {
        const share = mid === this.channel ? 1 : (this.underneath && mid === "floor" ? this.level : 0);
        if (this.gains[mid]) this.gains[mid].gain.value = share * this.master;
        else this.elements[mid].volume = share * this.master;
      });
    }
    volume(v) { this.master = v; this.apply(); }
    resume() { return this.ctx ? this.ctx.resume() : Promise.resolve(); }
  }

  // Device check: pick a microphone, see its level, hear a test tone.
  async function openMicrophone(deviceId) {
    return navigator.mediaDevices.getUserMedia({audio: deviceId ? {deviceId: {exact: deviceId}} : true});
  }
  async function listMicrophones(select) {
    const devices = await navigator.mediaDevices.enumerateDevices();
    select.replaceChildren(...devices.filter((d) => d.kind === "audioinput").map((d, i) => {
      const o = document.createElement("option"); o.value = d.deviceId; o.textContent = d.label || ("#" + (i + 1)); return o;
    }));
  }
  function meter(stream, progress) {
    const ctx = new AudioContext();
    const analyser = ctx.createAnalyser(); analyser.fftSize = 1024;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    const tick = () => {
      analyser.getFloatTimeDomainData(data);
      let sum = 0; for (const x of data) sum += x * x;
      progress.value = Math.min(100, Math.round(Math.sqrt(sum / data.length) * 300));
      if (stream.active) requestAnimationFrame(tick); else ctx.close();
    };
    tick();
  }
  function testTone() {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator(); const gain = ctx.createGain();
    osc.frequency.value = 440; gain.gain.value = 0.2;
    osc.connect(gain); gain.connect(ctx.destination);
    osc.start(); osc.stop(ctx.currentTime + 1); osc.onended = () => ctx.close();
  }

  window.PlenaryMedia = {sessionLink, Listener, Speaker, Publisher, Mixer, openMicrophone, listMicrophones, meter, testTone};
})();
