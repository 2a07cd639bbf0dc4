"""The vendored front-end assets are complete, licensed, pinned and served from the site only.

The assets are built by ``bin/build-assets`` from ``frontend/`` and committed (docs/frontend.md);
these tests read the committed files and need neither node nor a database.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

from egov.config import PROJECT_ROOT
from egov.data.countries import CountryRegistry

VENDOR = PROJECT_ROOT / "src" / "egov" / "web" / "static" / "vendor"
FRONTEND = PROJECT_ROOT / "frontend"
WORLD = VENDOR / "world" / "countries-110m.geo.json"

#: Member States with no shape in the world geometry. Natural Earth draws every one of the 193
#: (the small states absent at 1:110m come from its 1:50m and 1:10m layers), so it is empty;
#: a state added here must also be named in docs/frontend.md.
WITHOUT_GEOMETRY: frozenset[str] = frozenset()

#: Shapes Natural Earth draws without an ISO 3166 code, under user-assigned codes
#: (frontend/build.mjs, WITHOUT_ISO_CODE).
NON_ISO_CODES = {"XKX", "XNC", "XSL"}  # Kosovo, N. Cyprus, Somaliland

#: Files shipped beside the assets, not assets themselves.
NOT_ASSETS = re.compile(r"^(LICENSE.*|NOTICE)$")

TEMPLATE_FOLDERS = [
    PROJECT_ROOT / "src" / "egov" / "web" / "templates",
    *sorted((PROJECT_ROOT / "src" / "egov" / "web").glob("*/templates")),
]

#: An attribute that makes the browser fetch something: src on any element, srcset, href on
#: <link>, and url() in inline styles. Reader links (<a href>) are not fetched and not checked.
FETCHING = re.compile(
    r"""<[a-z][^>]*?\s(?:src|srcset|data-src)\s*=\s*["']?(?P<src>[^"'\s>]+)"""
    r"""|<link\b[^>]*?\shref\s*=\s*["']?(?P<href>[^"'\s>]+)"""
    r"""|url\(\s*["']?(?P<url>[^"')\s]+)""",
    re.IGNORECASE | re.DOTALL,
)
OUTSIDE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)  # http:, https:, //host, data:


def _manifest() -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    return manifest


def _locked_versions() -> dict[str, str]:
    lock = json.loads((FRONTEND / "package-lock.json").read_text(encoding="utf-8"))
    return {
        path.removeprefix("node_modules/"): entry["version"]
        for path, entry in lock["packages"].items()
        if path.startswith("node_modules/")
    }


ASSETS = _manifest()["assets"]


def test_every_file_in_vendor_is_an_asset_of_the_manifest_or_a_licence() -> None:
    on_disk = {
        path.relative_to(VENDOR).as_posix()
        for path in VENDOR.glob("*/**/*")
        if path.is_file() and not NOT_ASSETS.match(path.name)
    }
    assert on_disk == {asset["file"] for asset in ASSETS}


