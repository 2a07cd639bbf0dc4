/* Cooperation projects: the timeline. One horizontal bar a project, from the start of its first
   year to the end of its last, coloured by status, with its dated milestones as points. Rows,
   statuses and strings come from the page's json_script "projects-data", in the order of the
   table #projects-table, which carries the same rows. */
(function () {
  "use strict";

  const data = egov.data("projects-data");
  if (!data || !data.rows.length) return;
  const form = document.getElementById("projects-form");
  if (form) {
    // With JavaScript a new choice shows at once; without it the button submits the form.
    form.addEventListener("change", () => form.requestSubmit());
    form.querySelector("button[type=submit]").hidden = true;
  }

  const figure = document.getElementById("projects-chart");
  figure.hidden = false;

  const rows = data.rows;
  // Top to bottom as in the table: ECharts draws the first category at the bottom.
  const labels = rows.map((row) => row.label).reverse();
  const at = (index) => rows.length - 1 - index;
  const first = Math.min(...rows.map((row) => row.start));
  const last = Math.max(...rows.map((row) => row.end));
  const statusLabel = Object.fromEntries(data.statuses);

  // From grey (a project being formulated) through yellow and orange to blue and green.
  const colours = {
    formulation: "#8c959f",
    document_drafted: "#fcc30b",
    document_approved: "#fd6925",
    signed: "#a21942",
    implementing: "#009edb",
    completed: "#4c9f38",
  };
  const bars = data.statuses.map(([code, label]) => ({
    name: label,
    type: "bar",
    stack: "period",
    barWidth: "55%",
    itemStyle: { color: colours[code] },
    data: labels.map((_, position) => {
      const row = rows[at(position)];
      return row.status === code ? row.end - row.start : "-";
    }),
  }));
  const offset = {
    name: "offset",
    type: "bar",
    stack: "period",
    silent: true,
    itemStyle: { color: "transparent" },
    tooltip: { show: false },
    data: labels.map((_, position) => rows[at(position)].start - first),
  };
  const milestones = {
    name: data.strings.milestone,
    type: "scatter",
    symbol: "diamond",
    symbolSize: 12,
    itemStyle: { color: "#1b1f24" },
    z: 5,
    data: rows.flatMap((row, index) =>
      row.milestones.map((m) => ({ value: [m.at - first, at(index)], when: m.when, label: m.label })),
    ),
  };

  egov.chart(figure.querySelector(".canvas"), {
    tooltip: {
      trigger: "item",
      formatter: (item) => {
        if (item.seriesType === "scatter") return `${item.data.when}: ${item.data.label}`;
        const row = rows[at(item.dataIndex)];
        return `${row.label}<br>${statusLabel[row.status]} · ${data.strings.period} ${row.years}`;
      },
    },
    legend: { top: 0, data: data.statuses.map(([, label]) => label).concat([data.strings.milestone]) },
    grid: { left: 8, right: 24, top: 56, bottom: 32, containLabel: true },
    xAxis: {
      type: "value",
      min: 0,
      max: last - first,
      interval: 1,
      axisLabel: { formatter: (value) => String(first + value) },
      splitLine: { show: true },
    },
    yAxis: {
      type: "category",
      data: labels,
      axisLabel: { width: 320, overflow: "truncate" },
    },
    series: [offset, ...bars, milestones],
  });
})();
