// Look up the chosen provision in the base editions: select the edition that
// has it and, for a MOD, fill in its base text so that the drafter edits only
// what changes. The form works without this script.
(function () {
  "use strict";
  var form = document.querySelector("form[data-provisions]");
  if (!form) return;
  var pid = form.querySelector("[name=pid]");
  var text = form.querySelector("[name=text]");
  var action = form.querySelector("[name=action]");
  var edition = form.querySelector("[name=edition]");
  var status = document.getElementById("base-text-status");
  function lookUp() {
    if (!pid.value.trim()) return;
    fetch(form.dataset.provisions + encodeURIComponent(pid.value.trim()), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        var match = found.filter(function (p) { return String(p.edition) === edition.value; })[0];
        if (!match && found.length === 1) {
          match = found[0];
          edition.value = String(match.edition);
        }
        var modifies = action.value === "MOD" || action.value === "(MOD)";
        var base = match && (match.texts[form.dataset.language] || "");
        if (modifies && base && !text.value.trim()) {
          text.value = base;
          status.textContent = form.dataset.filled;
        }
      });
  }
  pid.addEventListener("change", lookUp);
  action.addEventListener("change", lookUp);
})();
