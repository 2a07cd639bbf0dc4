"""Many respondents answering at once lose nothing: concurrent answer writes against the
running server, SQLite and PostgreSQL side by side.

Run from the repository root::

    .venv/bin/python bench/meter_load.py [--clients 50] [--writes 200] [--workers 4] [--seed 7]

In one run, each database in a child process of its own:

1. SQLite: a throwaway database file (``EGOV_DATABASE_URL`` to a temp folder, the settings'
   WAL, ``BEGIN IMMEDIATE`` and busy timeout); PostgreSQL: a throwaway cluster started by
   ``bin/with-postgres``;
2. ``migrate``, the country registry, a focal point (a contributor account), one assessment of
   Kazakhstan with ``--clients`` respondents in the four stakeholder groups in turn, opened;
   all through the services (``assessment_create``, ``respondent_invite``,
   ``assessment_transition``), as the pages do;
3. ``egov serve --workers N`` (gunicorn, as the project serves: ``EGOV_DEBUG`` unset, a secret
   key from the environment) on a free port;
4. ``--clients`` threads start together, each one respondent with its own ``httpx.Client``
   and personal key (``X-Respondent-Key``), each sending ``--writes`` requests
   ``PUT /api/v1/meter/respond/answers/{statement}`` one after the other: every statement of
   the framework once, then again, each pass in an order shuffled by ``random.Random(seed +
   client)``. Every write changes the stored answer (a value of 0–4 or DK other than the
   current one; one in eight NA, with a comment; some with an evidence link), so each is one
   revision and one audit entry;
5. the server is stopped and the database read back. A write is *acknowledged* when the
   server answered 2xx; it is *persisted* when its effect is durable: its audit entry
   (``meter.answer.save``) is there, with the value, comment and revision the answer carried
   and the revision before it, and the stored answer of each (respondent, statement) has the
   value, comment and revision of its last acknowledged write. *Lost* = acknowledged − persisted.
   Also counted: answers of 5xx, of other statuses and transport errors, audit entries
   beyond the acknowledged writes, throughput (acknowledged writes per second of the load)
   and latency (p50, p99, max) of every request.

It prints the figures of both databases side by side. The goal of issue 7: 10,000 persisted,
0 lost, 0 server errors on both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from harness import EGOV, each_database, free_port, percentile, served

GROUPS = ("government", "business", "civil_society", "academia")
SCORED = ("0", "1", "2", "3", "4", "DK")
#: One write in this many is NA, which needs a comment.
NA_EVERY = 8


@dataclass
class Write:
    """One request as the client saw it."""

    respondent: int
    statement: str
    value: str
    comment: str
    evidence_url: str
    status: int  # 0: no answer (transport error)
    seconds: float
    revision: int | None = None
    error: str = ""


@dataclass
class Client:
    """One respondent's run."""

    respondent: int
    key: str
    writes: list[Write] = field(default_factory=list)
    warmup_error: str = ""


# --- the child: one database ----------------------------------------------------------------


def _setup(clients: int) -> tuple[int, list[tuple[int, str]], list[str]]:
    """The assessment, its respondents ``(id, key)`` and the framework's statement ids."""
    from egov.web.accounts.roles import Role
    from egov.web.accounts.services import user_create
    from egov.web.datacenter import services as datacenter
    from egov.web.meter import services

    datacenter.countries_sync(registry=datacenter.default_registry())
    focal_point = user_create(
        username="focal-point", password=secrets.token_urlsafe(16), role=Role.CONTRIBUTOR
    )
    assessment = services.assessment_create(
        actor=focal_point, iso3="KAZ", title="Kazakhstan, concurrency bench"
    )
    invited = [
        services.respondent_invite(
            actor=focal_point,
            assessment=assessment,
            name=f"Respondent {number + 1:02d}",
            group=GROUPS[number % len(GROUPS)],
        )
        for number in range(clients)
    ]
    services.assessment_transition(actor=focal_point, assessment=assessment, to="open")
    statements = [s.id for s in services.framework_of(assessment).statements()]
    return assessment.pk, [(i.respondent.pk, i.key) for i in invited], statements


def _plan(
    statements: list[str], writes: int, rng: random.Random
) -> Iterator[tuple[str, dict[str, str]]]:
    """``(statement, body)`` of each write: passes over the statements in shuffled orders,
    each value other than the one the statement holds; NA with a comment, other values with
    one at times, and now and then an evidence link."""
    current: dict[str, str] = {}
    sent = 0
    while sent < writes:
        order = list(statements)
        rng.shuffle(order)
        for statement in order[: writes - sent]:
            sent += 1
            if rng.randrange(NA_EVERY) == 0 and current.get(statement) != "NA":
                value, comment = "NA", f"Not applicable here (write {sent})"
            else:
                value = rng.choice([v for v in SCORED if v != current.get(statement)])
                comment = f"Seen in practice (write {sent})" if rng.random() < 0.25 else ""
            evidence = f"https://example.gov.kz/evidence/{sent}" if rng.random() < 0.1 else ""
            current[statement] = value
            yield statement, {"value": value, "comment": comment, "evidence_url": evidence}


