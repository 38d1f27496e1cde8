r"""Near-optimal alternatives (modelling to generate alternatives, MGA) of a model file.

Method, for the aggregates :math:`a_1 \dots a_n` that the model file's ``alternatives``
section names (:class:`mfa.config.Alternatives`) and each cost slack :math:`s`:

1. Solve the model: optimal cost :math:`C^*`, solution :math:`x^*` (the *optimum* point).
2. For each aggregate, minimise and maximise :math:`a_i^\top x` over the near-optimal space
   :math:`\{x : Ax \in [\ell, u],\ c^\top x + c_0 \le (1+s)\, C^*\}`. The two optima are the
   exact range of the aggregate at slack :math:`s` (Neumann & Brown 2021, *Electric Power
   Systems Research* 190, 106690).
3. Draw ``random_directions`` weight vectors :math:`w \sim N(0, I)` and minimise
   :math:`\sum_i w_i\, a_i^\top x / r_i`, with :math:`r_i` the aggregate's range at the
   largest slack (aggregates that do not move are left out). Each lands on another vertex
   of the near-optimal space, in a direction that mixes the aggregates (random-vector MGA,
   Berntsen & Trutnevyte 2017, *Energy* 126, 886-898).

Unused output and landfill cost nothing in the model, so by default (``hold_excess``) each
commodity's total excess is held at its least-cost level: an alternative may move where and
when material goes unused, not waste more of it (without this, the largest imports within
a 10 % slack on the default model were 1.3 Gt shipped only to be dumped).

Each direction is one task: plain data (its weights over the aggregates) sent to a
worker that builds and compiles the model once (:class:`~mfa.mga.engine.NearOptimal`,
cached per process as sweeps cache theirs) and re-solves it warm at every slack. Tasks
run in this process (``workers=0``) or on a local or remote Dask cluster. Every optimal
point's full result tables are written as a results folder (``solutions/<point>/``,
readable with :meth:`mfa.Results.load` and reportable with :func:`mfa.write_report`;
prices and shadow prices are left empty, as they would price the direction, not the
cost).
"""

from __future__ import annotations

import json
import math
import os
import traceback
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd

from mfa.config import load_model
from mfa.errors import MfaError
from mfa.inputs.data import load_data
from mfa.mga.aggregates import check_aggregates, unit_of
from mfa.mga.engine import NearOptimal, Point, result_tables
from mfa.paths import check_output, model_inputs
from mfa.results import Results, write_atomically

_ENGINES: OrderedDict[tuple, NearOptimal] = OrderedDict()
"""Per-process cache of compiled models (never pickled, never sent)."""
CACHE_SIZE = 2

RANGE_FLOOR = 1e-9
"""A range narrower than this (relative to the aggregate's scale) counts as fixed."""


@dataclass(frozen=True)
class Direction:
    """One direction of the search: plain data, cheap to send to a worker.

    Attributes
    ----------
    number
        Direction id, unique within the run (``0`` is the cost optimum itself).
    kind
        ``optimum``, ``min``, ``max`` or ``random``.
    target
        The aggregate a ``min``/``max`` direction moves (else ``""``).
    weights
        Aggregate name -> weight of the objective (minimised).
    """

    number: int
    kind: str
    target: str = ""
    weights: dict[str, float] = field(default_factory=dict)


@dataclass
class AlternativesResult:
    """What :func:`alternatives` found.

    Attributes
    ----------
    ranges
        Per aggregate and slack: ``aggregate, unit, slack, min, max, optimum, width``.
    points
        One row per direction and slack: ``point, direction, kind, target, slack, status,
        reason, cost, cost_increase, objective, seconds, iterations, solution`` and one
        column per aggregate.
    optimum
        The optimal cost (discounted USD).
    folder
        The output folder (``None`` when nothing was written).
    summary
        Method, counts and timing (``summary.json``).
    """

    ranges: pd.DataFrame
    points: pd.DataFrame
    optimum: float
    folder: Path | None
    summary: dict[str, Any]


