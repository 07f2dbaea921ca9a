// Simpul: the little JavaScript the portal needs. Everything works without it, only slower.
(function () {
  "use strict";
  // CSRF: copy the token from <meta name="csrf-token"> into every htmx request.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.getAttribute("content"); }
  });
  // Cascading selects fill through htmx; their no-JavaScript "Pilih" buttons go (and so never
  // become the button that Enter presses).
  function dropRefreshButtons(root) {
    root.querySelectorAll("button.nojs-refresh").forEach(function (b) { b.remove(); });
  }
  dropRefreshButtons(document);
  document.addEventListener("htmx:load", function (event) { dropRefreshButtons(event.detail.elt); });
  // An upload through htmx (hx-encoding="multipart/form-data") shows its progress in the
  // form's <progress class="upload-progress"> (a slow connection sees it move).
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target && event.target.closest ? event.target.closest("form") : null;
    var bar = form ? form.querySelector("progress.upload-progress") : null;
    if (!bar || !event.detail.lengthComputable) { return; }
    bar.hidden = false;
    bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
  });
  // A file input cannot travel through hx-boost; those forms set hx-boost="false".
  // Keep the "identity unknown" details open when the box is ticked.
  // The disaster block of the case form: shown only for a disaster category.
  function showDisaster(root) {
    var block = (root || document).querySelector("fieldset.disaster[data-categories]");
    var category = document.getElementById("category");
    if (!block || !category) { return; }
    var wanted = block.getAttribute("data-categories").split(" ");
    block.hidden = wanted.indexOf(category.value) < 0;
  }
  // The SIKS-NG preview's apply button says how many rows it applies (the matched ones and the
  // ticked rows whose name differs) and is disabled while that is none.
  function applyCount() {
    document.querySelectorAll("button[data-apply-base]").forEach(function (button) {
      var ticked = button.form.querySelectorAll('input[name="confirm"]:checked').length;
      var n = parseInt(button.getAttribute("data-apply-base"), 10) + ticked;
      var out = button.querySelector("[data-apply-count]");
      if (out) { out.textContent = String(n); }
      button.disabled = n === 0;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { showDisaster(document); applyCount(); });
  document.addEventListener("htmx:load", function () { showDisaster(document); applyCount(); });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.id === "category") { showDisaster(document); }
    if (target && target.name === "confirm") { applyCount(); }
    if (target && target.id === "identity_unknown") {
      var details = document.querySelector(".unknown-details");
      if (details && target.checked) { details.open = true; }
    }
  });
})();
