"""The report folder: every figure, every table, the workbook and ``summary.md`` for one run,
and the comparison figures and table for several runs."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypedDict

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from mfa.report.calibration import plot_calibration
from mfa.report.certified import plot_certified_sourcing
from mfa.report.compare import (
    compare_differences,
    compare_table,
    plot_scenario_comparison,
    plot_scenario_differences,
    plot_scenario_paths,
)
from mfa.report.element import TablesLike, get_meta, get_tables, table, to_element
from mfa.report.footprints import (
    plot_emissions_over_time,
    plot_footprint_overview,
    plot_footprint_per_unit,
)
from mfa.report.page import report_page
from mfa.report.sankey import plot_sankey, sankey_html, scope_label, scope_tag
from mfa.report.structure import plot_concentration, plot_stocks_and_outflows
from mfa.report.style import element_name, file_metadata, house_style, stamp
from mfa.report.tables import (
    export_csv,
    focus_regions_of,
    headline_summary,
    report_elements,
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
    fig: Figure,
    path: str | Path,
    formats: Sequence[str] = ("png", "pdf"),
    dpi: int = 300,
    meta: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Save a figure in several formats (PNG at ``dpi``, vector PDF/SVG) and close it.

    With ``meta`` (the run's metadata), the figure gets the house caption strip (scenario,
    data version, model; :func:`mfa.report.style.stamp`), a width of 3.5 or 7.2 in and a
    height of at most 9 in, and each file carries the title and caption in its metadata
    (PNG text chunks, PDF document information). Fonts are embedded as TrueType (Type 42).

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
    meta
        Run metadata, or ``None`` to save the figure as it is.

    Returns
    -------
    list of pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if meta is not None:
        stamp(fig, dict(meta))
    title = _figure_title(fig) or path.stem
    out = []
    # a stamped figure keeps its page size exactly (no tight bounding box)
    with house_style(savefig__bbox="standard" if meta is not None else "tight"):
        for fmt in formats:
            p = path.with_suffix(f".{fmt}")
            fig.savefig(
                p,
                dpi=dpi,
                metadata=file_metadata(dict(meta or {}), title, fmt) or None,
            )
            out.append(p)
    plt.close(fig)
    return out


def _figure_title(fig: Figure) -> str:
    """The figure's suptitle, else its first axes title."""
    sup = getattr(fig, "_suptitle", None)
    if sup is not None and sup.get_text():
        return str(sup.get_text())
    for ax in fig.axes:
        if ax.get_title():
            return str(ax.get_title())
    return ""


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
    els = report_elements(tables)
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


class ReportSelection(TypedDict):
    """What the standard report draws (:func:`default_selection`)."""

    key_elements: list[str]
    """Elements drawn in full (Sankeys, supply, trade, indicators)."""
    elements: list[str]
    """Every element with flows (supply grids, prices)."""
    years: list[int]
    """Years of the Sankey diagrams."""
    trade_years: list[int]
    """Years of the trade matrices."""
    focus_year: int | None
    """The year of the single-year figures (2040 when modelled, else the last year)."""
    regions: list[str]
    """Focus regions."""


def default_selection(
    results: TablesLike,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    regions: Sequence[str] | None = None,
) -> ReportSelection:
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
    mid = 2040 if 2040 in all_years else (all_years[-1] if all_years else None)
    regs = list(regions) if regions is not None else focus_regions_of(results)
    return {
        "key_elements": key_els,
        "elements": all_els,
        "years": ys,
        "trade_years": trade_ys,
        "focus_year": mid,
        "regions": regs,
    }


@dataclass(frozen=True)
class FigureJob:
    """One report figure: how to draw it and the caption that goes with it."""

    draw: Callable[[], Figure]
    caption: str


