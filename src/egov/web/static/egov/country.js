/* The country profile's charts: every index over the editions, the rank (1 at the top) and
   the EGDI of its regional peers. Figures and labels come from #country-chart-data. */
(function () {
  "use strict";

  function render() {
    const data = egov.data("country-chart-data");
    if (!data) return;
    const tooltip = { trigger: "axis", valueFormatter: egov.score };

    const indices = document.getElementById("country-indices-chart");
    if (indices) {
      egov.chart(indices, {
        aria: { label: { description: data.labels.indices } },
        tooltip: tooltip,
        legend: { top: 0 },
        grid: { left: 48, right: 24, top: 40, bottom: 32 },
        xAxis: { type: "category", data: data.years.map(String), boundaryGap: false },
        yAxis: { type: "value", min: 0 },
        series: data.indices.map((index) => ({
          name: index.label,
          type: "line",
          data: index.values,
          symbolSize: 6,
          lineStyle: { width: index.code === "egdi" ? 3 : 2 },
        })),
      });
    }

    const ranks = document.getElementById("country-rank-chart");
    if (ranks) {
      egov.chart(ranks, {
        aria: { label: { description: data.labels.ranks } },
        tooltip: { trigger: "axis" },
        grid: { left: 48, right: 24, top: 24, bottom: 32 },
        xAxis: { type: "category", data: data.years.map(String), boundaryGap: false },
        yAxis: { type: "value", inverse: true, min: 1, minInterval: 1, name: data.labels.rank },
        series: [{ name: data.labels.rank, type: "line", data: data.ranks, symbolSize: 6 }],
      });
    }

    const peers = document.getElementById("country-peers-chart");
    if (peers) {
      const highlight = egov.palette[1];
      egov.chart(peers, {
        aria: { label: { description: data.labels.peers } },
        tooltip: { trigger: "axis", valueFormatter: egov.score },
        grid: { left: 48, right: 24, top: 24, bottom: 8, containLabel: true },
        xAxis: {
          type: "category",
          data: data.peers.names,
          axisLabel: { interval: 0, rotate: data.peers.names.length > 6 ? 50 : 0 },
        },
        yAxis: { type: "value", min: 0, max: 1 },
        series: [
          {
            name: data.labels.egdi,
            type: "bar",
            data: data.peers.egdi.map((value, at) => ({
              value: value,
              itemStyle: data.peers.current[at] ? { color: highlight } : undefined,
            })),
          },
        ],
      });
    }
  }

  render();
})();
