"""The ``mfa`` command line: one verb per job.

Every verb prints problems in the model's words and exits non-zero on
failure without writing anything. Exit codes (:data:`EXIT_CODES`): 0 success,
1 input problem, 2 command-line usage, 3 no optimal solution, 4 post-solve check
failed, 70 internal error, 130 interrupted.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import signal
import tempfile
import time
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

from mfa.errors import CheckError, InputError, MfaError, SolveError
from mfa.paths import check_output, check_writable, model_inputs

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


def validated(model: Path, scenario: str | None, timings: dict[str, float] | None = None) -> Any:
    """The model's checked data (:func:`mfa.inputs.cache.validated`: unchanged inputs are
    read from the cache). Imported here so that commands without a model never load it."""
    from mfa.inputs.cache import validated as cached

    return cached(model, scenario, timings)


def _since_process_start() -> float:
    """Seconds since this process started: Python's start-up and the imports so far.

    On Linux both ends are read on the clock since boot (the process's start in
    ``/proc/self/stat``, to 10 ms): psutil's ``create_time`` adds the boot time, which Linux
    gives in whole seconds, so a difference to ``time.time()`` is off by up to a second.
    """
    try:
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(stat[19]) / os.sysconf("SC_CLK_TCK")  # field 22: start, ticks since boot
        return max(0.0, time.clock_gettime(time.CLOCK_BOOTTIME) - started)
    except (OSError, AttributeError, IndexError, ValueError):  # not Linux
        import psutil

        return max(0.0, time.time() - psutil.Process().create_time())


@app.command()
def validate(model: ModelArg, scenario: ScenarioOpt = None) -> None:
    """Check the model file and every table; no solve. Without -s: the base model and
    every scenario.

    The last line gives the seconds of the command: since Python started, and its phases
    (import, load, validate; validate is 0 when the checked tables come from the cache).

    Example: mfa validate models/canada_korea.yaml -s reference
    """
    timings = {"import": _since_process_start()}
    with _guarded():
        data = validated(model, scenario, timings)
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
    phases = ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
    cached = "; tables from the cache" if timings.get("validate") == 0.0 else ""
    console.print(f"checked in {_since_process_start():.2f} s ({phases}{cached})")


def _every_scenario(model: Path, scenarios: dict[str, list[str]]) -> list[tuple[str, Any]]:
    """Validate each scenario's tables; raise every problem found, each naming its scenario."""
    done, problems = [], []
    for name in scenarios:
        try:
            done.append((name, validated(model, name)))
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
    no_tie_break: Annotated[
        bool,
        typer.Option(
            "--no-tie-break",
            help="Skip the tie-break (solver: tie_break of the model file): report the "
            "cost-optimal solution of the first solve",
        ),
    ] = False,
) -> None:
    """Build, solve, check and save results (summary.json + tables).

    With --no-tie-break the model file's ``solver: tie_break`` is ignored for this run: the
    results are the first, cost-optimal solve (as with ``tie_break: null``), and
    summary.json has no ``tie_break`` entry.

    summary.json's ``timings`` holds the seconds of each phase of this command: import
    (Python start-up and imports), load, validate, build, handover, solve, extract, derived
    and write; ``solve_ratio`` is their sum over the solve (HiGHS) time.

    Example: mfa run models/canada_korea.yaml -s reference -o results/reference
    """
    timings = {"import": _since_process_start()}
    with _guarded():
        data = validated(model, scenario, timings)  # inputs, then the output folder, then solve
        if no_tie_break:
            data = without_tie_break(data)
        check_output(out, model_file=data.config.source_file, inputs=model_inputs(data.config))
        check_writable(out)
        if out.exists() and not force:
            raise MfaError(f"{out} already exists; pass --force to replace it")
        try:
            start = time.perf_counter()
            from mfa import api  # the solver stack: pyomo, highspy

            timings["import"] += time.perf_counter() - start
            with console.status(f"solving {escape(str(model))} ({escape(scenario or 'base')})"):
                results = api.run(data)
            results.summary["timings"] = {**timings, **results.summary["timings"]}
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


def without_tie_break(data: Any) -> Any:
    """``data`` (a ``ModelData``) with the model file's ``solver: tie_break`` turned off."""
    config = data.config
    solver = config.solver.model_copy(update={"tie_break": None})
    return dataclasses.replace(data, config=config.model_copy(update={"solver": solver}))


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
    from mfa.results import write_atomically

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
        data = validated(model, scenario)
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
    from mfa import api

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
    from mfa import api

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


# ---------------------------------------------------------------- near-optimal alternatives
SlackOpt = Annotated[
    list[float] | None,
    typer.Option(
        "--slack",
        help="Cost slack, a fraction of the optimal cost (repeat for several; "
        "default: alternatives.slacks in the model file)",
    ),
]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        help="Local Dask worker processes (default: one per core; 0: solve in this process)",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option("--scheduler", help="Address of a running Dask scheduler, e.g. tcp://host:8786"),
]