def report_figures(
    results: TablesLike,
    elements: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    regions: Sequence[str] | None = None,
    all_figures: bool = False,
    sweep: str | Path | None = None,
) -> dict[str, FigureJob]:
    """The figures of a run, by file stem.

    By default only the figures a reader uses (about a dozen for the Canada-Korea model):

    * ``sankey_<el>_<year>_<scope>``: each key element (Li, Ni, Co, graphite C, NdPr, DyTb:
      those with flows) in the focus regions (scope ``CA+KR``) in the focus year (2040);
    * ``supply_mix_<region>``: supply by origin of every element, per focus region;
    * ``concentration_<year>``: top-3 share and HHI of production by stage;
    * ``stocks_<el>``: in-use stock by product and end-of-life outflows of the first key
      element;
    * ``prices`` against market reference prices and ``shadow_prices`` of binding limits;
    * ``certified_sourcing``: certified share of supply and audited plant capacity, when the
      results have the certification tables (a scenario with ``certification``);
    * ``calibration``: the results' ``calibration`` table (model against observed figures of
      the first model year), when the results have one.

    ``all_figures`` adds the Sankeys of 2025, 2030 and 2050, per focus region and of all
    regions (``_all``, coloured by origin); trade matrices; per-element indicators, supply
    by origin and stocks; footprints and emissions.

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
    all_figures
        Draw every figure, not only the default set.
    sweep
        Folder of a Monte Carlo sweep of this run (``samples.parquet`` and
        ``indicators.parquet``, written by ``mfa sweep``): adds ``uncertainty``, the
        headline numbers with the sweep's bands (:func:`mfa.sweep.plots.headline_bands`).

    Returns
    -------
    dict
        File stem to a :class:`FigureJob`.
    """
    sel = default_selection(results, elements, years, regions)
    regs, ys, mid = sel["regions"], sel["years"], sel["focus_year"]
    els = sel["key_elements"]
    figs: dict[str, FigureJob] = {}
    scope: str | list[str] = regs if len(regs) > 1 else (regs[0] if regs else "all")
    tag = scope_tag(scope)
    where = scope_label(scope)
    sankey_note = (
        "t of contained element; return paths below the diagram are recycling, repurposing "
        "or scrap; grey nodes on the right are losses, landfill and stock additions"
    )
    focus = [mid] if mid is not None else []
    sankey_years = sorted({*ys, *focus}) if all_figures else focus
    for el in els:
        for y in sankey_years:
            figs[f"sankey_{el}_{y}_{tag}"] = FigureJob(
                partial(plot_sankey, results, el, y, scope),
                f"Flows of {element_name(el)} through the {where} chain in {y} ({sankey_note}).",
            )
    for r in regs:
        figs[f"supply_mix_{r}"] = FigureJob(
            partial(plot_supply_grid, results, r, sel["elements"]),
            f"Supply of each element to {r} by origin (imports by origin, own primary output, "
            "recycled), t of contained element.",
        )
    if mid is not None and not table(results, "flows").empty:
        figs[f"concentration_{mid}"] = FigureJob(
            partial(plot_concentration, results, els, mid),
            f"Concentration of production by stage in {mid}: share of the three largest "
            "producing regions and Herfindahl-Hirschman index (0-1), on t of contained element.",
        )
    stock_els = els if all_figures else els[:1]
    if not table(results, "stock").empty:
        for el in stock_els:
            figs[f"stocks_{el}"] = FigureJob(
                partial(plot_stocks_and_outflows, results, el, regs),
                f"{element_name(el)} in products in use and at end of life in {where}, "
                "t of contained element.",
            )
    if not table(results, "prices").empty:
        figs["prices"] = FigureJob(
            lambda: plot_key_prices(results, sel["elements"], regs),
            "Marginal prices of refined commodities (USD per t of contained element, "
            "undiscounted), with market reference prices where the data give them.",
        )
    if mid is not None and not table(results, "supply_by_certified_status").empty:
        figs["certified_sourcing"] = FigureJob(
            partial(plot_certified_sourcing, results, list(regs), mid, sel["elements"]),
            f"Certified sourcing: the share of each element's supply to {where} that comes "
            f"from audited plants (well-mixed attribution), and the audited share of plant "
            f"capacity by region and stage in {mid}.",
        )
    if not table(results, "calibration").empty:
        figs["calibration"] = FigureJob(
            lambda: plot_calibration(results),
            "Calibration: the first model year against observed figures (volumes as model / "
            "observed - 1, import shares as model - observed, prices as shadow price / "
            "reference price), grey bands the targets; vermillion dots miss them.",
        )
    if sweep is not None:
        figs["uncertainty"] = FigureJob(
            lambda: _sweep_bands(results, Path(sweep), regs),
            "Annual cost and tonnes shipped into the focus regions: median, 25-75 % and 5-95 % "
            f"of the Monte Carlo samples in {Path(sweep).name}; dashed, this run.",
        )
    if binding_duals(results):
        figs["shadow_prices"] = FigureJob(
            lambda: plot_shadow_prices(results),
            "Shadow prices of the limits that bind: cost saved per unit the limit is relaxed.",
        )
    if not all_figures:
        return figs
    if mid is not None and len(regs) > 1:
        for el in els:
            for r in regs:
                figs[f"sankey_{el}_{mid}_{r}"] = FigureJob(
                    partial(plot_sankey, results, el, mid, r),
                    f"Flows of {element_name(el)} in {r} in {mid} ({sankey_note}).",
                )
            figs[f"sankey_{el}_{mid}_all"] = FigureJob(
                partial(plot_sankey, results, el, mid, "all", color_by="origin"),
                f"Flows of {element_name(el)} in all regions in {mid}, coloured by the region "
                "each flow leaves (t of contained element).",
            )
    for el in els:
        for r in regs:
            figs[f"supply_{el}_{r}_origin"] = FigureJob(
                partial(plot_supply_mix, results, el, r),
                f"Supply of {element_name(el)} to {r} by origin, t of contained element.",
            )
    for el in els:
        if len(sel["trade_years"]) == 1:
            y = sel["trade_years"][0]
            figs[f"trade_matrix_{el}_{y}"] = FigureJob(
                partial(plot_trade_matrix, results, el, y),
                f"Trade of {element_name(el)} between regions in {y}, t of contained element.",
            )
        elif sel["trade_years"]:
            stem = f"trade_matrix_{el}_" + "_".join(str(y) for y in sel["trade_years"])
            figs[stem] = FigureJob(
                partial(plot_trade_matrices, results, el, sel["trade_years"]),
                f"Trade of {element_name(el)} between regions, t of contained element.",
            )
    ind = table(results, "indicators")
    for el in els:
        if not ind.empty and (ind["element"] == el).any():
            figs[f"indicators_{el}"] = FigureJob(
                partial(plot_indicators, results, el),
                f"Supply-security and circularity indicators of {element_name(el)} (shares 0-1).",
            )
    if not table(results, "emissions").empty:
        fy = [y for y in (2030, 2050) if y in _years(results)] or _years(results)[-1:]
        for y in fy:
            figs[f"footprints_{y}"] = FigureJob(
                partial(plot_footprint_overview, results, y),
                f"Greenhouse-gas, energy and water footprints by stage and region in {y}.",
            )
            figs[f"footprint_per_tonne_{y}"] = FigureJob(
                partial(plot_footprint_per_unit, results, y, regions=regs or ("KR", "CA")),
                f"Footprint per t delivered to {where} in {y}, by stage and origin.",
            )
        figs["emissions_by_stage"] = FigureJob(
            lambda: plot_emissions_over_time(results),
            "Greenhouse-gas emissions of the chain by stage over time.",
        )
    return figs


