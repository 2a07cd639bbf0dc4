/* A METER assessment's readiness profile: a radar of the pillar scores (0-100), one series
   per stakeholder group and one for all groups together, drawn thicker and filled. A radar
   draws a missing value at its centre: a series without a score on some pillar is dashed and
   unfilled, and the page says which (the view leaves out pillars nobody has a score on).
   Figures and labels come from #meter-chart-data; the page prints them as a table too. */
(function () {
  "use strict";

  function render() {
    const data = egov.data("meter-chart-data");
    const element = document.getElementById("meter-radar");
    if (!data || !element) return;
    const combined = data.series.length - 1;
    egov.chart(element, {
      aria: { label: { description: data.labels.description } },
      tooltip: { trigger: "item" },
      legend: { bottom: 0 },
      radar: {
        indicator: data.pillars.map((pillar) => ({ name: pillar.id + " " + pillar.name, max: 100 })),
        radius: "65%",
        splitNumber: 4,
      },
      series: [
        {
          type: "radar",
          symbolSize: 5,
          data: data.series.map((series, at) => ({
            name: series.label,
            value: series.values.map((value) => (value === null ? "-" : value)),
            lineStyle: {
              width: at === combined ? 3 : 1.5,
              type: series.complete ? "solid" : "dashed",
            },
            areaStyle: at === combined && series.complete ? { opacity: 0.15 } : undefined,
          })),
        },
      ],
    });
  }

  render();
})();
