// Proves the built assets work together, without a browser: loads the committed
// vendor/echarts/echarts.min.js the way a <script> tag would (a fresh global scope, no module
// system), registers vendor/world/countries-110m.geo.json and renders, with ECharts' server-side
// SVG renderer, a choropleth and each chart type the bundle claims. Exit 1 on any failure.
//
//   node verify.mjs [--write DIR]   also writes the SVGs to DIR to look at them
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

const FRONTEND = path.dirname(fileURLToPath(import.meta.url));
const VENDOR = path.resolve(FRONTEND, "../src/egov/web/static/vendor");
const writeTo = process.argv.includes("--write") ? process.argv[process.argv.indexOf("--write") + 1] : null;

const context = vm.createContext({ console, setTimeout, clearTimeout, Math, Date });
vm.runInContext(fs.readFileSync(path.join(VENDOR, "echarts/echarts.min.js"), "utf8"), context, {
  filename: "echarts.min.js",
});
const echarts = context.echarts;
assert.equal(typeof echarts?.init, "function", "echarts.min.js did not define a global echarts");
assert.equal(typeof echarts.registerMap, "function");

const world = JSON.parse(fs.readFileSync(path.join(VENDOR, "world/countries-110m.geo.json"), "utf8"));
echarts.registerMap("world", world);

function render(name, option) {
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width: 800, height: 400 });
  chart.setOption({ animation: false, aria: { enabled: true }, ...option });
  const svg = chart.renderToSVGString();
  chart.dispose();
  assert.match(svg, /^<svg[\s>]/, `${name}: not an SVG`);
  if (writeTo) {
    fs.mkdirSync(writeTo, { recursive: true });
    fs.writeFileSync(path.join(writeTo, `${name}.svg`), svg);
  }
  console.log(`${name}: ${svg.length} bytes of SVG`);
  return svg;
}

// A choropleth keyed by ISO3, as the world map page draws it.
const values = world.features.map((f, i) => ({ name: f.properties.iso3, value: (i % 100) / 100 }));
const map = render("choropleth", {
  title: { text: "EGDI" },
  tooltip: {},
  visualMap: { min: 0, max: 1, calculable: true },
  series: [{ type: "map", map: "world", nameProperty: "iso3", data: values }],
});
const fills = new Set(map.match(/fill="[^"]+"/g));
assert.ok(fills.size > 20, `choropleth: only ${fills.size} distinct fills, the values did not colour the map`);
const paths = (map.match(/<path /g) || []).length;
assert.ok(paths >= world.features.length, `choropleth: ${paths} paths for ${world.features.length} features`);

const editions = ["2003", "2004", "2005", "2008", "2010", "2012", "2014", "2016", "2018", "2020", "2022", "2024"];
const series = (type) => [{ type, name: "EGDI", data: editions.map((_, i) => 0.4 + i / 40) }];
render("line", {
  title: { text: "EGDI" },
  legend: {},
  tooltip: { trigger: "axis" },
  dataZoom: [{ type: "inside" }, { type: "slider" }],
  xAxis: { type: "category", data: editions },
  yAxis: { type: "value", min: 0, max: 1 },
  series: [{ ...series("line")[0], markLine: { data: [{ yAxis: 0.55, name: "World average" }] } }],
});
render("bar", { xAxis: { type: "category", data: editions }, yAxis: {}, series: series("bar") });
render("scatter", {
  dataset: { source: [["osi", "hci"], [0.2, 0.4], [0.6, 0.7], [0.9, 0.8]] },
  xAxis: {},
  yAxis: {},
  series: [{ type: "scatter" }],
});
render("radar", {
  radar: { indicator: ["C", "A", "S", "H", "E"].map((name) => ({ name, max: 1 })) },
  series: [{ type: "radar", data: [{ value: [0.2, 0.5, 0.7, 0.4, 0.9], name: "METER" }] }],
});

// The aria component writes its description onto the chart's DOM element, which server-side
// rendering has not (ECharts: "TODO: support for SSR"); the browser tests check the label. Here:
// its English template is in the bundle.
assert.ok(fs.readFileSync(path.join(VENDOR, "echarts/echarts.min.js"), "utf8").includes("This is a chart"));

// The Canvas renderer is in the bundle too (browsers use it; Node has no canvas to draw on).
assert.ok(fs.readFileSync(path.join(VENDOR, "echarts/echarts.min.js"), "utf8").includes("getContext"));
console.log("verify: ok");
