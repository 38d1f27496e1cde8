"""Sampling plans: what each sample of a sweep changes, reproducibly.

A *draw* is a plain dict ``{parameter name: value}``: a float (a factor for
``apply: scale``, an absolute value for ``apply: set``) or a label (``choice``).
Draws travel to the workers; everything else is rebuilt there from the model
file. Sample ``i`` of a Monte Carlo plan depends only on the seed, ``i`` and the
parameter's name (each parameter has its own random stream), so a sweep is
reproducible whatever the order, the number of workers or the other
parameters.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from mfa.config import Adjustment, ModelConfig, UncertainParameter, line_of, read_yaml
from mfa.errors import ConfigError, Problem
from mfa.inputs.data import ModelData, apply_adjustments

Draw = dict[str, float | str]
"""Parameter name -> drawn factor, value or file label."""

Z95 = 1.6448536269514722
"""Standard normal 95th percentile (one-at-a-time ranges default to p5..p95)."""

METHODS = ("monte_carlo", "one_at_a_time")


@dataclass(frozen=True)
class Task:
    """One sample of a sweep: plain data, cheap to send to a worker.

    Attributes
    ----------
    sample
        Sample id, unique within the sweep (the partition name under ``samples/``).
    scenario
        Scenario (or grid cell ``a+b``) it runs under; ``None`` for the base model.
    draw
        Values of the uncertain parameters (missing: unchanged).
    labels
        Extra columns of the sample table (``draw`` index, grid axes, the
        parameter and side of a one-at-a-time point).
    """

    sample: int
    scenario: str | None
    draw: Draw
    labels: dict[str, Any] = field(default_factory=dict)


def _stream(seed: int, i: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, i, zlib.crc32(name.encode("utf-8"))])


def lognormal_params(mean: float, std: float) -> tuple[float, float]:
    sigma2 = math.log1p((std / mean) ** 2)
    return math.log(mean) - sigma2 / 2.0, math.sqrt(sigma2)


def _required(value: float | None, field: str, p: UncertainParameter) -> float:
    """``value`` (field ``field`` of ``p``), which the config's validator requires for
    ``p``'s distribution; a parameter built around that validator fails here by name."""
    if value is None:
        raise ValueError(f"distribution '{p.distribution}' needs '{field}': {p}")
    return float(value)


def draw_one(p: UncertainParameter, rng: np.random.Generator) -> float | str:
    """One value of ``p`` from ``rng`` (normal/lognormal truncated to ``[low, high]``,
    and scale factors at 0)."""
    d = p.distribution
    if d == "uniform":
        return float(rng.uniform(_required(p.low, "low", p), _required(p.high, "high", p)))
    if d == "triangular":
        low, high = _required(p.low, "low", p), _required(p.high, "high", p)
        if low == high:
            return float(low)
        return float(rng.triangular(low, _required(p.mode, "mode", p), high))
    if d == "choice":
        labels = list(p.files or {})
        w = np.array([(p.weights or {}).get(k, 1.0) for k in labels], dtype=float)
        return labels[int(rng.choice(len(labels), p=w / w.sum()))]
    if d == "normal":
        x = float(rng.normal(_required(p.mean, "mean", p), _required(p.std, "std", p)))
    elif d == "lognormal":
        mu, sigma = lognormal_params(_required(p.mean, "mean", p), _required(p.std, "std", p))
        x = float(rng.lognormal(mu, sigma))
    else:
        raise ValueError(f"parameter has no distribution to draw from: {p}")
    lo = p.low if p.low is not None else (0.0 if p.apply == "scale" else -math.inf)
    hi = p.high if p.high is not None else math.inf
    return min(max(x, lo), hi)


def monte_carlo(params: Mapping[str, UncertainParameter], seed: int, i: int) -> Draw:
    """Draw ``i`` of a Monte Carlo plan: every parameter with a distribution."""
    return {
        name: draw_one(p, _stream(seed, i, name))
        for name, p in params.items()
        if p.distribution is not None
    }


def oat_range(p: UncertainParameter) -> list[float | str]:
    """The points of a one-at-a-time sensitivity for ``p`` (low, high, or each file)."""
    if p.distribution == "choice":
        return list(p.files or {})
    if p.range is not None:
        return [float(p.range[0]), float(p.range[1])]
    if p.distribution in ("uniform", "triangular"):
        return [_required(p.low, "low", p), _required(p.high, "high", p)]
    mean, std = _required(p.mean, "mean", p), _required(p.std, "std", p)
    if p.distribution == "normal":
        lo, hi = mean - Z95 * std, mean + Z95 * std
    else:
        mu, sigma = lognormal_params(mean, std)
        lo, hi = math.exp(mu - Z95 * sigma), math.exp(mu + Z95 * sigma)
    if p.apply == "scale":
        lo = max(lo, 0.0)
    return [
        max(lo, p.low) if p.low is not None else lo,
        min(hi, p.high) if p.high is not None else hi,
    ]


