"""Comparisons across runs: headline indicators by scenario, the cost-emissions frontier and
fan charts of ensembles."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike
from mfa.report.style import (
    CYCLE,
    OKABE_ITO,
    figsize,
    figure_of,
    format_value,
    house_style,
    panel_grid,
    pretty_unit,
    scale_unit,
    scenario_colour,
    unit_label,
)
from mfa.report.tables import headline_summary

HEADLINE_LABELS: dict[str, str] = {
    "total_cost_discounted": "Total discounted cost",
    "annual_cost": "Annual cost",
    "emissions": "GHG emissions",
    "emissions_cumulative": "Cumulative GHG emissions",
    "import_dependency": "Import dependency",
    "recycled_share": "Recycled share of supply",
    "secondary_supply_share": "Recycled share of supply",
    "supply": "Supply",
    "unmet_demand": "Unmet demand",
}


AXIS_NAMES: dict[str, str] = {
    "total_cost_discounted": "Cost",
    "annual_cost": "Cost",
    "emissions": "Emissions",
    "emissions_cumulative": "Emissions",
    "import_dependency": "Dependency",
    "recycled_share": "Recycled share",
    "secondary_supply_share": "Recycled share",
    "supply": "Supply",
    "unmet_demand": "Unmet demand",
}


def compare_table(results: Mapping[str, TablesLike], **kwargs: object) -> pd.DataFrame:
    """Headline summaries of several runs in one table.

    Parameters
    ----------
    results
        Scenario name to ``Results`` or tables.
    **kwargs
        Passed to :func:`mfa.report.tables.headline_summary`.

    Returns
    -------
    pandas.DataFrame
        ``scenario`` followed by the summary columns.
    """
    parts = [
        headline_summary(r, **kwargs).assign(scenario=name)  # type: ignore[arg-type]
        for name, r in results.items()
    ]
    if not parts:
        return pd.DataFrame(
            columns=["scenario", "indicator", "region", "element", "period", "value", "unit"]
        )
    df = pd.concat(parts, ignore_index=True)
    return df[["scenario", *[c for c in df.columns if c != "scenario"]]]


def reference_scenario(scenarios: Sequence[str]) -> str:
    """The scenario others are compared with: ``reference`` when present, else the first."""
    names = list(scenarios)
    if not names:
        raise ValueError("no scenarios to compare")
    return "reference" if "reference" in names else names[0]


def compare_differences(df: pd.DataFrame, reference: str | None = None) -> pd.DataFrame:
    """Each scenario's headline numbers minus the reference scenario's.

    .. math:: \\Delta_{s,i} = x_{s,i} - x_{\\mathrm{ref},i}

    for every headline row ``i`` (indicator, region, element, period, unit) that both the
    scenario and the reference have; a row the reference lacks (no supply there) has no
    difference and is left out.

    Parameters
    ----------
    df
        Output of :func:`compare_table`.
    reference
        Reference scenario (default: :func:`reference_scenario`).

    Returns
    -------
    pandas.DataFrame
        ``scenario, indicator, region, element, period, value, unit, reference_value``:
        ``value`` is the difference, in the row's unit.
    """
    ref = reference or reference_scenario(list(dict.fromkeys(df["scenario"])))
    keys = ["indicator", "region", "element", "period", "unit"]
    base = df[df["scenario"] == ref].groupby(keys, sort=False)["value"].sum()
    if base.empty:
        raise ValueError(f"reference scenario {ref!r} is not among the runs compared")
    others = df[df["scenario"] != ref].join(base.rename("reference_value"), on=keys)
    others = others.dropna(subset=["reference_value"])
    out = others.assign(value=others["value"] - others["reference_value"])
    return out.reset_index(drop=True)


def plot_scenario_differences(
    results: Mapping[str, TablesLike] | pd.DataFrame,
    reference: str | None = None,
    indicators: Sequence[str] | None = None,
    period: str | int = 2050,
) -> Figure:
    """Headline indicators of every scenario as differences from the reference scenario.

    One panel per indicator (per region for the per-element ones, elements side by side), a
    bar per scenario: the scenario's value minus the reference's (:func:`compare_differences`)
    and a zero line; the reference's own values are in ``comparison.csv``.

    Parameters
    ----------
    results
        Scenario name to ``Results``/tables, or the output of :func:`compare_table`.
    reference
        Reference scenario (default: :func:`reference_scenario`).
    indicators, period
        As for :func:`plot_scenario_comparison`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = results if isinstance(results, pd.DataFrame) else compare_table(results)
    ref = reference or reference_scenario(list(dict.fromkeys(df["scenario"])))
    diff = compare_differences(df, ref)
    indicators = list(
        indicators
        or [
            "total_cost_discounted",
            "emissions_cumulative",
            "import_dependency",
            "secondary_supply_share",
        ]
    )
    scenarios = list(dict.fromkeys(diff["scenario"]))
    panels = _comparison_panels(diff, indicators, period, None, None, True)
    with house_style():
        fig, axs = panel_grid(len(panels), 2, row_height=2.0, legend_rows=1)
        colours = {s: scenario_colour(s) for s in scenarios}
        for ax, (ind, g, title) in zip(axs, panels, strict=False):
            _draw_comparison_panel(ax, ind, g, title, scenarios, colours, delta=True)
        if panels:
            handles = [plt.Rectangle((0, 0), 1, 1, color=colours[s]) for s in scenarios]
            fig.axes[len(axs)].legend(
                handles,
                scenarios,
                loc="upper center",
                ncols=len(scenarios),
                title=f"Scenario minus {ref}",
                fontsize=7,
                frameon=False,
            )
        else:
            axs[0].set_xlabel("Scenario")
            axs[0].set_ylabel(unit_label("Difference", "-"))
            axs[0].set_title(f"No scenario besides {ref} to compare")
        fig.suptitle(f"Difference from the {ref} scenario")
    return fig


