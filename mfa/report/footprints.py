"""Footprints (GHG emissions, and energy or water when the results have them) by stage and
origin, and per unit of output."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike, process_stages, table
from mfa.report.style import (
    OKABE_ITO,
    STAGE_LABELS,
    figsize,
    house_style,
    pretty_unit,
    region_colour,
    scale_unit,
    unit_label,
)

METRICS: dict[str, str] = {"emissions": "GHG emissions", "energy": "Energy use",
                           "water": "Water use"}
"""Footprint tables understood, with their display names."""

_STAGE_ORDER = ("mining", "refining", "material", "component", "product", "collection",
                "recycling", "repurposing")
SCOPE_COLOURS = {"direct": OKABE_ITO["vermillion"], "electricity": OKABE_ITO["orange"],
                 "transport": OKABE_ITO["sky_blue"]}


def _metric_table(tables: TablesLike, metric: str, year: int | None) -> pd.DataFrame:
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {sorted(METRICS)}, got {metric!r}")
    df = table(tables, metric)
    if not df.empty and year is not None:
        df = df[df["year"].astype(int) == int(year)]
    return df


def footprint_by_stage(
    tables: TablesLike, year: int, metric: str = "emissions", by: str = "region"
) -> pd.DataFrame:
    """Footprint of each stage of the chain in one year.

    Parameters
    ----------
    tables
        ``Results`` or mapping with the metric table (``emissions``: process, region, year,
        scope, value, unit; ``energy`` / ``water`` the same, ``scope`` optional) and
        ``processes``.
    year
        Model year.
    metric
        ``"emissions"``, ``"energy"`` or ``"water"``.
    by
        Split of each stage: ``"region"`` (where the process runs) or ``"scope"``.

    Returns
    -------
    pandas.DataFrame
        Stages (chain order) as rows, regions or scopes as columns, in the table's unit
        (``attrs["unit"]``).
    """
    df = _metric_table(tables, metric, year)
    if df.empty:
        out = pd.DataFrame()
        out.attrs["unit"] = ""
        return out
    stage = process_stages(tables)
    df = df.assign(stage=df["process"].astype(str).map(stage).fillna("other"))
    if by not in df.columns:
        raise ValueError(f"the {metric} table has no column {by!r}")
    wide = df.pivot_table(index="stage", columns=by, values="value", aggfunc="sum",
                          fill_value=0.0)
    order = [s for s in _STAGE_ORDER if s in wide.index] + [s for s in wide.index
                                                            if s not in _STAGE_ORDER]
    wide = wide.loc[order]
    wide.attrs["unit"] = str(df["unit"].iloc[0])
    return wide


def plot_footprints(
    tables: TablesLike,
    year: int,
    metric: str = "emissions",
    by: str = "region",
    ax: Axes | None = None,
) -> Figure:
    """Stacked bars of a footprint by stage of the chain, split by region or scope.

    Parameters
    ----------
    tables, year, metric, by
        As for :func:`footprint_by_stage`.
    ax
        Axes to draw in; a new single-column figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    wide = footprint_by_stage(tables, year, metric, by)
    with house_style():
        if ax is None:
            fig = plt.figure(figsize=figsize("single", 0.8), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = ax.get_figure()
        unit = wide.attrs.get("unit", "")
        divisor, shown = scale_unit(float(wide.sum(axis=1).max()) if len(wide) else 0.0, unit)
        x = np.arange(len(wide))
        bottom = np.zeros(len(wide))
        for col in wide.columns:
            vals = wide[col].to_numpy() / divisor
            colour = region_colour(str(col)) if by == "region" else SCOPE_COLOURS.get(str(col))
            ax.bar(x, vals, bottom=bottom, color=colour, label=str(col), width=0.7,
                   edgecolor="white", linewidth=0.3)
            bottom += vals
        ax.set_xticks(x, [STAGE_LABELS.get(s, s) for s in wide.index], rotation=30,
                      ha="right", rotation_mode="anchor")
        ax.set_xlabel("Stage of the supply chain (process kind)")
        ax.set_ylabel(unit_label(METRICS[metric], pretty_unit(shown)))
        ax.set_title(f"{METRICS[metric]} by stage and {by}, {year}")
        if len(wide.columns):
            ax.legend(title="Region" if by == "region" else "Scope", fontsize=6.5,
                      reverse=True)
    return fig


def footprint_intensity(
    tables: TablesLike, year: int, metric: str = "emissions"
) -> pd.DataFrame:
    """Footprint per unit of output (activity) of every process and region in one year.

    Parameters
    ----------
    tables
        ``Results`` or mapping with the metric table, ``activity`` and ``processes``.
    year
        Model year.
    metric
        ``"emissions"``, ``"energy"`` or ``"water"``.

    Returns
    -------
    pandas.DataFrame
        Columns ``process, region, stage, value, unit`` where ``unit`` is e.g.
        ``tCO2e/t`` or ``tCO2e/GWh`` (the process's activity unit); processes without
        activity are left out.
    """
    df = _metric_table(tables, metric, year)
    act = table(tables, "activity")
    cols = ["process", "region", "stage", "value", "unit"]
    if df.empty or act.empty:
        return pd.DataFrame(columns=cols)
    act = act[act["year"].astype(int) == int(year)]
    tot = df.groupby(["process", "region"], as_index=False)["value"].sum()
    a = act.groupby(["process", "region"], as_index=False).agg(activity=("value", "sum"),
                                                                 aunit=("unit", "first"))
    m = tot.merge(a, on=["process", "region"])
    m = m[m["activity"] > 0]
    unit = str(df["unit"].iloc[0])
    stage = process_stages(tables)
    out = m.assign(value=m["value"] / m["activity"], unit=unit + "/" + m["aunit"].astype(str),
                   stage=m["process"].astype(str).map(stage))
    rank = {s: i for i, s in enumerate(_STAGE_ORDER)}
    out = out.assign(_r=out["stage"].map(rank).fillna(99)).sort_values(["_r", "process",
                                                                          "region"])
    return out[cols].reset_index(drop=True)


def plot_footprint_intensity(
    tables: TablesLike,
    year: int,
    metric: str = "emissions",
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Footprint per unit of output by process and region (one panel per output unit).

    Bars are coloured by the region where the process runs, so the same step can be compared
    across origins (e.g. refining in CN, CA and KR per tonne of lithium).

    Parameters
    ----------
    tables, year, metric
        As for :func:`footprint_intensity`.
    axes
        One axes per output unit (``t``, ``GWh``, ...); a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    inten = footprint_intensity(tables, year, metric)
    units = list(dict.fromkeys(inten["unit"])) or ["-"]
    proc = table(tables, "processes")
    pname = dict(zip(proc.get("process", []), proc.get("name", proc.get("process", [])),
                     strict=False))
    with house_style():
        if axes is None:
            counts = [max(int((inten["unit"] == u).sum()), 1) for u in units]
            w, _ = figsize("double")
            fig, axs_ = plt.subplots(
                len(units), 1, figsize=(w * 0.75, 0.9 * len(units) + 0.17 * sum(counts)),
                layout="constrained", squeeze=False,
                gridspec_kw={"height_ratios": [c + 2.5 for c in counts]})
            axs = list(axs_.ravel())
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        for ax, u in zip(axs, units, strict=False):
            sub = inten[inten["unit"] == u]
            divisor, shown = scale_unit(float(sub["value"].max()) if len(sub) else 0.0,
                                        u.split("/")[0])
            per = u.split("/", 1)[1] if "/" in u else "unit"
            y = np.arange(len(sub))[::-1]
            ax.barh(y, sub["value"].to_numpy() / divisor, height=0.7,
                    color=[region_colour(str(r)) for r in sub["region"]])
            labels = [f"{pname.get(p, p)} ({r})" for p, r in zip(sub["process"], sub["region"],
                                                                   strict=True)]
            ax.set_yticks(y, labels, fontsize=6.5)
            ax.set_xlabel(unit_label(f"{METRICS[metric]} intensity",
                                     pretty_unit(f"{shown}/{per}")))
            ax.set_ylabel("Process (region)")
            ax.set_title(f"{METRICS[metric]} per {per} of output, {year}")
            ax.grid(axis="x")
    return fig
