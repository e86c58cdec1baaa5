// A document's page: follow the conversion of files still being processed, then reload
// once so that the download and reading links appear.
(() => {
  "use strict";
  const waiting = [...document.querySelectorAll(".doc-file")].filter((item) => {
    const state = item.querySelector(".doc-processing");
    return state && ["queued", "running"].includes(state.dataset.processing);
  });
  if (!waiting.length) return;
  let rounds = 0;
  const poll = async () => {
    rounds += 1;
    let finished = 0;
    for (const item of waiting) {
      try {
        const reply = await fetch(item.dataset.statusUrl, { credentials: "same-origin" });
        if (!reply.ok) continue;
        const status = await reply.json();
        const badge = item.querySelector(".doc-processing");
        badge.textContent = status.step ? `${status.step} ${status.progress} %` : status.processing_label;
        if (!["queued", "running"].includes(status.processing)) finished += 1;
      } catch (_error) { /* offline for a moment: try again on the next round */ }
    }
    if (finished === waiting.length) window.location.reload();
    else if (rounds < 300) window.setTimeout(poll, 2000);
  };
  window.setTimeout(poll, 1000);
})();
