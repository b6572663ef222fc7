/*
 * Companies pages: the open-slot queue's keyboard flow and small layout touches.
 * Loaded from templates/companies/*.html ({% block extra_js %}); no inline script anywhere.
 *
 *   Queue: rows carry data-queue-row and data-href. The toolbar buttons [data-queue-move="1|-1"]
 *   (bound to j / k through app.js's data-hotkey registry) move the highlight; [data-queue-open]
 *   (Enter) opens the highlighted row's slot. Clicking a row highlights it.
 *   .coverage-bar[data-pct] gets its width from the data attribute (no inline styles under CSP).
 */
(function () {
  "use strict";

  var current = -1;

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-queue-row]"));
  }

  function highlight(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (row, i) {
      row.classList.toggle("is-current", i === index);
      if (i === index) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    current = index;
    all[index].scrollIntoView({ block: "nearest" });
  }

  function openCurrent() {
    var all = rows();
    var row = all[current] || all[0];
    if (row && row.getAttribute("data-href")) window.location.href = row.getAttribute("data-href");
  }

  document.addEventListener("click", function (event) {
    var move = event.target.closest && event.target.closest("[data-queue-move]");
    if (move) {
      event.preventDefault();
      highlight(current + parseInt(move.getAttribute("data-queue-move"), 10));
      return;
    }
    if (event.target.closest && event.target.closest("[data-queue-open]")) {
      event.preventDefault();
      openCurrent();
      return;
    }
    var row = event.target.closest && event.target.closest("tr[data-queue-row]");
    if (row && !event.target.closest("a, button, input")) highlight(rows().indexOf(row));
  });

  document.querySelectorAll(".coverage-bar[data-pct]").forEach(function (bar) {
    bar.style.width = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-pct")) || 0)) + "%";
  });
  document.querySelectorAll(".bulk-number").forEach(function (input) {
    input.style.width = "5rem";
  });
  document.querySelectorAll(".reason-input").forEach(function (input) {
    input.style.width = "14rem";
  });
  if (rows().length) highlight(0);
})();
