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
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from egov.cli_users import token_app, user_app
from egov.config import data_dir
from egov.errors import DataFileError, EgovError

app = typer.Typer(
    name="egov",
    help="egov-observatory: the UN E-Government Survey, measured, verified and served.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


def _console(*, stderr: bool) -> Console:
    """Piped output (CI logs, files) gets 120 columns rather than Rich's 80 unless COLUMNS
    says otherwise, so tables stay whole; sentences are printed with soft_wrap, unbroken."""
    stream = sys.stderr if stderr else sys.stdout
    piped = not stream.isatty() and "COLUMNS" not in os.environ
    return Console(stderr=stderr, width=120 if piped else None)


out = _console(stderr=False)
err = _console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _django() -> None:
    """Set Django up and bring the database schema up to date (creating it if new)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "egov.web.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def _reported(*, writes: bool = False) -> Iterator[None]:
    """Turn our own errors into readable lines on stderr and exit status 1."""
    try:
        yield
    except DataFileError as error:
        for issue in error.issues:
            err.print(str(issue), markup=False, highlight=False, soft_wrap=True)
        if error.truncated:
            err.print(f"… and {error.truncated} more problems not listed", markup=False)
        found = f"{len(error.issues) + error.truncated} problem(s) found."
        err.print(f"[red]Nothing was imported:[/red] {found}" if writes else found)
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
    counts = ("Added", "Changed", "Unchanged")
    for column in ("Edition", "Source", "Indices", "Status", *counts):
        table.add_column(column, justify="right" if column in counts else "left")
    for change in summary.editions:
        table.add_row(
            str(change.year),
            change.source,
            " ".join(change.indices),
            change.status,
            str(change.added),
            str(change.changed),
            str(change.unchanged),
        )
    out.print(table)
    for change in summary.editions:
        for note in change.notes:
            out.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)


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

    with _reported(writes=True), _progress("Importing", enabled=len(paths) > 1) as advance:
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
    edition in the data folder, load the knowledge base's seed content (documents from
    EGOV_SEEDS_DIR), and print the verification table."""
    _django()
    from egov.config import seeds_dir
    from egov.data.countries import CountryRegistry
    from egov.web.datacenter import services
    from egov.web.knowledge.services.seed import seed_load

    folder = data or data_dir()
    with _reported(writes=True):
        registry = CountryRegistry.load(folder)
        with _progress("Importing editions") as advance:
            summary = services.editions_import(
                paths=_published_files(folder), registry=registry, on_progress=advance
            )
    _print_import(summary)
    with _reported(writes=True):
        seeded = seed_load(seeds_dir=seeds_dir())
    out.print(seeded.line(), markup=False, highlight=False, soft_wrap=True)
    with _reported():
        if not _verify_and_print(as_json=False):
            raise typer.Exit(1)


def _verify_and_print(*, as_json: bool) -> bool:
    from egov.web.datacenter import selectors

    reports = selectors.editions_verification()
    if as_json:
        out.print_json(data={"editions": [report.as_dict() for report in reports]})
    else:
        table = Table(
            title="Verification: published EGDI and ranks recomputed", title_justify="left"
        )
        for column in (
            "Edition",
            "Countries",
            "Assessed",
            "max |ΔEGDI|",
            "Over 1e-4",
            "Rank mismatches",
            "World average EGDI",
            "Verdict",
        ):
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
                "[green]ok[/green]"
                if report.ok
                else f"[red]{len(report.undocumented)} undocumented[/red]",
            )
        out.print(table)
        for report in reports:
            for quoted in report.quoted:
                out.print(
                    f"{report.year}: world average EGDI {report.world_average_egdi:.4f} from the "
                    f"published rows; {quoted.source} quotes {quoted.value:.4f} "
                    f"(difference {report.world_average_egdi - quoted.value:+.4f})",
                    highlight=False,
                    soft_wrap=True,
                )
            for deviation in report.undocumented:
                err.print(
                    f"{report.year}: undocumented deviation: {deviation}",
                    markup=False,
                    soft_wrap=True,
                )
    return all(report.ok for report in reports)


@app.command()
def verify(as_json: JsonOption = False) -> None:
    """Recompute EGDI from OSI, TII and HCI and the ranks from EGDI for every edition in the
    database; exit 1 if a deviation is not a documented published anomaly."""
    _django()
    with _reported():
        if not _verify_and_print(as_json=as_json):
            raise typer.Exit(1)


class ExportFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
def export(
    edition: Annotated[
        int | None, typer.Option(help="Survey year; all editions when omitted.")
    ] = None,
    fmt: Annotated[ExportFormat, typer.Option("--format", help="File format.")] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write; standard output when omitted."),
    ] = None,
) -> None:
    """Write editions in the official UN Data Center layout (CSV, XLSX) or as JSON records;
    the file imports back to the same values."""
    _django()
    from egov.data.writers import write_csv, write_json, write_xlsx
    from egov.web.datacenter import selectors

    with _reported():
        tables = selectors.edition_tables(years=None if edition is None else [edition])
        if fmt is ExportFormat.json:
            write_json(tables, output or sys.stdout)
        elif output is not None:
            (write_csv if fmt is ExportFormat.csv else write_xlsx)(tables, output)
        elif fmt is ExportFormat.csv:
            write_csv(tables, sys.stdout.buffer)
        else:
            raise EgovError("XLSX is binary: name a file with -o")
    if output is not None:
        err.print(f"Wrote {len(tables)} edition(s) to {output}")


def _weights(text: str | None) -> Any:
    from egov.methodology import ComponentWeights

    if text is None:
        return None
    try:
        osi, tii, hci = (float(part) for part in text.split(","))
    except ValueError:
        raise typer.BadParameter("give three numbers: OSI,TII,HCI (e.g. 0.5,0.25,0.25)") from None
    if abs(osi + tii + hci - 1) > 1e-9 or min(osi, tii, hci) < 0:
        raise typer.BadParameter(f"weights must be ≥ 0 and sum to 1, not {osi + tii + hci:g}")
    return ComponentWeights(osi, tii, hci)


@app.command()
def compute(
    edition: Annotated[int, typer.Option(help="Survey year whose method and data to use.")],
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Components from this file (any accepted layout), not the database."
        ),
    ] = None,
    weights: Annotated[
        str | None, typer.Option(help="EGDI weights OSI,TII,HCI (default: the edition's).")
    ] = None,
    aggregator: Annotated[
        str | None, typer.Option(help="arithmetic_mean or geometric_mean (default: edition's).")
    ] = None,
    tii: Annotated[
        Path | None, typer.Option(help="TII indicator file: recompute TII from its indicators.")
    ] = None,
    hci: Annotated[
        Path | None, typer.Option(help="HCI indicator file: recompute HCI from its indicators.")
    ] = None,
    osi: Annotated[
        Path | None,
        typer.Option(help="Raw questionnaire points, one column per OSI subindex: recompute OSI."),
    ] = None,
    normaliser: Annotated[
        str | None,
        typer.Option(help="Normaliser for indicator composites: z_score or min_max."),
    ] = None,
    top: Annotated[int, typer.Option(help="Rows to print (0: all).")] = 20,
    as_json: JsonOption = False,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write every country as CSV.")
    ] = None,
) -> None:
    """Recompute an edition's EGDI, groups, rating classes and ranks from its components or
    from indicator files, with chosen weights, aggregator and normalisation. Nothing is
    written to the database."""
    from dataclasses import replace

    from egov.data.readers import read_paths
    from egov.data.readers.indicators import read_indicators
    from egov.frameworks import load_edition_methods
    from egov.methodology import assessed, component_index, edition_results
    from egov.methodology import osi as osi_index

    chosen = _weights(weights)
    with _reported():
        methods = load_edition_methods()
        if edition not in methods:
            raise EgovError(f"{edition} is not a Survey edition ({', '.join(map(str, methods))})")
        method = methods[edition]
        if source is not None:
            from egov.data.countries import CountryRegistry

            registry = CountryRegistry.load(data_dir())
            tables = [t for t in read_paths([source], registry=registry) if t.year == edition]
            if not tables:
                raise EgovError(f"{source.name} holds no {edition} edition")
            table = tables[0]
        else:
            _django()
            from egov.web.datacenter import selectors, services

            registry = services.default_registry()
            (table,) = selectors.edition_tables(years=[edition])
        frame = table.frame.copy()
        flags = assessed(frame)
        for code, path in (("tii", tii), ("hci", hci)):
            if path is not None:
                component = getattr(method, code)
                if normaliser:
                    component = replace(component, normaliser=normaliser)
                indicators = read_indicators(path, registry=registry, required=component.indicators)
                _require_every_country(indicators, frame, path)
                frame[code] = component_index(indicators, component).reindex(frame.index)
        if osi is not None:
            names = [name for name, _ in method.osi.subindex_weights]
            points = read_indicators(osi, registry=registry, required=names)
            _require_every_country(points, frame, osi)
            # The maximum points of each subindex: the best score found (the questionnaire's
            # own maxima are not published).
            maxima = {name: float(points[name].max()) for name in names}
            frame["osi"] = osi_index(
                points, maxpoints=maxima, method=method.osi, assessed=flags.reindex(points.index)
            ).reindex(frame.index)
        results = edition_results(frame, method, weights=chosen, aggregator=aggregator)
    ranking = results.join(frame[["name", "osi", "tii", "hci"]]).assign(
        published_rank=table.frame["rank"],
        rank_change=table.frame["rank"] - results["rank"],
    )
    ranking["name"] = ranking["name"].str.strip()
    ranking = ranking.sort_values(["rank", "name"], na_position="last")
    if output is not None:
        ranking.to_csv(output, index_label="iso3", float_format="%.6f")
        err.print(f"Wrote {len(ranking)} countries to {output}")
    shown = ranking if top == 0 else ranking.head(top)
    if as_json:
        records = json.loads(shown.reset_index().to_json(orient="records"))
        out.print_json(data={"edition": edition, "countries": records})
        return
    grid = Table(title=f"{edition} recomputed", title_justify="left")
    for column in (
        "Rank",
        "Country",
        "EGDI",
        "OSI",
        "TII",
        "HCI",
        "Group",
        "Class",
        "Published",
        "Δ",
    ):
        grid.add_column(
            column, justify="left" if column in {"Country", "Group", "Class"} else "right"
        )
    for iso3, row in shown.iterrows():
        grid.add_row(
            _text(row["rank"]),
            f"{row['name']} ({iso3})",
            *(f"{row[code]:.4f}" for code in ("egdi", "osi", "tii", "hci")),
            _text(row["group"]),
            _text(row["rating_class"]),
            _text(row["published_rank"]),
            _text(row["rank_change"], signed=True),
        )
    out.print(grid)


