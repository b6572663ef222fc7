/*
 * Outreach Admin: type-ahead (ARIA 1.2 combobox with a listbox popup). Loaded on every page from
 * base.html (deferred); no framework, no inline script.
 *
 *   <div data-typeahead="navigate" data-typeahead-url="/search/suggest/">
 *     <input data-typeahead-input name="q">            the header search box: a suggestion is a
 *   </div>                                             link; Enter on none submits the form (the
 *                                                      full results page)
 *   <div data-typeahead="pick" data-typeahead-url="/search/suggest/?kind=person">
 *     <input type="hidden" name="contact" data-typeahead-value>
 *     <input data-typeahead-input name="contact_search">  a picker: a suggestion writes its id
 *   </div>                                             into the hidden input, its label into the box
 *
 * The server renders plain inputs; this file adds role=combobox, aria-expanded, aria-controls,
 * aria-activedescendant and the role=listbox popup, so without JavaScript the header box is the
 * ordinary search form and a picker is a text box whose typed ID or name the form resolves.
 *
 * Keys: ArrowDown/ArrowUp move through the suggestions (and open them), Enter takes the
 * highlighted one, Escape closes the list (a second Escape is left to app.js), Tab closes it.
 * The endpoint answers {results: [{id, title, detail, label, url, kind_label}], all_url} or a
 * 400 {error}; a stale answer (the text changed since) is dropped.
 */
(function () {
  "use strict";

  var DELAY_MS = 150;
  var MIN_LENGTH = 2;
  var counter = 0;

  function setup(root) {
    if (root.getAttribute("data-typeahead-ready")) return;
    root.setAttribute("data-typeahead-ready", "1");
    var mode = root.getAttribute("data-typeahead") || "navigate";
    var url = root.getAttribute("data-typeahead-url");
    var input = root.querySelector("[data-typeahead-input]");
    var hidden = root.querySelector("[data-typeahead-value]");
    if (!input || !url) return;

    counter += 1;
    var listId = "typeahead-list-" + counter;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "typeahead-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", mode === "pick" ? "Matching records" : "Suggestions");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    root.appendChild(list);
    root.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;
    var lastText = null;

    function open() {
      if (!items.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      setActive(-1);
    }

    function setActive(index) {
      var options = list.querySelectorAll('[role="option"]');
      active = index;
      for (var i = 0; i < options.length; i++) {
        var on = i === index;
        options[i].setAttribute("aria-selected", on ? "true" : "false");
        options[i].classList.toggle("active", on);
      }
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(data) {
      list.textContent = "";
      items = (data && data.results) || [];
      if (mode === "navigate" && items.length && data.all_url) {
        items = items.concat([{ all: true, url: data.all_url, title: "See all results" }]);
      }
      var lastKind = null;
      items.forEach(function (item, i) {
        var li = document.createElement("li");
        li.id = listId + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.className = "typeahead-option" + (item.all ? " typeahead-all" : "");
        li.setAttribute("data-index", String(i));
        var title = document.createElement("span");
        title.className = "typeahead-title";
        title.textContent = item.title;
        li.appendChild(title);
        if (mode === "navigate" && !item.all && item.kind_label) {
          var kind = document.createElement("span");
          kind.className = "typeahead-kind";
          kind.textContent = item.kind_label;
          li.appendChild(kind);
          if (item.kind !== lastKind) li.classList.add("typeahead-first-of-kind");
          lastKind = item.kind;
        }
        if (item.detail) {
          var detail = document.createElement("span");
          detail.className = "typeahead-detail";
          detail.textContent = item.detail + (mode === "pick" ? " · #" + item.id : "");
          li.appendChild(detail);
        } else if (mode === "pick") {
          var idOnly = document.createElement("span");
          idOnly.className = "typeahead-detail";
          idOnly.textContent = "#" + item.id;
          li.appendChild(idOnly);
        }
        list.appendChild(li);
      });
      var found = (data && data.results) ? data.results.length : 0;
      if (data && data.error) {
        status.textContent = data.error;
      } else {
        status.textContent = found
          ? found + (found === 1 ? " suggestion" : " suggestions") + ": use the arrow keys"
          : "No matches";
      }
      active = -1;
      if (items.length) open(); else close();
    }

    function fetchNow() {
      var text = input.value.trim();
      if (text === lastText) return;
      lastText = text;
      if (text.length < MIN_LENGTH) {
        seq += 1;
        items = [];
        list.textContent = "";
        close();
        return;
      }
      var mine = (seq += 1);
      var sep = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + sep + "q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) return { results: [] };
          return response.json();
        })
        .then(function (data) {
          if (mine === seq) render(data);
        })
        .catch(function () {
          if (mine === seq) render({ results: [] });
        });
    }

    function choose(index) {
      var item = items[index];
      if (!item) return;
      if (mode === "pick") {
        if (hidden) hidden.value = String(item.id);
        input.value = item.label;
        lastText = input.value.trim();
        close();
        input.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
      close();
      window.location.assign(item.url);
    }

    input.addEventListener("input", function () {
      if (hidden) hidden.value = "";  // the typed text, not an earlier pick, is what counts now
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchNow, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.isComposing) return;
      var key = event.key;
      var expanded = !list.hidden;
      if (key === "ArrowDown" || key === "ArrowUp") {
        if (!items.length) return;
        event.preventDefault();
        if (!expanded) {
          open();
          setActive(key === "ArrowDown" ? 0 : items.length - 1);
          return;
        }
        var step = key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next < 0) next = items.length - 1;
        if (next >= items.length) next = 0;
        setActive(next);
      } else if (key === "Enter") {
        if (expanded && active >= 0) {
          event.preventDefault();
          choose(active);
        }
      } else if (key === "Escape") {
        if (expanded) {
          event.preventDefault();  // app.js skips handled keys: the box keeps the focus
          event.stopPropagation();
          close();
        }
      } else if (key === "Tab") {
        close();
      }
    });

    input.addEventListener("focus", function () {
      if (items.length && input.value.trim() === lastText) open();
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 0);
    });

    // mousedown would blur the box before the click: keep the focus, then take the option.
    list.addEventListener("mousedown", function (event) {
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var li = event.target.closest('[role="option"]');
      if (li) choose(Number(li.getAttribute("data-index")));
    });
    list.addEventListener("mousemove", function (event) {
      var li = event.target.closest('[role="option"]');
      if (li) {
        var index = Number(li.getAttribute("data-index"));
        if (index !== active) setActive(index);
      }
    });
  }

  function init(scope) {
    (scope || document).querySelectorAll("[data-typeahead]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  // Content swapped in by htmx (a form in a fragment) gets its pickers too.
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
