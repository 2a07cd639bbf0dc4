/* The Compare page's chart: one line per country over the chosen editions. Drawn again
   whenever htmx swaps #compare-content (a country added or removed, another index). */
(function () {
  "use strict";

  function render() {
    const element = document.getElementById("compare-chart");
    const data = egov.data("compare-chart-data");
    if (!element || !data) return;
    egov.chart(element, {
      aria: { label: { description: data.labels.description } },
      tooltip: { trigger: "axis", valueFormatter: egov.score },
      legend: { top: 0, type: "scroll" },
      grid: { left: 48, right: 24, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.years.map(String), boundaryGap: false },
      yAxis: { type: "value", min: 0, name: data.labels.index },
      series: data.series.map((country) => ({
        name: country.name,
        type: "line",
        data: country.values,
        symbolSize: 6,
      })),
    });
  }

  render();
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.target && event.target.id === "compare-content") render();
    else if (document.getElementById("compare-chart") && !document.getElementById("compare-chart").dataset.rendered) render();
  });
})();