def _require_every_country(values: Any, frame: Any, path: Path) -> None:
    """Normalisation is relative to every country, so a component is recomputed for all."""
    missing = sorted(set(frame.index) - set(values.index))
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        raise EgovError(
            f"{path.name} lacks {len(missing)} of the edition's {len(frame)} countries: {shown}"
        )


def _text(value: object, *, signed: bool = False) -> str:
    import pandas as pd

    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "–"
    return f"{value:+d}" if signed and isinstance(value, int) and value else str(value)


def _edition_model(edition: int) -> Any:
    """The edition's assessed countries as the uncertainty core wants them, read from the
    database as ``egov compute`` reads it (``egov setup`` fills it)."""
    from egov.frameworks import load_edition_methods

    methods = load_edition_methods()
    if edition not in methods:
        raise EgovError(f"{edition} is not a Survey edition ({', '.join(map(str, methods))})")
    _django()
    from egov.web.datacenter import selectors
    from egov.web.datacenter.models import Edition

    stored = Edition.objects.filter(year=edition).first()
    if stored is None:
        raise EgovError(f"the {edition} edition is not in the database: run egov setup")
    return selectors.uncertainty_model(edition=stored)


def _settings(**values: Any) -> Any:
    from egov.methodology import UncertaintySettings

    try:
        return UncertaintySettings(**values)
    except EgovError as error:
        raise typer.BadParameter(str(error)) from None


NoiseFactorOption = Annotated[
    float, typer.Option(help="Weight perturbation f: w·(1+u), u ~ U(-f, f); 0 to 0.5.")
]
SeedOption = Annotated[int, typer.Option(help="Seed of every random draw (reproducible).")]


