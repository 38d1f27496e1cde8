"""From validated rows to parameter values on the model's index.

Two steps, both documented in :mod:`mfa.inputs.tables`: wildcards (``*``) are
expanded to set members with the more specific row winning, then year gaps are
filled by the table's interpolation rule and summed over auxiliary dimensions
(e.g. ``plant``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mfa.errors import Problem
from mfa.inputs.read import LINE
from mfa.inputs.tables import TableSpec

WILD = "*"


def expand_wildcards(
    frame: pd.DataFrame, spec: TableSpec, members: Mapping[str, Sequence[str]], shown: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Replace ``*`` by every member of the column's set.

    Where rows overlap after expansion, the row with fewer wildcards wins; two
    rows with the same number of wildcards for the same index are ambiguous
    and reported.
    """
    out = frame.copy()
    out["_wild"] = 0
    dims = [
        (c.name, c.refers_to)
        for c in spec.columns
        if c.kind == "dim" and c.refers_to is not None and c.refers_to in members
    ]
    for name, refers_to in dims:
        is_wild = out[name].astype(str) == WILD
        if not is_wild.any():
            continue
        out["_wild"] += is_wild.astype(int)
        out[name] = [
            list(members[refers_to]) if w else v for v, w in zip(out[name], is_wild, strict=True)
        ]
        out = out.explode(name, ignore_index=True)
    keys = [c.name for c in spec.columns if c.kind == "dim"]
    if out["_wild"].any() and keys:
        out = out.sort_values("_wild", kind="stable")
        first = out.drop_duplicates(keys, keep="first")
        tie = out.merge(first[[*keys, "_wild", LINE]], on=keys, suffixes=("", "_first"))
        tie = tie[(tie["_wild"] == tie["_wild_first"]) & (tie[LINE] != tie[f"{LINE}_first"])]
        problems = [
            Problem(
                shown,
                f"rows on lines {a} and {b} both set "
                + ", ".join(f"{k}={row[k]}" for k in keys)
                + " with the same number of '*'",
                int(a),
                expected="one more specific row",
            )
            for a, b, row in _first_per_pair(tie)
        ]
        if problems:
            return first, problems
        out = first
    return out.drop(columns="_wild"), []


def _first_per_pair(tie: pd.DataFrame) -> list[tuple[int, int, pd.Series]]:
    seen: set[tuple[int, int]] = set()
    out = []
    for _, row in tie.iterrows():
        line, first_line = int(row[LINE]), int(row[f"{LINE}_first"])
        pair = (min(line, first_line), max(line, first_line))
        if pair not in seen:
            seen.add(pair)
            out.append((pair[0], pair[1], row))
    return out


def to_series(frame: pd.DataFrame, spec: TableSpec, years: Sequence[int]) -> pd.Series:
    """Fill years by the table's rule, sum auxiliary dimensions, index by ``spec.dims``.

    Linear interpolation: :math:`v(y) = v_a + (v_b - v_a)(y - a)/(b - a)` for given
    years :math:`a \\le y \\le b`, held flat outside. Step: :math:`v(y) = v_a` with
    :math:`a` the latest given year :math:`\\le y`, zero before the first. Hold: as
    step, but no value (no limit) before the first. Ramp: as linear, but no value
    before the first.
    """
    dims = list(spec.dims)
    if frame.empty:
        return pd.Series(
            [],
            index=pd.MultiIndex.from_tuples([], names=dims)
            if len(dims) > 1
            else pd.Index([], name=dims[0] if dims else None),
            dtype=float,
            name="value",
        )
    has_year = "year" in dims and spec.interpolation != "none"
    if has_year:
        group_keys = [c for c in dims if c != "year"] + list(spec.sum_over)
        wide = frame.pivot_table(index=group_keys, columns="year", values="value", aggfunc="sum")
        given = np.asarray(wide.columns, dtype=float)
        values = wide.to_numpy(dtype=float)
        target = np.asarray(years, dtype=float)
        filled = np.empty((len(wide), len(target)))
        # rows that give the same years are filled together
        patterns, which = np.unique(~np.isnan(values), axis=0, return_inverse=True)
        for p, known in enumerate(patterns):
            rows = np.flatnonzero(which.ravel() == p)
            xs, ys = given[known], values[np.ix_(rows, known)]
            if spec.interpolation in ("linear", "ramp"):
                for i, row in zip(rows, ys, strict=True):
                    filled[i] = np.interp(target, xs, row)
                if spec.interpolation == "ramp":
                    filled[np.ix_(rows, target < xs[0])] = np.nan
            else:
                pos = np.searchsorted(xs, target, side="right") - 1
                before = 0.0 if spec.interpolation == "step" else np.nan
                filled[rows] = np.where(pos >= 0, ys[:, np.clip(pos, 0, None)], before)
        long = pd.DataFrame(filled, index=wide.index, columns=list(years)).stack().dropna()
        long.index = long.index.set_names([*group_keys, "year"])
        series = long.groupby(level=dims).sum() if spec.sum_over else long.reorder_levels(dims)
    else:
        series = (
            frame.groupby(dims)["value"].sum()
            if spec.sum_over
            else (frame.set_index(dims)["value"])
        )
        if "year" in dims:
            series = series[series.index.get_level_values("year").isin(list(years))]
    series = series.astype(float).sort_index()
    series.name = "value"
    return series
