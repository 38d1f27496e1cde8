r"""Global sensitivity: Sobol indices and Morris screening over the model's uncertainty.

The uncertain parameters are those of the model file's ``uncertainty`` section that have a
distribution (:class:`mfa.config.UncertainParameter`). SALib samples the unit hypercube
:math:`u \in [0, 1]^k` and each coordinate is mapped to a parameter value by the inverse
of that parameter's distribution, :math:`\theta_i = F_i^{-1}(u_i)` (uniform, triangular,
normal and lognormal clipped to ``[low, high]`` as in a Monte Carlo sweep; ``choice``
picks the file whose cumulative weight first reaches :math:`u_i`). Normal and lognormal
tails are cut at the :data:`TAIL` and :math:`1 -` :data:`TAIL` quantiles so that Morris'
grid points 0 and 1 map to finite values. Each sample is then one
:class:`mfa.sweep.Task` solved by the sweep runner (persistent re-solves, serial or on
Dask; :func:`mfa.sweep.runner.solve_tasks`).

* **Sobol** (Saltelli 2010 sampling with a scrambled Sobol' sequence, ``N (k + 2)``
  solves): first-order indices :math:`S_i = V[E(Y|\theta_i)] / V(Y)` and total indices
  :math:`S_{Ti} = E[V(Y|\theta_{\sim i})] / V(Y)`, with bootstrap confidence intervals
  (SALib's Saltelli/Jansen estimators). Parameters are independent: :math:`S_i` is the
  same in :math:`u` and in :math:`\theta`.
* **Morris** (``N`` trajectories of ``k + 1`` points on a ``levels`` grid): the mean
  absolute elementary effect :math:`\mu^*_i` and its spread :math:`\sigma_i`, per unit of
  :math:`u_i` (a move across the parameter's whole quantile range), with a bootstrap
  interval on :math:`\mu^*_i`.

Convergence is shown by recomputing the indices on the first :math:`n` base samples
(Sobol) or trajectories (Morris), :math:`n` doubling up to ``N``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from mfa.config import UncertainParameter, load_model
from mfa.errors import ConfigError, MfaError
from mfa.inputs.data import load_data
from mfa.paths import check_output, model_inputs
from mfa.sweep.analysis import sample_table
from mfa.sweep.runner import prepare_folder, solve_tasks, sweep_manifest
from mfa.sweep.spec import Draw, Task, check_against, lognormal_params

METHODS = ("sobol", "morris")
TAIL = 0.001
"""Quantile at which unbounded (normal, lognormal) tails are cut."""
DEFAULT_OUTPUTS = ("objective", "total_cost_undiscounted")
"""Sample-table columns analysed by default."""


@dataclass
class SensitivityResult:
    """What :func:`sensitivity` left in its folder.

    Attributes
    ----------
    indices
        Sobol: ``output, parameter, S1, S1_conf, ST, ST_conf``; Morris: ``output,
        parameter, mu, mu_star, mu_star_conf, sigma``.
    convergence
        The same indices on the first ``n`` base samples or trajectories:
        ``output, parameter, n, index, value, conf``.
    samples
        The sample table (as a sweep's), one row per solve.
    folder
        The output folder.
    wall_s
        Seconds this call took.
    """

    indices: pd.DataFrame
    convergence: pd.DataFrame
    samples: pd.DataFrame
    folder: Path
    wall_s: float


def quantile_value(p: UncertainParameter, u: float) -> float | str:
    """The value of ``p`` at quantile ``u`` of its distribution (see the module docstring)."""
    d = p.distribution
    if d == "uniform":
        return float(p.low + u * (p.high - p.low))  # type: ignore[operator]
    if d == "triangular":
        low, high, mode = float(p.low), float(p.high), float(p.mode)  # type: ignore[arg-type]
        if high == low:
            return low
        return float(stats.triang.ppf(u, (mode - low) / (high - low), loc=low, scale=high - low))
    if d == "choice":
        labels = list(p.files or {})
        w = np.array([(p.weights or {}).get(k, 1.0) for k in labels], dtype=float)
        cum = np.cumsum(w / w.sum())
        return labels[min(int(np.searchsorted(cum, u, side="left")), len(labels) - 1)]
    q = min(max(u, TAIL), 1.0 - TAIL)
    if d == "normal":
        x = float(stats.norm.ppf(q, loc=p.mean, scale=p.std))
    elif d == "lognormal":
        mu, sigma = lognormal_params(float(p.mean), float(p.std))  # type: ignore[arg-type]
        x = float(stats.lognorm.ppf(q, sigma, scale=math.exp(mu)))
    else:
        raise ValueError(f"parameter has no distribution: {p}")
    lo = p.low if p.low is not None else (0.0 if p.apply == "scale" else -math.inf)
    hi = p.high if p.high is not None else math.inf
    return min(max(x, lo), hi)


def problem_of(names: Sequence[str]) -> dict[str, Any]:
    """SALib's problem on the unit hypercube, one variable per parameter name."""
    names = list(names)
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def design(
    method: str, problem: dict[str, Any], samples: int, seed: int, levels: int
) -> np.ndarray:
    """The SALib sample on the unit hypercube (one row per solve).

    Raises
    ------
    ValueError
        Unknown method, or a Sobol base sample count that is not a power of two.
    """
    if method == "sobol":
        from SALib.sample import sobol

        if samples < 2 or samples & (samples - 1):
            raise ValueError(f"Sobol needs a power of two base samples (got {samples})")
        return sobol.sample(problem, samples, calc_second_order=False, seed=seed)
    if method == "morris":
        from SALib.sample import morris

        if samples < 2:
            raise ValueError("Morris needs at least 2 trajectories")
        return morris.sample(problem, samples, num_levels=levels, seed=seed)
    raise ValueError(f"unknown method '{method}' (known: {', '.join(METHODS)})")


def tasks_of(
    params: dict[str, UncertainParameter], unit: np.ndarray, scenario: str | None
) -> list[Task]:
    """One sweep task per row of the design."""
    names = list(params)
    out = []
    for i, row in enumerate(unit):
        draw: Draw = {
            n: quantile_value(params[n], float(u)) for n, u in zip(names, row, strict=True)
        }
        out.append(Task(i, scenario, draw, {"row": i}))
    return out


def _steps(total: int) -> list[int]:
    """Doubling sample counts up to ``total`` (at least 4 unless ``total`` is smaller)."""
    out, n = [], min(4, total)
    while n < total:
        out.append(n)
        n *= 2
    return [*out, total]


def analyse(
    method: str,
    problem: dict[str, Any],
    unit: np.ndarray,
    y: np.ndarray,
    *,
    levels: int = 4,
    resamples: int = 1000,
    conf: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Indices of one output ``y`` (one value per design row)."""
    names = problem["names"]
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(
            problem,
            y,
            calc_second_order=False,
            num_resamples=resamples,
            conf_level=conf,
            seed=seed,
        )
        return pd.DataFrame(
            {
                "parameter": names,
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        )
    from SALib.analyze import morris

    res = morris.analyze(
        problem, unit, y, num_resamples=resamples, conf_level=conf, num_levels=levels, seed=seed
    )
    return pd.DataFrame(
        {
            "parameter": names,
            "mu": np.asarray(res["mu"], dtype=float),
            "mu_star": np.asarray(res["mu_star"], dtype=float),
            "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
            "sigma": np.asarray(res["sigma"], dtype=float),
        }
    )


def convergence(
    method: str,
    problem: dict[str, Any],
    unit: np.ndarray,
    y: np.ndarray,
    samples: int,
    **options: Any,
) -> pd.DataFrame:
    """Indices on the first ``n`` base samples (Sobol, ``k + 2`` rows each) or trajectories
    (Morris, ``k + 1`` rows each), ``n`` doubling up to ``samples``; long format."""
    k = problem["num_vars"]
    per = k + 2 if method == "sobol" else k + 1
    value_cols = ("S1", "ST") if method == "sobol" else ("mu_star",)
    frames = []
    for n in _steps(samples):
        if method == "morris" and n < 2:
            continue
        rows = n * per
        table = analyse(method, problem, unit[:rows], y[:rows], **options)
        for col in value_cols:
            frames.append(
                pd.DataFrame(
                    {
                        "parameter": table["parameter"],
                        "n": n,
                        "index": col,
                        "value": table[col],
                        "conf": table[f"{col}_conf"],
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def sensitivity(
    model: str | Path,
    scenario: str | None = None,
    *,
    method: str = "sobol",
    samples: int = 64,
    outputs: Sequence[str] = DEFAULT_OUTPUTS,
    seed: int | None = None,
    levels: int = 4,
    resamples: int = 1000,
    conf: float = 0.95,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path = "sensitivity",
    resume: bool = False,
    figures: bool = True,
    progress: bool | Callable[[Iterable[Any], int], Iterable[Any]] = False,
) -> SensitivityResult:
    """Sobol indices or Morris screening of a model's outputs over its uncertainty section.

    Parameters
    ----------
    model, scenario
        Model file (with an ``uncertainty`` section) and the scenario the samples start from.
    method
        ``sobol`` or ``morris``.
    samples
        Sobol: base samples ``N`` (a power of two; ``N (k + 2)`` solves). Morris:
        trajectories (``N (k + 1)`` solves).
    outputs
        Columns of the sample table to analyse (``objective``: discounted total cost;
        ``total_cost_undiscounted``; ``total_unmet``).
    seed
        Seed of the design (default: ``uncertainty.seed``).
    levels
        Morris grid levels.
    resamples, conf
        Bootstrap resamples and confidence level of the intervals.
    workers, scheduler, resume, progress
        As for :func:`mfa.sweep`.
    out
        Folder: ``samples/`` (one record per solve, as a sweep's), ``samples.parquet``,
        ``design.parquet`` (the unit-hypercube design), ``indices.csv``/``.parquet``,
        ``convergence.csv``/``.parquet``, ``sensitivity.json`` and ``figures/``.

    Returns
    -------
    SensitivityResult

    Raises
    ------
    MfaError
        No uncertain parameter with a distribution; a sample that is not optimal (the
        finished ones are kept: fix the cause and run again with ``resume``).
    """
    start = perf_counter()
    if method not in METHODS:
        raise MfaError(f"unknown method '{method}' (known: {', '.join(METHODS)})")
    folder = Path(out)
    cfg = load_model(model, scenario)
    data = load_data(cfg)
    choices = [
        cfg.data / f for p in cfg.uncertainty.parameters.values() for f in (p.files or {}).values()
    ]
    check_output(folder, model_file=cfg.source_file, inputs=[*model_inputs(cfg), *choices])
    problems = check_against(data)
    if problems:
        raise ConfigError(problems)
    params = {n: p for n, p in cfg.uncertainty.parameters.items() if p.distribution is not None}
    if not params:
        raise MfaError(
            f"{model} has no uncertain parameter with a distribution: nothing to analyse"
        )
    seed = cfg.uncertainty.seed if seed is None else seed
    problem = problem_of(list(params))
    try:
        unit = design(method, problem, samples, seed, levels)
    except ValueError as err:
        raise MfaError(str(err)) from None
    tasks = tasks_of(params, unit, cfg.scenario)
    manifest = sweep_manifest(data, method, samples, seed, None)
    prepare_folder(folder, manifest, resume)
    solve_tasks(str(cfg.source_file), tasks, folder, resume, workers, scheduler, progress)
    table = sample_table(folder, tasks).sort_values("sample", ignore_index=True)
    bad = table[table["status"] != "optimal"]
    if len(table) != len(tasks) or len(bad):
        first = bad.iloc[0] if len(bad) else None
        why = (
            f"; sample {first['sample']}: {first['status']}: {first['reason']}"
            if first is not None
            else ""
        )
        raise MfaError(
            f"{len(bad) + len(tasks) - len(table)} of {len(tasks)} samples are not optimal{why}; "
            f"the others are kept in {folder}: run again with resume"
        )
    missing = [o for o in outputs if o not in table]
    if missing:
        raise MfaError(
            f"unknown output(s) {missing} (known: {', '.join(DEFAULT_OUTPUTS)}, total_unmet)"
        )
    options: dict[str, Any] = {"levels": levels, "resamples": resamples, "conf": conf, "seed": seed}
    indices, conv = [], []
    for name in outputs:
        y = table[name].to_numpy(dtype=float)
        indices.append(analyse(method, problem, unit, y, **options).assign(output=name))
        conv.append(convergence(method, problem, unit, y, samples, **options).assign(output=name))
    index_table = _first(pd.concat(indices, ignore_index=True), "output")
    conv_table = _first(pd.concat(conv, ignore_index=True), "output")
    index_table.to_csv(folder / "indices.csv", index=False)
    index_table.to_parquet(folder / "indices.parquet", index=False)
    conv_table.to_csv(folder / "convergence.csv", index=False)
    conv_table.to_parquet(folder / "convergence.parquet", index=False)
    table.to_parquet(folder / "samples.parquet", index=False)
    pd.DataFrame(unit, columns=problem["names"]).to_parquet(folder / "design.parquet", index=False)
    wall = perf_counter() - start
    meta = {**manifest, "outputs": list(outputs), "solves": len(tasks), "wall_s": wall, **options}
    (folder / "sensitivity.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    if figures:
        from mfa.report import save_figure
        from mfa.sensitivity_plots import plot_convergence, plot_indices

        (folder / "figures").mkdir(exist_ok=True)
        for name in outputs:
            sel = index_table[index_table["output"] == name]
            save_figure(plot_indices(sel, method, name), folder / "figures" / f"indices_{name}")
            sel = conv_table[conv_table["output"] == name]
            save_figure(
                plot_convergence(sel, method, name), folder / "figures" / f"convergence_{name}"
            )
    return SensitivityResult(index_table, conv_table, table, folder, wall)


def _first(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    return frame[[column, *[c for c in frame.columns if c != column]]]
