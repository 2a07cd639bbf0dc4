"""Requests per second and tail latency of our ranking API against Datasette serving the same rows.

Run from the repository root::

    .venv/bin/python bench/api_load.py [--duration 20] [--connections 32] [--workers 1]

In one run, on this machine:

1. ``egov setup`` fills a throwaway SQLite database (``EGOV_DATABASE_URL`` to a temp file);
2. ``egov serve`` (gunicorn, ``--workers``) serves it on a free port;
3. the latest edition's ranking is fetched from ``/api/v1/editions/<latest>/ranking`` and its
   items (the same columns, the same rows, in the same order) are written to a SQLite table
   ``ranking`` of another temp file, which Datasette serves (immutable mode, as ``datasette
   publish`` deploys) on another free port;
4. Debian's ``wrk`` (``apt-get install wrk``) loads each server in turn: a short warm-up, then
   ``--duration`` seconds with ``--connections`` connections and ``--latency``, against our
   ranking and against Datasette's ``/ranking/ranking.json?_shape=array&_size=max``.

It prints requests/s and the 50th/99th latency percentiles of both and the ratios. The goal of
issue 4: at least Datasette's requests/s and no worse p99.

Worker count: Datasette serves from one Python process (uvicorn; its SQL threads share one
GIL), so the like-for-like default is one gunicorn worker process (``--workers 1``). On the
two-core standard machine wrk needs a core of its own; ``--workers 2`` is measured too in
bench/README.md. Both servers write an access log line per request, to a file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import EGOV, free_port, served

DATASETTE = EGOV.parent / "datasette"
WRK = shutil.which("wrk") or "/usr/bin/wrk"

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class Load:
    """What wrk measured for one URL."""

    url: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: str


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        return body


def _milliseconds(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if match is None:
        raise ValueError(f"unreadable wrk duration {text!r}")
    return float(match[1]) * _UNITS[match[2]]


def _wrk(url: str, *, seconds: float, connections: int, threads: int) -> Load:
    command = [
        WRK,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"(\d+) requests in", output)
    if not (rate and p50 and p99 and total):
        sys.exit(f"unreadable wrk output:\n{output}")
    errors = "; ".join(
        line.strip() for line in output.splitlines() if "Non-2xx" in line or "Socket errors" in line
    )
    return Load(
        url, float(rate[1]), _milliseconds(p50[1]), _milliseconds(p99[1]), int(total[1]), errors
    )


def _ranking_table(items: list[dict[str, Any]], path: Path) -> None:
    """The ranking items as a SQLite table with the same columns, in the same order."""
    columns = list(items[0])

    def kind(column: str) -> str:
        sample = next((item[column] for item in items if item[column] is not None), None)
        if isinstance(sample, bool | int):
            return "INTEGER"
        return "REAL" if isinstance(sample, float) else "TEXT"

    with sqlite3.connect(path) as database:
        database.execute(
            "CREATE TABLE ranking (" + ", ".join(f'"{c}" {kind(c)}' for c in columns) + ")"
        )
        database.executemany(
            f"INSERT INTO ranking VALUES ({', '.join('?' for _ in columns)})",
            [[item[column] for column in columns] for item in items],
        )
    database.close()


def _same_rows(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> bool:
    """Row for row equal. SQLite has no booleans, so Datasette answers 1/0 for true/false, and
    it adds the ``rowid`` of a table without a primary key (one keyed by ISO3 would come back
    in ISO3 order, not in rank order)."""
    return len(ours) == len(theirs) and all(
        {key: int(value) if isinstance(value, bool) else value for key, value in row.items()}
        == {key: value for key, value in other.items() if key != "rowid"}
        for row, other in zip(ours, theirs, strict=True)
    )


def _measure(url: str, args: argparse.Namespace) -> Load:
    _wrk(url, seconds=args.warmup, connections=args.connections, threads=args.threads)
    return _wrk(url, seconds=args.duration, connections=args.connections, threads=args.threads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds of load per server")
    parser.add_argument("--connections", type=int, default=32, help="open connections")
    parser.add_argument("--workers", type=int, default=1, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per server")
    args = parser.parse_args()
    if not Path(WRK).exists():
        sys.exit("wrk not found: sudo apt-get install wrk (Debian's package)")

    folder = Path(tempfile.mkdtemp(prefix="egov-api-load-"))
    try:
        env = {**os.environ, "EGOV_DATABASE_URL": f"sqlite:///{folder / 'egov.sqlite3'}"}
        started = time.perf_counter()
        subprocess.run([EGOV, "setup"], env=env, check=True, capture_output=True)
        print(f"egov setup: {time.perf_counter() - started:.1f} s")

        ours_port, theirs_port = free_port(), free_port()
        base = f"http://127.0.0.1:{ours_port}"
        egov_serve = [EGOV, "serve", "--port", ours_port, "--workers", args.workers]
        with served(egov_serve, env, f"{base}/api/v1/editions", folder / "egov.log"):
            latest = max(edition["year"] for edition in json.loads(_get(f"{base}/api/v1/editions")))
            ours_url = f"{base}/api/v1/editions/{latest}/ranking"
            ours_body = _get(ours_url)
            items = json.loads(ours_body)["items"]
            _ranking_table(items, folder / "ranking.db")

            theirs_base = f"http://127.0.0.1:{theirs_port}"
            theirs_url = f"{theirs_base}/ranking/ranking.json?_shape=array&_size=max"
            datasette = [DATASETTE, "serve", "-i", folder / "ranking.db", "-p", theirs_port]
            with served(datasette, dict(os.environ), theirs_url, folder / "datasette.log"):
                theirs_body = _get(theirs_url)
                if not _same_rows(items, json.loads(theirs_body)):
                    sys.exit("Datasette does not answer the same rows as our ranking")
                print(
                    f"{len(items)} rows of {latest}; {len(ours_body):,} B (ours) and "
                    f"{len(theirs_body):,} B (Datasette) per response; "
                    f"{args.connections} connections, {args.duration:g} s each, "
                    f"{args.workers} gunicorn worker(s), Datasette one process"
                )
                ours = _measure(ours_url, args)
                theirs = _measure(theirs_url, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print()
    print(f"{'':<10} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'requests':>9}")
    for name, load in (("egov", ours), ("Datasette", theirs)):
        print(
            f"{name:<10} {load.requests_per_second:>11,.0f} {load.p50_ms:>8.2f} "
            f"{load.p99_ms:>8.2f} {load.requests:>9,}" + (f"  {load.errors}" if load.errors else "")
        )
    rate_ratio = ours.requests_per_second / theirs.requests_per_second
    p99_ratio = ours.p99_ms / theirs.p99_ms
    print()
    print(f"requests/s egov / Datasette: {rate_ratio:.2f} (goal ≥ 1)")
    print(f"p99        egov / Datasette: {p99_ratio:.2f} (goal ≤ 1)")


if __name__ == "__main__":
    main()