def plot_scenario_comparison(
    results: Mapping[str, TablesLike] | pd.DataFrame,
    indicators: Sequence[str] | None = None,
    period: str | int = 2050,
    region: str | None = None,
    element: str | None = None,
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """Headline indicators by scenario.

    Whole-horizon totals (discounted cost, cumulative emissions) get one panel each with a
    bar per scenario; per-year indicators (import dependency, recycled share) one panel per
    region with the elements side by side and a bar per scenario (elements that are zero
    in every scenario are left out). With ``region`` or ``element`` given, every
    (indicator, region, element) gets its own small panel instead.

    Parameters
    ----------
    results
        Scenario name to ``Results``/tables, or the output of :func:`compare_table`.
    indicators
        Headline indicators (default: discounted cost, cumulative emissions, import
        dependency and recycled share). Totals use their whole-horizon period; the others
        ``period``.
    period
        Key year of the per-year indicators.
    region, element
        Restrict dependency and recycled share to one region or element.
    axes
        One axes per panel; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    df = results if isinstance(results, pd.DataFrame) else compare_table(results)
    indicators = list(
        indicators
        or ["total_cost_discounted", "emissions_cumulative", "import_dependency", "recycled_share"]
    )
    scenarios = list(dict.fromkeys(df["scenario"]))
    grouped = region is None and element is None
    panels = _comparison_panels(df, indicators, period, region, element, grouped)
    with house_style():
        if axes is None:
            ncols = 2 if grouped else min(max(len(panels), 1), 3)
            fig, axs = panel_grid(len(panels), ncols, row_height=2.0)
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        colours = {s: CYCLE[i % len(CYCLE)] for i, s in enumerate(scenarios)}
        for ax, (ind, g, title) in zip(axs, panels, strict=False):
            _draw_comparison_panel(ax, ind, g, title, scenarios, colours)
        if panels and axes is None:
            handles = [plt.Rectangle((0, 0), 1, 1, color=colours[s]) for s in scenarios]
            fig.legend(
                handles,
                scenarios,
                loc="outside lower center",
                ncols=len(scenarios),
                title="Scenario",
                fontsize=7,
            )
        if not panels:
            axs[0].set_xlabel("Scenario")
            axs[0].set_ylabel(unit_label("Headline indicator", "-"))
            axs[0].set_title("No headline indicators to compare")
    return fig


def _comparison_panels(
    df: pd.DataFrame,
    indicators: Sequence[str],
    period: str | int,
    region: str | None,
    element: str | None,
    grouped: bool,
) -> list[tuple[str, pd.DataFrame, str]]:
    """(indicator, rows, title) of each panel of :func:`plot_scenario_comparison`."""
    panels: list[tuple[str, pd.DataFrame, str]] = []
    for ind in indicators:
        sub = df[df["indicator"] == ind]
        if sub.empty:
            continue
        if not sub["period"].astype(str).str.contains("-").all():
            sub = sub[sub["period"].astype(str) == str(period)]
        if region is not None:
            sub = sub[sub["region"].isin([region, "all"])]
        if element is not None:
            sub = sub[sub["element"].isin([element, "all"])]
        label = HEADLINE_LABELS.get(ind, ind)
        if grouped and (sub["element"] != "all").any():
            for r, g in sub.groupby("region", sort=False):
                shown = g.groupby("element", sort=False)["value"].apply(
                    lambda v: bool((v.abs() > 1e-9).any())
                )
                g = g[g["element"].isin(shown.index[shown])]
                if len(g):
                    panels.append((ind, g, f"{label}, {r}, {g['period'].iloc[0]}"))
            continue
        for (r, e), g in sub.groupby(["region", "element"], sort=False):
            where = ", ".join(x for x in (str(r), str(e)) if x != "all")
            when = str(g["period"].iloc[0])
            panels.append((ind, g, f"{label}\n{where + ', ' if where else ''}{when}"))
    return panels


def _draw_comparison_panel(
    ax: Axes,
    ind: str,
    g: pd.DataFrame,
    title: str,
    scenarios: list[str],
    colours: Mapping[str, str],
    delta: bool = False,
) -> None:
    """Bars per scenario, grouped by element when the rows hold several elements; with
    ``delta`` the values are differences (signed, a zero line, "Δ" on the axis)."""
    unit = str(g["unit"].dropna().iloc[0])
    elements = list(dict.fromkeys(g["element"]))
    wide = g.pivot_table(
        index="element", columns="scenario", values="value", aggfunc="sum"
    ).reindex(index=elements, columns=scenarios)
    vals = wide.to_numpy(dtype=float)
    if unit == "fraction":
        vals, shown = vals * 100, "%"
    elif unit == "share":
        shown = "share, 0-1"
    else:
        divisor, shown = scale_unit(
            float(np.nanmax(np.abs(vals))) if vals.size else 0.0, unit.split(" (")[0]
        )
        vals = vals / divisor
    n_s = len(scenarios)
    width = 0.8 / n_s
    x = np.arange(len(elements))
    for k, s in enumerate(scenarios):
        pos = x + (k - (n_s - 1) / 2) * width
        ax.bar(pos, vals[:, k], width=width * 0.92, color=colours[s], label=s)
        if len(elements) == 1:
            for xi, v in zip(pos, vals[:, k], strict=True):
                if np.isfinite(v):
                    ax.text(
                        xi,
                        v,
                        format_value(v),
                        ha="center",
                        va="bottom" if v >= 0 else "top",
                        fontsize=6,
                    )
    if len(elements) == 1:  # the title names it; the legend names the scenarios
        ax.set_xticks([])
        ax.set_xlabel("Scenario")
    else:
        ax.set_xticks(x, elements)
        ax.set_xlabel("Element")
    name = AXIS_NAMES.get(ind, ind)
    ax.set_ylabel(unit_label(f"Δ {name}" if delta else name, pretty_unit(shown)))
    ax.set_title(title, fontsize=7.5)
    if delta:
        ax.axhline(0, color="#4D4D4D", linewidth=0.6)
        big = float(np.nanmax(np.abs(vals))) if np.isfinite(vals).any() else 0.0
        ax.set_ylim(-big * 1.25 if big > 0 else -1.0, big * 1.25 if big > 0 else 1.0)
        return
    top = float(np.nanmax(vals)) if np.isfinite(vals).any() else 0.0
    ax.set_ylim(0, top * 1.18 if top > 0 else 1.0)


def plot_scenario_paths(
    results: Mapping[str, TablesLike],
    region: str = "KR",
    elements: Sequence[str] = ("Li", "Ni", "Co", "C"),
    indicator: str = "largest_supplier_share",
    axes: Sequence[Axes] | None = None,
) -> Figure:
    """How scenarios differ over time: annual cost, annual emissions and one indicator of
    ``region`` for each of ``elements``, a line per scenario.

    Parameters
    ----------
    results
        Scenario name to ``Results`` or tables (``costs``, ``emissions``, ``indicators``).
    region, elements, indicator
        Which indicator (e.g. ``largest_supplier_share``, ``import_dependency``,
        ``share_from_CA``) to draw for which region and elements.
    axes
        ``2 + len(elements)`` axes; a new figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from mfa.report.element import table
    from mfa.report.timeseries import INDICATOR_LABELS

    scenarios = list(results)
    colours = {s: CYCLE[i % len(CYCLE)] for i, s in enumerate(scenarios)}
    series: list[tuple[str, str, dict[str, pd.Series]]] = []
    for name, label, unit in (
        ("costs", "Annual cost", "USD"),
        ("emissions", "GHG emissions", "tCO2e"),
    ):
        by = {
            s: table(r, name).groupby("year")["value"].sum()
            for s, r in results.items()
            if not table(r, name).empty
        }
        if by:
            series.append((label, unit, by))
    for el in elements:
        by = {}
        for s, r in results.items():
            ind = table(r, "indicators")
            if ind.empty:
                continue
            sel = ind[
                (ind["indicator"] == indicator) & (ind["region"] == region) & (ind["element"] == el)
            ]
            if len(sel):
                by[s] = sel.set_index("year")["value"].sort_index()
        if by:
            series.append(
                (f"{INDICATOR_LABELS.get(indicator, indicator)}, {region}, {el}", "fraction", by)
            )
    with house_style():
        if axes is None:
            fig, axs = panel_grid(len(series), 3 if len(series) > 4 else 2, row_height=1.9)
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        for ax, (label, unit, by) in zip(axs, series, strict=False):
            top = max(float(v.abs().max()) for v in by.values())
            scale, shown = (
                (100.0, "%")
                if unit == "fraction"
                else (
                    1.0 / scale_unit(top, unit)[0],
                    scale_unit(top, unit)[1] + ("/yr" if unit in ("USD", "tCO2e") else ""),
                )
            )
            for s, v in by.items():
                ax.plot(v.index, v.to_numpy() * scale, color=colours[s], label=s)
            ax.set_xlabel("Year")
            ax.set_ylabel(unit_label(label.split(",")[0], pretty_unit(shown)))
            ax.set_title(label, fontsize=7.5)
            ax.set_ylim(bottom=0)
        if series and axes is None:
            handles = [plt.Line2D([], [], color=colours[s]) for s in scenarios]
            fig.legend(
                handles,
                scenarios,
                loc="outside lower center",
                ncols=len(scenarios),
                title="Scenario",
                fontsize=7,
            )
        if not series:
            axs[0].set_title("Nothing to compare over time")
            axs[0].set_xlabel("Year")
            axs[0].set_ylabel(unit_label("Value", "-"))
    return fig


def plot_frontier(
    frontier: pd.DataFrame,
    ax: Axes | None = None,
    label_points: bool = True,
) -> Figure:
    """Cost-emissions Pareto frontier.

    Parameters
    ----------
    frontier
        Columns ``point, cost, emissions`` (and optionally ``cost_unit`` / ``emissions_unit``;
        default USD and tCO2e).
    ax
        Axes to draw in; a new single-column figure when ``None``.
    label_points
        Number the points.

    Returns
    -------
    matplotlib.figure.Figure
    """
    f = frontier.sort_values("emissions")
    cu = str(f["cost_unit"].iloc[0]) if "cost_unit" in f and len(f) else "USD"
    eu = str(f["emissions_unit"].iloc[0]) if "emissions_unit" in f and len(f) else "tCO2e"
    with house_style():
        if ax is None:
            fig = plt.figure(figsize=figsize("single", 0.8), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        cdiv, cshown = scale_unit(float(f["cost"].abs().max()) if len(f) else 0.0, cu)
        ediv, eshown = scale_unit(float(f["emissions"].abs().max()) if len(f) else 0.0, eu)
        x, y = f["emissions"] / ediv, f["cost"] / cdiv
        ax.fill_between(
            x,
            y,
            y.max() * 1.05 if len(y) else 1,
            color=OKABE_ITO["sky_blue"],
            alpha=0.12,
            linewidth=0,
            label="Feasible, dominated",
        )
        ax.plot(x, y, "-o", color=OKABE_ITO["blue"], label="Pareto frontier")
        if label_points:
            for p, xi, yi in zip(f["point"], x, y, strict=True):
                ax.annotate(str(p), (xi, yi), textcoords="offset points", xytext=(3, 3), fontsize=6)
        ax.set_xlabel(unit_label("GHG emissions", pretty_unit(eshown)))
        ax.set_ylabel(unit_label("Total discounted cost", cshown))
        ax.set_title("Cost–emissions frontier")
        ax.legend(fontsize=6.5)
    return fig


def fan_bands(ensemble: pd.DataFrame) -> pd.DataFrame:
    """Percentiles of an ensemble by year.

    Parameters
    ----------
    ensemble
        Columns ``sample, year, value`` (and ``unit``).

    Returns
    -------
    pandas.DataFrame
        Index ``year``; columns ``p5, p25, p50, p75, p95``.
    """
    q = ensemble.groupby("year")["value"].quantile([0.05, 0.25, 0.5, 0.75, 0.95]).unstack()
    q.columns = ["p5", "p25", "p50", "p75", "p95"]
    return q


def plot_fan_chart(
    ensemble: pd.DataFrame,
    name: str = "Value",
    title: str | None = None,
    reference: pd.Series | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Fan chart of an ensemble: median with 25-75 % and 5-95 % bands.

    Parameters
    ----------
    ensemble
        Columns ``sample, year, value, unit``.
    name
        What the value is (axis label), e.g. ``"KR Li import dependency"``.
    title
        Figure title (default: ``name`` and the number of samples).
    reference
        Optional deterministic run (indexed by year) drawn as a dashed line.
    ax
        Axes to draw in; a new single-column figure when ``None``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    unit = str(ensemble["unit"].iloc[0]) if "unit" in ensemble and len(ensemble) else "-"
    bands = fan_bands(ensemble)
    scale, shown = (100.0, "%") if unit in ("fraction", "share") else (1.0, unit)
    if shown != "%":
        div, shown = scale_unit(float(bands.abs().to_numpy().max()) if len(bands) else 0.0, unit)
        scale = 1.0 / div
    with house_style():
        if ax is None:
            fig = plt.figure(figsize=figsize("single", 0.72), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        yr = bands.index.to_numpy()
        c = OKABE_ITO["blue"]
        for low, high, alpha, label in (
            ("p5", "p95", 0.18, "5–95 %"),
            ("p25", "p75", 0.38, "25–75 %"),
        ):
            ax.fill_between(
                yr,
                bands[low] * scale,
                bands[high] * scale,
                color=c,
                alpha=alpha,
                linewidth=0,
                label=label,
            )
        ax.plot(yr, bands["p50"] * scale, color=c, label="Median")
        if reference is not None:
            ax.plot(
                reference.index,
                reference.to_numpy() * scale,
                "--",
                color=OKABE_ITO["vermillion"],
                label="Reference run",
            )
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label(name, pretty_unit(shown)))
        n = ensemble["sample"].nunique() if "sample" in ensemble else 0
        ax.set_title(title or f"{name} ({n} samples)")
        ax.legend(fontsize=6.5)
        if len(yr) and yr.min() < yr.max():
            ax.set_xlim(yr.min(), yr.max())
    return fig
