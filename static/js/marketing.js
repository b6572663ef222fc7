/*
 * Renewals and campaign builder behaviour (no inline scripts; see app.js for the conventions).
 *   [data-build-selected]   the "Build campaign" button: enabled and counted from the ticked
 *                           company checkboxes (data-select-group="renewals")
 *   #create-form input[data-mirror="<id>"]   copied from the field with that id on submit, so a
 *                           name typed after the last preview is not lost
 */
(function () {
  "use strict";

  function updateSelection() {
    var button = document.querySelector("[data-build-selected]");
    if (!button) return;
    var boxes = document.querySelectorAll('input[name="company"][data-select-group="renewals"]');
    var n = Array.prototype.filter.call(boxes, function (b) { return b.checked; }).length;
    var count = button.querySelector("[data-selected-count]");
    if (count) count.textContent = String(n);
    button.disabled = n === 0;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches('input[type="checkbox"][data-select-group="renewals"]')) {
      // app.js toggles the group on the select-all box; count after it has run.
      window.setTimeout(updateSelection, 0);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id !== "create-form") return;
    event.target.querySelectorAll("input[data-mirror]").forEach(function (hidden) {
      var source = document.getElementById(hidden.getAttribute("data-mirror"));
      if (source) hidden.value = source.value;
    });
  }, true);

  document.addEventListener("DOMContentLoaded", updateSelection);
  if (document.readyState !== "loading") updateSelection();
})();
