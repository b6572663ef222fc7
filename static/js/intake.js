// Intake pages: upload progress and "select all" checkboxes on the batch page.
(function () {
  "use strict";

  // Select-all header checkbox: <input data-select-all="load_ids"> toggles every load_ids box.
  document.querySelectorAll("[data-select-all]").forEach(function (master) {
    master.addEventListener("change", function () {
      var name = master.getAttribute("data-select-all");
      document.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (box) {
        box.checked = master.checked;
      });
    });
  });

  // Upload with a progress bar: send the form with XHR, then show the page the server answers.
  var form = document.querySelector("form[data-upload-progress]");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var bar = form.querySelector("[data-upload-bar]");
  var inner = bar ? bar.querySelector(".progress-bar") : null;
  var status = form.querySelector("[data-upload-status]");
  form.addEventListener("submit", function (event) {
    var file = form.querySelector('input[type="file"]');
    if (!file || !file.files.length || !bar) {
      return; // pasted JSON: a normal post is quick
    }
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) { button.disabled = true; }
    bar.classList.remove("d-none");
    status.classList.remove("d-none");
    status.textContent = "Uploading…";
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) {
        var pct = Math.round((e.loaded / e.total) * 100);
        inner.style.width = pct + "%";
        bar.setAttribute("aria-valuenow", String(pct));
        status.textContent = pct < 100 ? "Uploading… " + pct + "%" : "Checking every row, then storing in chunks…";
      }
    });
    xhr.addEventListener("load", function () {
      // Show the page the server answered with (the batch page after its redirect, or the form
      // with its errors) without fetching it again: a second request would lose the messages.
      var url = xhr.responseURL || window.location.href;
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (url !== window.location.href) {
        window.history.replaceState(null, "", url);
      }
    });
    xhr.addEventListener("error", function () {
      status.textContent = "The upload failed (network error). Nothing was stored; try again.";
      if (button) { button.disabled = false; }
    });
    xhr.send(new FormData(form));
  });
})();