def grid_cells(config: ModelConfig, grid: str) -> list[tuple[str | None, dict[str, str]]]:
    """The cells of scenario grid ``grid``: ``(scenario, {axis: choice})`` in order.

    The scenario of a cell is its choices joined with ``+`` (``base`` left out),
    which :func:`mfa.config.load_model` understands; ``None`` when all are base.
    """
    if grid not in config.grids:
        known = ", ".join(sorted(config.grids)) or "none"
        raise ConfigError(
            [
                Problem(
                    str(config.source_file),
                    f"unknown grid '{grid}' (known: {known})",
                    column="grids",
                )
            ]
        )
    axes = config.grids[grid]
    cells = []
    for combo in itertools.product(*axes.values()):
        chosen = dict(zip(axes, combo, strict=True))
        steps = ([config.scenario] if config.scenario else []) + [c for c in combo if c != "base"]
        cells.append(("+".join(steps) or None, chosen))
    return cells


def plan(
    config: ModelConfig, method: str, samples: int, seed: int, grid: str | None = None
) -> list[Task]:
    """Every task of a sweep, in a fixed order with stable sample ids.

    Monte Carlo: ``samples`` draws per scenario (or grid cell; the same draws in
    every cell). One-at-a-time: a base point, then each parameter at each of its
    range points, all others at their nominal values.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}' (known: {', '.join(METHODS)})")
    params = config.uncertainty.parameters
    cells = grid_cells(config, grid) if grid else [(config.scenario, {})]
    points: list[tuple[Draw, dict[str, Any]]] = []
    if method == "monte_carlo":
        if samples < 0:
            raise ValueError("the number of samples must not be negative")
        if not any(p.distribution is not None for p in params.values()):
            samples = min(samples, 1)  # nothing varies: one run per cell is enough
        points = [(monte_carlo(params, seed, i), {"draw": i}) for i in range(samples)]
        if not points:
            points = [({}, {"draw": -1})]
    else:
        points.append(({}, {"parameter": "", "side": "base"}))
        for name, p in params.items():
            values = oat_range(p)
            for k, v in enumerate(values):
                side = ("low", "high")[k] if p.distribution != "choice" else str(v)
                points.append(({name: v}, {"parameter": name, "side": side}))
    tasks: list[Task] = []
    for scenario, chosen in cells:
        for draw, labels in points:
            tasks.append(Task(len(tasks), scenario, draw, {**chosen, **labels}))
    return tasks


def choices_of(config: ModelConfig, draw: Draw) -> tuple[tuple[str, str], ...]:
    """The ``(table, file)`` replacements a draw makes (``choice`` parameters)."""
    out = []
    for name, p in config.uncertainty.parameters.items():
        if p.distribution == "choice" and name in draw:
            out.append((p.table, (p.files or {})[str(draw[name])]))
    return tuple(sorted(out))


def with_tables(config: ModelConfig, choices: tuple[tuple[str, str], ...]) -> ModelConfig:
    """``config`` reading the chosen alternative files."""
    if not choices:
        return config
    return config.model_copy(update={"tables": {**config.tables, **dict(choices)}})


def adjustments(config: ModelConfig, draw: Draw) -> list[Adjustment]:
    """The numeric part of a draw as ``adjust`` entries (applied after the scenario's)."""
    out = []
    for name, p in config.uncertainty.parameters.items():
        if name not in draw or p.distribution == "choice":
            continue
        value = float(draw[name])
        out.append(
            Adjustment(
                table=p.table, where=p.where, **{"scale" if p.apply == "scale" else "set": value}
            )
        )
    return out


def apply_draw(data: ModelData, draw: Draw) -> ModelData:
    """``data`` with the numeric values of ``draw`` applied (choices are not: see
    :func:`with_tables`).

    Raises
    ------
    ConfigError
        When a parameter's ``where`` selects no row of its table.
    """
    adj = adjustments(data.config, draw)
    if not adj:
        return data
    params = dict(data.params)
    problems = apply_adjustments(params, adj, str(data.config.source_file))
    if problems:
        raise ConfigError(problems)
    return dataclasses.replace(data, params=MappingProxyType(params))


def check_against(data: ModelData) -> list[Problem]:
    """Problems of the uncertainty section that need the data: selectors that select
    no row, alternative files that do not exist."""
    config = data.config
    shown = str(config.source_file)
    doc = read_yaml(config.source_file) if config.source_file else {}
    problems = []
    for name, p in config.uncertainty.parameters.items():
        where = f"uncertainty.parameters.{name}"
        if p.distribution == "choice":
            for label, file in (p.files or {}).items():
                if not (config.data / file).is_file():
                    problems.append(
                        Problem(
                            shown,
                            f"file for choice '{label}' not found: {Path(config.data) / file}",
                            line_of(doc, ("uncertainty", "parameters", name, "files", label)),
                            column=f"{where}.files.{label}",
                        )
                    )
            continue
        params = dict(data.params)
        adj = Adjustment(table=p.table, where=p.where, scale=1.0)
        for prob in apply_adjustments(params, [adj], shown):
            problems.append(
                Problem(
                    shown,
                    f"{name}: {prob.message}",
                    line_of(doc, ("uncertainty", "parameters", name, "where")),
                    column=f"{where}.where",
                    expected=prob.expected,
                )
            )
    return problems
