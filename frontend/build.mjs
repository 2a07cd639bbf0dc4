// Builds the offline front-end assets into src/egov/web/static/vendor/ (docs/frontend.md).
//
//   echarts/echarts.min.js           ECharts partial bundle (src/echarts.js), minified IIFE
//   world/countries-110m.geo.json    country shapes as GeoJSON, one feature per ISO3 code
//   htmx/htmx.min.js                 htmx, the package's own minified file
//   */LICENSE*, NOTICE               the licence of everything shipped in that folder
//   VERSIONS.md, manifest.json       each asset: npm package, version, licence, build, size, sha256
//
// Run through bin/build-assets (npm ci, this script, then verify.mjs). Nothing here is fetched:
// every input is an installed npm package or the ISO 3166 table of the shared data folder.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

import * as esbuild from "esbuild";
import { feature, merge } from "topojson-client";

const FRONTEND = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(FRONTEND, "..");
const VENDOR = path.join(ROOT, "src/egov/web/static/vendor");
const MODULES = path.join(FRONTEND, "node_modules");

// Same rule as egov.config.data_dir(): EGOV_DATA_DIR, relative paths from the repository root.
const DATA_DIR = path.resolve(ROOT, process.env.EGOV_DATA_DIR || "../shared/data");
const ISO_TABLE = path.join(DATA_DIR, "countries/iso3166-m49-all.csv");
const MEMBERS_TABLE = path.join(ROOT, "src/egov/data/members.csv");

// Decimal places kept in the GeoJSON coordinates: 0.01° is about 1 km, finer than a pixel of
// a world map at 1:110m; the small states drawn from finer layers keep 0.001° (about 100 m).
const PRECISION = { "110m": 2, "50m": 3, "10m": 3 };

// Shapes that Natural Earth draws without an ISO 3166 numeric code. They keep their place on
// the map (no holes) under codes from ISO 3166-1's user-assigned range X.., which never collide
// with an assigned code; XKX is the code the EU and the World Bank use for Kosovo. The 1:110m
// layer has the first three; the other two are in the finer layers (should one become the base).
const WITHOUT_ISO_CODE = {
  Kosovo: "XKX",
  "N. Cyprus": "XNC",
  Somaliland: "XSL",
  "Siachen Glacier": "XSG",
  "Indian Ocean Ter.": "XIO",
};

function packageOf(name) {
  return JSON.parse(fs.readFileSync(path.join(MODULES, name, "package.json"), "utf8"));
}

function csvRows(file) {
  // The two tables read here are plain CSV: quoted fields hold no commas we need.
  const lines = fs
    .readFileSync(file, "utf8")
    .split(/\r?\n/)
    .filter((line) => line && !line.startsWith("#"));
  const split = (line) => line.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/).map((v) => v.replace(/^"|"$/g, ""));
  const header = split(lines[0]);
  return lines.slice(1).map((line) => Object.fromEntries(split(line).map((v, i) => [header[i], v])));
}

