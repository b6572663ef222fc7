/*
 * Bulk actions on list pages. A header checkbox with data-select-all="<form id>" ticks or
 * clears every row checkbox that belongs to that form (input[form=<id>]); the bulk form's
 * submit button says how many rows are selected and refuses to submit with none.
 */
(function () {
  "use strict";

  function boxes(formId) {
    return Array.prototype.slice.call(
      document.querySelectorAll('input[type="checkbox"][name="ids"][form="' + formId + '"]')
    );
  }

  function refresh(formId) {
    var form = document.getElementById(formId);
    if (!form) return;
    var all = boxes(formId);
    var n = all.filter(function (b) { return b.checked; }).length;
    var head = document.querySelector('[data-select-all="' + formId + '"]');
    if (head) {
      head.checked = n > 0 && n === all.length;
      head.indeterminate = n > 0 && n < all.length;
    }
    var button = form.querySelector('button[type="submit"]');
    if (button) {
      if (!button.dataset.label) button.dataset.label = button.textContent;
      button.textContent = button.dataset.label.replace("selected", n + " selected");
      button.disabled = n === 0;
    }
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var formId = target.getAttribute("data-select-all");
    if (formId) {
      boxes(formId).forEach(function (b) { b.checked = target.checked; });
      refresh(formId);
    } else if (target.name === "ids" && target.getAttribute("form")) {
      refresh(target.getAttribute("form"));
    }
  });

  document.querySelectorAll("[data-select-all]").forEach(function (head) {
    refresh(head.getAttribute("data-select-all"));
  });
})();
