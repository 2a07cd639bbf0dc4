/* Shared by every page with a chart. Pages put their figures in <script type="application/json">
   (Django's json_script) and their translated strings there too, so no text lives in JS. */
(function () {
  "use strict";
  const egov = (window.egov = {});

  egov.palette = ["#009edb", "#e5243b", "#4c9f38", "#fd6925", "#8f1838", "#26bde2", "#fcc30b", "#a21942"];

  /** The parsed JSON of a json_script element. */
  egov.data = function (id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  };

  /** An ECharts instance on `element`, SVG renderer, aria on, resized with its box. */
  egov.chart = function (element, option) {
    const existing = echarts.getInstanceByDom(element);
    if (existing) existing.dispose();
    option.aria = Object.assign({ enabled: true }, option.aria || {});
    option.color = option.color || egov.palette;
    const chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    new ResizeObserver(() => chart.resize()).observe(element);
    element.dataset.rendered = "true";
    return chart;
  };

  /** Four decimals as published; an en dash for a missing value. */
  egov.score = function (value) {
    return value === null || value === undefined ? "–" : Number(value).toFixed(4);
  };

  let worldMap = null;
  /** Registers the world geometry once as map "world"; resolves when it can be drawn. */
  egov.world = function (url) {
    if (!worldMap) {
      worldMap = fetch(url)
        .then((response) => response.json())
        .then((geometry) => {
          echarts.registerMap("world", geometry);
          return geometry;
        });
    }
    return worldMap;
  };
})();