function sizes(file) {
  const bytes = fs.readFileSync(file);
  return {
    bytes: bytes.length,
    gzip: zlib.gzipSync(bytes, { level: 9 }).length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

// --- ECharts -----------------------------------------------------------------------------------

async function buildEcharts() {
  const echarts = packageOf("echarts");
  const zrender = packageOf("zrender");
  const tslib = packageOf("tslib");
  const out = path.join(VENDOR, "echarts/echarts.min.js");
  await esbuild.build({
    entryPoints: [path.join(FRONTEND, "src/echarts.js")],
    outfile: out,
    bundle: true,
    minify: true,
    format: "iife",
    globalName: "echarts",
    target: ["es2019"],
    platform: "browser",
    define: { "process.env.NODE_ENV": '"production"', __DEV__: "false" },
    legalComments: "none",
    banner: {
      js:
        `/*! ECharts ${echarts.version} partial bundle (Apache-2.0, see NOTICE) with zrender ` +
        `${zrender.version} (BSD-3-Clause) and tslib ${tslib.version} (0BSD); licences in this ` +
        `folder, contents in ../VERSIONS.md. Built by egov-observatory frontend/build.mjs. */`,
    },
    logLevel: "warning",
  });
  const dir = path.join(VENDOR, "echarts");
  copy(path.join(MODULES, "echarts/LICENSE"), path.join(dir, "LICENSE"));
  copy(path.join(MODULES, "echarts/NOTICE"), path.join(dir, "NOTICE"));
  copy(path.join(MODULES, "echarts/licenses/LICENSE-d3"), path.join(dir, "LICENSE-d3"));
  copy(path.join(MODULES, "zrender/LICENSE"), path.join(dir, "LICENSE-zrender"));
  copy(path.join(MODULES, "tslib/LICENSE.txt"), path.join(dir, "LICENSE-tslib"));
  return {
    file: "echarts/echarts.min.js",
    package: "echarts",
    version: echarts.version,
    licence: echarts.license,
    licences: ["echarts/LICENSE", "echarts/NOTICE", "echarts/LICENSE-d3", "echarts/LICENSE-zrender", "echarts/LICENSE-tslib"],
    includes: [`zrender ${zrender.version} (${zrender.license})`, `tslib ${tslib.version} (${tslib.license})`],
    built: "esbuild bundle of frontend/src/echarts.js: minified IIFE, window.echarts = echarts/core API",
  };
}

// --- World geometry ----------------------------------------------------------------------------

// Coordinates rounded to `places` decimals; a point equal to the one before it goes, and so
// does a ring that rounding shrinks below a triangle (a polygon goes with its outer ring).
function roundGeometry(geometry, places) {
  const factor = 10 ** places;
  const roundRing = (ring) => {
    const out = [];
    for (const [x, y] of ring) {
      const point = [Math.round(x * factor) / factor, Math.round(y * factor) / factor];
      const last = out.at(-1);
      if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
    }
    return out.length >= 4 ? out : null;
  };
  const polygons = (geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates)
    .map((polygon) => polygon.map(roundRing))
    .filter((rings) => rings[0])
    .map((rings) => rings.filter(Boolean));
  if (!polygons.length) throw new Error(`rounding to ${places} decimals left nothing of a shape`);
  return polygons.length === 1
    ? { type: "Polygon", coordinates: polygons[0] }
    : { type: "MultiPolygon", coordinates: polygons };
}

// Natural Earth stores a ring that crosses the antimeridian (Russia's Chukotka, Fiji) with a
// jump from 180° to -180°, which d3's spherical projections cut and a flat map draws as a band
// across the world. Such a ring is unwrapped into continuous longitudes, then clipped into the
// part east of -180° and the part west of 180°, each shifted back into [-180°, 180°]. A ring
// around a pole (Antarctica) does not close once unwrapped and is left as it is.
function clipRing(ring, keep, edge) {
  const out = [];
  for (let i = 0; i < ring.length; i++) {
    const [a, b] = [ring[i], ring[(i + 1) % ring.length]];
    if (keep(a)) out.push(a);
    if (keep(a) !== keep(b)) out.push([edge, a[1] + ((b[1] - a[1]) * (edge - a[0])) / (b[0] - a[0])]);
  }
  if (out.length && (out[0][0] !== out.at(-1)[0] || out[0][1] !== out.at(-1)[1])) out.push(out[0]);
  return out.length >= 4 ? out : null;
}

function cutAtAntimeridian(polygons) {
  const result = [];
  for (const polygon of polygons) {
    const crosses = polygon.some((ring) => ring.some((p, i) => i && Math.abs(p[0] - ring[i - 1][0]) > 180));
    if (!crosses) {
      result.push(polygon);
      continue;
    }
    const unwrapped = polygon.map((ring) => {
      const out = [ring[0]];
      for (const [lon, lat] of ring.slice(1)) {
        let x = lon;
        while (x - out.at(-1)[0] > 180) x -= 360;
        while (x - out.at(-1)[0] < -180) x += 360;
        out.push([x, lat]);
      }
      return out;
    });
    if (unwrapped.some((ring) => Math.abs(ring[0][0] - ring.at(-1)[0]) > 1e-9)) {
      result.push(polygon); // around a pole
      continue;
    }
    const shift = unwrapped[0].some((p) => p[0] > 180) ? 180 : -180; // the side it spills over
    for (const [keep, offset] of [
      [(p) => (shift > 0 ? p[0] <= 180 : p[0] >= -180), 0],
      [(p) => (shift > 0 ? p[0] >= 180 : p[0] <= -180), shift > 0 ? -360 : 360],
    ]) {
      const rings = unwrapped.map((ring) => clipRing(ring, keep, shift));
      if (!rings[0]) continue;
      result.push(rings.filter(Boolean).map((ring) => ring.map(([x, y]) => [x + offset, y])));
    }
  }
  return result;
}

function flatGeometry(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
  const cut = cutAtAntimeridian(polygons);
  return cut.length === 1 ? { type: "Polygon", coordinates: cut[0] } : { type: "MultiPolygon", coordinates: cut };
}

// Every shape of one layer, merged per ISO3 code (Natural Earth draws Ashmore and Cartier
// Islands apart from Australia at 50m, under Australia's code). The base layer must name every
// shape; the finer layers only lend Member States, so their unnamed shapes are skipped.
function countryShapes(resolution, numericToIso3, { base }) {
  const file = path.join(MODULES, `world-atlas/countries-${resolution}.json`);
  const topology = JSON.parse(fs.readFileSync(file, "utf8"));
  const groups = new Map();
  for (const geometry of topology.objects.countries.geometries) {
    const name = geometry.properties.name;
    const iso3 = geometry.id === undefined ? WITHOUT_ISO_CODE[name] : numericToIso3.get(geometry.id);
    if (!iso3 && base) throw new Error(`${file}: no ISO3 code for ${geometry.id} "${name}"`);
    if (!iso3) continue;
    if (!groups.has(iso3)) groups.set(iso3, []);
    groups.get(iso3).push(geometry);
  }
  const shapes = new Map();
  for (const [iso3, geometries] of groups) {
    const geometry =
      geometries.length === 1 ? feature(topology, geometries[0]).geometry : merge(topology, geometries);
    shapes.set(iso3, { name: geometries[0].properties.name, geometry: flatGeometry(geometry), resolution });
  }
  return shapes;
}

function buildWorld() {
  const atlas = packageOf("world-atlas");
  const numericToIso3 = new Map(csvRows(ISO_TABLE).map((row) => [row["country-code"], row["alpha-3"]]));
  const members = csvRows(MEMBERS_TABLE).map((row) => row.iso3);
  if (members.length !== 193) throw new Error(`${MEMBERS_TABLE}: ${members.length} members, not 193`);

  // 1:110m for the map, then each Member State it lacks from 1:50m, then from 1:10m.
  const shapes = countryShapes("110m", numericToIso3, { base: true });
  const missingAt = { "110m": members.filter((iso3) => !shapes.has(iso3)) };
  for (const resolution of ["50m", "10m"]) {
    const finer = countryShapes(resolution, numericToIso3, { base: false });
    for (const iso3 of members) {
      if (!shapes.has(iso3) && finer.has(iso3)) shapes.set(iso3, finer.get(iso3));
    }
    missingAt[resolution] = members.filter((iso3) => !finer.has(iso3));
  }
  const withoutShape = members.filter((iso3) => !shapes.has(iso3));

  const features = [...shapes.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([iso3, shape]) => ({
      type: "Feature",
      id: iso3,
      properties: { iso3, name: shape.name },
      geometry: roundGeometry(shape.geometry, PRECISION[shape.resolution]),
    }));
  const out = path.join(VENDOR, "world/countries-110m.geo.json");
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify({ type: "FeatureCollection", features }));
  copy(path.join(MODULES, "world-atlas/LICENSE"), path.join(VENDOR, "world/LICENSE"));
  const finer = features.filter((f) => shapes.get(f.id).resolution !== "110m");
  return {
    asset: {
      file: "world/countries-110m.geo.json",
      package: "world-atlas",
      version: atlas.version,
      licence: `${atlas.license} (package); Natural Earth data: public domain`,
      licences: ["world/LICENSE"],
      includes: [],
      built:
        "topojson-client feature() of countries-110m.json, plus countries-50m.json/10m.json for " +
        "Member States absent at 110m; ISO 3166 numeric ids mapped to ISO3 with " +
        "iso3166-m49-all.csv; coordinates rounded to 0.01° (0.001° for the finer shapes)",
    },
    report: {
      features: features.length,
      members_missing_at: missingAt,
      members_from_finer_layers: finer.map((f) => `${f.id} (${shapes.get(f.id).resolution})`),
      members_without_shape: withoutShape,
      non_iso_codes: Object.fromEntries(
        Object.entries(WITHOUT_ISO_CODE).filter(([, code]) => shapes.has(code)),
      ),
    },
  };
}

// --- htmx --------------------------------------------------------------------------------------

function buildHtmx() {
  const htmx = packageOf("htmx.org");
  copy(path.join(MODULES, "htmx.org/dist/htmx.min.js"), path.join(VENDOR, "htmx/htmx.min.js"));
  copy(path.join(MODULES, "htmx.org/LICENSE"), path.join(VENDOR, "htmx/LICENSE"));
  return {
    file: "htmx/htmx.min.js",
    package: "htmx.org",
    version: htmx.version,
    licence: htmx.license,
    licences: ["htmx/LICENSE"],
    includes: [],
    built: "copied unchanged from the package's dist/htmx.min.js",
  };
}

// --- Manifest ----------------------------------------------------------------------------------

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

function writeManifest(assets, world) {
  for (const asset of assets) Object.assign(asset, sizes(path.join(VENDOR, asset.file)));
  const manifest = { assets, world: world.report };
  fs.writeFileSync(path.join(VENDOR, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  const rows = assets.map(
    (a) =>
      `| \`${a.file}\` | \`${a.package}\` | ${a.version} | ${a.licence} | ${kb(a.bytes)} | ${kb(a.gzip)} |`,
  );
  const built = assets.map((a) => `- \`${a.file}\`: ${a.built}.` + (a.includes.length ? ` Includes ${a.includes.join(", ")}.` : ""));
  const r = world.report;
  const text = `# Vendored front-end assets

Generated by \`bin/build-assets\` (frontend/build.mjs) from the npm packages pinned in
\`frontend/package-lock.json\`; do not edit by hand. \`manifest.json\` holds the same facts
with the SHA-256 of each file. See docs/frontend.md.

| file | npm package | version | licence | size | gzip -9 |
|---|---|---|---|---|---|
${rows.join("\n")}

## How each was built
${built.join("\n")}

## World geometry
- ${r.features} features, each with \`iso3\` and \`name\` properties (Natural Earth's short name).
- Member States absent from the 1:110m layer (${r.members_missing_at["110m"].length}), drawn from a finer layer instead:
  ${r.members_from_finer_layers.join(", ")}.
- Member States without any shape: ${r.members_without_shape.length ? r.members_without_shape.join(", ") : "none"}.
- Shapes without an ISO 3166 code, under user-assigned codes: ${Object.entries(r.non_iso_codes)
    .map(([name, code]) => `${code} ${name}`)
    .join(", ")}.
`;
  fs.writeFileSync(path.join(VENDOR, "VERSIONS.md"), text);
  return manifest;
}

const world = buildWorld();
const assets = [await buildEcharts(), world.asset, buildHtmx()];
const manifest = writeManifest(assets, world);
for (const a of manifest.assets) console.log(`${a.file}: ${a.package} ${a.version}, ${kb(a.bytes)}, gzip ${kb(a.gzip)}`);
console.log(`world: ${world.report.features} features; Member States without shape: ${world.report.members_without_shape.join(" ") || "none"}`);
