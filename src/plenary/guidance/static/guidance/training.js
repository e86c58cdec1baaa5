// Practice room, self-test and role guides. Everything runs in the browser:
// audio is looped back locally (WebAudio), the network estimate times
// requests to this server's probe endpoints, and only the results are posted.
(function () {
  "use strict";
  const texts = document.getElementById("training-messages")?.dataset || {};
  const say = (id, text) => { const el = document.getElementById(id); if (el) el.textContent = text; };
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_m, key) => String(values[key]));
  let audio = null;
  const context = () => (audio = audio || new AudioContext());

  async function record(url, csrf, results) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(results || {}),
        credentials: "same-origin",
      });
      return response.ok;
    } catch (_error) {
      return false;
    }
  }

  function tone(seconds) {
    const ctx = context();
    const oscillator = ctx.createOscillator();
    const gain = ctx.createGain();
    oscillator.frequency.value = 440;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(ctx.destination);
    oscillator.start();
    oscillator.stop(ctx.currentTime + seconds);
  }

  // Feed a level meter from a microphone stream; returns a function giving the peak so far.
  function meter(stream, meterEl) {
    const ctx = context();
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 1024;
    ctx.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let peak = 0;
    let running = true;
    (function tick() {
      if (!running) return;
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const level = Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 300));
      peak = Math.max(peak, level);
      if (meterEl) { meterEl.value = level; meterEl.textContent = String(level); }
      setTimeout(tick, 50);
    })();
    return { peak: () => peak, stop: () => { running = false; } };
  }

  // --- Practice room ---------------------------------------------------------
  const practice = document.getElementById("practice");
  if (practice) {
    let stream = null;
    let level = null;
    const start = document.getElementById("echo-start");
    const stop = document.getElementById("echo-stop");
    document.getElementById("tone").addEventListener("click", () => { tone(1); say("practice-status", texts.tone); });
    start.addEventListener("click", async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (_error) {
        say("practice-status", texts.noMicrophone);
        return;
      }
      const ctx = context();
      await ctx.resume();
      const delay = ctx.createDelay(1.0);
      delay.delayTime.value = 0.5;
      ctx.createMediaStreamSource(stream).connect(delay).connect(ctx.destination);
      level = meter(stream, document.getElementById("mic-level"));
      start.disabled = true;
      stop.disabled = false;
      say("practice-status", texts.echoOn);
      practice.dataset.echo = "on";
      record(practice.dataset.url, practice.dataset.csrf, {});
    });
    stop.addEventListener("click", () => {
      stream?.getTracks().forEach((track) => track.stop());
      level?.stop();
      start.disabled = false;
      stop.disabled = true;
      practice.dataset.echo = "off";
      say("practice-status", texts.echoOff);
    });
  }

  // --- Self-test -------------------------------------------------------------
  const selfTest = document.getElementById("self-test");
  if (selfTest) {
    const results = {};
    document.getElementById("mic-test").addEventListener("click", async () => {
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch (_error) {
        results.microphone_ok = false;
        say("mic-result", texts.noMicrophone);
        return;
      }
      await context().resume();
      say("mic-result", texts.measuring);
      const level = meter(stream, document.getElementById("mic-level"));
      await new Promise((resolve) => setTimeout(resolve, 2000));
      level.stop();
      stream.getTracks().forEach((track) => track.stop());
      results.microphone_ok = level.peak() >= 2;
      say("mic-result", results.microphone_ok ? fill(texts.micOk, { level: level.peak() }) : texts.micSilent);
    });
    document.getElementById("speaker-test").addEventListener("click", () => { tone(1); say("speaker-result", texts.tone); });
    document.getElementById("speaker-yes").addEventListener("click", () => { results.speaker_ok = true; say("speaker-result", texts.speakerOk); });
    document.getElementById("speaker-no").addEventListener("click", () => { results.speaker_ok = false; say("speaker-result", texts.speakerFailed); });
    document.getElementById("net-test").addEventListener("click", async () => {
      say("net-result", texts.measuring);
      try {
        const times = [];
        for (let i = 0; i < 5; i += 1) {
          const t0 = performance.now();
          const response = await fetch(selfTest.dataset.ping + "?n=" + i, { cache: "no-store" });
          if (!response.ok) throw new Error(String(response.status));
          times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        const latency = times[Math.floor(times.length / 2)];
        const kb = 512;
        const t0 = performance.now();
        const body = await (await fetch(selfTest.dataset.payload + "?kb=" + kb, { cache: "no-store" })).arrayBuffer();
        const seconds = Math.max((performance.now() - t0) / 1000, 0.001);
        const throughput = (body.byteLength * 8) / 1000 / seconds;
        results.latency_ms = Math.round(latency * 10) / 10;
        results.throughput_kbps = Math.round(throughput);
        const quality = latency < 150 && throughput > 1000 ? texts.qualityGood
          : latency < 400 && throughput > 200 ? texts.qualityFair : texts.qualityPoor;
        say("net-result", fill(texts.netResult, { latency: results.latency_ms, throughput: results.throughput_kbps, quality }));
      } catch (_error) {
        say("net-result", texts.netFailed);
      }
    });
    document.getElementById("self-test-finish").addEventListener("click", async () => {
      const ok = await record(selfTest.dataset.url, selfTest.dataset.csrf, results);
      say("self-test-summary", ok ? texts.recorded : texts.failed);
    });
  }

  // --- Role guides -----------------------------------------------------------
  const done = document.getElementById("training-done");
  if (done) {
    done.addEventListener("click", async () => {
      const ok = await record(done.dataset.url, done.dataset.csrf, {});
      say("training-status", ok ? texts.recorded : texts.failed);
    });
  }
})();
