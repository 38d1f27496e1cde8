"""From sample records to tables and figures a researcher can use.

* ``samples.parquet``: one row per sample: its id, scenario (grid axes), draw
  index or one-at-a-time parameter and side, one column per uncertain parameter
  (the drawn factor, value or file label), status, reason, objective, total
  unmet, checks, timing.
* ``indicators.parquet``: every per-year indicator of every sample, joined to
  the sample table (for the researcher's own analysis).
* ``summary.parquet``: per scenario, indicator and year: ``n, mean, std, min,
  p5, p25, p50, p75, p95, max`` over the optimal samples (a missing row in a
  sample counts as 0); scalars (objective, total unmet) have no year.
* ``tornado.parquet`` (one-at-a-time): per parameter, the objective at its low
  and high point against the base.
* ``figures/``: fan charts (Monte Carlo) and a tornado chart (one-at-a-time).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mfa.sweep.indicators import COLUMNS, KEYS
from mfa.sweep.spec import Task

STATS = ("n", "mean", "std", "min", "p5", "p25", "p50", "p75", "p95", "max")
SCALARS = {
    "objective": "USD (discounted)",
    "total_unmet": "model units",
    "total_cost_undiscounted": "USD",
}


def sample_dir(folder: Path, sample: int) -> Path:
    """The partition of one sample in a sweep's folder."""
    return folder / "samples" / f"sample={sample:06d}"


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_parquet(tmp, index=False)
    tmp.replace(path)


def sample_table(folder: Path, tasks: Sequence[Task]) -> pd.DataFrame:
    """The sample table from the records under ``folder/samples`` (planned samples only)."""
    rows = []
    for task in tasks:
        rec_path = sample_dir(folder, task.sample) / "record.json"
        if not rec_path.exists():
            continue
        rec = json.loads(rec_path.read_text(encoding="utf-8"))
        row: dict[str, Any] = {"sample": task.sample, "scenario": task.scenario or "base"}
        row.update(task.labels)
        row.update({f"param.{k}": v for k, v in task.draw.items()})
        for key in (
            "status",
            "reason",
            "mode",
            "objective",
            "total_unmet",
            "total_cost_undiscounted",
            "max_balance_residual",
            "seconds",
            "setup_seconds",
            "worker",
        ):
            row[key] = rec.get(key)
        rows.append(row)
    frame = pd.DataFrame(rows)
    for col in frame.columns:  # mixed labels and numbers (choice parameters) as text
        if frame[col].dtype == object and col.startswith("param."):
            kinds = {type(v) for v in frame[col].dropna()}
            if len(kinds) > 1:
                frame[col] = frame[col].astype(str)
    return frame


def indicator_table(folder: Path, samples: pd.DataFrame) -> pd.DataFrame:
    """Every sample's indicators, joined to the sample table."""
    parts = []
    for s in samples["sample"] if len(samples) else []:
        path = sample_dir(folder, int(s)) / "indicators.parquet"
        if path.exists():
            part = pd.read_parquet(path)
            if len(part):
                parts.append(part)
    if not parts:
        return pd.DataFrame(columns=["sample", *COLUMNS])
    ind = pd.concat(parts, ignore_index=True)
    keep = [
        c
        for c in samples.columns
        if c not in ("reason", "worker", "seconds", "setup_seconds", "mode")
    ]
    return ind.merge(samples[keep], on="sample", how="left")


def _stats(values: np.ndarray) -> dict[str, float]:
    """Statistics along axis 1 (one row per series, one column per sample)."""
    n = values.shape[1]
    q = (
        np.percentile(values, [5, 25, 50, 75, 95], axis=1)
        if n
        else np.full((5, len(values)), np.nan)
    )
    return {
        "n": np.full(len(values), n),
        "mean": values.mean(axis=1) if n else np.nan,
        "std": values.std(axis=1, ddof=1) if n > 1 else np.full(len(values), np.nan),
        "min": values.min(axis=1) if n else np.nan,
        "p5": q[0],
        "p25": q[1],
        "p50": q[2],
        "p75": q[3],
        "p95": q[4],
        "max": values.max(axis=1) if n else np.nan,
    }