@app.command()
def uncertainty(
    edition: Annotated[int, typer.Option(help="Survey year.")],
    samples: Annotated[int, typer.Option(help="Monte Carlo runs.")] = 10_000,
    seed: SeedOption = 0,
    noise_factor: NoiseFactorOption = 0.25,
    top: Annotated[int, typer.Option(help="Rows of the table to print (0: all).")] = 20,
    as_json: JsonOption = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV, one row a country.")] = False,
) -> None:
    """How sure is each rank: Monte Carlo over the component weights, the normalisation,
    arithmetic or geometric aggregation and noise in the components (docs/robustness.md).
    Prints each country's median rank, 5th-95th percentile interval, group and top-ten
    probabilities and mean absolute rank shift."""
    from egov.methodology import rank_uncertainty

    if as_json and as_csv:
        raise typer.BadParameter("choose one of --json and --csv")
    settings = _settings(samples=samples, seed=seed, noise_factor=noise_factor)
    with _reported():
        model = _edition_model(edition)
        with _progress(f"Simulating {edition}") as advance:
            result = rank_uncertainty(model, settings, on_progress=advance)
    document: dict[str, Any] = result.as_dict()
    if as_json:
        out.print_json(data=document)
        return
    rows: list[dict[str, Any]] = list(document["countries"])
    if as_csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            [
                "iso3",
                "name",
                "published_rank",
                "median_rank",
                "rank_p5",
                "rank_p95",
                "p_very_high",
                "p_high",
                "p_middle",
                "p_low",
                "top10_probability",
                "mean_abs_rank_shift",
            ]
        )
        for row in rows:
            groups = row["group_probabilities"] or {}
            writer.writerow(
                [
                    row["iso3"],
                    row["name"],
                    row["published_rank"],
                    f"{row['median_rank']:g}",
                    f"{row['rank_p5']:g}",
                    f"{row['rank_p95']:g}",
                    *(f"{groups[code]:.4f}" if groups else "" for code in "VHML"),
                    f"{row['top10_probability']:.4f}",
                    f"{row['mean_abs_rank_shift']:.4f}",
                ]
            )
        return
    grid = Table(
        title=f"{edition}: rank uncertainty over {samples:,} runs (seed {seed})",
        title_justify="left",
    )
    for column in ("Rank", "Country", "Median [5th–95th]", "P(V/H/M/L)", "P(top 10)", "|shift|"):
        grid.add_column(column, justify="left" if column == "Country" else "right")
    for row in rows if top == 0 else rows[:top]:
        groups = row["group_probabilities"]
        grid.add_row(
            str(row["published_rank"]),
            f"{row['name']} ({row['iso3']})",
            f"{row['median_rank']:g} [{row['rank_p5']:g}–{row['rank_p95']:g}]",
            " / ".join(f"{groups[code]:.2f}" for code in "VHML") if groups else "–",
            f"{row['top10_probability']:.2f}",
            f"{row['mean_abs_rank_shift']:.1f}",
        )
    out.print(grid)
    mean, low, high = result.mean_abs_rank_shift
    out.print(
        f"Mean absolute rank shift {mean:.2f} places per country (5th–95th percentile over runs "
        f"{low:.2f}–{high:.2f}). Group probabilities over the {result.published_scale_runs:,} "
        f"runs on the published scale ({result.published_scale_share:.0%}).",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def sensitivity(
    edition: Annotated[int, typer.Option(help="Survey year.")],
    base_samples: Annotated[
        int, typer.Option(help="Sobol base samples N, a power of two; N·(d+2) runs.")
    ] = 1024,
    seed: SeedOption = 0,
    noise_factor: NoiseFactorOption = 0.25,
    as_json: JsonOption = False,
) -> None:
    """Which choice moves the ranks: Sobol first-order and total indices (SALib) of each
    assumption on the mean absolute rank shift and on every country's rank."""
    from egov.methodology import rank_sensitivity

    settings = _settings(seed=seed, noise_factor=noise_factor)
    with _reported():
        model = _edition_model(edition)
        with _progress(f"Sobol design for {edition}") as advance:
            result = rank_sensitivity(model, settings, base_samples, on_progress=advance)
    if as_json:
        out.print_json(data=result.as_dict())
        return
    grid = Table(
        title=(
            f"{edition}: Sobol indices on the mean absolute rank shift "
            f"(N = {base_samples}, {result.runs:,} runs, seed {seed})"
        ),
        title_justify="left",
    )
    for column in ("Assumption", "First order S1", "Total ST", "Interactions ST−S1"):
        grid.add_column(column, justify="left" if column == "Assumption" else "right")
    table = result.mean_abs_rank_shift.frame()
    for factor, row in table.iterrows():
        grid.add_row(
            str(factor),
            f"{row['S1']:.3f} ± {row['S1_conf']:.3f}",
            f"{row['ST']:.3f} ± {row['ST_conf']:.3f}",
            f"{row['ST'] - row['S1']:.3f}",
        )
    out.print(grid)
    moving = model.countries - len(result.rank_invariant)
    out.print(
        f"Per-country indices for {moving} countries (--json); "
        f"{len(result.rank_invariant)} rank invariant: "
        f"{', '.join(result.rank_invariant) or 'none'}.",
        highlight=False,
        soft_wrap=True,
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Gunicorn worker processes.")] = 2,
) -> None:
    """Serve the site with gunicorn (static files by whitenoise)."""
    _django()
    from django.core.management import call_command
    from django.db import connections
    from gunicorn.app.wsgiapp import WSGIApplication

    call_command("collectstatic", verbosity=0, interactive=False)
    # The workers are forked from this process: none may inherit the connection migrate opened
    # (on PostgreSQL they would share its socket and interleave their queries and commits).
    connections.close_all()
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
