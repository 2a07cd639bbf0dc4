// The what-if page: each weight's number follows its slider at once; htmx (the form's
// hx-get) asks the server for the re-ranked table. No interface text here.
(function () {
  "use strict";
  function show(input) {
    var output = document.getElementById(input.id + "-value");
    if (output) output.value = Number(input.value).toFixed(2);
  }
  function start() {
    var form = document.getElementById("whatif-form");
    if (!form) return;
    form.addEventListener("input", function (event) {
      if (event.target instanceof HTMLInputElement && event.target.type === "range") {
        show(event.target);
      }
    });
    form.querySelectorAll('input[type="range"]').forEach(show);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
