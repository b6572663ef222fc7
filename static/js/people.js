/* Duplicates queue triage: j/k move the selection, m opens the pair, n/d post "not a duplicate"
 * or "defer" for the selected pair. The buttons carry data-hotkey, so app.js presses them and
 * lists them under "?"; this file only gives them meaning. No inline script (strict CSP). */
(function () {
  "use strict";
  var bar = document.getElementById("triage-bar");
  if (!bar) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-pair-url]"));
  var form = document.getElementById("triage-form");
  var index = rows.length ? 0 : -1;

  function select(i) {
    if (!rows.length) return;
    index = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) {
      r.classList.toggle("table-active", j === index);
      r.setAttribute("aria-selected", j === index ? "true" : "false");
    });
    rows[index].scrollIntoView({ block: "nearest" });
  }

  function post(url) {
    if (!form || !url) return;
    form.setAttribute("action", url);
    form.submit();
  }

  rows.forEach(function (r, i) {
    r.addEventListener("click", function (ev) {
      if (ev.target.closest("a, button, input")) return;
      select(i);
    });
  });

  bar.addEventListener("click", function (ev) {
    var button = ev.target.closest("[data-triage]");
    if (!button || index < 0) return;
    var row = rows[index];
    switch (button.getAttribute("data-triage")) {
      case "next": select(index + 1); break;
      case "prev": select(index - 1); break;
      case "open": window.location.href = row.getAttribute("data-pair-url"); break;
      case "not-duplicate": post(row.getAttribute("data-not-duplicate-url")); break;
      case "defer": post(row.getAttribute("data-defer-url")); break;
    }
  });

  select(0);
})();
