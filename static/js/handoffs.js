/*
 * Handoff pages. List: j / k move the highlighted row (tr.is-current), o opens it. The keys are
 * declared in the template as buttons with data-hotkey (app.js presses them); this file gives
 * the buttons their behaviour. Handoff page: r focuses the reject reason (plain data-hotkey on
 * the select), a / c press the Accept / Close buttons.
 */
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-row-table] tbody tr[data-row]"));
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.findIndex(function (row) { return row.classList.contains("is-current"); });
    var next = index === -1 ? (step > 0 ? 0 : all.length - 1)
      : Math.min(all.length - 1, Math.max(0, index + step));
    all.forEach(function (row) { row.classList.remove("is-current"); row.removeAttribute("aria-current"); });
    all[next].classList.add("is-current");
    all[next].setAttribute("aria-current", "true");
    all[next].scrollIntoView({ block: "nearest" });
  }

  function openCurrent() {
    var row = document.querySelector("[data-row-table] tbody tr.is-current");
    var link = row && row.querySelector("a[data-row-link]");
    if (link) window.location.assign(link.href);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-row-nav]");
    if (!button) return;
    var what = button.getAttribute("data-row-nav");
    if (what === "next") move(1);
    else if (what === "prev") move(-1);
    else if (what === "open") openCurrent();
  });
})();