# ----------------------------------------------------------------------------- worker side
def _engine(model: str, scenario: str | None) -> tuple[NearOptimal, float]:
    """The cached engine of this model file and scenario (and its setup seconds if built now)."""
    path = Path(model)
    key = (str(path.resolve()), path.stat().st_mtime_ns, scenario)
    if key in _ENGINES:
        _ENGINES.move_to_end(key)
        return _ENGINES[key], 0.0
    cfg = load_model(path, scenario)
    spec = cfg.alternatives
    engine = NearOptimal(load_data(cfg), spec.aggregates, spec.hold_excess)
    _ENGINES[key] = engine
    while len(_ENGINES) > CACHE_SIZE:
        _ENGINES.popitem(last=False)
    return engine, engine.setup_seconds


def point_name(direction: int, slack: float) -> str:
    """Folder name of a point's results, e.g. ``d003_s0.05``."""
    return f"d{direction:03d}_s{slack:g}"


def run_direction(
    model: str,
    scenario: str | None,
    direction: Direction,
    slacks: Sequence[float],
    folder: str | None,
) -> list[dict[str, Any]]:
    """Solve one direction at every slack (runs on a worker); never raises.

    Writes each optimal point's results into ``folder/solutions/<point>`` when ``folder``
    is given. Returns one record per slack (``status`` ``error`` with the reason when the
    model could not be built or solved).
    """
    base = {"direction": direction.number, "kind": direction.kind, "target": direction.target}
    try:
        engine, setup = _engine(model, scenario)
        if direction.kind == "optimum":
            x = engine.x_opt
            points = [_optimum_point(engine, x)]
        else:
            points = engine.explore(engine.direction(direction.weights), slacks)
        records = []
        for p in points:
            rec = {
                **base,
                "slack": p.slack,
                "status": p.status,
                "reason": "" if p.status == "optimal" else f"HiGHS: {p.status}",
                "cost": p.cost,
                "cost_increase": p.cost / engine.optimum - 1.0 if engine.optimum else math.nan,
                "objective": p.objective,
                "seconds": p.seconds,
                "iterations": p.iterations,
                "setup_seconds": setup,
                "worker": os.getpid(),
                "solution": "",
                **p.aggregates,
            }
            setup = 0.0
            if folder is not None and p.x is not None:
                rec["solution"] = _save(engine, p.x, Path(folder), direction, p.slack, rec)
            records.append(rec)
        return records
    except MfaError as err:
        reason = str(err)
    except Exception as err:  # one failed direction must not end the run
        reason = f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=5)}"
    return [{**base, "slack": s, "status": "error", "reason": reason} for s in sorted(slacks)]


def _optimum_point(engine: NearOptimal, x: np.ndarray) -> Point:
    return Point(0.0, "optimal", engine.optimum, engine.optimum, engine.values(x), 0.0, 0, x)


def _save(
    engine: NearOptimal,
    x: np.ndarray,
    folder: Path,
    direction: Direction,
    slack: float,
    record: dict[str, Any],
) -> str:
    """Write a point's results folder; return its path relative to ``folder``."""
    data = engine.data
    extracted = result_tables(engine, x)
    name = point_name(direction.number, slack)
    label = direction.kind if not direction.target else f"{direction.kind} {direction.target}"
    summary = {
        "model": data.name,
        "model_file": str(data.config.source_file) if data.config.source_file else None,
        "scenario": f"{data.config.scenario or 'base'} (alternative {name}: {label})",
        "status": "Optimal",
        "objective": record["cost"],
        "objective_unit": f"USD (discounted to {data.years[0]})",
        **extracted["checks"],
        "alternative": {
            "direction": direction.number,
            "kind": direction.kind,
            "target": direction.target,
            "weights": direction.weights,
            "slack": slack,
            "optimal_cost": engine.optimum,
            "cost_increase": record["cost_increase"],
            "aggregates": {n: record[n] for n in engine.names},
        },
        "years": [data.years[0], data.years[-1]],
        "regions": list(data.regions),
        "options": data.config.options.model_dump(),
        "data_hash": data.data_hash,
    }
    Results(tables=extracted["tables"], summary=summary).save(
        folder / "solutions" / name, force=True
    )
    return f"solutions/{name}"


