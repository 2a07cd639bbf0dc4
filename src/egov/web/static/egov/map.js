/* World map: a choropleth of one index in one edition, keyed by ISO3. Values, localised names,
   the profile URL pattern and the strings come from the page's json_script "map-data"; the
   table below the map holds the same values, by rank. */
(function () {
  "use strict";

  const data = egov.data("map-data");
  if (!data) return;
  const text = data.strings;
  const form = document.getElementById("map-form");
  if (form) {
    // With JavaScript a new choice reloads the map at once; without it the button submits.
    form.addEventListener("change", () => form.requestSubmit());
    form.querySelector("button[type=submit]").hidden = true;
  }

  const escape = (value) =>
    String(value).replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
  const profile = (iso3) => data.profile.replace(data.placeholder, encodeURIComponent(iso3));
  const items = data.values.map((row) => ({
    name: row.name,
    value: row.value === null ? "-" : row.value,
    rank: row.rank,
    label: row.label,
  }));

  const visualMap = data.pieces
    ? { type: "piecewise", pieces: data.pieces, left: 8, bottom: 8, itemSymbol: "rect" }
    : {
        type: "continuous",
        min: 0,
        max: data.max,
        text: [text.high, text.low],
        calculable: false,
        inRange: { color: ["#e8f4fb", "#7cc4e8", "#0b5e91"] },
        left: 8,
        bottom: 8,
      };

  const figure = document.getElementById("map-chart");
  figure.hidden = false;
  // Fold the table before drawing: folding it later shortens the page, the scroll bar goes,
  // the chart resizes and every country moves under a pointer already aimed at it.
  document.getElementById("map-table").open = false;
  egov.world(data.geometry).then(() => {
    const chart = egov.chart(figure.querySelector(".canvas"), {
      tooltip: {
        trigger: "item",
        formatter: (params) => {
          const row = params.data;
          if (!row) return escape(params.name);
          const value = row.value === "-" ? text.noValue : egov.score(row.value);
          const rank = row.rank === null ? "–" : row.rank;
          return `<strong>${escape(row.label)}</strong><br>${escape(text.index)}: ${value}<br>${escape(text.rank)}: ${rank}`;
        },
      },
      visualMap: Object.assign({ outOfRange: { color: "#d0d4d9" } }, visualMap),
      series: [
        {
          type: "map",
          map: "world",
          nameProperty: "iso3",
          roam: true,
          scaleLimit: { min: 1, max: 12 },
          selectedMode: false,
          itemStyle: { areaColor: "#d0d4d9", borderColor: "#ffffff", borderWidth: 0.5 },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#fcc30b" } },
          data: items,
        },
      ],
    });
    chart.on("click", (params) => {
      if (params.data) window.location.assign(profile(params.data.name));
    });
  });
})();
