/*
 * Outreach Admin: page behaviour. Loaded on every page from base.html (deferred).
 * No inline scripts anywhere: templates declare behaviour with data attributes, this file wires it
 * up with delegated listeners, so content swapped in later by htmx works without re-binding.
 *
 *   data-hotkey="j"                 press j to activate the element (links/buttons are clicked,
 *                                   form fields are focused). Case-sensitive: "J" means Shift+j.
 *   data-hotkey-help="Next row"     description shown in the ? help (defaults to the element's
 *                                   aria-label, title or text)
 *   data-hotkey-target="search"     "/" focuses it (or the first field inside it)
 *   ?                               opens the shortcut help (#shortcut-help modal in base.html)
 *   <form data-confirm="Merge 3 pairs?">            asks confirm() before submitting; also on a
 *   <button type="submit" data-confirm="...">       submit button, for that button only
 *   <input type="checkbox" class="js-select-all" data-select-group="rows">
 *                                   toggles every checkbox with data-select-group="rows"
 *   <a href="/" data-history-back>  goes back in the browser history when there is any (the
 *                                   href is the fallback)
 */
(function () {
  "use strict";

  var BUILTIN_SHORTCUTS = [
    { key: "?", help: "Show this list of keyboard shortcuts" },
  ];
  var SEARCH_SHORTCUT = { key: "/", help: "Focus the search / filter box" };
  var FIELD_SELECTOR =
    'input:not([type="hidden"]):not([type="checkbox"]):not([type="radio"]):not([type="submit"])' +
    ':not([type="button"]):not([type="reset"]):not([disabled]), select:not([disabled]), ' +
    "textarea:not([disabled])";

  // ---- helpers ---------------------------------------------------------------------------------

  function isTypingTarget(el) {
    if (!el || el === document.body) return false;
    if (el.isContentEditable) return true;
    var tag = el.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      var type = (el.getAttribute("type") || "text").toLowerCase();
      return ["checkbox", "radio", "button", "submit", "reset", "image", "file", "range", "color"]
        .indexOf(type) === -1;
    }
    return false;
  }

  function isFormField(el) {
    return el.matches(FIELD_SELECTOR);
  }

  function isVisible(el) {
    if (el.closest("[hidden], [inert]")) return false;
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function isDisabled(el) {
    return el.disabled === true || el.getAttribute("aria-disabled") === "true" ||
      el.classList.contains("disabled");
  }

  function openModal() {
    return document.querySelector(".modal.show");
  }

  function flash(el) {
    el.classList.remove("hotkey-flash");
    // Restart the animation if the same element is activated twice in a row.
    void el.offsetWidth;
    el.classList.add("hotkey-flash");
    window.setTimeout(function () { el.classList.remove("hotkey-flash"); }, 700);
  }

  function describe(el) {
    var text = el.getAttribute("data-hotkey-help") || el.getAttribute("aria-label") ||
      el.getAttribute("title") || el.textContent || "";
    return text.replace(/\s+/g, " ").trim();
  }

  function keyLabel(key) {
    var names = { " ": "Space", "Escape": "Esc", "ArrowUp": "\u2191", "ArrowDown": "\u2193",
      "ArrowLeft": "\u2190", "ArrowRight": "\u2192", "Enter": "Enter" };
    return names[key] || key;
  }

  // ---- shortcut registry -----------------------------------------------------------------------

  /** Elements bound to `key` on the page, in document order, usable right now. */
  function elementsFor(key, scope) {
    var nodes = (scope || document).querySelectorAll("[data-hotkey]");
    return Array.prototype.filter.call(nodes, function (el) {
      return el.getAttribute("data-hotkey") === key && isVisible(el) && !isDisabled(el);
    });
  }

  function searchTarget() {
    var target = document.querySelector('[data-hotkey-target="search"]');
    if (!target) return null;
    if (isFormField(target)) return target;
    var fields = Array.prototype.filter.call(target.querySelectorAll(FIELD_SELECTOR), isVisible);
    return fields[0] || null;
  }

  /** Every shortcut on the page: [{key, help}], built-ins first, one entry per key. */
  function listShortcuts() {
    var seen = {};
    var out = [];
    function add(key, help) {
      if (!key || seen[key]) return;
      seen[key] = true;
      out.push({ key: key, help: help });
    }
    BUILTIN_SHORTCUTS.forEach(function (s) { add(s.key, s.help); });
    if (searchTarget()) add(SEARCH_SHORTCUT.key, SEARCH_SHORTCUT.help);
    document.querySelectorAll("[data-hotkey]").forEach(function (el) {
      if (!isVisible(el) || el.closest(".modal")) return;
      add(el.getAttribute("data-hotkey"), describe(el) || "(no description)");
    });
    return out;
  }

  function activate(el) {
    if (isFormField(el)) {
      el.focus();
      if (typeof el.select === "function" && el.tagName === "INPUT") el.select();
    } else {
      if (typeof el.focus === "function") el.focus({ preventScroll: false });
      el.click();
    }
    flash(el);
  }

  function showHelp() {
    var modalEl = document.getElementById("shortcut-help");
    if (!modalEl) return;
    var list = modalEl.querySelector("[data-shortcut-list]");
    if (list) {
      list.replaceChildren();
      listShortcuts().forEach(function (s) {
        var row = document.createElement("tr");
        var keyCell = document.createElement("th");
        keyCell.scope = "row";
        var kbd = document.createElement("kbd");
        kbd.textContent = keyLabel(s.key);
        keyCell.appendChild(kbd);
        var helpCell = document.createElement("td");
        helpCell.textContent = s.help;
        row.appendChild(keyCell);
        row.appendChild(helpCell);
        list.appendChild(row);
      });
    }
    if (window.bootstrap && window.bootstrap.Modal) {
      window.bootstrap.Modal.getOrCreateInstance(modalEl).show();
    } else {
      modalEl.hidden = false;
    }
  }

  function onKeydown(event) {
    if (event.defaultPrevented || event.isComposing) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var key = event.key;
    if (!key || key === "Shift") return;

    var active = document.activeElement;
    if (isTypingTarget(event.target) || isTypingTarget(active)) {
      // Escape leaves the search box so the other shortcuts work again.
      if (key === "Escape" && active && active.closest('[data-hotkey-target="search"]')) {
        active.blur();
      }
      return;
    }

    var modal = openModal();
    if (key === "?") {
      if (modal) return;
      event.preventDefault();
      showHelp();
      return;
    }
    if (key === "/" && !modal) {
      var field = searchTarget();
      if (field) {
        event.preventDefault();
        field.focus();
        if (typeof field.select === "function" && field.tagName === "INPUT") field.select();
        flash(field);
        return;
      }
    }
    // While a dialog is open only shortcuts declared inside it apply.
    var targets = elementsFor(key, modal || document);
    if (!targets.length) return;
    event.preventDefault();
    activate(targets[0]);
  }

  // ---- confirm before submit -------------------------------------------------------------------

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var submitter = event.submitter;
    var message = (submitter && submitter.getAttribute("data-confirm")) ||
      form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }

  // ---- select-all checkboxes -------------------------------------------------------------------

  function groupBoxes(group) {
    var boxes = document.querySelectorAll('input[type="checkbox"][data-select-group]');
    return Array.prototype.filter.call(boxes, function (box) {
      return box.getAttribute("data-select-group") === group &&
        !box.classList.contains("js-select-all");
    });
  }

  function syncSelectAll(group) {
    var members = groupBoxes(group);
    var checked = members.filter(function (b) { return b.checked; }).length;
    document.querySelectorAll("input.js-select-all[data-select-group]").forEach(function (all) {
      if (all.getAttribute("data-select-group") !== group) return;
      all.checked = members.length > 0 && checked === members.length;
      all.indeterminate = checked > 0 && checked < members.length;
    });
  }

  function onChange(event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    var group = box.getAttribute("data-select-group");
    if (!group) return;
    if (box.classList.contains("js-select-all")) {
      var state = box.checked;
      groupBoxes(group).forEach(function (member) {
        if (member.disabled || member.checked === state) return;
        member.checked = state;
        member.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
    syncSelectAll(group);
  }

  // ---- history back ----------------------------------------------------------------------------

  function onClick(event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
      event.shiftKey || event.altKey) return;
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (!link) return;
    var sameOriginReferrer = document.referrer &&
      document.referrer.indexOf(window.location.origin + "/") === 0;
    if (window.history.length > 1 && sameOriginReferrer) {
      event.preventDefault();
      window.history.back();
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------

  document.addEventListener("keydown", onKeydown);
  document.addEventListener("submit", onSubmit, true);
  document.addEventListener("change", onChange);
  document.addEventListener("click", onClick);

  // Small public surface for page scripts and tests.
  window.OutreachAdmin = Object.assign(window.OutreachAdmin || {}, {
    shortcuts: listShortcuts,
    showShortcutHelp: showHelp,
  });
})();
