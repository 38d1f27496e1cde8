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

from mfa.report.compare import compare_table, plot_scenario_comparison, plot_scenario_paths
from mfa.report.element import TablesLike, get_meta, table, to_element
from mfa.report.footprints import (
    plot_emissions_over_time,
    plot_footprint_overview,
    plot_footprint_per_unit,
)
from mfa.report.sankey import plot_sankey, sankey_html
from mfa.report.tables import (
    _elements,
    _focus_regions,
    export_csv,
    headline_summary,
    summary_markdown,
    write_workbook,
)
from mfa.report.timeseries import (
    binding_duals,
    plot_indicators,
    plot_key_prices,
    plot_shadow_prices,
    plot_supply_grid,
    plot_supply_mix,
)
from mfa.report.trade import plot_trade_matrices, plot_trade_matrix

log = logging.getLogger(__name__)


def save_figure(
    fig: Figure, path: str | Path, formats: Sequence[str] = ("png", "pdf"), dpi: int = 300
) -> list[Path]:
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
        fig.savefig(
            p,
            dpi=dpi,
            bbox_inches="tight",
            pad_inches=0.03,
            metadata={"Creator": "mfa"} if fmt in ("pdf", "svg") else None,
        )
        out.append(p)
    plt.close(fig)
    return out


def _years(tables: TablesLike) -> list[int]:
    return sorted(
        {
            int(y)
            for name in ("flows", "trade", "demand")
            for y in table(tables, name).get("year", [])
        }
    )


KEY_ELEMENTS: tuple[str, ...] = ("Li", "Ni", "Co", "C", "NdPr", "DyTb", "Nd", "Dy", "REE")
"""Elements of the battery and magnet chains that get Sankeys, trade matrices and indicator
figures by default (those with flows)."""

SANKEY_YEARS: tuple[int, ...] = (2025, 2030, 2040, 2050)
"""Years of the Sankey diagrams of the partnership (those in the results)."""

TRADE_YEARS: tuple[int, ...] = (2030, 2040, 2050)
"""Years of the trade matrices (those in the results)."""


def elements_with_flows(tables: TablesLike) -> list[str]:
    """Elements that move through the modelled chain (positive flows), in table order."""
    els = _elements(tables)
    sup = table(tables, "supply")
    if not sup.empty and "element" in sup:
        pos = set(sup.loc[sup["value"].astype(float) > 0, "element"].astype(str))
        return [e for e in els if e in pos]
    flows = table(tables, "flows")
    out = []
    for el in els:
        f = to_element(flows, tables, el) if not flows.empty else flows
        if len(f) and float(f["value"].sum()) > 0:
            out.append(el)
    return out