def _sweep_bands(results: TablesLike, folder: Path, regions: Sequence[str]) -> Figure:
    """The headline bands of a sweep folder around this run."""
    from mfa.sweep.plots import headline_bands

    missing = [n for n in ("samples.parquet", "indicators.parquet") if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} is not a finished sweep: no {', '.join(missing)}")
    samples = pd.read_parquet(folder / "samples.parquet")
    indicators = pd.read_parquet(folder / "indicators.parquet")
    return headline_bands(indicators, samples, results, regions)


_JOBS: dict[str, Callable[[], Figure]] = {}


def _draw_job(job: tuple[str, Any]) -> tuple[str, list[Path] | str]:
    """Draw and save one figure (in a worker or here); an error comes back as text."""
    stem, (path, formats, meta, dpi) = job
    try:
        return stem, save_figure(_JOBS[stem](), path, formats, dpi=dpi, meta=meta)
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
    formats: Sequence[str] | None = None,
    html: bool = True,
    workers: int | None = None,
    all_figures: bool = False,
    dpi: int | None = None,
    sweep: str | Path | None = None,
) -> dict[str, Any]:
    """Write the report of one run.

    ``DIR/report.html`` (one self-contained page: findings, figures, tables, sources,
    provenance), ``DIR/figures/`` (PNG at 300 dpi + PDF; interactive Sankey HTML, each with
    plotly inlined), ``DIR/tables/`` (every result table and ``summary.csv``),
    ``DIR/results.xlsx`` and ``DIR/summary.md``.

    Parameters
    ----------
    results
        ``Results`` or tables (``meta`` gives the scenario, data version and discount rate).
    directory
        Output folder (created).
    sources
        Bibliography (default: the results' ``sources`` table).
    elements, years, all_figures
        See :func:`report_figures`.
    formats
        Figure formats (PNG is always written: the page embeds it); default PNG alone, or
        PNG and PDF with ``all_figures``.
    dpi
        Resolution of the PNGs: default 200 (the page), 300 with ``all_figures`` (print).
    html
        Also write the interactive Sankey diagrams of the figures drawn (self-contained).
    sweep
        Folder of a Monte Carlo sweep of this run: adds its bands (see
        :func:`report_figures`).
    workers
        Processes drawing figures (default: up to 4, the CPUs available; 1 draws them here).
        Uses ``fork`` where the platform has it, else draws in this process.

    Returns
    -------
    dict
        ``figures`` (list of paths), ``failed`` (stem to error text), ``tables``,
        ``workbook``, ``summary``, ``page``.
    """
    out = Path(directory)
    figdir = out / "figures"
    figdir.mkdir(parents=True, exist_ok=True)
    meta = get_meta(results)
    if formats is None:
        formats = ("png", "pdf") if all_figures else ("png",)
    formats = tuple(dict.fromkeys(["png", *formats]))
    dpi = dpi or (300 if all_figures else 200)
    written: list[Path] = []
    failed: dict[str, str] = {}
    jobs_by_stem = report_figures(results, elements, years, all_figures=all_figures, sweep=sweep)
    figs = {stem: job.draw for stem, job in jobs_by_stem.items()}
    jobs: list[tuple[str, Any]] = [(stem, (figdir / stem, formats, meta, dpi)) for stem in figs]
    if sources is None:
        sources = get_tables(results).get("sources")
    # figures are drawn by worker processes while this one writes tables and the workbook
    with _FigurePool(figs, jobs, workers) as pool:
        if html:
            for stem in (s for s in figs if s.startswith("sankey_")):
                _, el, y, tag = stem.split("_", 3)
                scope = tag.split("+") if "+" in tag else tag
                try:
                    written.append(
                        sankey_html(results, el, int(y), figdir / f"{stem}.html", scope=scope)
                    )
                except Exception as exc:  # one bad diagram must not lose the report
                    failed[f"{stem}.html"] = f"{type(exc).__name__}: {exc}"
        tables = export_csv(results, out / "tables")
        summary = headline_summary(results)
        summary.to_csv(out / "tables" / "summary.csv", index=False)
        workbook = write_workbook(results, out / "results.xlsx", sources=sources, summary=summary)
        for stem, result in pool.results():
            if isinstance(result, str):
                log.warning("figure %s failed: %s", stem, result)
                failed[stem] = result
            else:
                written += result
    drawn = [
        (figdir / f"{stem}.png", job.caption)
        for stem, job in jobs_by_stem.items()
        if (figdir / f"{stem}.png").is_file() and stem not in failed
    ]
    md = summary_markdown(summary, meta, {f"figures/{p.name}": caption for p, caption in drawn})
    if failed:
        md += (
            "\n## Figures that failed\n\n"
            + "\n".join(f"- `{k}`: {v}" for k, v in failed.items())
            + "\n"
        )
    (out / "summary.md").write_text(md, encoding="utf-8")
    page = out / "report.html"
    page.write_text(report_page(summary, meta, drawn, sources), encoding="utf-8")
    return {
        "figures": written,
        "failed": failed,
        "tables": tables,
        "workbook": workbook,
        "summary": out / "summary.md",
        "page": page,
    }


def write_comparison(
    results: Mapping[str, TablesLike],
    directory: str | Path,
    formats: Sequence[str] = ("png", "pdf"),
) -> dict[str, Any]:
    """Write the comparison of several runs: ``comparison.csv`` (every run's headline
    numbers), ``comparison_differences.csv`` and the figure ``comparison`` (each scenario
    minus the reference scenario), ``comparison_levels`` (the values side by side) and
    ``comparison_paths`` (how the runs differ over time).

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
    figs: list[Path] = []
    if df["scenario"].nunique() > 1:
        compare_differences(df).to_csv(out / "comparison_differences.csv", index=False)
        figs += save_figure(plot_scenario_differences(df), out / "comparison", formats)
    figs += save_figure(plot_scenario_comparison(df), out / "comparison_levels", formats)
    figs += save_figure(plot_scenario_paths(results), out / "comparison_paths", formats)
    return {"table": out / "comparison.csv", "figures": figs}
