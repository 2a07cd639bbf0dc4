/* METER pages. The questionnaire: htmx saves each statement as it changes; a refused save
   (422) or a closed assessment (409) still shows its answer beside the statement, and the
   statement is marked while it has problems. The focal point's page: a Copy button for the
   personal link shown once. No interface text here: it is all in the pages. */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (!target || !target.classList.contains("save-state")) return;
    const statement = target.closest("fieldset.statement");
    if (!statement) return;
    const failed = target.querySelector(".unsaved") !== null;
    statement.classList.toggle("has-errors", failed);
    statement.dataset.saved = failed ? "false" : "true";
  });

  function copy(button) {
    const field = document.querySelector(button.dataset.copy);
    if (!field) return;
    field.select();
    const done = function () { button.dataset.copied = "true"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {});
    } else if (document.execCommand("copy")) {
      done();
    }
  }

  function start() {
    document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
    const link = document.getElementById("new-link-url");
    if (link) link.addEventListener("focus", function () { link.select(); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
