"""The ``mfa`` command line: one verb per job.

Every verb prints problems in the model's words and exits non-zero on
failure without writing anything. Exit codes (:data:`EXIT_CODES`): 0 success,
1 input problem, 2 command-line usage, 3 no optimal solution, 4 post-solve check
failed, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import tempfile
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mfa import api
from mfa.errors import CheckError, InputError, MfaError, SolveError
from mfa.paths import check_output, check_writable, model_inputs
from mfa.results import write_atomically

EXIT_INPUT = 1
"""Bad model file, table, option or folder (named with file, line and what was expected)."""
EXIT_USAGE = 2
"""Unknown option or missing argument on the command line (reported by the parser)."""
EXIT_NO_OPTIMUM = 3
"""The solver found no optimal solution (infeasible, unbounded, time or numerical limit)."""
EXIT_CHECK = 4
"""A solution failed a post-solve check (balances, signs, cost reconciliation)."""
EXIT_INTERNAL = 70
"""An unexpected error: a bug in mfa (the traceback is written to a log file)."""
EXIT_INTERRUPTED = 130
"""Interrupted by Ctrl-C or SIGTERM; nothing half-written is left."""
EXIT_CODES = {
    0: "success",
    EXIT_INPUT: "input problem (model file, table, option, output or results folder)",
    EXIT_USAGE: "command-line usage error",
    EXIT_NO_OPTIMUM: "no optimal solution (infeasible, unbounded, solver limit)",
    EXIT_CHECK: "a post-solve check failed",
    EXIT_INTERNAL: "internal error (a bug; traceback in a log file)",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C or SIGTERM)",
}
_EPILOG = "Exit codes: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()) + "."

SHOWN_DETAILS = 25
"""Diagnosis findings printed on the terminal; all of them go to diagnosis.json."""

app = typer.Typer(
    help="Optimise critical-mineral supply chains between Canada and Korea.",
    epilog=_EPILOG,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
console = Console(highlight=False, emoji=False)
err_console = Console(stderr=True, highlight=False, emoji=False)

ModelArg = Annotated[Path, typer.Argument(help="Model file (YAML), e.g. models/canada_korea.yaml")]
ScenarioOpt = Annotated[
    str | None, typer.Option("--scenario", "-s", help="Scenario defined in the model file")
]


def _fail(err: Exception) -> NoReturn:
    """Print an error for a person and exit with status 1 (4 for a failed check)."""
    if isinstance(err, InputError):
        err_console.print(f"[bold red]Input problems[/] ({len(err.problems)}):")
        for p in err.problems:
            err_console.print(f"  - {p}", soft_wrap=True, markup=False)
    else:
        err_console.print(f"[bold red]Error:[/] {escape(str(err))}", soft_wrap=True)
    raise typer.Exit(code=EXIT_CHECK if isinstance(err, CheckError) else EXIT_INPUT)


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextmanager
def _guarded(interrupted: str = "nothing was written or replaced") -> Iterator[None]:
    """Turn every way a command can end into one message and its exit code.

    SIGTERM is raised as KeyboardInterrupt (so that temporary folders are removed);
    an interruption prints one line; an error of mfa prints its problems; anything
    else is a bug: one line on the terminal, the traceback in a log file.
    """
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        err_console.print(f"[bold red]interrupted[/]: {escape(interrupted)}", soft_wrap=True)
        raise typer.Exit(code=EXIT_INTERRUPTED) from None
    except MfaError as err:
        _fail(err)
    except Exception as err:
        log = Path(tempfile.gettempdir()) / f"mfa-crash-{os.getpid()}.log"
        log.write_text(traceback.format_exc(), encoding="utf-8")
        err_console.print(
            f"[bold red]internal error[/] (a bug in mfa, please report it): "
            f"{escape(type(err).__name__)}: {escape(str(err))}; traceback in {log}",
            soft_wrap=True,
        )
        raise typer.Exit(code=EXIT_INTERNAL) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


@app.command()
def validate(model: ModelArg, scenario: ScenarioOpt = None) -> None:
    """Check the model file and every table; no solve. Without -s: the base model and
    every scenario.

    Example: mfa validate models/canada_korea.yaml -s reference
    """
    with _guarded():
        data = api.validate(model, scenario)
        checked = [(scenario, data)]
        if scenario is None:
            checked += _every_scenario(model, data.config.scenarios)
    for name, each in checked:
        n_rows = sum(len(s) for s in each.params.values())
        console.print(
            f"[green]OK[/] {escape(str(model))} (scenario: {escape(name or 'base')}): "
            f"{len(each.regions)} regions, {len(each.commodities)} commodities, "
            f"{len(each.processes)} processes, {n_rows} parameter values"
        )


def _every_scenario(model: Path, scenarios: dict[str, list[str]]) -> list[tuple[str, Any]]:
    """Validate each scenario's tables; raise every problem found, each naming its scenario."""
    done, problems = [], []
    for name in scenarios:
        try:
            done.append((name, api.validate(model, name)))
        except InputError as err:
            problems += [
                dataclasses.replace(p, message=f"scenario '{name}': {p.message}")
                for p in err.problems
            ]
    if problems:
        raise InputError(problems)
    return done


