// The recording's player: HLS through hls.js (the browser's own HLS where it has
// one), one audio rendition per channel, the chosen language kept at the same
// moment, the video (the stage and the screen) or sound only, playback speed, and
// a link to the moment being heard (#t=seconds).
// Live (data-live): the session's live HLS, three segments behind its edge; when
// the recording stops the playlists end and the page says where to find it.
(function () {
  "use strict";
  const root = document.getElementById("recording");
  if (!root) return;
  const audio = document.getElementById("recording-audio");
  const error = document.getElementById("recording-error");
  const radios = Array.from(document.querySelectorAll("input[name=track]"));
  const live = root.hasAttribute("data-live");
  let hls = null;

  function fail() { error.textContent = root.dataset.msgFailed; error.hidden = false; }
  function chosen() { const r = radios.find((x) => x.checked); return r ? Number(r.value) : 0; }
  function choose(index) {
    if (hls) { hls.audioTrack = index; return; }
    const tracks = audio.audioTracks;  // Safari's own HLS
    if (tracks) for (let i = 0; i < tracks.length; i++) tracks[i].enabled = i === index;
  }

  const hlsJs = window.Hls && window.Hls.isSupported();
  function load(source) {
    if (!hlsJs) { audio.src = source; return; }
    if (hls) hls.destroy();  // a new one: the other source may have other codecs
    // No worker: the page's CSP allows none. Live: three one-second segments behind.
    hls = new window.Hls({enableWorker: false, liveSyncDurationCount: 3});
    hls.on(window.Hls.Events.AUDIO_TRACKS_UPDATED, () => choose(chosen()));
    hls.on(window.Hls.Events.SUBTITLE_TRACKS_UPDATED, chooseSubtitles);
    hls.on(window.Hls.Events.ERROR, (_event, data) => { if (data.fatal) fail(); });
    hls.loadSource(source);
    hls.attachMedia(audio);
  }
  if (hlsJs || audio.canPlayType("application/vnd.apple.mpegurl")) load(root.dataset.source);
  else fail();
  radios.forEach((r) => r.addEventListener("change", () => choose(chosen())));

  // Sound only: the master playlist without the video, at the same moment, still
  // playing if it was (and back again); the language and speed are kept.
  document.querySelectorAll("input[name=picture]").forEach((r) => r.addEventListener("change", () => {
    const at = audio.currentTime, playing = !audio.paused, rate = audio.playbackRate;
    audio.addEventListener("loadedmetadata", () => {
      audio.currentTime = at;
      audio.playbackRate = rate;
      if (playing) audio.play().catch(() => {});
    }, {once: true});
    load(r.value === "sound" ? root.dataset.soundSource : root.dataset.source);
  }));

  // Subtitles: hls.js loads the chosen language's cues into a text track of the
  // element; an <audio> shows none, so the cue being heard is written out here.
  const caption = document.querySelector("[data-caption]");
  function showCue() {
    const track = Array.from(audio.textTracks).find((t) => t.mode === "showing");
    const cues = track && track.activeCues ? Array.from(track.activeCues) : [];
    const text = cues.map((c) => c.text.replace(/<[^>]*>/g, "")).join(" ");
    caption.textContent = text;
    caption.hidden = !text;
  }
  if (caption) {
    audio.textTracks.addEventListener("addtrack", (e) => e.track.addEventListener("cuechange", showCue));
    audio.textTracks.addEventListener("change", showCue);
    document.querySelectorAll("input[name=subtitles]").forEach((r) => r.addEventListener("change", chooseSubtitles));
  }
  function chooseSubtitles() {
    const r = document.querySelector("input[name=subtitles]:checked");
    const index = r ? Number(r.value) : -1;
    if (hls) { hls.subtitleDisplay = index >= 0; hls.subtitleTrack = index; }
    else Array.from(audio.textTracks).forEach((t, i) => { t.mode = i === index ? "showing" : "disabled"; });
    if (caption) showCue();
  }
  window.plenaryRecording = {  // for the tests, and anyone scripting the page
    audio: audio,
    track: () => (hls ? hls.audioTrack : chosen()),
    tracks: () => (hls ? hls.audioTracks.map((t) => t.lang) : []),
    subtitles: () => (hls ? hls.subtitleTracks.map((t) => t.lang) : []),
    video: () => audio.videoWidth || 0,  // 0: no picture (sound only, or none)
    caption: () => (caption && !caption.hidden ? caption.textContent : ""),
  };
  if (live) {
    audio.addEventListener("ended", () => {
      const ended = document.getElementById("recording-ended");
      ended.textContent = root.dataset.msgEnded;
      ended.hidden = false;
    });
    return;  // no speed, moments, chapters or transcript while live
  }

  document.getElementById("recording-speed").addEventListener("change", (e) => {
    audio.playbackRate = Number(e.target.value);
  });

  // A moment: the address's #t=<seconds>, and a button that makes one.
  function seekToHash() {
    const found = /(?:^#|&)t=(\d+(?:\.\d+)?)/.exec(location.hash);
    if (found) audio.currentTime = Number(found[1]);
  }
  audio.addEventListener("loadedmetadata", seekToHash, {once: true});
  window.addEventListener("hashchange", seekToHash);
  const output = document.getElementById("recording-link");
  document.getElementById("recording-share").addEventListener("click", async () => {
    const url = new URL(location.href);
    url.hash = "t=" + Math.floor(audio.currentTime);
    output.textContent = url.href;
    try {
      await navigator.clipboard.writeText(url.href);
      output.textContent = url.href + " · " + root.dataset.msgCopied;
    } catch (e) { /* no clipboard: the link stays shown to copy by hand */ }
  });

  // Chapters and transcript lines: a click goes there; the one being heard is marked.
  const marks = Array.from(document.querySelectorAll("[data-chapters] [data-at], [data-transcript] [data-at]"));
  marks.forEach((b) => b.addEventListener("click", () => { audio.currentTime = Number(b.dataset.at); }));
  function current(list) {
    let found = null;
    list.forEach((b) => { if (Number(b.dataset.at) <= audio.currentTime) found = b; });
    list.forEach((b) => { if (b === found) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current"); });
  }
  const chapters = marks.filter((b) => b.closest("[data-chapters]"));
  const lines = marks.filter((b) => b.closest("[data-transcript]"));
  audio.addEventListener("timeupdate", () => { current(chapters); current(lines); });
  const search = document.getElementById("transcript-search");
  if (search) {
    const none = document.querySelector("[data-transcript-none]");
    search.addEventListener("input", () => {
      const words = search.value.trim().toLocaleLowerCase();
      let shown = 0;
      lines.forEach((b) => {
        const hit = !words || b.textContent.toLocaleLowerCase().includes(words);
        b.parentElement.hidden = !hit;
        if (hit) shown += 1;
      });
      none.hidden = shown > 0;
    });
  }

})();