def default_selection(
    results: TablesLike,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    regions: Sequence[str] | None = None,
) -> dict[str, list]:
    """What the standard report draws: key elements, all elements, years and regions."""
    all_years = _years(results)
    flowing = elements_with_flows(results)
    if elements is not None:
        key_els = all_els = list(elements)
    else:
        key_els = [e for e in KEY_ELEMENTS if e in flowing] or flowing[:6]
        all_els = flowing
    if years is not None:
        ys = trade_ys = list(years)
    else:
        ys = [y for y in SANKEY_YEARS if y in all_years] or all_years[-1:]
        trade_ys = [y for y in TRADE_YEARS if y in all_years] or all_years[-1:]
    mid = 2040 if 2040 in ys else ys[len(ys) // 2] if ys else None
    regs = list(regions) if regions is not None else _focus_regions(results)
    return {
        "key_elements": key_els,
        "elements": all_els,
        "years": ys,
        "trade_years": trade_ys,
        "focus_year": mid,
        "regions": regs,
    }


def report_figures(
    results: TablesLike,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    regions: Sequence[str] | None = None,
) -> dict[str, Callable[[], Figure]]:
    """The standard figures of a run, by file stem, as functions that draw them.

    By default (a focused report, about 80 figures for the Canada-Korea model):

    * ``sankey_<el>_<year>_partnership``: the key elements (Li, Ni, Co, graphite C, NdPr,
      DyTb: those with flows) in the partnership (the focus regions, e.g. CA + KR) for 2025,
      2030, 2040 and 2050; ``sankey_<el>_<year>_<region>`` for each focus region and
      ``sankey_<el>_<year>_all`` (all regions, coloured by origin) in 2040;
    * ``supply_mix_<region>``: supply by origin of every element with flows, per focus
      region;
    * ``trade_matrix_<el>_<year>`` for the key elements in 2030, 2040, 2050;
    * ``indicators_<el>`` for the key elements;
    * ``footprints_<year>`` (GHG, energy, water by stage and region), ``emissions_by_stage``
      over time, ``footprint_per_tonne_<year>`` (per tonne delivered to the focus regions,
      by stage and origin);
    * ``prices`` of refined commodities and ``shadow_prices`` of the limits that bind.

    Parameters
    ----------
    results
        ``Results`` or tables.
    elements
        Elements of the per-element figures (default as above).
    years
        Years of the Sankey and trade figures (default as above).
    regions
        Focus regions (default: ``meta["focus_regions"]``, else CA and KR when present).

    Returns
    -------
    dict
        File stem to a zero-argument function returning the figure.
    """
    sel = default_selection(results, elements, years, regions)
    regs, ys, mid = sel["regions"], sel["years"], sel["focus_year"]
    els = sel["key_elements"]
    figs: dict[str, Callable[[], Figure]] = {}
    scope = regs if len(regs) > 1 else (regs[0] if regs else "all")
    for el in els:
        for y in ys:
            figs[f"sankey_{el}_{y}_partnership"] = lambda el=el, y=y: plot_sankey(
                results, el, y, scope
            )
        if mid is not None:
            if len(regs) > 1:
                for r in regs:
                    figs[f"sankey_{el}_{mid}_{r}"] = lambda el=el, r=r: plot_sankey(
                        results, el, mid, r
                    )
            figs[f"sankey_{el}_{mid}_all"] = lambda el=el: plot_sankey(
                results, el, mid, "all", color_by="origin"
            )
    for r in regs:
        figs[f"supply_mix_{r}"] = lambda r=r: plot_supply_grid(results, r, sel["elements"])
    if elements is not None:
        for el in els:
            for r in regs:
                figs[f"supply_{el}_{r}_origin"] = lambda el=el, r=r: plot_supply_mix(results, el, r)
    for el in els:
        if len(sel["trade_years"]) == 1:
            y = sel["trade_years"][0]
            figs[f"trade_matrix_{el}_{y}"] = lambda el=el, y=y: plot_trade_matrix(results, el, y)
        elif sel["trade_years"]:
            stem = f"trade_matrix_{el}_" + "_".join(str(y) for y in sel["trade_years"])
            figs[stem] = lambda el=el: plot_trade_matrices(results, el, sel["trade_years"])
    ind = table(results, "indicators")
    for el in els:
        if not ind.empty and (ind["element"] == el).any():
            figs[f"indicators_{el}"] = lambda el=el: plot_indicators(results, el)
    if not table(results, "emissions").empty:
        fy = [y for y in (2030, 2050) if y in _years(results)] or _years(results)[-1:]
        for y in fy:
            figs[f"footprints_{y}"] = lambda y=y: plot_footprint_overview(results, y)
            figs[f"footprint_per_tonne_{y}"] = lambda y=y: plot_footprint_per_unit(
                results, y, regions=regs or ("KR", "CA")
            )
        figs["emissions_by_stage"] = lambda: plot_emissions_over_time(results)
    if not table(results, "prices").empty:
        figs["prices"] = lambda: plot_key_prices(results, sel["elements"], regs)
    if binding_duals(results):
        figs["shadow_prices"] = lambda: plot_shadow_prices(results)
    return figs


_JOBS: dict[str, Callable[[], Figure]] = {}


def _draw_job(job: tuple[str, Any]) -> tuple[str, list[Path] | str]:
    """Draw and save one figure (in a worker or here); an error comes back as text."""
    stem, (path, formats) = job
    try:
        return stem, save_figure(_JOBS[stem](), path, formats)
    except Exception as exc:  # keep going: one bad figure must not lose the report
        plt.close("all")
        return stem, f"{type(exc).__name__}: {exc}"


class _FigurePool:
    """Draw figure jobs in forked worker processes (or here, when ``workers`` is 1 or the
    platform cannot fork) while the caller does other work."""

    def __init__(
        self,
        figs: Mapping[str, Callable[[], Figure]],
        jobs: list[tuple[str, Any]],
        workers: int | None,
    ) -> None:
        import multiprocessing as mp
        import os

        cpus = (
            len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else (os.cpu_count() or 1)
        )
        self.n = workers if workers is not None else min(4, cpus)
        self.jobs = jobs
        self.figs = figs
        self.pool = None
        self.pending: Any = None
        if self.n > 1 and len(jobs) > 2 and "fork" in mp.get_all_start_methods():
            _JOBS.clear()
            _JOBS.update(figs)
            self.pool = mp.get_context("fork").Pool(self.n)
            self.pending = self.pool.map_async(_draw_job, jobs, chunksize=1)
            _JOBS.clear()

    def __enter__(self) -> _FigurePool:
        return self

    def results(self) -> list[tuple[str, list[Path] | str]]:
        if self.pending is not None:
            return list(self.pending.get())
        _JOBS.clear()
        _JOBS.update(self.figs)
        try:
            return [_draw_job(j) for j in self.jobs]
        finally:
            _JOBS.clear()

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.terminate() if exc[0] is not None else self.pool.close()
            self.pool.join()


def write_report(
    results: TablesLike,
    directory: str | Path,
    sources: pd.DataFrame | None = None,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    formats: Sequence[str] = ("png", "pdf"),
    html: bool = True,
    workers: int | None = None,
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
    workers
        Processes drawing figures (default: up to 4, the CPUs available; 1 draws them here).
        Uses ``fork`` where the platform has it, else draws in this process.

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
    figs = report_figures(results, elements, years)
    jobs: list[tuple[str, Any]] = [(stem, (figdir / stem, tuple(formats))) for stem in figs]
    # figures are drawn by worker processes while this one writes tables and the workbook
    with _FigurePool(figs, jobs, workers) as pool:
        if html:
            sel = default_selection(results, elements, years)
            regs = sel["regions"]
            scope = regs if len(regs) > 1 else (regs[0] if regs else "all")
            for el in sel["key_elements"]:
                for y in sel["years"]:
                    stem = f"sankey_{el}_{y}_partnership"
                    try:
                        written.append(
                            sankey_html(
                                results,
                                el,
                                y,
                                figdir / f"{stem}.html",
                                scope=scope,
                                include_plotlyjs="directory",
                            )
                        )
                    except Exception as exc:
                        failed[f"{stem}.html"] = f"{type(exc).__name__}: {exc}"
        tables = export_csv(results, out / "tables")
        summary = headline_summary(results)
        summary.to_csv(out / "tables" / "summary.csv", index=False)
        workbook = write_workbook(results, out / "results.xlsx", sources=sources)
        for stem, result in pool.results():
            if isinstance(result, str):
                log.warning("figure %s failed: %s", stem, result)
                failed[stem] = result
            else:
                written += result
    md = summary_markdown(summary, get_meta(results))
    if failed:
        md += (
            "\n## Figures that failed\n\n"
            + "\n".join(f"- `{k}`: {v}" for k, v in failed.items())
            + "\n"
        )
    (out / "summary.md").write_text(md, encoding="utf-8")
    return {
        "figures": written,
        "failed": failed,
        "tables": tables,
        "workbook": workbook,
        "summary": out / "summary.md",
    }


def write_comparison(
    results: Mapping[str, TablesLike],
    directory: str | Path,
    formats: Sequence[str] = ("png", "pdf"),
) -> dict[str, Any]:
    """Write the comparison of several runs: ``comparison.csv``, the headline figure
    (``comparison``) and how the runs differ over time (``comparison_paths``).

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
    figs += save_figure(plot_scenario_paths(results), out / "comparison_paths", formats)
    return {"table": out / "comparison.csv", "figures": figs}