@app.command()
def run(
    model: ModelArg,
    scenario: ScenarioOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Results folder to write")] = Path(
        "results"
    ),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder")] = False,
) -> None:
    """Build, solve, check and save results (summary.json + tables).

    Example: mfa run models/canada_korea.yaml -s reference -o results/reference
    """
    with _guarded():
        data = api.validate(model, scenario)  # inputs first, then the output folder, then solve
        check_output(out, model_file=data.config.source_file, inputs=model_inputs(data.config))
        check_writable(out)
        if out.exists() and not force:
            raise MfaError(f"{out} already exists; pass --force to replace it")
        try:
            with console.status(f"solving {escape(str(model))} ({escape(scenario or 'base')})"):
                results = api.run(data)
            results.save(out, force=force)
        except SolveError as err:
            _explain_no_optimum(err, out)
    s = results.summary
    console.print(
        f"[green]{s['status']}[/] {escape(s['model'])} / {escape(s['scenario'] or 'base')}: "
        f"total discounted cost {s['objective']:.6g} USD; "
        f"{s['n_variables']} variables, {s['n_constraints']} constraints; "
        f"max balance residual {s['max_balance_residual']:.2g}"
    )
    explained = s.get("unmet_explained")
    if explained:
        console.print(f"[yellow]unmet demand[/]: {escape(explained['summary'])}", soft_wrap=True)
        console.print(
            f"all {len(explained['details'])} findings in {out / 'summary.json'} (unmet_explained)"
        )
    console.print(f"results written to {out}")


def _explain_no_optimum(err: SolveError, out: Path) -> NoReturn:
    """Print the diagnosis, write ``diagnosis.json`` and exit with :data:`EXIT_NO_OPTIMUM`."""
    diagnosis = err.diagnosis.to_dict()
    err_console.print(
        f"[bold red]{escape(err.diagnosis.status)}[/]: {escape(err.diagnosis.summary)}",
        soft_wrap=True,
    )
    details = err.diagnosis.details
    for item in details[:SHOWN_DETAILS]:
        err_console.print(f"  - {item.get('message', item)}", soft_wrap=True, markup=False)
    if len(details) > SHOWN_DETAILS:
        err_console.print(f"  ... and {len(details) - SHOWN_DETAILS} more findings")
    diag_dir = out.with_name(out.name + ".diagnosis") if out.exists() else out
    write_atomically(
        diag_dir,
        True,
        lambda tmp: (tmp / "diagnosis.json").write_text(
            json.dumps(diagnosis, indent=2, default=str), encoding="utf-8"
        ),
    )
    err_console.print(f"diagnosis written to {escape(str(diag_dir / 'diagnosis.json'))}")
    raise typer.Exit(code=EXIT_NO_OPTIMUM)


