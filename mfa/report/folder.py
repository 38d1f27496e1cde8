"""The report folder: every figure, every table, the workbook and ``summary.md`` for one run,
and the comparison figures and table for several runs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from mfa.report.compare import compare_table, plot_scenario_comparison
from mfa.report.element import TablesLike, get_meta, table
from mfa.report.footprints import plot_footprint_intensity, plot_footprints
from mfa.report.sankey import plot_sankey, sankey_html
from mfa.report.tables import (
    KEY_YEARS,
    _elements,
    _focus_regions,
    export_csv,
    headline_summary,
    summary_markdown,
    write_workbook,
)
from mfa.report.timeseries import (
    duals_tables,
    plot_indicators,
    plot_prices,
    plot_shadow_prices,
    plot_supply_mix,
)
from mfa.report.trade import plot_trade_arcs, plot_trade_matrix

log = logging.getLogger(__name__)


def save_figure(fig: Figure, path: str | Path, formats: Sequence[str] = ("png", "pdf"),
                dpi: int = 300) -> list[Path]:
    """Save a figure in several formats (PNG at ``dpi``, vector PDF/SVG) and close it.

    Parameters
    ----------
    fig
        The figure.
    path
        Output path without extension (any extension given is replaced).
    formats
        File formats.
    dpi
        Resolution of raster formats.

    Returns
    -------
    list of pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = []
    for fmt in formats:
        p = path.with_suffix(f".{fmt}")
        fig.savefig(p, dpi=dpi, bbox_inches="tight", pad_inches=0.03,
                    metadata={"Creator": "mfa"} if fmt in ("pdf", "svg") else None)
        out.append(p)
    plt.close(fig)
    return out


def _years(tables: TablesLike) -> list[int]:
    return sorted({int(y) for name in ("flows", "trade", "demand") for y in
                   table(tables, name).get("year", [])})


def report_figures(
    results: TablesLike,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    regions: Sequence[str] | None = None,
) -> dict[str, Callable[[], Figure]]:
    """The standard figures of a run, by file stem, as functions that draw them.

    Parameters
    ----------
    results
        ``Results`` or tables.
    elements
        Elements (default: every single element of ``commodities`` that has flows).
    years
        Years of the Sankey and trade figures (default: the key years present, else the
        last year).
    regions
        Focus regions (default: CA and KR when present).

    Returns
    -------
    dict
        File stem to a zero-argument function returning the figure.
    """
    all_years = _years(results)
    ys = list(years) if years is not None else ([y for y in KEY_YEARS if y in all_years]
                                                or all_years[-1:])
    regs = list(regions) if regions is not None else _focus_regions(results)
    els = list(elements) if elements is not None else _elements(results)
    figs: dict[str, Callable[[], Figure]] = {}
    for el in els:
        for y in ys:
            figs[f"sankey_{el}_{y}_partnership"] = (
                lambda el=el, y=y: plot_sankey(results, el, y, regs))
            figs[f"sankey_{el}_{y}_all"] = (
                lambda el=el, y=y: plot_sankey(results, el, y, "all", color_by="origin"))
            figs[f"trade_matrix_{el}_{y}"] = lambda el=el, y=y: plot_trade_matrix(results, el, y)
            figs[f"trade_arcs_{el}_{y}"] = lambda el=el, y=y: plot_trade_arcs(results, el, y)
        for r in regs:
            figs[f"supply_{el}_{r}_origin"] = lambda el=el, r=r: plot_supply_mix(results, el, r)
            figs[f"supply_{el}_{r}_type"] = (
                lambda el=el, r=r: plot_supply_mix(results, el, r, by="type"))
        ind = table(results, "indicators")
        if not ind.empty and (ind["element"] == el).any():
            figs[f"indicators_{el}"] = lambda el=el: plot_indicators(results, el)
    if not table(results, "emissions").empty and ys:
        y = ys[-1]
        figs[f"footprints_stage_region_{y}"] = lambda: plot_footprints(results, y)
        figs[f"footprints_stage_scope_{y}"] = lambda: plot_footprints(results, y, by="scope")
        if not table(results, "activity").empty:
            figs[f"footprint_intensity_{y}"] = lambda: plot_footprint_intensity(results, y)
    for metric in ("energy", "water"):
        if not table(results, metric).empty and ys:
            figs[f"{metric}_stage_{ys[-1]}"] = (
                lambda m=metric: plot_footprints(results, ys[-1], metric=m))
    if not table(results, "prices").empty:
        figs["prices"] = lambda: plot_prices(results)
    if duals_tables(results):
        figs["shadow_prices"] = lambda: plot_shadow_prices(results)
    return figs


