"""Footprints (GHG emissions, and energy or water when the results have them) by stage and
origin, and per unit of output."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from mfa.report.element import TablesLike, process_stages, table
from mfa.report.style import (
    OKABE_ITO,
    OTHER,
    STAGE_COLOURS,
    STAGE_LABELS,
    figsize,
    figure_of,
    group_small,
    house_style,
    other_colour,
    pretty_unit,
    region_colour,
    scale_unit,
    unit_label,
)

METRICS: dict[str, str] = {
    "emissions": "GHG emissions",
    "energy": "Energy use",
    "water": "Water use",
}
"""Footprint tables understood, with their display names."""

_STAGE_ORDER = (
    "mining",
    "refining",
    "material",
    "component",
    "product",
    "collection",
    "recycling",
    "repurposing",
)
SCOPE_COLOURS = {
    "direct": OKABE_ITO["vermillion"],
    "electricity": OKABE_ITO["orange"],
    "transport": OKABE_ITO["sky_blue"],
}
STAGE_COLOURS_FP: dict[str, str] = {
    **STAGE_COLOURS,
    "collection": STAGE_COLOURS["eol"],
    "recycling": STAGE_COLOURS["secondary"],
    "repurposing": STAGE_COLOURS["product"],
    "transport": STAGE_COLOURS["stock"],
}
"""Colours of the stages (process kinds) in footprint figures."""


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
    wide = df.pivot_table(index="stage", columns=by, values="value", aggfunc="sum", fill_value=0.0)
    order = [s for s in _STAGE_ORDER if s in wide.index] + [
        s for s in wide.index if s not in _STAGE_ORDER
    ]
    wide = wide.loc[order]
    wide.attrs["unit"] = str(df["unit"].iloc[0])
    return wide


def plot_footprints(
    tables: TablesLike,
    year: int,
    metric: str = "emissions",
    by: str = "region",
    ax: Axes | None = None,
    max_regions: int = 7,
) -> Figure:
    """Stacked bars of a footprint by stage of the chain, split by region or scope.

    Parameters
    ----------
    tables, year, metric, by
        As for :func:`footprint_by_stage`.
    ax
        Axes to draw in; a new single-column figure when ``None``.
    max_regions
        Regions shown separately (the rest are summed into ``Other``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    wide = footprint_by_stage(tables, year, metric, by)
    unit = wide.attrs.get("unit", "")
    if by == "region" and wide.shape[1]:
        wide = group_small(wide, max_n=max_regions, min_share=0.01)
    wide = wide.rename(index={"other": "transport"})
    with house_style():
        if ax is None:
            fig = plt.figure(figsize=figsize("single", 0.75), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        divisor, shown = scale_unit(float(wide.sum(axis=1).max()) if len(wide) else 0.0, unit)
        x = np.arange(len(wide))
        bottom = np.zeros(len(wide))
        for col in wide.columns:
            vals = wide[col].to_numpy() / divisor
            colour = (
                other_colour()
                if col == OTHER
                else region_colour(str(col))
                if by == "region"
                else SCOPE_COLOURS.get(str(col))
            )
            ax.bar(
                x,
                vals,
                bottom=bottom,
                color=colour,
                label=str(col),
                width=0.7,
                edgecolor="white",
                linewidth=0.3,
            )
            bottom += vals
        labels = {
            **STAGE_LABELS,
            "transport": "Transport",
            "material": "Materials",
            "component": "Components",
        }
        ax.set_xticks(
            x,
            [labels.get(s, s) for s in wide.index],
            rotation=30,
            ha="right",
            rotation_mode="anchor",
        )
        ax.set_xlabel("Stage of the supply chain")
        ax.set_ylabel(unit_label(METRICS[metric], pretty_unit(shown)))
        ax.set_ylim(bottom=0)
        ax.set_title(f"{METRICS[metric]} by stage and {by}, {year}")
        if len(wide.columns):
            ax.legend(
                title="Region" if by == "region" else "Scope",
                fontsize=6.5,
                reverse=True,
                loc="upper left",
                bbox_to_anchor=(1.01, 1.0),
            )
    return fig


def plot_footprint_overview(
    tables: TablesLike,
    year: int,
    metrics: Sequence[str] = ("emissions", "energy", "water"),
    max_regions: int = 7,
) -> Figure:
    """One panel per footprint metric present (GHG, energy, water), by stage and region.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    year
        Model year.
    metrics
        Metrics to draw (those without a table are left out).
    max_regions
        Regions shown separately per panel (the rest are ``Other``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    present = [m for m in metrics if not table(tables, m).empty]
    with house_style():
        n = max(len(present), 1)
        w, _ = figsize("double")
        fig, axs = plt.subplots(1, n, figsize=(w, 2.6), layout="constrained", squeeze=False)
        for ax, m in zip(axs[0], present, strict=False):
            plot_footprints(tables, year, metric=m, ax=ax, max_regions=max_regions)
            ax.set_title(METRICS[m])
            if ax.get_legend() is not None:
                ax.get_legend().remove()
        handles: dict[str, Artist] = {}
        for ax in axs[0]:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(lab, h)
        if handles:
            fig.legend(
                list(handles.values()),
                list(handles),
                loc="outside right upper",
                title="Region",
                fontsize=6.5,
            )
        if not present:
            axs[0][0].set_title("Footprints")
            axs[0][0].set_xlabel("Stage")
            axs[0][0].set_ylabel(unit_label("Footprint", "-"))
        fig.suptitle(f"Footprints of the whole modelled chain by stage and region, {year}")
    return fig


def footprint_over_time(tables: TablesLike, metric: str = "emissions") -> pd.DataFrame:
    """A footprint by stage over all years (year x stage), in the table's unit."""
    df = _metric_table(tables, metric, None)
    if df.empty:
        return pd.DataFrame()
    stage = process_stages(tables)
    df = df.assign(stage=df["process"].astype(str).map(stage).fillna("transport"))
    wide = df.pivot_table(
        index=df["year"].astype(int), columns="stage", values="value", aggfunc="sum", fill_value=0.0
    )
    order = [s for s in (*_STAGE_ORDER, "transport") if s in wide.columns]
    wide = wide[order + [c for c in wide.columns if c not in order]]
    wide.attrs["unit"] = str(df["unit"].iloc[0])
    return wide


def plot_emissions_over_time(
    tables: TablesLike, metric: str = "emissions", ax: Axes | None = None
) -> Figure:
    """Stacked areas of a footprint (default GHG emissions) by stage over the years."""
    wide = footprint_over_time(tables, metric)
    with house_style():
        if ax is None:
            fig = plt.figure(figsize=figsize("single", 0.62), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        unit = wide.attrs.get("unit", "")
        divisor, shown = scale_unit(float(wide.sum(axis=1).max()) if len(wide) else 0.0, unit)
        labels = {
            **STAGE_LABELS,
            "transport": "Transport",
            "material": "Materials",
            "component": "Components",
        }
        colours = {**STAGE_COLOURS_FP}
        if len(wide):
            ax.stackplot(
                wide.index.to_numpy(),
                *(wide[c].to_numpy() / divisor for c in wide.columns),
                labels=[labels.get(c, c) for c in wide.columns],
                colors=[colours.get(c, "#999999") for c in wide.columns],
                edgecolor="white",
                linewidth=0.3,
            )
            ax.set_xlim(wide.index.min(), wide.index.max())
            ax.legend(fontsize=6.5, reverse=True, loc="upper left", bbox_to_anchor=(1.01, 1))
        ax.set_ylim(bottom=0)
        ax.set_xlabel("Year")
        ax.set_ylabel(unit_label(METRICS[metric], pretty_unit(shown)))
        ax.set_title(f"{METRICS[metric]} of the modelled chain by stage")
    return fig


def footprint_intensity(tables: TablesLike, year: int, metric: str = "emissions") -> pd.DataFrame:
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
    a = act.groupby(["process", "region"], as_index=False).agg(
        activity=("value", "sum"), aunit=("unit", "first")
    )
    m = tot.merge(a, on=["process", "region"])
    m = m[m["activity"] > 0]
    unit = str(df["unit"].iloc[0])
    stage = process_stages(tables)
    out = m.assign(
        value=m["value"] / m["activity"],
        unit=unit + "/" + m["aunit"].astype(str),
        stage=m["process"].astype(str).map(stage),
    )
    rank = {s: i for i, s in enumerate(_STAGE_ORDER)}
    out = out.assign(_r=out["stage"].map(rank).fillna(99)).sort_values(["_r", "process", "region"])
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
    pname = dict(
        zip(proc.get("process", []), proc.get("name", proc.get("process", [])), strict=False)
    )
    with house_style():
        if axes is None:
            counts = [max(int((inten["unit"] == u).sum()), 1) for u in units]
            w, _ = figsize("double")
            fig, axs_ = plt.subplots(
                len(units),
                1,
                figsize=(w * 0.75, 0.9 * len(units) + 0.17 * sum(counts)),
                layout="constrained",
                squeeze=False,
                gridspec_kw={"height_ratios": [c + 2.5 for c in counts]},
            )
            axs = list(axs_.ravel())
        else:
            axs = list(axes)
            fig = axs[0].get_figure()
        for ax, u in zip(axs, units, strict=False):
            sub = inten[inten["unit"] == u]
            divisor, shown = scale_unit(
                float(sub["value"].max()) if len(sub) else 0.0, u.split("/")[0]
            )
            per = u.split("/", 1)[1] if "/" in u else "unit"
            y = np.arange(len(sub))[::-1]
            ax.barh(
                y,
                sub["value"].to_numpy() / divisor,
                height=0.7,
                color=[region_colour(str(r)) for r in sub["region"]],
            )
            labels = [
                f"{pname.get(p, p)} ({r})"
                for p, r in zip(sub["process"], sub["region"], strict=True)
            ]
            ax.set_yticks(y, labels, fontsize=6.5)
            ax.set_xlabel(unit_label(f"{METRICS[metric]} intensity", pretty_unit(f"{shown}/{per}")))
            ax.set_ylabel("Process (region)")
            ax.set_title(f"{METRICS[metric]} per {per} of output, {year}")
            ax.grid(axis="x")
    return fig


# --------------------------------------------------------------------------------------------
# footprints per unit delivered (Leontief-style average intensities)

PER_UNIT_COLUMNS = ["commodity", "region", "stage", "origin", "value", "unit"]


def _element_mass(tables: TablesLike) -> pd.Series:
    """Tonnes of contained element (all elements) per unit of each commodity."""
    from mfa.report.element import table as _table

    com = _table(tables, "commodities", required=True)
    mass = pd.Series(
        np.where(com["unit"].astype(str) == "t", 1.0, 0.0),
        index=com["commodity"].astype(str),
        dtype=float,
    )
    cc = _table(tables, "commodity_content")
    if not cc.empty:
        summed = cc.groupby(cc["commodity"].astype(str))["value"].sum().astype(float)
        mass.loc[mass.index.intersection(summed.index)] = summed.reindex(
            mass.index.intersection(summed.index)
        )
    return mass


def footprint_per_unit(
    tables: TablesLike,
    year: int,
    metric: str = "emissions",
    commodities: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Footprint per unit of each commodity delivered to each region, by stage and origin.

    Attribution rule (average, attributional intensities in the spirit of Leontief's
    input-output model), solved for one year on the solved flows and trade:

    * every (commodity, region) is one market; its supply :math:`X` is the output of the
      processes there, plus imports, plus end-of-life arising and stockpile releases;
      every tonne taken from a market carries the market's average intensity :math:`f`;
    * a process's own footprint (every scope of the metric table) and the footprint of its
      inputs (quantity times the intensity of the input's market in the same region) go to
      its outputs in proportion to the mass of element they contain (t of all elements,
      from ``commodity_content``; by quantity when no output holds any);
    * an import carries the intensity of its origin's market plus transport: the
      ``transport`` rows of the metric table (per destination region) are spread over that
      region's imports in proportion to the element mass shipped;
    * end-of-life material enters recycling free of burden (cut-off rule), as do stockpile
      releases.

    Hence :math:`X \circ f = e + A f`, i.e. :math:`(\mathrm{diag}(X) - A) f = e`, one sparse
    linear system per year over all markets. The split by stage and origin solves the same
    factorised system once per source group (stage of the emitting process, or
    ``transport``; region where it runs, or the exporter for transport): the parts add up
    to the total intensity exactly.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``flows``, ``trade``, ``commodities``,
        ``commodity_content``, ``processes`` and the metric table.
    year
        Model year.
    metric
        ``"emissions"`` (default), ``"energy"`` or ``"water"``.
    commodities, regions
        Markets to report (default: every market with supply).

    Returns
    -------
    pandas.DataFrame
        ``commodity, region, stage, origin, value, unit``: the footprint of one unit of the
        commodity delivered in the region that arose at ``stage`` in ``origin``; ``unit`` is
        e.g. ``tCO2e/t`` (metric unit per commodity unit). Zero parts are left out.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.linalg import splu

    met = _metric_table(tables, metric, year)
    flows = table(tables, "flows")
    if flows.empty:
        return pd.DataFrame(columns=PER_UNIT_COLUMNS)
    flows = flows[flows["year"].astype(int) == int(year)]
    trade = table(tables, "trade")
    trade = (
        trade[
            (trade["year"].astype(int) == int(year))
            & (trade["origin"] != trade["destination"])
            & (trade["value"].astype(float) > 0)
        ]
        if not trade.empty
        else trade
    )
    mass = _element_mass(tables)
    com = table(tables, "commodities", required=True)
    cunit = dict(zip(com["commodity"].astype(str), com["unit"].astype(str), strict=True))
    pstage = process_stages(tables)

    outs = flows[(flows["direction"] == "out") & (flows["value"] > 0)]
    ins = flows[(flows["direction"] == "in") & (flows["value"] > 0)]
    # markets and their supply X
    supply_parts = [outs.groupby(["commodity", "region"])["value"].sum()]
    if not trade.empty:
        supply_parts.append(
            trade.groupby(["commodity", "destination"])["value"]
            .sum()
            .rename_axis(["commodity", "region"])
        )
    for name in ("eol", "stockpile_drawdown"):
        extra = table(tables, name)
        if not extra.empty:
            extra = extra[(extra["year"].astype(int) == int(year)) & (extra["value"] > 0)]
            supply_parts.append(extra.groupby(["commodity", "region"])["value"].sum())
    X = pd.concat(supply_parts).groupby(level=[0, 1]).sum()
    X = X[X > 0]
    keys = list(X.index)
    idx = {k: i for i, k in enumerate(keys)}
    n = len(keys)
    if n == 0:
        return pd.DataFrame(columns=PER_UNIT_COLUMNS)

    # allocation of each process's burden to its outputs, by element mass
    o = outs.assign(w=outs["value"] * outs["commodity"].astype(str).map(mass).fillna(0.0))
    wsum = o.groupby(["process", "region"])["w"].transform("sum")
    qsum = o.groupby(["process", "region"])["value"].transform("sum")
    o = o.assign(alpha=np.where(wsum > 0, o["w"] / wsum.where(wsum > 0, 1.0), o["value"] / qsum))
    o = o[o["alpha"] > 0]
    rows, cols, vals = [], [], []
    # inputs: A[(c, r), (c', r)] += alpha * u
    m = o[["process", "region", "commodity", "alpha"]].merge(
        ins[["process", "region", "commodity", "value"]],
        on=["process", "region"],
        suffixes=("", "_in"),
    )
    for c, r, cin, a, u in m[["commodity", "region", "commodity_in", "alpha", "value"]].itertuples(
        index=False, name=None
    ):
        i, j = idx.get((c, r)), idx.get((cin, r))
        if i is not None and j is not None:
            rows.append(i)
            cols.append(j)
            vals.append(a * u)
    # imports: A[(c, d), (c, o)] += shipped
    for c, og, d, v in (
        trade[["commodity", "origin", "destination", "value"]].itertuples(index=False, name=None)
        if not trade.empty
        else ()
    ):
        i, j = idx.get((c, d)), idx.get((c, og))
        if i is not None and j is not None:
            rows.append(i)
            cols.append(j)
            vals.append(float(v))
    A = coo_matrix((vals, (rows, cols)), shape=(n, n)).tocsc()
    from scipy.sparse import diags

    M = (diags(X.to_numpy()) - A).tocsc()

    # right-hand sides: one column per source group (stage, origin)
    groups: dict[tuple[str, str], int] = {}
    e_rows, e_cols, e_vals = [], [], []

    def add(group: tuple[str, str], market: tuple[str, str], value: float) -> None:
        i = idx.get(market)
        if i is None or value == 0:
            return
        g = groups.setdefault(group, len(groups))
        e_rows.append(i)
        e_cols.append(g)
        e_vals.append(value)

    unit = str(met["unit"].iloc[0]) if not met.empty else ""
    if not met.empty:
        own = met[met["process"] != "transport"].groupby(["process", "region"])["value"].sum()
        alloc = o.set_index(["process", "region"])
        for (p, r), burden in own.items():
            if burden == 0 or (p, r) not in alloc.index:
                continue
            part = alloc.loc[[(p, r)]]
            for c, a in zip(part["commodity"], part["alpha"], strict=True):
                add((str(pstage.get(p, "other")), str(r)), (c, r), burden * a)
        transport = met[met["process"] == "transport"].groupby("region")["value"].sum()
        if len(transport) and not trade.empty:
            t = trade.assign(
                m=trade["value"] * trade["commodity"].astype(str).map(mass).fillna(0.0)
            )
            tot = t.groupby("destination")["m"].transform("sum")
            t = t.assign(share=np.where(tot > 0, t["m"] / tot.where(tot > 0, 1.0), 0.0))
            for c, og, d, sh in t[["commodity", "origin", "destination", "share"]].itertuples(
                index=False, name=None
            ):
                add(("transport", str(og)), (c, d), float(transport.get(d, 0.0)) * sh)
    if not groups:
        return pd.DataFrame(columns=PER_UNIT_COLUMNS)
    E = coo_matrix((e_vals, (e_rows, e_cols)), shape=(n, len(groups))).toarray()
    F = splu(M).solve(E)  # n markets x groups: intensity contributions
    names = list(groups)
    rows = pd.MultiIndex.from_tuples([(k[0], k[1]) for k in keys], names=["commodity", "region"])
    out = pd.DataFrame(
        F, index=rows, columns=pd.MultiIndex.from_tuples(names, names=["stage", "origin"])
    )
    if commodities is not None:
        out = out[out.index.get_level_values("commodity").isin(list(commodities))]
    if regions is not None:
        out = out[out.index.get_level_values("region").isin(list(regions))]
    long = out.stack(["stage", "origin"], future_stack=True)
    long = long.rename("value").reset_index()
    long = long[long["value"].abs() > 1e-12]
    long["unit"] = unit + "/" + long["commodity"].astype(str).map(cunit).fillna("unit")
    rank = {s: i for i, s in enumerate((*_STAGE_ORDER, "transport"))}
    long = long.assign(_r=long["stage"].map(rank).fillna(99)).sort_values(
        ["commodity", "region", "_r", "origin"]
    )
    return long[PER_UNIT_COLUMNS].reset_index(drop=True)


def key_delivered_commodities(
    tables: TablesLike, elements: Sequence[str], unit: str = "t"
) -> list[str]:
    """The refined and material commodities of ``elements`` (in ``unit``) plus cathode
    materials that hold them: the products whose footprints per tonne a report shows."""
    from mfa.report.element import element_matches

    com = table(tables, "commodities", required=True)
    com = com[com["unit"].astype(str) == unit]
    single = com[
        com["stage"].isin(["refining", "material"])
        & com["element"].map(lambda e: any(element_matches(e, el) for el in elements))
    ]
    picks = [str(c) for c in single["commodity"]]
    multi = com[(com["element"] == "multi") & (com["stage"] == "material")]
    picks += [str(c) for c in multi["commodity"] if str(c).startswith("CAM.")]
    return list(dict.fromkeys(picks))  # a CAM can be both single-stage and multi-element


def plot_footprint_per_unit(
    tables: TablesLike,
    year: int,
    metric: str = "emissions",
    commodities: Sequence[str] | None = None,
    regions: Sequence[str] = ("KR", "CA"),
    per_unit: pd.DataFrame | None = None,
    max_origins: int = 6,
) -> Figure:
    """Footprint per tonne delivered to each region, split by stage (left) and origin (right).

    Parameters
    ----------
    tables, year, metric
        As for :func:`footprint_per_unit`.
    commodities
        Commodities (rows); default :func:`key_delivered_commodities` of the elements with
        flows, those with a footprint in one of ``regions``.
    regions
        Regions the commodities are delivered to (one bar each per commodity).
    per_unit
        Precomputed :func:`footprint_per_unit` table.
    max_origins
        Origin regions shown separately (the rest are ``Other``).

    Returns
    -------
    matplotlib.figure.Figure
    """
    if per_unit is None:
        per_unit = footprint_per_unit(tables, year, metric, regions=regions)
    pu = per_unit[per_unit["region"].isin(list(regions))]
    if commodities is None:
        from mfa.report.element import table as _t

        els = [str(e) for e in _t(tables, "commodities")["element"].unique()]
        commodities = key_delivered_commodities(tables, els)
    pu = pu[pu["commodity"].isin(list(commodities))]
    pu = pu[pu["unit"].str.endswith("/t")]
    order = [c for c in commodities if c in set(pu["commodity"])]
    bars = [
        (c, r)
        for c in order
        for r in regions
        if ((pu["commodity"] == c) & (pu["region"] == r)).any()
    ]
    labels = [f"{c} → {r}" for c, r in bars]
    with house_style():
        w, _ = figsize("double")
        fig, axs = plt.subplots(
            1, 2, figsize=(w, 0.9 + 0.16 * max(len(bars), 3)), layout="constrained", sharey=True
        )
        unit = str(pu["unit"].iloc[0]) if len(pu) else "tCO2e/t"
        for ax, by in zip(axs, ("stage", "origin"), strict=True):
            wide = pu.pivot_table(
                index=["commodity", "region"],
                columns=by,
                values="value",
                aggfunc="sum",
                fill_value=0.0,
            ).reindex(bars, fill_value=0.0)
            if by == "origin" and wide.shape[1]:
                wide = group_small(wide, max_n=max_origins, min_share=0.01)
            else:
                rank = {s: i for i, s in enumerate((*_STAGE_ORDER, "transport"))}
                wide = wide[sorted(wide.columns, key=lambda s: rank.get(s, 99))]
            y = np.arange(len(bars))[::-1]
            left = np.zeros(len(bars))
            for col in wide.columns:
                v = wide[col].to_numpy()
                if by == "stage":
                    colour = STAGE_COLOURS_FP.get(str(col), "#999999")
                    lab = {**STAGE_LABELS, "transport": "Transport"}.get(str(col), str(col))
                else:
                    colour = other_colour() if col == OTHER else region_colour(str(col))
                    lab = str(col)
                ax.barh(
                    y,
                    v,
                    left=left,
                    color=colour,
                    label=lab,
                    height=0.7,
                    edgecolor="white",
                    linewidth=0.3,
                )
                left += v
            ax.set_yticks(y, labels, fontsize=6.5)
            ax.set_xlabel(unit_label(f"{METRICS[metric]} per unit delivered", pretty_unit(unit)))
            ax.set_title("By stage" if by == "stage" else "By origin (where it arose)")
            ax.grid(axis="x")
            ax.legend(
                fontsize=6,
                loc="lower right",
                title="Stage" if by == "stage" else "Region",
                title_fontsize=6.5,
            )
        axs[0].set_ylabel("Product → region of delivery")
        if not bars:
            axs[0].text(
                0.5, 0.5, "No footprints", ha="center", va="center", transform=axs[0].transAxes
            )
        fig.suptitle(
            f"{METRICS[metric]} per tonne delivered, {year} (per t of product; "
            "element commodities per t of contained element)"
        )
    return fig