@app.command()
def info(model: ModelArg, scenario: ScenarioOpt = None) -> None:
    """Sets, sizes, scenarios and data sources of a model.

    Example: mfa info models/canada_korea.yaml
    """
    from mfa.model.index import build_index

    with _guarded():
        data = api.validate(model, scenario)
        index = build_index(data)
    cfg = data.config
    console.print(f"[bold]{cfg.name}[/]: {cfg.description}")
    console.print(f"years {data.years[0]}–{data.years[-1]}; data {cfg.data}")
    table = Table("set", "size", "members")
    table.add_row("regions", str(len(data.regions)), ", ".join(data.regions))
    for name, frame in (("commodities", data.commodities), ("processes", data.processes)):
        table.add_row(
            name,
            str(len(frame)),
            ", ".join(list(frame.index)[:12]) + (", ..." if len(frame) > 12 else ""),
        )
    console.print(table)
    sizes = Table("variable family", "count")
    for name in ("activity", "new_capacity", "use", "trade", "unmet", "excess"):
        sizes.add_row(name, str(len(getattr(index, name))))
    console.print(sizes)
    console.print(
        "scenarios: " + (", ".join(f"{k} = {v}" for k, v in cfg.scenarios.items()) or "none")
    )
    console.print(f"sources: {len(data.sources)} entries in sources.csv")


@app.command()
def report(
    folder: Annotated[Path, typer.Argument(help="A results folder written by 'mfa run'")],
    html: Annotated[bool, typer.Option(help="Also write interactive Sankey HTML")] = True,
    all_figures: Annotated[
        bool, typer.Option("--all-figures", help="Draw every figure, not only the default set")
    ] = False,
) -> None:
    """report.html, figures, tables, Excel workbook and summary.md for saved results.

    Example: mfa report results/reference
    """
    with (
        _guarded("the results folder is as it was; no report was written"),
        console.status(f"writing the report of {escape(str(folder))}"),
    ):
        written = api.write_report(folder, html=html, all_figures=all_figures)
    console.print(
        f"[green]report[/] {folder}: {len(written['figures'])} figure files, "
        f"tables, results.xlsx, summary.md"
    )
    for stem, why in written.get("failed", {}).items():
        err_console.print(f"[yellow]figure {stem} not drawn[/]: {why}", soft_wrap=True)


@app.command()
def compare(
    folders: Annotated[list[Path], typer.Argument(help="Two or more results folders")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the comparison")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder")] = False,
) -> None:
    """Scenario comparison figures and table.

    Example: mfa compare results/reference results/partnership -o results/compare
    """
    with _guarded():
        table = api.compare(folders, out, force=force)
    console.print(f"[green]compared[/] {len(folders)} runs ({len(table)} rows) into {out}")


@app.command()
def frontier(
    model: ModelArg,
    scenario: ScenarioOpt = None,
    points: Annotated[int, typer.Option("--points", min=2, help="Points on the frontier")] = 5,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write")] = Path("frontier"),
    force: Annotated[bool, typer.Option("--force", help="Replace an existing folder")] = False,
) -> None:
    """Cost-emissions Pareto frontier (epsilon-constraint).

    Example: mfa frontier models/canada_korea.yaml -s reference --points 7 -o results/frontier
    """
    from mfa.frontier import frontier as compute

    with _guarded():
        check_writable(out)
        if out.exists() and not force:
            raise MfaError(f"{out} already exists; pass --force to replace it")
        with console.status(f"solving {points} frontier points"):
            table = compute(model, scenario, points, out, force)
    shown = Table("point", "emissions (MtCO2e)", "cost (billion USD)", "USD/tCO2e")
    for row in table.itertuples():
        shown.add_row(
            str(row.point),
            f"{row.emissions / 1e6:.3f}",
            f"{row.cost / 1e9:.3f}",
            f"{row.abatement_cost:.1f}",
        )
    console.print(shown)
    console.print(f"frontier written to {out}")


