"""Run a sweep: plan the samples, solve them (serially or on Dask), keep every result.

Only plain data travels to the workers: the model file path, the scenario and
the drawn values (:class:`~mfa.sweep.spec.Task`). Each worker process builds
its model once and keeps it in :data:`_CACHE` (a few entries, keyed by model
file, its modification time, the scenario and the ``choice`` files), then
re-solves it for every sample it gets (:class:`~mfa.sweep.resolve.Resolver`).
Solver objects never leave the process that made them.

Every finished sample is written at once, atomically, as its own folder
``DIR/samples/sample=NNNNNN/`` (``record.json``: draw, status, reason, objective,
checks, timing; ``indicators.parquet``: the per-year indicators). A failed or
infeasible sample is recorded with its reason and the sweep goes on. With
``resume`` a re-run skips every sample already recorded (except those that
ended in an unexpected ``error``, which are tried again). At the end the sample
records are assembled into ``samples.parquet``, ``indicators.parquet`` (joined
to the sample table), ``summary.parquet`` and figures (:mod:`mfa.sweep.analysis`).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import socket
import traceback
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

import pandas as pd

from mfa import manifest
from mfa.config import ModelConfig, load_model
from mfa.errors import ConfigError, MfaError, ResultsError
from mfa.inputs.data import ModelData, load_data
from mfa.paths import check_output, model_inputs
from mfa.results import write_atomically
from mfa.sweep.analysis import assemble, sample_dir
from mfa.sweep.indicators import COLUMNS, indicators, scalars
from mfa.sweep.resolve import Resolver
from mfa.sweep.spec import (
    METHODS,
    Task,
    apply_draw,
    check_against,
    choices_of,
    plan,
    with_tables,
)

CACHE_SIZE = 3
"""Models kept per worker process (one per scenario / choice combination in use)."""

_CACHE: OrderedDict[tuple, tuple[Resolver, ModelData]] = OrderedDict()
"""Per-process cache of built, solved models (never pickled, never sent)."""
_CONFIGS: dict[tuple, ModelConfig] = {}

RETRY_STATUSES = ("error",)
"""Statuses that ``resume`` solves again (anything else counts as done)."""

MANIFEST_KEYS = (
    "model",
    "scenario",
    "method",
    "samples",
    "seed",
    "grid",
    "uncertainty",
    "model_hash",
    "data_hash",
)
"""What must match for ``resume`` to add samples to a sweep folder (``manifest.json``)."""
SCHEDULER_TIMEOUT_S = 10
"""Seconds to wait for a Dask scheduler given by address."""


# ----------------------------------------------------------------------------- worker side
def _resolver(model: str, scenario: str | None, draw: dict) -> tuple[Resolver, ModelData, bool]:
    """The cached model for this sample (built now when ``True`` comes back third)."""
    path = Path(model)
    cfg_key = (str(path.resolve()), path.stat().st_mtime_ns, scenario)
    if cfg_key not in _CONFIGS:
        _CONFIGS[cfg_key] = load_model(path, scenario)
    base_cfg = _CONFIGS[cfg_key]
    choices = choices_of(base_cfg, draw)
    key = (*cfg_key, choices)
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return (*_CACHE[key], False)
    data = load_data(with_tables(base_cfg, choices))
    tables = {
        p.table for p in base_cfg.uncertainty.parameters.values() if p.distribution != "choice"
    }
    entry = (Resolver(data, tables), data)
    _CACHE[key] = entry
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return (*entry, True)


def run_sample(model: str, scenario: str | None, sample: int, draw: dict) -> dict[str, Any]:
    """Solve one sample (runs on a worker); never raises.

    Returns
    -------
    dict
        ``sample, status, reason, mode, objective, total_unmet, total_cost_undiscounted,
        max_balance_residual, seconds, setup_seconds, worker`` and ``indicators``
        (a DataFrame, empty unless optimal).
    """
    start = perf_counter()
    record: dict[str, Any] = {
        "sample": sample,
        "status": "error",
        "reason": "",
        "mode": "",
        "objective": math.nan,
        "total_unmet": math.nan,
        "total_cost_undiscounted": math.nan,
        "max_balance_residual": math.nan,
        "seconds": math.nan,
        "setup_seconds": 0.0,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    table = pd.DataFrame(columns=COLUMNS)
    try:
        resolver, base, built = _resolver(model, scenario, draw)
        if built:
            record["setup_seconds"] = resolver.setup_seconds
        out = resolver.solve(apply_draw(base, draw))
        record.update(
            status=out.status,
            reason=out.reason,
            mode=out.mode,
            objective=out.objective,
            seconds=out.seconds,
            max_balance_residual=out.checks.get("max_balance_residual", math.nan),
        )
        if out.tables is not None:
            record.update(scalars(out.tables))
            table = indicators(out.tables, base, base.config.uncertainty.focus)
    except MfaError as err:
        record["reason"] = str(err)
    except Exception as err:  # one bad sample must not end the sweep
        record["reason"] = f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=5)}"
    if math.isnan(record["seconds"]):
        record["seconds"] = perf_counter() - start
    record["indicators"] = table
    return record


# ----------------------------------------------------------------------------- client side
@dataclass
class SweepResult:
    """What a sweep left in its folder.

    Attributes
    ----------
    folder
        The output folder.
    samples
        The sample table (``samples.parquet``): one row per sample with its draw,
        status, reason, objective and checks.
    summary
        Statistics per indicator and year (``summary.parquet``).
    solved, skipped, failed
        Samples solved in this call, skipped as already done (``resume``), and
        not optimal (in total).
    wall_s
        Seconds this call took.
    """

    folder: Path
    samples: pd.DataFrame
    summary: pd.DataFrame
    solved: int
    skipped: int
    failed: int
    wall_s: float


def _done(folder: Path) -> set[int]:
    done = set()
    for rec in (folder / "samples").glob("sample=*/record.json"):
        try:
            status = json.loads(rec.read_text(encoding="utf-8"))["status"]
        except (OSError, ValueError, KeyError):
            continue
        if status not in RETRY_STATUSES:
            done.add(int(rec.parent.name.split("=", 1)[1]))
    return done


def _write_sample(folder: Path, task: Task, record: dict[str, Any]) -> None:
    table: pd.DataFrame = record.pop("indicators")
    meta = {**record, "scenario": task.scenario, "draw": task.draw, "labels": task.labels}

    def write(tmp: Path) -> None:
        frame = table.copy()
        frame.insert(0, "sample", task.sample)
        frame.to_parquet(tmp / "indicators.parquet", index=False)
        (tmp / "record.json").write_text(
            json.dumps(meta, indent=1, default=_json_default), encoding="utf-8"
        )

    write_atomically(sample_dir(folder, task.sample), True, write)


def _json_default(x: Any) -> Any:
    if hasattr(x, "item"):
        return x.item()
    return str(x)


def _manifest(
    data: ModelData, method: str, samples: int, seed: int, grid: str | None
) -> dict[str, Any]:
    cfg = data.config
    choice_files = sorted(
        {
            f
            for p in cfg.uncertainty.parameters.values()
            if p.distribution == "choice"
            for f in (p.files or {}).values()
        }
    )
    hasher = hashlib.sha256(data.data_hash.encode())
    for name in choice_files:  # the alternative tables a choice may read
        hasher.update(name.encode())
        hasher.update(manifest.file_hash(cfg.data / name).encode())
    return {
        "kind": "sweep",
        "model": str(cfg.source_file),
        "scenario": cfg.scenario,
        "method": method,
        "samples": samples,
        "seed": seed,
        "grid": grid,
        "uncertainty": cfg.uncertainty.model_dump(mode="json"),
        "model_hash": manifest.model_hash(cfg),
        "data_hash": hasher.hexdigest(),
        "options": cfg.options.model_dump(mode="json"),
    }


def _prepare_folder(folder: Path, wanted: dict[str, Any], resume: bool) -> None:
    """Start a sweep folder, or check that ``resume`` continues the same sweep.

    Raises
    ------
    ResultsError
        The folder holds something else (an ``mfa run`` folder, other files) or a sweep
        of another model, data or plan.
    """
    body = manifest.read(folder) if folder.is_dir() else None
    if body is not None:
        if body.get("kind") != "sweep":
            raise ResultsError(
                f"{folder} is {manifest.KIND_WORDS.get(str(body.get('kind')), 'not a sweep')}, "
                "not a sweep folder: choose another --out"
            )
        if not resume:
            raise MfaError(
                f"{folder} already holds a sweep; pass --resume (resume=True) to "
                f"finish it, or choose another folder"
            )
        differ = [k for k in MANIFEST_KEYS if body.get(k) != wanted.get(k)]
        if differ:
            changed = {"model_hash": "the model definition", "data_hash": "the data tables"}
            words = ", ".join(changed.get(k, k) for k in differ)
            raise ResultsError(
                f"cannot resume {folder}: the sweep there differs in {words} (changed since "
                "its samples were solved; samples of two versions must not mix); choose "
                "another folder"
            )
        return
    if folder.exists() and any(folder.iterdir()):
        raise ResultsError(
            f"{folder} exists and is not a sweep folder (no {manifest.MANIFEST}); "
            "choose another folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{manifest.MANIFEST}.tmp"
    tmp.write_text(manifest.to_json({**wanted, "files": {}}), encoding="utf-8")
    os.replace(tmp, folder / manifest.MANIFEST)


def _serial(model: str, tasks: list[Task]) -> Iterator[tuple[Task, dict[str, Any]]]:
    for task in tasks:
        yield task, run_sample(model, task.scenario, task.sample, task.draw)


def _connect(scheduler: str) -> Any:
    """A Dask client of the scheduler at ``scheduler``, or a clear error within a timeout."""
    from dask.distributed import Client

    try:
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as err:
        raise MfaError(
            f"cannot reach the Dask scheduler at {scheduler} within "
            f"{SCHEDULER_TIMEOUT_S} s ({type(err).__name__}: {err}); is it running, "
            "and is the address tcp://host:port?"
        ) from None


def _dask(
    model: str, tasks: list[Task], workers: int | None, scheduler: str | None
) -> Iterator[tuple[Task, dict[str, Any]]]:
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler:
        client = _connect(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=40,
        )
        client = Client(cluster)
    try:
        by_key = {}
        futures = []
        for task in tasks:
            fut = client.submit(
                run_sample, model, task.scenario, task.sample, task.draw, pure=False
            )
            by_key[fut.key] = task
            futures.append(fut)
        for fut in as_completed(futures):
            task = by_key[fut.key]
            try:
                record = fut.result()
            except Exception as err:  # a lost worker loses one sample only
                record = {
                    "sample": task.sample,
                    "status": "error",
                    "reason": f"worker failed: {type(err).__name__}: {err}",
                    "indicators": pd.DataFrame(columns=COLUMNS),
                }
            yield task, record
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sweep(
    model: str | Path,
    scenario: str | None = None,
    *,
    samples: int = 100,
    method: str = "monte_carlo",
    grid: str | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "sweep",
    resume: bool = False,
    figures: bool = True,
    progress: bool | Callable[[Iterable[Any], int], Iterable[Any]] = False,
) -> SweepResult:
    """Run a Monte Carlo ensemble or a one-at-a-time sensitivity of a model.

    Parameters
    ----------
    model
        Model file with an ``uncertainty`` section (and ``grids`` for ``grid``).
    scenario
        Scenario the samples start from.
    samples
        Monte Carlo draws (per grid cell); ignored for ``one_at_a_time``.
    method
        ``monte_carlo`` or ``one_at_a_time`` (tornado data).
    grid
        Name of a scenario grid: run every cell (cartesian product of overrides).
    seed
        Seed of the draws (default: ``uncertainty.seed``).
    workers
        ``0``: solve in this process, no Dask. Otherwise the number of worker
        processes of a local Dask cluster (default: the number of cores).
    scheduler
        Address of a running Dask scheduler (e.g. ``tcp://host:8786``) to use
        instead of a local cluster; workers must see the model file at the same path.
    out
        Output folder.
    resume
        Finish a sweep in ``out``, skipping samples already recorded.
    figures
        Write figures into ``out/figures``.
    progress
        ``True`` for a rich progress bar, or a wrapper ``f(iterable, total)``.

    Returns
    -------
    SweepResult
    """

    start = perf_counter()
    folder = Path(out)
    _check_options(samples, method, workers)
    cfg = load_model(model, scenario)
    data = load_data(cfg)
    choices = [
        cfg.data / f for p in cfg.uncertainty.parameters.values() for f in (p.files or {}).values()
    ]
    check_output(folder, model_file=cfg.source_file, inputs=[*model_inputs(cfg), *choices])
    problems = check_against(data)
    if problems:
        raise ConfigError(problems)
    seed = cfg.uncertainty.seed if seed is None else seed
    if not cfg.uncertainty.parameters and grid is None:
        raise MfaError(
            f"{model} has no 'uncertainty' parameters and no grid was named: nothing to sweep"
        )
    tasks = plan(cfg, method, samples, seed, grid)
    if scheduler:  # reachable before anything is written
        _connect(scheduler).close()
    _prepare_folder(folder, _manifest(data, method, samples, seed, grid), resume)
    done = _done(folder) if resume else set()
    todo = [t for t in tasks if t.sample not in done]
    model_path = str(cfg.source_file)
    stream: Iterable[tuple[Task, dict[str, Any]]]
    if not todo or workers == 0 or (workers is None and scheduler is None and len(todo) <= 1):
        stream = _serial(model_path, todo)
    else:
        stream = _dask(model_path, todo, workers, scheduler)
    if progress is True:
        stream = _rich_progress(stream, len(todo))
    elif callable(progress):
        stream = progress(stream, len(todo))
    solved = 0
    for task, record in stream:
        _write_sample(folder, task, record)
        solved += 1
    table, summary = assemble(folder, tasks, figures=figures)
    failed = int((table["status"] != "optimal").sum()) if len(table) else 0
    return SweepResult(
        folder, table, summary, solved, len(tasks) - len(todo), failed, perf_counter() - start
    )


def _check_options(samples: int, method: str, workers: int | None) -> None:
    """Options a sweep cannot run with, reported before anything is read or started."""
    if method not in METHODS:
        raise MfaError(f"unknown method '{method}' (known: {', '.join(METHODS)})")
    if samples < 1 and method == "monte_carlo":
        raise MfaError(f"--samples must be at least 1 (got {samples})")
    if workers is not None and workers < 0:
        raise MfaError(
            f"--workers must be 0 (solve in this process) or a number of processes (got {workers})"
        )


def _rich_progress(
    stream: Iterable[tuple[Task, dict[str, Any]]], total: int
) -> Iterator[tuple[Task, dict[str, Any]]]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    failed = 0
    with Progress(
        TextColumn("[bold]sweep[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} not optimal"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    ) as bar:
        tid = bar.add_task("sweep", total=total, failed=0)
        for task, record in stream:
            yield task, record
            failed += record.get("status") != "optimal"
            bar.update(tid, advance=1, failed=failed)
