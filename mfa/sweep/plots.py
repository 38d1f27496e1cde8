"""Figures of a sweep; they take tables (never models) and return a ``Figure``.

The fan chart is the reporting layer's (:func:`mfa.report.compare.plot_fan_chart`);
the tornado chart and the headline bands (a run's headline numbers with the Monte Carlo
bands of its sweep, for the report) are drawn here in the same house style.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike, table
from mfa.report.style import (
    OKABE_ITO,
    figsize,
    figure_of,
    house_style,
    panel_grid,
    scale_unit,
    unit_label,
)


def fan_chart(
    table: pd.DataFrame,
    name: str = "Value",
    title: str | None = None,
    reference: pd.Series | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Fan chart (median, 25-75 % and 5-95 % bands by year) of an ensemble.

    Parameters
    ----------
    table
        Columns ``sample, year, value, unit`` (:func:`mfa.sweep.analysis.ensemble`).
    name
        What the value is; the unit is added to the axis label.
    """
    from mfa.report.compare import plot_fan_chart

    return plot_fan_chart(table, name=name, title=title, reference=reference, ax=ax)


def tornado(
    table: pd.DataFrame,
    name: str = "Total discounted cost",
    unit: str = "USD",
    ax: Axes | None = None,
) -> Figure:
    """Tornado chart of a one-at-a-time sensitivity: change of the metric from the base
    when each parameter moves to its low and to its high point.

    Parameters
    ----------
    table
        Columns ``parameter, low_point, high_point, base, low, high``
        (:func:`mfa.sweep.analysis.tornado_table`), largest swing first.
    name, unit
        The metric and its unit (axis label).
    """
    t = table.iloc[::-1]
    base = float(t["base"].iloc[0]) if len(t) else 0.0
    lo = (t["low"] - base).to_numpy(dtype=float)
    hi = (t["high"] - base).to_numpy(dtype=float)
    biggest = float(np.nanmax(np.abs(np.r_[lo, hi, 0.0])))
    div, shown = scale_unit(biggest, unit)
    with house_style():
        if ax is None:
            fig = plt.figure(
                figsize=figsize("single", 0.35 + 0.09 * max(len(t), 1)), layout="constrained"
            )
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        y = np.arange(len(t))
        ax.barh(y, lo / div, color=OKABE_ITO["sky_blue"], label="low point")
        ax.barh(y, hi / div, color=OKABE_ITO["vermillion"], label="high point")
        ax.axvline(0.0, color="0.3", linewidth=0.8)
        labels = [
            f"{p} [{a} … {b}]"
            for p, a, b in zip(
                t["parameter"], t["low_point"].map(_short), t["high_point"].map(_short), strict=True
            )
        ]
        ax.set_yticks(y, labels)
        ax.set_xlabel(unit_label(f"Change in {name[:1].lower()}{name[1:]} from base", shown))
        ax.set_title(f"Sensitivity (base {base / div:,.4g} {shown})")
        ax.legend(fontsize=6.5)
    return fig


def _short(x: float | str) -> str:
    """A one-at-a-time point as a label: a number to 3 significant digits, a file label as is."""
    try:
        return f"{float(x):.3g}"
    except ValueError:
        return str(x)


def headline_bands(
    indicators: pd.DataFrame,
    samples: pd.DataFrame,
    run: TablesLike | None = None,
    regions: Sequence[str] = ("KR",),
    scenario: str | None = None,
) -> Figure:
    """The headline numbers of a run with the Monte Carlo bands of its sweep: annual cost
    and the tonnes shipped into each focus region, median with 25-75 % and 5-95 % bands of
    the optimal samples, the deterministic run dashed.

    The run's lines use the sweep's own definitions (:mod:`mfa.sweep.indicators`): annual
    cost is the ``costs`` table summed by year (USD, undiscounted); imports into a region
    are the ``trade`` rows in t arriving there, summed by year (t of traded commodities).

    Parameters
    ----------
    indicators, samples
        The sweep's ``indicators.parquet`` and ``samples.parquet``.
    run
        Result tables of the deterministic run (``Results`` or mapping), or ``None``.
    regions
        Focus regions of the imports panels (those the sweep recorded).
    scenario
        Scenario of a grid sweep (default: every sample).

    Returns
    -------
    matplotlib.figure.Figure
    """
    from mfa.report.compare import plot_fan_chart
    from mfa.sweep.indicators import ensemble

    panels: list[tuple[str, pd.DataFrame, pd.Series | None]] = []
    cost = ensemble(indicators, samples, "cost", scenario=scenario)
    costs = table(run, "costs") if run is not None else pd.DataFrame()
    ref = costs.groupby("year")["value"].sum() if not costs.empty else None
    panels.append(("Annual cost (undiscounted)", cost, ref))
    trade = table(run, "trade") if run is not None else pd.DataFrame()
    for r in regions:
        e = ensemble(indicators, samples, "imports", unit="t", scenario=scenario, region=r)
        if e.empty:
            continue
        arriving = (
            trade[(trade["destination"] == r) & (trade["unit"] == "t")]
            if not trade.empty
            else trade
        )
        line = arriving.groupby("year")["value"].sum() if not arriving.empty else None
        panels.append((f"Imports into {r} (traded commodities)", e, line))
    n = int(samples["status"].eq("optimal").sum()) if "status" in samples else 0
    with house_style():
        fig, axs = panel_grid(len(panels), 2 if len(panels) > 1 else 1, row_height=2.3)
        for ax, (name, e, line) in zip(axs, panels, strict=False):
            plot_fan_chart(e, name=name, title=name, reference=line, ax=ax)
        fig.suptitle(f"Headline numbers with Monte Carlo bands ({n} optimal samples)")
    return fig