@pytest.mark.parametrize("asset", ASSETS, ids=[asset["file"] for asset in ASSETS])
def test_asset_is_the_built_file_with_its_licence_and_locked_version(
    asset: dict[str, Any],
) -> None:
    content = (VENDOR / asset["file"]).read_bytes()
    assert content, f"{asset['file']} is empty"
    assert len(content) == asset["bytes"]
    assert hashlib.sha256(content).hexdigest() == asset["sha256"], (
        f"{asset['file']} differs from the build recorded in manifest.json: run bin/build-assets"
    )
    assert len(gzip.compress(content, compresslevel=9)) == pytest.approx(asset["gzip"], rel=0.02)
    for licence in asset["licences"]:
        assert (VENDOR / licence).read_text(encoding="utf-8").strip(), f"{licence} is empty"
    assert asset["version"] == _locked_versions()[asset["package"]]
    package = json.loads((FRONTEND / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"][asset["package"]] == asset["version"], "pin exact versions"


def test_versions_page_names_every_asset_with_its_version() -> None:
    versions = (VENDOR / "VERSIONS.md").read_text(encoding="utf-8")
    for asset in ASSETS:
        file, package, version = asset["file"], asset["package"], asset["version"]
        assert f"| `{file}` | `{package}` | {version} | {asset['licence']} |" in versions


def test_scripts_are_minified() -> None:
    for asset in ASSETS:
        if asset["file"].endswith(".js"):
            text = (VENDOR / asset["file"]).read_text(encoding="utf-8")
            assert len(text) / (text.count("\n") + 1) > 1000, f"{asset['file']} is not minified"


def test_echarts_bundle_defines_the_echarts_global() -> None:
    head = (VENDOR / "echarts" / "echarts.min.js").read_text(encoding="utf-8")[:2000]
    assert re.search(r"\bvar echarts\s*=", head)


def test_no_template_loads_anything_from_outside_the_site() -> None:
    templates = [path for folder in TEMPLATE_FOLDERS for path in sorted(folder.rglob("*.html"))]
    assert templates, "no templates found"
    outside = [
        f"{path.relative_to(PROJECT_ROOT)}:{text.count(chr(10), 0, found.start()) + 1}: {target}"
        for path in templates
        for text in [path.read_text(encoding="utf-8")]
        for found in FETCHING.finditer(text)
        for target in [found.group("src") or found.group("href") or found.group("url")]
        if OUTSIDE.match(target)
    ]
    assert not outside, "templates load from outside the site:\n" + "\n".join(outside)


@pytest.mark.parametrize(
    ("html", "outside"),
    [
        ('<script src="https://cdn.example.org/echarts.js"></script>', True),
        ('<link rel="stylesheet" href="//fonts.example.org/a.css">', True),
        ("<div style=\"background: url('http://example.org/a.png')\">", True),
        ('<img\n  alt="" src="http://example.org/a.png">', True),
        ("<script src=\"{% static 'vendor/echarts/echarts.min.js' %}\"></script>", False),
        ('<link rel="icon" href="/static/favicon.svg">', False),
        ('<a href="https://publicadministration.un.org/egovkb">UN Data Center</a>', False),
    ],
)
def test_the_template_check_tells_outside_loads_from_local_ones(html: str, outside: bool) -> None:
    targets = [
        found.group("src") or found.group("href") or found.group("url")
        for found in FETCHING.finditer(html)
    ]
    assert any(OUTSIDE.match(target) for target in targets) == outside


@pytest.fixture(scope="module")
def world() -> dict[str, Any]:
    geojson: dict[str, Any] = json.loads(WORLD.read_text(encoding="utf-8"))
    return geojson


def test_world_has_one_feature_per_code_with_iso3_and_name(
    world: dict[str, Any], shared_data_dir: Path
) -> None:
    with (shared_data_dir / "countries" / "iso3166-m49-all.csv").open(encoding="utf-8") as file:
        iso3_codes = {row["alpha-3"] for row in csv.DictReader(file)}
    features = world["features"]
    codes = [feature["properties"]["iso3"] for feature in features]

    assert world["type"] == "FeatureCollection"
    assert len(codes) == len(set(codes))
    assert {key for feature in features for key in feature["properties"]} == {"iso3", "name"}
    assert all(feature["properties"]["name"] for feature in features)
    assert set(codes) - iso3_codes == NON_ISO_CODES
    assert set(_manifest()["world"]["non_iso_codes"].values()) == NON_ISO_CODES


def test_world_has_a_shape_for_every_member_state_but_the_allowed(
    world: dict[str, Any], country_registry: CountryRegistry
) -> None:
    drawn = {feature["properties"]["iso3"] for feature in world["features"]}
    missing = set(country_registry.member_codes) - drawn

    assert len(country_registry.member_codes) == 193
    assert missing == WITHOUT_GEOMETRY
    assert set(_manifest()["world"]["members_without_shape"]) == WITHOUT_GEOMETRY


def test_world_shapes_do_not_jump_across_the_antimeridian(world: dict[str, Any]) -> None:
    """A ring jumping from 180° to -180° draws a band across a flat map; only a pole may."""
    jumping = set()
    for feature in world["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for ring in (ring for polygon in polygons for ring in polygon):
            if any(abs(b[0] - a[0]) > 180 for a, b in itertools.pairwise(ring)):
                jumping.add(feature["properties"]["iso3"])
    assert jumping <= {"ATA"}


def test_world_rings_are_closed_and_at_least_triangles(world: dict[str, Any]) -> None:
    broken = set()
    for feature in world["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for ring in (ring for polygon in polygons for ring in polygon):
            if len(ring) < 4 or ring[0] != ring[-1]:
                broken.add(feature["properties"]["iso3"])
    assert not broken
