"""Figures of near-optimal alternatives; they take the range and point tables."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from mfa.report.style import OKABE_ITO, figsize, house_style, scale_unit, unit_label

MAX_PROJECTED = 4
"""Aggregates shown in the pairwise projections (those whose range is widest)."""


def plot_ranges(ranges: pd.DataFrame) -> Figure:
    """The range of every aggregate against the cost slack, one panel per aggregate.

    Parameters
    ----------
    ranges
        ``aggregate, unit, slack, min, max, optimum`` (:func:`mfa.mga.run.range_table`).
    """
    names = list(dict.fromkeys(ranges["aggregate"]))
    cols = min(3, max(len(names), 1))
    rows = max(1, math.ceil(len(names) / cols))
    with house_style():
        fig, axes = plt.subplots(
            rows,
            cols,
            figsize=figsize("double", 0.28 * rows if cols > 1 else 0.6),
            layout="constrained",
            squeeze=False,
        )
        for ax, name in zip(axes.flat, names, strict=False):
            t = ranges[ranges["aggregate"] == name].sort_values("slack")
            unit = str(t["unit"].iloc[0])
            biggest = float(np.nanmax(np.abs(t[["min", "max", "optimum"]].to_numpy())))
            div, shown = scale_unit(biggest if biggest > 0 else 1.0, unit)
            x = 100.0 * np.r_[0.0, t["slack"].to_numpy()]
            opt = float(t["optimum"].iloc[0])
            lo = np.r_[opt, t["min"].to_numpy()] / div
            hi = np.r_[opt, t["max"].to_numpy()] / div
            ax.fill_between(x, lo, hi, color=OKABE_ITO["sky_blue"], alpha=0.5, linewidth=0)
            ax.plot(x, lo, color=OKABE_ITO["blue"], linewidth=1.0)
            ax.plot(x, hi, color=OKABE_ITO["blue"], linewidth=1.0)
            ax.plot([0.0], [opt / div], "o", color=OKABE_ITO["vermillion"], markersize=3)
            ax.set_title(name, fontsize=7)
            ax.set_xlabel("Cost slack (%)")
            ax.set_ylabel(unit_label("", shown).strip(), fontsize=6.5)
        for ax in list(axes.flat)[len(names) :]:
            ax.set_visible(False)
        fig.suptitle("Near-optimal range of each aggregate (dot: least-cost solution)")
    return fig


def projected(ranges: pd.DataFrame, count: int = MAX_PROJECTED) -> list[str]:
    """The ``count`` aggregates whose range at the largest slack is widest relative to
    their size."""
    widest = ranges[ranges["slack"] == ranges["slack"].max()]
    scale = np.maximum(widest["max"].abs(), widest["min"].abs()).replace(0.0, 1.0)
    rel = (widest["width"] / scale).fillna(0.0)
    order = widest.assign(rel=rel.to_numpy()).sort_values("rel", ascending=False)
    return list(order["aggregate"].head(count))


def plot_projections(points: pd.DataFrame, ranges: pd.DataFrame) -> Figure:
    """Pairwise projections of the near-optimal points onto the widest aggregates.

    Each panel plots every optimal point (colour: slack) on two aggregates; the star is
    the least-cost solution.
    """
    names = projected(ranges)
    units = ranges.drop_duplicates("aggregate").set_index("aggregate")["unit"]
    pts = points[(points["status"] == "optimal")]
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1 :]]
    cols = min(3, max(len(pairs), 1))
    rows = max(1, math.ceil(len(pairs) / cols))
    slacks = sorted(pts.loc[pts["kind"] != "optimum", "slack"].unique())
    cmap = plt.get_cmap("viridis")
    colour = {s: cmap(k / max(len(slacks) - 1, 1)) for k, s in enumerate(slacks)}
    with house_style():
        fig, axes = plt.subplots(
            rows,
            cols,
            figsize=figsize("double", 0.3 * rows if cols > 1 else 0.6),
            layout="constrained",
            squeeze=False,
        )
        for ax, (a, b) in zip(axes.flat, pairs, strict=False):
            da, ua = scale_unit(float(pts[a].abs().max() or 1.0), units[a])
            db, ub = scale_unit(float(pts[b].abs().max() or 1.0), units[b])
            for s in reversed(slacks):
                sel = pts[(pts["slack"] == s) & (pts["kind"] != "optimum")]
                ax.scatter(sel[a] / da, sel[b] / db, s=8, color=colour[s], label=f"{100 * s:g} %")
            opt = pts[pts["kind"] == "optimum"]
            ax.scatter(opt[a] / da, opt[b] / db, marker="*", s=60, color=OKABE_ITO["vermillion"])
            ax.set_xlabel(unit_label(a, ua), fontsize=6.5)
            ax.set_ylabel(unit_label(b, ub), fontsize=6.5)
        for ax in list(axes.flat)[len(pairs) :]:
            ax.set_visible(False)
        if pairs:
            axes.flat[0].legend(title="slack", fontsize=6, title_fontsize=6)
        fig.suptitle("Near-optimal solutions projected on pairs of aggregates (star: least cost)")
    return fig