def write_report(
    results: TablesLike,
    directory: str | Path,
    sources: pd.DataFrame | None = None,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = ("png", "pdf"),
    html: bool = True,
) -> dict[str, Any]:
    """Write the full report of one run.

    ``DIR/figures/`` (PNG at 300 dpi + PDF, interactive Sankey HTML), ``DIR/tables/`` (every
    result table and ``summary.csv``), ``DIR/results.xlsx`` and ``DIR/summary.md``.

    Parameters
    ----------
    results
        ``Results`` or tables (``meta`` is used for the scenario, data version and discount
        rate when present).
    directory
        Output folder (created).
    sources
        Bibliography for the workbook's ``sources`` sheet.
    elements, years
        See :func:`report_figures`.
    formats
        Figure formats.
    html
        Also write interactive Sankey diagrams (plotly, one shared ``plotly.min.js``).

    Returns
    -------
    dict
        ``figures`` (list of paths), ``failed`` (stem to error text), ``tables``,
        ``workbook``, ``summary``.
    """
    out = Path(directory)
    figdir = out / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    failed: dict[str, str] = {}
    for stem, draw in report_figures(results, elements, years).items():
        try:
            written += save_figure(draw(), figdir / stem, formats)
        except Exception as exc:  # keep going: one bad figure must not lose the report
            log.warning("figure %s failed: %s", stem, exc)
            failed[stem] = f"{type(exc).__name__}: {exc}"
            plt.close("all")
    if html:
        all_years = _years(results)
        ys = list(years) if years is not None else ([y for y in KEY_YEARS if y in all_years]
                                                    or all_years[-1:])
        for el in elements if elements is not None else _elements(results):
            for y in ys:
                stem = f"sankey_{el}_{y}_all"
                try:
                    written.append(sankey_html(results, el, y, figdir / f"{stem}.html",
                                               include_plotlyjs="directory"))
                except Exception as exc:
                    failed[f"{stem}.html"] = f"{type(exc).__name__}: {exc}"
    tables = export_csv(results, out / "tables")
    summary = headline_summary(results)
    summary.to_csv(out / "tables" / "summary.csv", index=False)
    workbook = write_workbook(results, out / "results.xlsx", sources=sources)
    md = summary_markdown(summary, get_meta(results))
    if failed:
        md += "\n## Figures that failed\n\n" + "\n".join(f"- `{k}`: {v}"
                                                         for k, v in failed.items()) + "\n"
    (out / "summary.md").write_text(md, encoding="utf-8")
    return {"figures": written, "failed": failed, "tables": tables, "workbook": workbook,
            "summary": out / "summary.md"}


def write_comparison(
    results: Mapping[str, TablesLike], directory: str | Path,
    formats: Sequence[str] = ("png", "pdf"),
) -> dict[str, Any]:
    """Write the comparison of several runs: ``comparison.csv`` and the comparison figure.

    Parameters
    ----------
    results
        Scenario name to ``Results`` or tables.
    directory
        Output folder (created).
    formats
        Figure formats.

    Returns
    -------
    dict
        ``table`` and ``figures`` paths.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    df = compare_table(results)
    df.to_csv(out / "comparison.csv", index=False)
    figs = save_figure(plot_scenario_comparison(df), out / "comparison", formats)
    return {"table": out / "comparison.csv", "figures": figs}