def _run_client(
    base: str, client: Client, plan: list[tuple[str, dict[str, str]]], start: threading.Barrier
) -> None:
    headers = {"X-Respondent-Key": client.key}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as http:
        try:  # as their page does first
            http.get("/api/v1/meter/respond").raise_for_status()
        except httpx.HTTPError as error:
            client.warmup_error = f"{type(error).__name__}: {error}"
        start.wait()
        for statement, body in plan:
            write = Write(
                client.respondent, statement, body["value"], body["comment"],
                body["evidence_url"], status=0, seconds=0.0,
            )  # fmt: skip
            began = time.perf_counter()
            try:
                response = http.put(f"/api/v1/meter/respond/answers/{statement}", json=body)
            except httpx.HTTPError as error:
                write.seconds = time.perf_counter() - began
                write.error = f"{type(error).__name__}: {error}"
                client.writes.append(write)
                continue
            write.seconds = time.perf_counter() - began
            write.status = response.status_code
            if response.is_success:
                write.revision = int(response.json()["revision"])
            else:
                write.error = response.text[:300]
            client.writes.append(write)


@contextmanager
def _server(port: int, workers: int, log: Path) -> Iterator[str]:
    """``egov serve`` on ``port`` until the block ends; its base URL."""
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "EGOV_SECRET_KEY": secrets.token_urlsafe(50)}
    env.pop("EGOV_DEBUG", None)
    command = [EGOV, "serve", "--port", port, "--workers", workers]
    with served(command, env, f"{base}/api/v1/meter/framework", log):
        yield base


def _verify(acknowledged: list[Write]) -> dict[str, Any]:
    """Read the database back: which acknowledged writes are durable."""
    from egov.web.accounts.models import AuditEntry
    from egov.web.meter.models import Answer

    answers = {
        (respondent, statement): (pk, value, comment, revision)
        for pk, respondent, statement, value, comment, revision in Answer.objects.values_list(
            "pk", "respondent_id", "statement", "value", "comment", "revision"
        )
    }
    owner = {pk: key for key, (pk, *_rest) in answers.items()}
    audited: dict[tuple[int, str, int], tuple[dict[str, Any], dict[str, Any] | None]] = {}
    entries = 0
    for target, before, after in AuditEntry.objects.filter(
        action="meter.answer.save", target_type="meter.answer"
    ).values_list("target_id", "before", "after"):
        entries += 1
        assert isinstance(after, dict)  # a save always records the answer after it
        respondent, statement = owner[int(target)]
        audited[(respondent, statement, int(after["revision"]))] = (after, before)
    last: dict[tuple[int, str], Write] = {}
    for write in acknowledged:
        last[(write.respondent, write.statement)] = write
    persisted, lost = 0, 0
    examples: list[dict[str, Any]] = []
    for write in acknowledged:
        assert write.revision is not None
        key = (write.respondent, write.statement)
        found = audited.get((*key, write.revision))
        durable = found is not None
        if found is not None:
            after, before = found
            durable = (after["value"], after["comment"]) == (write.value, write.comment) and (
                (before is None and write.revision == 1)
                or (before is not None and before["revision"] == write.revision - 1)
            )
        if durable and last[key] is write:
            _pk, value, comment, revision = answers.get(key, (0, None, None, None))
            durable = (value, comment, revision) == (write.value, write.comment, write.revision)
        if durable:
            persisted += 1
        else:
            lost += 1
            if len(examples) < 5:
                examples.append(asdict(write))
    return {
        "persisted": persisted,
        "lost": lost,
        "lost_examples": examples,
        "audit_entries": entries,
        "answers_stored": len(answers),
        "revisions_stored": sum(revision for *_rest, revision in answers.values()),
    }


