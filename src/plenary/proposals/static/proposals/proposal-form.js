// Fill a MOD's text with the base text of the chosen provision, so that the
// drafter edits only what changes. Works without it: the text can be typed.
(function () {
  "use strict";
  var form = document.querySelector("form[data-provisions]");
  if (!form) return;
  var pid = form.querySelector("[name=pid]");
  var text = form.querySelector("[name=text]");
  var action = form.querySelector("[name=action]");
  var edition = form.querySelector("[name=edition]");
  var status = document.getElementById("base-text-status");
  function fill() {
    if (!pid.value.trim() || text.value.trim()) return;
    if (action.value !== "MOD" && action.value !== "(MOD)") return;
    fetch(form.dataset.provisions + encodeURIComponent(pid.value.trim()), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        var match = found.filter(function (p) { return String(p.edition) === edition.value; })[0];
        var base = match && (match.texts[form.dataset.language] || "");
        if (base && !text.value.trim()) {
          text.value = base;
          status.textContent = form.dataset.filled;
        }
      });
  }
  pid.addEventListener("change", fill);
  action.addEventListener("change", fill);
})();