@app.command()
def alternatives(
    model: ModelArg,
    scenario: ScenarioOpt = None,
    slack: SlackOpt = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write")] = Path(
        "alternatives"
    ),
    directions: Annotated[
        int | None,
        typer.Option(
            "--directions",
            help="Random directions after the min/max of each aggregate "
            "(default: alternatives.random_directions)",
        ),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed of the directions")] = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    no_solutions: Annotated[
        bool, typer.Option("--no-solutions", help="Do not write each point's result tables")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --out")] = False,
) -> None:
    """Near-optimal alternatives: the range of each aggregate the model file names
    (alternatives: aggregates:) over every solution within a cost slack of the optimum.

    OUT holds ranges.csv, points.csv, summary.json, figures/ and solutions/ (one results
    folder per near-optimal point, for mfa report).

    Example: mfa alternatives models/canada_korea.yaml -s reference --slack 0.05 -o alt/ref
    """
    from mfa.mga import alternatives as explore

    if workers is not None and scheduler is not None:
        _fail(MfaError("give --workers or --scheduler, not both"))
    if out.exists() and not force:
        _fail(MfaError(f"{out} already exists; pass --force to replace it"))
    try:
        result = explore(
            model,
            scenario,
            slacks=slack or None,
            random_directions=directions,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            out=out,
            force=force,
            save_solutions=not no_solutions,
        )
    except MfaError as err:
        _fail(err)
    table = Table(title=f"Near-optimal ranges (optimal cost {result.optimum:.6g} USD)")
    for col in ("aggregate", "slack", "min", "optimum", "max", "unit"):
        table.add_column(col, justify="left" if col in ("aggregate", "unit") else "right")
    for row in result.ranges.itertuples():
        table.add_row(
            str(row.aggregate),
            f"{100 * row.slack:g} %",
            f"{row.min:.6g}",
            f"{row.optimum:.6g}",
            f"{row.max:.6g}",
            str(row.unit),
        )
    console.print(table)
    s = result.summary
    console.print(
        f"[green]done[/] {s['points']} points ({s['not_optimal']} not optimal) from "
        f"{s['directions']} directions in {s['wall_seconds']:.1f} s; written to {out}"
    )


# ---------------------------------------------------------------- global sensitivity
@app.command()
def sensitivity(
    model: ModelArg,
    scenario: ScenarioOpt = None,
    method: Annotated[str, typer.Option("--method", help="sobol or morris")] = "sobol",
    samples: Annotated[
        int,
        typer.Option(
            "--samples",
            "-n",
            help="Sobol: base samples, a power of two (N(k+2) solves); Morris: trajectories",
        ),
    ] = 64,
    output: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            help="Sample-table column to analyse (repeat; default: objective and "
            "total_cost_undiscounted)",
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder to write")] = Path("sensitivity"),
    seed: Annotated[
        int | None, typer.Option("--seed", help="Seed of the design (default: uncertainty.seed)")
    ] = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Finish a run in --out, skipping samples done")
    ] = False,
) -> None:
    """Global sensitivity over the model's uncertainty section: Sobol indices (first order
    and total, bootstrap intervals) or Morris screening, with convergence figures.

    Example: mfa sensitivity models/canada_korea.yaml -s reference --method morris -n 10
    """
    from mfa.sensitivity import DEFAULT_OUTPUTS
    from mfa.sensitivity import sensitivity as analyse

    if workers is not None and scheduler is not None:
        _fail(MfaError("give --workers or --scheduler, not both"))
    try:
        result = analyse(
            model,
            scenario,
            method=method,
            samples=samples,
            outputs=output or DEFAULT_OUTPUTS,
            seed=seed,
            workers=workers,
            scheduler=scheduler,
            out=out,
            resume=resume,
            progress=True,
        )
    except MfaError as err:
        _fail(err)
    cols = ["S1", "S1_conf", "ST", "ST_conf"] if method == "sobol" else ["mu_star", "sigma"]
    table = Table(title=f"{method} indices ({len(result.samples)} solves)")
    for col in ("output", "parameter", *cols):
        table.add_column(col, justify="left" if col in ("output", "parameter") else "right")
    for row in result.indices.itertuples():
        table.add_row(
            str(row.output), str(row.parameter), *(f"{getattr(row, c):.4g}" for c in cols)
        )
    console.print(table)
    console.print(f"[green]done[/] in {result.wall_s:.1f} s; written to {out}")


def main() -> None:
    """Entry point for ``python -m mfa`` (:mod:`mfa.__main__`).

    When the command is done, its objects are left to the operating system: without
    ``gc.freeze`` Python's last collection at exit walks every object still alive (after
    ``mfa run``, the Pyomo model's millions: 0.6-1.3 s of wall time measured on a loaded
    machine, at most 0.2 s with the freeze)."""
    try:
        app()
    finally:
        gc.freeze()