# ----------------------------------------------------------------------------- client side
def plan_extremes(names: Sequence[str]) -> list[Direction]:
    """The optimum, then minimise and maximise each aggregate (directions 1, 2, ...)."""
    out = [Direction(0, "optimum")]
    for name in names:
        out.append(Direction(len(out), "min", name, {name: 1.0}))
        out.append(Direction(len(out), "max", name, {name: -1.0}))
    return out


def plan_random(ranges: pd.DataFrame, count: int, seed: int, first: int) -> list[Direction]:
    """``count`` random directions, each aggregate weighted by a standard normal draw over
    its range at the largest slack (aggregates with no range left out)."""
    if count == 0 or ranges.empty:
        return []
    widest = ranges[ranges["slack"] == ranges["slack"].max()].set_index("aggregate")
    scale = np.maximum(widest["max"].abs(), widest["min"].abs()).clip(lower=1.0)
    moving = widest.index[(widest["width"] > RANGE_FLOOR * scale).to_numpy()]
    if len(moving) == 0:
        return []
    rng = np.random.default_rng(seed)
    out = []
    for k in range(count):
        w = rng.standard_normal(len(moving))
        weights = {
            str(n): float(wi / widest.at[n, "width"]) for n, wi in zip(moving, w, strict=True)
        }
        out.append(Direction(first + k, "random", "", weights))
    return out


def range_table(points: pd.DataFrame, names: Sequence[str], units: dict[str, str]) -> pd.DataFrame:
    """The range of each aggregate at each slack, from its min and max directions."""
    opt = points[points["kind"] == "optimum"]
    rows = []
    for name in names:
        at_opt = float(opt[name].iloc[0]) if len(opt) and name in opt else math.nan
        mine = points[(points["target"] == name) & (points["status"] == "optimal")]
        for slack in sorted(points.loc[points["kind"] != "optimum", "slack"].unique()):
            lo = mine[(mine["kind"] == "min") & (mine["slack"] == slack)]
            hi = mine[(mine["kind"] == "max") & (mine["slack"] == slack)]
            low = float(lo[name].iloc[0]) if len(lo) else math.nan
            high = float(hi[name].iloc[0]) if len(hi) else math.nan
            rows.append(
                {
                    "aggregate": name,
                    "unit": units[name],
                    "slack": float(slack),
                    "min": low,
                    "max": high,
                    "optimum": at_opt,
                    "width": high - low,
                }
            )
    return pd.DataFrame(
        rows, columns=["aggregate", "unit", "slack", "min", "max", "optimum", "width"]
    )


def _serial(
    model: str, scenario: str | None, dirs: list[Direction], slacks: list[float], folder: str | None
) -> Iterator[list[dict[str, Any]]]:
    for d in dirs:
        yield run_direction(model, scenario, d, slacks, folder)