def summarize(indicators: pd.DataFrame, samples: pd.DataFrame) -> pd.DataFrame:
    """Statistics per scenario, indicator and year over the optimal samples.

    A row missing from a sample (a rebuilt sample whose model has other rows)
    counts as 0 for that sample. Scalars of the sample table (objective, total
    unmet, total undiscounted cost) come first, with no year.
    """
    cols = ["scenario", *KEYS, *STATS]
    ok = samples[samples["status"] == "optimal"] if len(samples) else samples
    out = []
    for scenario, group in ok.groupby("scenario", sort=False) if len(ok) else []:
        ids = list(group["sample"])
        for name, unit in SCALARS.items():
            vals = group[name].to_numpy(dtype=float)[None, :]
            out.append(
                pd.DataFrame(
                    {
                        "scenario": scenario,
                        "indicator": name,
                        "region": "",
                        "partner": "",
                        "item": "",
                        "year": pd.NA,
                        "unit": unit,
                        **_stats(vals),
                    }
                )
            )
        ind = indicators[indicators["sample"].isin(ids)]
        if ind.empty:
            continue
        wide = ind.pivot_table(index=KEYS, columns="sample", values="value", aggfunc="sum")
        wide = wide.reindex(columns=ids).fillna(0.0)
        stats = pd.DataFrame(_stats(wide.to_numpy(dtype=float)), index=wide.index)
        stats = stats.reset_index()
        stats.insert(0, "scenario", scenario)
        out.append(stats)
    if not out:
        return pd.DataFrame(columns=cols)
    frame = pd.concat(out, ignore_index=True)[cols]
    frame["year"] = frame["year"].astype("Int64")
    return frame


def ensemble(
    indicators: pd.DataFrame,
    samples: pd.DataFrame,
    indicator: str,
    unit: str | None = None,
    scenario: str | None = None,
    **select: str | Sequence[str],
) -> pd.DataFrame:
    """One indicator summed per sample and year (``sample, year, value, unit``), for a
    fan chart. ``select`` filters on ``region``, ``partner`` or ``item``; missing
    sample-years count as 0."""
    ok = samples[samples["status"] == "optimal"]
    if scenario is not None:
        ok = ok[ok["scenario"] == scenario]
    f = indicators[(indicators["indicator"] == indicator) & indicators["sample"].isin(ok["sample"])]
    if unit is not None:
        f = f[f["unit"] == unit]
    for col, wanted in select.items():
        f = f[f[col].isin([wanted] if isinstance(wanted, str) else list(wanted))]
    if f.empty:
        return pd.DataFrame(columns=["sample", "year", "value", "unit"])
    units = sorted(f["unit"].unique())
    if len(units) > 1:
        raise ValueError(f"indicator '{indicator}' mixes units {units}: pass unit=")
    g = f.groupby(["sample", "year"])["value"].sum().unstack("year")
    g = g.reindex(index=list(ok["sample"])).fillna(0.0)
    long = g.stack().rename("value").reset_index()
    long["unit"] = units[0]
    return long


