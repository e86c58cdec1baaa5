// The document on the room's screen: follows the session's state (the snapshot and the
// document.* events of the session socket), lets each reader detach to read on their own
// and come back, and lets the chair and secretariat show, page and clear it.
(() => {
  "use strict";
  const panel = document.getElementById("doc-screen");
  const live = document.getElementById("live");
  if (!panel || !live || !window.PlenaryLive) return;
  const socket = window.PlenaryLive.open(live.dataset.session);
  const presents = panel.dataset.presents === "1";
  const $ = (selector) => panel.querySelector(selector);
  const fmt = (text, values) => text.replace(/%\((\w+)\)s/g, (_m, key) => values[key]);
  let shown = null;  // the room's document and page, as the server says
  let following = true;
  let page = 1;  // the page this reader sees

  // The public webcast shows public documents only (the pages of the others are refused to
  // anonymous readers anyway): for those it only says that one is on screen.
  const publicOnly = panel.hasAttribute("data-public-only");

  function render() {
    panel.hidden = !shown;
    if (!shown) return;
    const withheld = publicOnly && !shown.public;
    panel.querySelectorAll(".doc-screen-title, .doc-screen-page, .actions").forEach((part) => {
      part.hidden = withheld;
    });
    if (withheld) {
      $("[data-doc-mode]").textContent = panel.dataset.textNotPublic;
      return;
    }
    const values = { reference: shown.reference, page, count: shown.pages };
    $("[data-doc-ref]").textContent = shown.reference;
    const title = $("[data-doc-title]");
    title.textContent = shown.title;
    title.lang = shown.title_language;
    title.dir = "auto";
    $("[data-doc-link]").href = `${shown.path}#page-${page}`;
    const image = $("[data-doc-image]");
    const source = `${shown.path}${page}.png`;
    if (image.getAttribute("src") !== source) image.src = source;
    image.alt = fmt(panel.dataset.textAlt, values);
    image.lang = shown.language;
    panel.dataset.page = String(page);
    $("[data-doc-caption]").textContent = fmt(panel.dataset.textPage, values);
    $("[data-doc-prev]").disabled = page <= 1;
    $("[data-doc-next]").disabled = page >= shown.pages;
    $("[data-doc-detach]").hidden = !following;
    $("[data-doc-follow]").hidden = following;
    $("[data-doc-mode]").textContent = following
      ? panel.dataset.textFollowing
      : fmt(panel.dataset.textDetached, { page: shown.page });
  }

  function roomChanged(document_) {
    const before = shown;
    shown = document_;
    if (!shown) {
      if (before) $("[data-doc-mode]").textContent = panel.dataset.textCleared;
      following = true;
    } else if (following) {
      page = shown.page;
    } else if (!before || before.document_id !== shown.document_id) {
      following = true;  // another document: everyone looks at it
      page = shown.page;
    }
    render();
  }

  socket.on((message) => {
    if (message.type === "snapshot") roomChanged((message.state && message.state.document) || null);
    else if (message.type === "document.shown") roomChanged(Object.assign({}, message.data));
    else if (message.type === "document.page" && shown) roomChanged(Object.assign({}, shown, { page: message.data.page }));
    else if (message.type === "document.cleared") roomChanged(null);
  });

  function turn(delta) {
    if (!shown) return;
    const target = Math.min(Math.max(page + delta, 1), shown.pages);
    if (presents && following) {
      socket.send("documents.page", { page: target });  // the room turns, this page with it
      return;
    }
    following = false;
    page = target;
    render();
  }
  $("[data-doc-prev]").addEventListener("click", () => turn(-1));
  $("[data-doc-next]").addEventListener("click", () => turn(1));
  $("[data-doc-detach]").addEventListener("click", () => { following = false; render(); });
  $("[data-doc-follow]").addEventListener("click", () => {
    following = true;
    if (shown) page = shown.page;
    render();
  });

  const form = document.querySelector("[data-doc-show]");
  if (form) {
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const choice = form.querySelector("#doc-choice");
      socket.send("documents.show", {
        document_id: Number(choice.value),
        language: choice.selectedOptions[0].dataset.language,
        page: Number(form.querySelector("#doc-start-page").value) || 1,
      });
    });
  }
  const clear = document.querySelector("[data-doc-clear]");
  if (clear) clear.addEventListener("click", () => socket.send("documents.clear"));
})();