class _Cluster:
    """A Dask client on a local cluster (or a running scheduler), as sweeps use."""

    def __init__(self, workers: int | None, scheduler: str | None) -> None:
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            self.cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            self.client = Client(self.cluster)

    def map(
        self,
        model: str,
        scenario: str | None,
        dirs: list[Direction],
        slacks: list[float],
        folder: str | None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Run the directions on the cluster; yield their records as they finish."""
        from dask.distributed import as_completed

        by_key = {}
        futures = []
        for d in dirs:
            fut = self.client.submit(run_direction, model, scenario, d, slacks, folder, pure=False)
            by_key[fut.key] = d
            futures.append(fut)
        for fut in as_completed(futures):
            d = by_key[fut.key]
            try:
                yield fut.result()
            except Exception as err:  # a lost worker loses one direction only
                reason = f"worker failed: {type(err).__name__}: {err}"
                yield [
                    {
                        "direction": d.number,
                        "kind": d.kind,
                        "target": d.target,
                        "slack": s,
                        "status": "error",
                        "reason": reason,
                    }
                    for s in sorted(slacks)
                ]

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def alternatives(
    model: str | Path,
    scenario: str | None = None,
    *,
    slacks: Sequence[float] | None = None,
    random_directions: int | None = None,
    seed: int | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    force: bool = False,
    save_solutions: bool = True,
    figures: bool = True,
) -> AlternativesResult:
    """Explore the near-optimal space of a model along its aggregates (see the module
    docstring for the method).

    Parameters
    ----------
    model
        Model file with an ``alternatives`` section naming the aggregates.
    scenario
        Scenario to explore.
    slacks
        Cost slacks (fractions of the optimal cost; default: the model file's).
    random_directions
        Random directions after the min/max ones (default: the model file's).
    seed
        Seed of the random directions (default: the model file's).
    workers
        ``0``: solve in this process. Otherwise worker processes of a local Dask cluster
        (default: the number of cores).
    scheduler
        Address of a running Dask scheduler instead of a local cluster (workers must see
        the model file and ``out`` at the same paths).
    out
        Output folder (written atomically): ``ranges.csv``/``.parquet``,
        ``points.csv``/``.parquet``, ``summary.json``, ``figures/`` and, with
        ``save_solutions``, one results folder per optimal point under ``solutions/``.
    force
        Replace an existing ``out``.
    save_solutions
        Write the result tables of every point.
    figures
        Draw the range and projection figures.

    Returns
    -------
    AlternativesResult

    Raises
    ------
    MfaError
        When the model file names no aggregate; ConfigError for an unknown name in one.
    SolveError
        When the model itself has no optimum.
    """
    start = perf_counter()
    cfg = load_model(model, scenario)
    spec = cfg.alternatives
    if not spec.aggregates:
        raise MfaError(
            f"{cfg.source_file} has no 'alternatives: aggregates:' section: nothing to explore"
        )
    data = load_data(cfg)
    if out is not None:
        check_output(out, model_file=cfg.source_file, inputs=model_inputs(cfg))
    check_aggregates(data, spec.aggregates)
    units = {n: unit_of(data, a, n) for n, a in spec.aggregates.items()}
    chosen = sorted({float(s) for s in (spec.slacks if slacks is None else slacks)})
    if not chosen or any(not 0.0 <= s <= 10.0 for s in chosen):
        raise MfaError(f"slacks must be fractions of the optimal cost in [0, 10]: {chosen}")
    count = spec.random_directions if random_directions is None else int(random_directions)
    settings = {
        "model": str(cfg.source_file),
        "scenario": scenario,
        "slacks": chosen,
        "random_directions": count,
        "seed": spec.seed if seed is None else int(seed),
        "workers": workers,
        "scheduler": scheduler,
        "names": list(spec.aggregates),
        "units": units,
    }

    def explore(folder: Path | None) -> AlternativesResult:
        return _explore(settings, folder if save_solutions else None, folder, figures, start)

    if out is None:
        return explore(None)
    holder: list[AlternativesResult] = []
    final = write_atomically(Path(out), force, lambda tmp: holder.append(explore(tmp)))
    result = holder[0]
    result.folder = final
    result.points["solution"] = result.points["solution"].fillna("")
    return result


def _explore(
    settings: dict[str, Any],
    solutions: Path | None,
    folder: Path | None,
    figures: bool,
    start: float,
) -> AlternativesResult:
    model, scenario = settings["model"], settings["scenario"]
    names, slacks = settings["names"], settings["slacks"]
    workers, scheduler = settings["workers"], settings["scheduler"]
    target = str(solutions) if solutions is not None else None
    extremes = plan_extremes(names)
    local = workers == 0 or (workers is None and scheduler is None and (os.cpu_count() or 1) < 2)
    cluster = None if local else _Cluster(workers, scheduler)
    try:

        def run(dirs: list[Direction]) -> list[dict[str, Any]]:
            stream = (
                _serial(model, scenario, dirs, slacks, target)
                if cluster is None
                else cluster.map(model, scenario, dirs, slacks, target)
            )
            return [rec for recs in stream for rec in recs]

        records = run(extremes)
        points = _points(records, names)
        ranges = range_table(points, names, settings["units"])
        randoms = plan_random(
            ranges, settings["random_directions"], settings["seed"], len(extremes)
        )
        if randoms:
            records += run(randoms)
            points = _points(records, names)
    finally:
        if cluster is not None:
            cluster.close()
    opt = points[points["kind"] == "optimum"]
    if opt.empty or opt["status"].iloc[0] != "optimal":
        reason = opt["reason"].iloc[0] if len(opt) else "no result"
        raise MfaError(f"the model could not be solved: {reason}")
    optimum = float(opt["cost"].iloc[0])
    summary = {
        **{k: settings[k] for k in ("model", "scenario", "slacks", "random_directions", "seed")},
        "optimal_cost": optimum,
        "optimal_cost_unit": "USD (discounted)",
        "aggregates": settings["units"],
        "method": "min/max of each aggregate, then random directions, at cost <= (1+slack) C*",
        "directions": int(points["direction"].nunique()),
        "points": len(points),
        "not_optimal": int((points["status"] != "optimal").sum()),
        "solve_seconds": float(points["seconds"].fillna(0.0).sum()),
        "setup_seconds": float(
            points.get("setup_seconds", pd.Series(dtype=float)).fillna(0.0).sum()
        ),
        "wall_seconds": perf_counter() - start,
        "processes": int(points["worker"].nunique()) if "worker" in points else 0,
    }
    if folder is not None:
        _write(folder, ranges, points, summary, figures)
    return AlternativesResult(ranges, points, optimum, folder, summary)


def _points(records: list[dict[str, Any]], names: Sequence[str]) -> pd.DataFrame:
    """The point table, ordered by direction and slack, with a point number."""
    cols = [
        "direction",
        "kind",
        "target",
        "slack",
        "status",
        "reason",
        "cost",
        "cost_increase",
        "objective",
        "seconds",
        "iterations",
        "setup_seconds",
        "worker",
        "solution",
        *names,
    ]
    frame = pd.DataFrame.from_records(records)
    for c in cols:
        if c not in frame:
            frame[c] = math.nan if c not in ("reason", "solution", "target", "kind") else ""
    frame = frame[cols].sort_values(["direction", "slack"], ignore_index=True)
    frame.insert(0, "point", np.arange(len(frame)))
    frame["solution"] = frame["solution"].fillna("")
    frame["reason"] = frame["reason"].fillna("")
    return frame


def _write(
    folder: Path,
    ranges: pd.DataFrame,
    points: pd.DataFrame,
    summary: dict[str, Any],
    figures: bool,
) -> None:
    ranges.to_csv(folder / "ranges.csv", index=False)
    ranges.to_parquet(folder / "ranges.parquet", index=False)
    points.to_csv(folder / "points.csv", index=False)
    points.to_parquet(folder / "points.parquet", index=False)
    (folder / "summary.json").write_text(
        json.dumps(summary, indent=2, default=str), encoding="utf-8"
    )
    if figures:
        from mfa.mga.plots import plot_projections, plot_ranges
        from mfa.report import save_figure

        (folder / "figures").mkdir(exist_ok=True)
        save_figure(plot_ranges(ranges), folder / "figures" / "ranges", ("png", "pdf"))
        save_figure(
            plot_projections(points, ranges), folder / "figures" / "projections", ("png", "pdf")
        )
