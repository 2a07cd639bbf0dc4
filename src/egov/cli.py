"""The ``egov`` command: a thin client of the services and the computation core.

Every command honours ``EGOV_DATABASE_URL`` and creates or migrates the schema of a new
database itself. Errors in input files are printed one per line and exit with status 1.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from egov.config import data_dir
from egov.errors import DataFileError, EgovError

app = typer.Typer(
    name="egov",
    help="egov-observatory: the UN E-Government Survey, measured, verified and served.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _django() -> None:
    """Set Django up and bring the database schema up to date (creating it if new)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def _reported() -> Iterator[None]:
    """Turn our own errors into readable lines on stderr and exit status 1."""
    try:
        yield
    except DataFileError as error:
        for issue in error.issues:
            err.print(str(issue), markup=False, highlight=False)
        if error.truncated:
            err.print(f"… and {error.truncated} more problems not listed", markup=False)
        err.print(f"[red]Nothing was imported:[/red] {len(error.issues)} problem(s) found.")
        raise typer.Exit(1) from None
    except EgovError as error:
        err.print(f"[red]error:[/red] {error}", highlight=False)
        raise typer.Exit(1) from None


@contextmanager
def _progress(description: str, *, enabled: bool = True) -> Iterator[Any]:
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not enabled,
    )
    with progress:
        task = progress.add_task(description, total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield advance


def _published_files(folder: Path) -> list[Path]:
    files = sorted((folder / "egdi").glob("EGOV_DATA_*.csv"))
    if not files:
        raise EgovError(f"no EGOV_DATA_*.csv in {folder / 'egdi'} (set EGOV_DATA_DIR)")
    return files


def _print_import(summary: Any) -> None:
    table = Table(title="Import", title_justify="left")
    for column in ("Edition", "Source", "Indices", "Status", "Added", "Changed", "Unchanged", "Removed"):
        table.add_column(column, justify="right" if column in {"Added", "Changed", "Unchanged", "Removed"} else "left")
    for change in summary.editions:
        table.add_row(
            str(change.year),
            change.source,
            " ".join(change.indices),
            change.status,
            str(change.added),
            str(change.changed),
            str(change.unchanged),
            str(change.removed),
        )
    out.print(table)


@app.command("import")
def import_(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files (CSV or XLSX, any accepted layout) or folders of them."),
    ],
    as_json: JsonOption = False,
) -> None:
    """Import published editions in one transaction: all files or nothing.

    Re-importing an edition replaces that edition only; unchanged values are left alone.
    """
    _django()
    from egov.web.datacenter import services

    with _reported(), _progress("Importing", enabled=len(paths) > 1) as advance:
        summary = services.editions_import(paths=paths, on_progress=advance)
    if as_json:
        out.print_json(data=summary.as_dict())
    else:
        _print_import(summary)


@app.command()
def setup(
    data: Annotated[
        Path | None, typer.Option(help="Published data folder (default: EGOV_DATA_DIR).")
    ] = None,
) -> None:
    """Create or migrate the database, import the country metadata and every published
    edition in the data folder, and print the verification table."""
    _django()
    from egov.web.datacenter import services

    folder = data or data_dir()
    with _reported():
        services.countries_sync(registry=services.default_registry())
        with _progress("Importing editions") as advance:
            summary = services.editions_import(paths=_published_files(folder), on_progress=advance)
    _print_import(summary)
    _verify_and_print(as_json=False)


def _verify_and_print(*, as_json: bool) -> bool:
    from egov.web.datacenter import services

    reports = services.editions_verify()
    if as_json:
        out.print_json(data={"editions": [report.as_dict() for report in reports]})
    else:
        table = Table(title="Verification: published EGDI and ranks recomputed", title_justify="left")
        for column in ("Edition", "Countries", "Assessed", "max |ΔEGDI|", "Over 1e-4", "Rank mismatches", "World average EGDI", "Verdict"):
            table.add_column(column, justify="left" if column in {"Verdict"} else "right")
        for report in reports:
            table.add_row(
                str(report.year),
                str(report.countries),
                str(report.assessed),
                f"{report.max_abs_egdi_delta:.6f}",
                str(len(report.over_tolerance)),
                str(len(report.rank_mismatches)),
                f"{report.world_average_egdi:.4f}",
                "[green]ok[/green]" if report.ok else f"[red]{len(report.undocumented)} undocumented[/red]",
            )
        out.print(table)
        for report in reports:
            for deviation in report.undocumented:
                err.print(f"{report.year}: undocumented deviation: {deviation}", markup=False)
    return all(report.ok for report in reports)


@app.command()
def verify(as_json: JsonOption = False) -> None:
    """Recompute EGDI from OSI, TII and HCI and the ranks from EGDI for every edition in the
    database; exit 1 if a deviation is not a documented published anomaly."""
    _django()
    with _reported():
        if not _verify_and_print(as_json=as_json):
            raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Gunicorn worker processes.")] = 2,
) -> None:
    """Serve the site with gunicorn (static files by whitenoise)."""
    _django()
    from django.core.management import call_command
    from gunicorn.app.wsgiapp import WSGIApplication

    call_command("collectstatic", verbosity=0, interactive=False)
    out.print(f"Serving on http://{host}:{port}/ (Ctrl-C to stop)")
    sys.argv = [
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "egov.web.wsgi:application",
    ]
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").run()


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