@app.command()
def sweep(
    model: ModelArg,
    scenario: ScenarioOpt = None,
    samples: Annotated[
        int, typer.Option("--samples", "-n", help="Monte Carlo draws (per grid cell)")
    ] = 100,
    out: Annotated[Path, typer.Option("--out", "-o", help="Sweep folder to write")] = Path("sweep"),
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-w",
            help="Local Dask worker processes (default: one per core; "
            "0: no Dask, solve in this process)",
        ),
    ] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786"
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Seed of the draws (default: uncertainty.seed in the model file)"
        ),
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="monte_carlo, or one_at_a_time (tornado)")
    ] = "monte_carlo",
    grid: Annotated[
        str | None,
        typer.Option("--grid", help="Run every cell of this scenario grid (model file 'grids')"),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option("--resume", help="Finish a sweep in --out, skipping samples already done"),
    ] = False,
) -> None:
    """Monte Carlo ensembles, one-at-a-time sensitivity and scenario grids, on Dask.

    Every sample is written as it finishes (OUT/samples/); at the end OUT holds
    samples.parquet, indicators.parquet, summary.parquet and figures/.

    Example: mfa sweep models/canada_korea.yaml -s reference --samples 200 -o sweeps/ref
    """
    from mfa.sweep.runner import sweep as run_sweep

    interrupted = f"finished samples are kept in {out}; run again with --resume to finish"
    with _guarded(interrupted):
        if workers is not None and scheduler is not None:
            raise MfaError("give --workers or --scheduler, not both")
        result = run_sweep(
            model,
            scenario,
            samples=samples,
            method=method,
            grid=grid,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            out=out,
            resume=resume,
            progress=True,
        )
    s = result.samples
    ok = int((s["status"] == "optimal").sum()) if len(s) else 0
    console.print(
        f"[green]done[/] {len(s)} samples in {escape(str(out))} ({ok} optimal, {result.failed} "
        f"not; {result.solved} solved now, {result.skipped} skipped) in "
        f"{result.wall_s:.1f} s"
    )
    if ok:
        obj = s.loc[s["status"] == "optimal", "objective"]
        console.print(
            f"total discounted cost: median {obj.median():.6g} USD, "
            f"5-95 % {obj.quantile(0.05):.6g} - {obj.quantile(0.95):.6g} USD"
        )
    if result.failed:
        bad = s[s["status"] != "optimal"]
        for _, row in bad.head(5).iterrows():
            reason = " ".join(str(row["reason"] or "").split())[:400]  # problems on one line
            err_console.print(
                f"  sample {row['sample']}: {row['status']}: {escape(reason)}", soft_wrap=True
            )
    errors = int((s["status"] == "error").sum()) if len(s) else 0
    if errors:
        err_console.print(
            f"[bold red]{errors} sample(s) ended in an error[/] (bad input or a crash, not an "
            "optimisation outcome): the statistics leave them out; fix the cause and run again "
            "with --resume (samples in error are solved again)",
            soft_wrap=True,
        )
        raise typer.Exit(code=EXIT_INPUT)


@app.command()
def export(
    folders: Annotated[list[Path], typer.Argument(help="Results folders (mfa run -o), one each")],
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="Export format (iamc: IAMC table for pyam)")
    ] = "iamc",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help=".csv or .xlsx to write (default: FOLDER/iamc.csv)"),
    ] = None,
    model_name: Annotated[
        str | None,
        typer.Option("--model-name", help="IAMC model name (default: mfa VERSION MODEL)"),
    ] = None,
) -> None:
    """Headline variables of saved results as an IAMC table (scenario databases, pyam).

    Example: mfa export results/reference results/partnership --format iamc -o iamc.xlsx
    """
    from mfa.export import export_iamc

    if fmt != "iamc":
        _fail(MfaError(f"unknown export format {fmt!r}; expected 'iamc'"))
    target = out or folders[0] / "iamc.csv"
    try:
        written = export_iamc(folders, target, model=model_name)
    except MfaError as err:
        _fail(err)
    console.print(f"[green]exported[/] {len(folders)} results folders to {written}")


def main() -> None:
    """Entry point for ``python -m mfa`` (:mod:`mfa.__main__`)."""
    app()