def half(args: argparse.Namespace) -> dict[str, Any]:
    """One database: set up, serve, load, read back (in this process)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    assessment, respondents, statements = _setup(args.clients)
    setup = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = str(cursor.fetchone()[0]).split()[0]  # PostgreSQL adds its build: "15.2 (…)"
    vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[connection.vendor]
    connections.close_all()

    clients = [Client(respondent, key) for respondent, key in respondents]
    plans = [
        list(_plan(statements, args.writes, random.Random(args.seed * 1000 + number)))
        for number in range(len(clients))
    ]
    start = threading.Barrier(len(clients) + 1)
    log = Path(tempfile.mkstemp(prefix="egov-meter-load-", suffix=".log")[1])
    with _server(free_port(), args.workers, log) as base:
        threads = [
            threading.Thread(target=_run_client, args=(base, client, plan, start))
            for client, plan in zip(clients, plans, strict=True)
        ]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        load = time.perf_counter() - began
    # gunicorn's own errors (a worker timed out or died); Django prints no traceback unless
    # EGOV_DEBUG, so a 5xx is counted from the responses.
    gunicorn_errors = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if "[ERROR]" in line or "[CRITICAL]" in line
    ]
    log.unlink()

    writes = [write for client in clients for write in client.writes]
    acknowledged = [w for w in writes if 200 <= w.status < 300]
    statuses = Counter(w.status for w in writes)
    latencies = [w.seconds * 1000 for w in writes]
    failures = Counter(w.error.splitlines()[0][:120] for w in writes if w.error)
    return {
        "vendor": vendor,
        "version": version,
        "assessment": assessment,
        "clients": len(clients),
        "workers": args.workers,
        "setup_seconds": setup,
        "load_seconds": load,
        "sent": len(writes),
        "acknowledged": len(acknowledged),
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "other_errors": sum(
            n for status, n in statuses.items() if 0 <= status < 200 or 300 <= status < 500
        ),
        "statuses": {str(status): n for status, n in sorted(statuses.items())},
        "failures": dict(failures.most_common(5)),
        "warmup_errors": [c.warmup_error for c in clients if c.warmup_error][:5],
        "gunicorn_errors": gunicorn_errors[:5],
        "throughput": len(acknowledged) / load if load else 0.0,
        "p50_ms": statistics.median(latencies) if latencies else 0.0,
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": max(latencies, default=0.0),
        **_verify(acknowledged),
    }


# --- the parent: both databases, side by side -----------------------------------------------


ROWS = (
    ("writes sent", "sent", "{:,}"),
    ("acknowledged (2xx)", "acknowledged", "{:,}"),
    ("persisted", "persisted", "{:,}"),
    ("lost", "lost", "{:,}"),
    ("server errors (5xx)", "server_errors", "{:,}"),
    ("other errors", "other_errors", "{:,}"),
    ("audit entries", "audit_entries", "{:,}"),
    ("answers stored", "answers_stored", "{:,}"),
    ("revisions stored", "revisions_stored", "{:,}"),
    ("throughput (writes/s)", "throughput", "{:,.0f}"),
    ("p50 latency (ms)", "p50_ms", "{:,.1f}"),
    ("p99 latency (ms)", "p99_ms", "{:,.1f}"),
    ("max latency (ms)", "max_ms", "{:,.1f}"),
    ("load (s)", "load_seconds", "{:,.1f}"),
    ("setup (s)", "setup_seconds", "{:,.1f}"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="respondents answering at once")
    parser.add_argument("--writes", type=int, default=200, help="answer writes per respondent")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database")
    parser.add_argument("--half", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.half:
        args.json.write_text(json.dumps(half(args)))
        return

    script = [sys.executable, str(Path(__file__).resolve()), "--half"]
    script += ["--clients", str(args.clients), "--writes", str(args.writes)]
    script += ["--workers", str(args.workers), "--seed", str(args.seed)]
    results = each_database(script, args.only)

    names = [f"{r['vendor']} {r['version']}" for r in results]
    print()
    print(
        f"{args.clients} respondents × {args.writes} answer writes, egov serve --workers "
        f"{args.workers}, seed {args.seed}"
    )
    print(f"{'':<24}" + "".join(f"{name:>20}" for name in names))
    for label, key, form in ROWS:
        print(f"{label:<24}" + "".join(f"{form.format(r[key]):>20}" for r in results))
    print()
    goal = args.clients * args.writes
    for result, name in zip(results, names, strict=True):
        met = (result["persisted"], result["lost"], result["server_errors"]) == (goal, 0, 0)
        print(f"{name}: goal {goal:,} persisted, 0 lost, 0 server errors: "
              f"{'met' if met else 'NOT met'}")  # fmt: skip
        print(f"  statuses: {result['statuses']}")
        if result["failures"]:
            print(f"  failures: {result['failures']}")
        if result["gunicorn_errors"]:
            print(f"  gunicorn: {result['gunicorn_errors']}")
        if result["warmup_errors"]:
            print(f"  first reads refused: {result['warmup_errors']}")
        for example in result["lost_examples"]:
            print(f"  lost: {example}")


if __name__ == "__main__":
    main()
