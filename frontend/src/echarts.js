// The ECharts partial bundle of the Data Center: only the charts, components and renderers its
// pages use. build.mjs bundles this file into static/vendor/echarts/echarts.min.js, an IIFE that
// sets window.echarts to the echarts/core API (init, registerMap, use, graphic, ...).
//
// Left out on purpose (docs/frontend.md has the sizes): ToolboxComponent (33 KB: save as image,
// data view; the pages print their own data table), LabelLayout (12 KB: label overlap hiding).
//
// Adding a chart type or a component: import it here, add it to use(), run bin/build-assets and
// commit the rebuilt asset together with vendor/VERSIONS.md and vendor/manifest.json.
import * as echarts from "echarts/core";
import { BarChart, LineChart, MapChart, RadarChart, ScatterChart } from "echarts/charts";
import {
  AriaComponent, // screen-reader descriptions (option.aria)
  DatasetComponent, // charts fed from the same rows as the data table
  DataZoomComponent, // inside + slider
  GeoComponent,
  GridComponent,
  LegendComponent, // plain + scroll
  MarkLineComponent, // the world average line
  TitleComponent,
  TooltipComponent,
  VisualMapComponent, // continuous + piecewise, for the choropleth
} from "echarts/components";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

echarts.use([
  BarChart,
  LineChart,
  MapChart,
  RadarChart,
  ScatterChart,
  AriaComponent,
  DatasetComponent,
  DataZoomComponent,
  GeoComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export * from "echarts/core";