def tornado_table(samples: pd.DataFrame, metric: str = "objective") -> pd.DataFrame:
    """One-at-a-time results: per parameter and scenario, ``metric`` at the low and high
    points against the base point, sorted by swing (largest first).

    For a ``choice`` parameter, low and high are the files giving the smallest and the
    largest ``metric``.
    """
    cols = [
        "scenario",
        "parameter",
        "low_point",
        "high_point",
        "base",
        "low",
        "high",
        "swing",
        "metric",
    ]
    if samples.empty or "parameter" not in samples:
        return pd.DataFrame(columns=cols)
    rows = []
    for scenario, group in samples.groupby("scenario", sort=False):
        base = group[group["side"] == "base"]
        base_value = float(base[metric].iloc[0]) if len(base) else np.nan
        for name, g in group[group["side"] != "base"].groupby("parameter", sort=False):
            g = g[g["status"] == "optimal"]
            if g.empty:
                continue
            col = f"param.{name}"
            if set(g["side"]) <= {"low", "high"}:
                lo = g[g["side"] == "low"]
                hi = g[g["side"] == "high"]
            else:
                lo = g.loc[[g[metric].idxmin()]]
                hi = g.loc[[g[metric].idxmax()]]
            low = float(lo[metric].iloc[0]) if len(lo) else np.nan
            high = float(hi[metric].iloc[0]) if len(hi) else np.nan
            rows.append(
                {
                    "scenario": scenario,
                    "parameter": name,
                    "low_point": str(lo[col].iloc[0]) if len(lo) else "",
                    "high_point": str(hi[col].iloc[0]) if len(hi) else "",
                    "base": base_value,
                    "low": low,
                    "high": high,
                    "swing": float(np.nanmax([abs(low - base_value), abs(high - base_value)])),
                    "metric": metric,
                }
            )
    if not rows:
        return pd.DataFrame(columns=cols)
    return pd.DataFrame(rows)[cols].sort_values(
        ["scenario", "swing"], ascending=[True, False], ignore_index=True
    )


def assemble(
    folder: Path, tasks: Sequence[Task], figures: bool = True
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write ``samples.parquet``, ``indicators.parquet``, ``summary.parquet``
    (``tornado.parquet``) and figures from the sample records; return the sample
    table and the summary."""
    folder = Path(folder)
    samples = sample_table(folder, tasks)
    if samples.empty:
        return samples, pd.DataFrame()
    ind = indicator_table(folder, samples)
    summary = summarize(ind, samples)
    _atomic_parquet(samples, folder / "samples.parquet")
    _atomic_parquet(ind, folder / "indicators.parquet")
    _atomic_parquet(summary, folder / "summary.parquet")
    tornado = tornado_table(samples) if "parameter" in samples else None
    if tornado is not None:
        _atomic_parquet(tornado, folder / "tornado.parquet")
    if figures:
        write_figures(folder, samples, ind, tornado)
    return samples, summary


def write_figures(
    folder: Path, samples: pd.DataFrame, ind: pd.DataFrame, tornado: pd.DataFrame | None
) -> list[Path]:
    """Fan charts of the main indicators (Monte Carlo) or a tornado (one-at-a-time)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from mfa.sweep.plots import fan_chart
    from mfa.sweep.plots import tornado as tornado_chart

    figdir = folder / "figures"
    figdir.mkdir(exist_ok=True)
    written = []

    def save(fig: Any, name: str) -> None:
        path = figdir / name
        tmp = path.with_name(f".{path.name}.tmp.png")
        fig.savefig(tmp, dpi=150)
        tmp.replace(path)
        plt.close(fig)
        written.append(path)

    if tornado is not None and len(tornado):
        for scenario, t in tornado.groupby("scenario", sort=False):
            save(
                tornado_chart(t, name="Total discounted cost", unit="USD"),
                f"tornado_objective_{_slug(scenario)}.png",
            )
        return written
    if samples["status"].eq("optimal").sum() < 2 or ind.empty:
        return written
    for scenario in samples["scenario"].unique():
        tag = _slug(scenario)
        cost = ensemble(ind, samples, "cost", scenario=scenario)
        if len(cost):
            save(fan_chart(cost, name="Annual cost (undiscounted)"), f"fan_cost_{tag}.png")
        unmet = ind[ind["indicator"] == "unmet"]
        for unit in sorted(unmet["unit"].unique()):
            e = ensemble(ind, samples, "unmet", unit=unit, scenario=scenario)
            if len(e):
                save(fan_chart(e, name="Unmet demand"), f"fan_unmet_{_slug(unit)}_{tag}.png")
        imports = ind[(ind["indicator"] == "imports") & (ind["unit"] == "t")]
        for region in sorted(imports["region"].unique()):
            e = ensemble(ind, samples, "imports", unit="t", scenario=scenario, region=region)
            if len(e):
                save(
                    fan_chart(e, name=f"Imports into {region}"),
                    f"fan_imports_{_slug(region)}_{tag}.png",
                )
    return written


def _slug(text: Any) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in str(text))
