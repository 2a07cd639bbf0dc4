/* Regions and groups: the bar chart of group means (with each group's minimum and maximum and
   the world average line) and the trend of each group's mean across editions. Figures and
   strings come from the page's json_script "groups-data"; the tables beside the charts hold
   the same figures. */
(function () {
  "use strict";

  const data = egov.data("groups-data");
  if (!data) return;
  const text = data.strings;
  const form = document.getElementById("groups-form");
  if (form) {
    // With JavaScript a new choice shows at once; without it the button submits the form.
    form.addEventListener("change", () => form.requestSubmit());
    form.querySelector("button[type=submit]").hidden = true;
  }

  // Without JavaScript the figures stay hidden and the tables say it all.
  for (const figure of document.querySelectorAll("figure.chart[hidden]")) figure.hidden = false;

  const lines = (params) =>
    params
      .filter((item) => item.value !== null && item.value !== undefined && item.value !== "-")
      .map((item) => `${item.marker}${item.seriesName}: ${egov.score(item.value)}`)
      .join("<br>");

  egov.chart(document.querySelector("#groups-chart .canvas"), {
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      formatter: (params) => `${params[0].name}<br>${lines(params)}`,
    },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: 40, bottom: 64 },
    xAxis: {
      type: "category",
      data: data.groups,
      axisLabel: { interval: 0, rotate: data.groups.length > 6 ? 30 : 0 },
    },
    yAxis: { type: "value", min: 0, name: text.index },
    series: [
      {
        name: text.mean,
        type: "bar",
        data: data.mean,
        markLine: {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", color: "#1b1f24" },
          label: { formatter: () => `${text.world} ${egov.score(data.world)}`, position: "insideEndTop" },
          data: [{ name: text.world, yAxis: data.world }],
        },
      },
      { name: text.minimum, type: "scatter", data: data.minimum, symbol: "triangle", symbolSize: 10, symbolRotate: 180 },
      { name: text.maximum, type: "scatter", data: data.maximum, symbol: "triangle", symbolSize: 10 },
    ],
  });

  const trend = data.trend;
  egov.chart(document.querySelector("#trend-chart .canvas"), {
    tooltip: {
      trigger: "axis",
      formatter: (params) => `${params[0].name}<br>${lines(params)}`,
    },
    legend: { top: 0 },
    grid: { left: 48, right: 24, top: trend.series.length > 8 ? 96 : 48, bottom: 32 },
    xAxis: { type: "category", data: trend.years, boundaryGap: false },
    yAxis: { type: "value", min: 0, name: text.index },
    series: trend.series
      .map((series) => ({ name: series.name, type: "line", data: series.values, connectNulls: false }))
      .concat([
        {
          name: text.world,
          type: "line",
          data: trend.world,
          lineStyle: { type: "dashed", width: 3, color: "#1b1f24" },
          itemStyle: { color: "#1b1f24" },
          z: 3,
        },
      ]),
  });
})();
