"""What the benchmarks share: timing a step, a percentile, a free port, a server that runs
while a block does, and each database measured in a child process of its own.

Not a benchmark: each ``bench/<name>.py`` imports it by name (``from harness import …``),
since Python puts the script's folder first on ``sys.path``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EGOV = Path(sys.executable).parent / "egov"


def median_seconds(step: Callable[[], object], repeats: int) -> float:
    """The median time of ``repeats`` calls of ``step``."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: Sequence[float], share: float) -> float:
    """The value at ``share`` (0–1) of the sorted values, nearest rank; 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(
    command: Sequence[str | Path | int], env: dict[str, str], probe: str, log: Path
) -> Iterator[None]:
    """Run ``command`` (its output to ``log``) until the block ends, entering the block once
    the URL ``probe`` answers 2xx."""
    with log.open("wb") as output:
        server = subprocess.Popen(
            [str(part) for part in command], env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            _wait(probe, server, log)
            yield
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait(probe: str, server: subprocess.Popen[bytes], log: Path, seconds: float = 120) -> None:
    """Until ``probe`` answers 2xx; exit with the server's log if it stops or ``seconds`` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(probe, timeout=30):
                return
        except OSError:  # no answer yet, or not 2xx (urllib's HTTPError is an OSError)
            if server.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"server did not start ({probe}):\n{log.read_text(errors='replace')}")
            time.sleep(0.2)


def each_database(script: Sequence[str], only: str | None = None) -> list[dict[str, Any]]:
    """Run ``script --json FILE`` on SQLite (a database file in a temp folder), then on
    PostgreSQL (a throwaway cluster of ``bin/with-postgres``), or only on ``only``
    (``"sqlite"``, ``"postgresql"``); what each child wrote to FILE, in that order."""
    folder = Path(tempfile.mkdtemp(prefix="egov-bench-"))
    sqlite = {**os.environ, "EGOV_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}"}
    runs = {
        "sqlite": (list(script), sqlite),
        "postgresql": ([str(ROOT / "bin" / "with-postgres"), *script], dict(os.environ)),
    }
    results = []
    try:
        for name, (command, env) in runs.items():
            if only in (None, name):
                out = folder / f"{name}.json"
                subprocess.run([*command, "--json", str(out)], env=env, check=True, cwd=ROOT)
                results.append(json.loads(out.read_text()))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results
