/* The edition ranking: htmx swaps the table as the reader types or filters (see ranking.html);
   this script only keeps URLs clean, switches edition keeping the filters, and puts the
   filters back in step with the URL when the back button restores an earlier table.
   No interface text here. Listeners sit on the document: a history restore replaces the body. */
(function () {
  "use strict";
  const filters = () => document.getElementById("ranking-filters");

  // A shareable URL carries only what differs from the defaults: no "region=&q=".
  document.addEventListener("htmx:configRequest", function (event) {
    const form = filters();
    if (!form || !form.contains(event.detail.elt)) return;
    const parameters = event.detail.parameters;
    for (const name of Array.from(new FormData(form).keys())) {
      if (!parameters[name]) delete parameters[name];
    }
  });

  // Another edition, same filters and sort: location.search is kept current by hx-push-url.
  document.addEventListener("change", function (event) {
    const select = event.target;
    if (select.id !== "ranking-edition") return;
    const option = select.options[select.selectedIndex];
    window.location.assign(option.dataset.url + window.location.search);
  });

  // Back or forward: htmx restores the table of that URL; the fields follow the URL.
  document.addEventListener("htmx:historyRestore", function () {
    const form = filters();
    if (!form) return;
    const params = new URLSearchParams(window.location.search);
    for (const field of form.elements) {
      if (field.name && field.type !== "submit") field.value = params.get(field.name) || "";
    }
  });
})();
