"""Report tables: the headline summary, CSV export of every result table, and one Excel
workbook (a sheet per table plus a ``sources`` sheet) that reads back to the same tables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mfa.escape import excel_row, markdown
from mfa.report.element import (
    TablesLike,
    get_meta,
    get_tables,
    supply_table,
    table,
)
from mfa.report.style import scale_unit

KEY_YEARS: tuple[int, ...] = (2030, 2040, 2050)
DEFAULT_DISCOUNT_RATE = 0.05
SUMMARY_COLUMNS = ["indicator", "region", "element", "period", "value", "unit"]
_INDEX_SHEET = "_tables"
_EXCEL_MAX_ROWS = 1_048_575  # one row for the header


def _elements(tables: TablesLike) -> list[str]:
    meta = get_meta(tables)
    if meta.get("elements"):
        return list(meta["elements"])
    com = table(tables, "commodities")
    if com.empty:
        return []
    els = [str(e) for e in com["element"].dropna().unique() if str(e) not in ("multi", "")]
    return els


def _focus_regions(tables: TablesLike) -> list[str]:
    meta = get_meta(tables)
    if meta.get("focus_regions"):
        return list(meta["focus_regions"])
    seen: set[str] = set()
    for name in ("flows", "demand", "trade"):
        t = table(tables, name)
        for c in ("region", "destination"):
            if c in t:
                seen.update(t[c].astype(str))
    return [r for r in ("CA", "KR") if r in seen] or sorted(seen)


def discounted_cost(
    tables: TablesLike, discount_rate: float | None = None, base_year: int | None = None
) -> tuple[float, float, int]:
    """Total cost discounted to the base year.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``costs`` (component, region, year, value, unit: USD,
        undiscounted).
    discount_rate
        Annual rate; default ``meta["discount_rate"]`` or 5 %.
    base_year
        Year of the present value; default ``meta["base_year"]`` or the first year.

    Returns
    -------
    tuple
        (present value in USD, rate used, base year used).
    """
    meta = get_meta(tables)
    costs = table(tables, "costs")
    rate = float(
        discount_rate
        if discount_rate is not None
        else meta.get("discount_rate", DEFAULT_DISCOUNT_RATE)
    )
    if costs.empty:
        return 0.0, rate, int(base_year or 0)
    years = costs["year"].astype(int)
    base = int(base_year if base_year is not None else meta.get("base_year", years.min()))
    factor = (1.0 + rate) ** -(years - base).astype(float)
    return float((costs["value"].astype(float) * factor).sum()), rate, base


def headline_summary(
    tables: TablesLike,
    years: Sequence[int] = KEY_YEARS,
    regions: Sequence[str] | None = None,
    elements: Sequence[str] | None = None,
    discount_rate: float | None = None,
) -> pd.DataFrame:
    """Headline numbers of a run: cost, emissions, import dependency and recycled share.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables (uses ``costs``, ``emissions``, ``unmet``, ``flows``,
        ``trade``, and ``indicators`` when present).
    years
        Key years (those not in the results are skipped).
    regions
        Regions for dependency and recycled share (default ``meta["focus_regions"]`` or those
        of CA and KR present).
    elements
        Elements (default: ``meta["elements"]`` or every single element in ``commodities``).
    discount_rate
        See :func:`discounted_cost`.

    Returns
    -------
    pandas.DataFrame
        Columns ``indicator, region, element, period, value, unit``; ``period`` is a year
        (as text) or ``"first-last"`` for totals; ``region``/``element`` are ``"all"``
        where not applicable.
    """
    rows: list[tuple[str, str, str, str, float, str]] = []
    costs = table(tables, "costs")
    all_years: list[int] = sorted(
        {
            int(y)
            for name in ("costs", "flows", "emissions", "demand")
            for y in table(tables, name).get("year", [])
        }
    )
    key = [y for y in years if y in all_years]
    span = f"{all_years[0]}-{all_years[-1]}" if all_years else "all"
    if not costs.empty:
        pv, rate, base = discounted_cost(tables, discount_rate)
        rows.append(
            (
                "total_cost_discounted",
                "all",
                "all",
                span,
                pv,
                f"USD ({rate:.0%} discount rate, base {base})",
            )
        )
        by_year = costs.groupby(costs["year"].astype(int))["value"].sum()
        rows += [
            ("annual_cost", "all", "all", str(y), float(by_year.get(y, 0.0)), "USD") for y in key
        ]
    em = table(tables, "emissions")
    if not em.empty:
        by_year = em.groupby(em["year"].astype(int))["value"].sum()
        rows.append(("emissions_cumulative", "all", "all", span, float(by_year.sum()), "tCO2e"))
        rows += [
            ("emissions", "all", "all", str(y), float(by_year.get(y, 0.0)), "tCO2e") for y in key
        ]
    unmet = table(tables, "unmet")
    if not unmet.empty and float(unmet["value"].abs().sum()) > 0:
        for (c, u), g in unmet.groupby(["commodity", "unit"]):
            by_year = g.groupby(g["year"].astype(int))["value"].sum()
            rows += [
                ("unmet_demand", "all", str(c), str(y), float(by_year.get(y, 0.0)), str(u))
                for y in key
            ]
    regs = list(regions) if regions is not None else _focus_regions(tables)
    els = list(elements) if elements is not None else _elements(tables)
    ind = table(tables, "indicators")
    for el in els:
        sup = supply_table(tables, el, regs)
        for r in regs:
            s = sup[sup["region"] == r]
            for y in key:
                sy = s[s["year"].astype(int) == y]
                total = float(sy["value"].sum())
                dep = _from_indicators(ind, "import_dependency", r, el, y)
                if dep is None and total > 0:
                    dep = float(sy[~sy["source"].isin([r, "recycled"])]["value"].sum()) / total
                rec = _from_indicators(ind, "recycled_input_share", r, el, y)
                if rec is None and total > 0:
                    rec = float(sy[sy["type"] == "secondary"]["value"].sum()) / total
                if total > 0:
                    rows.append(("supply", r, el, str(y), total, "t"))
                if dep is not None:
                    rows.append(("import_dependency", r, el, str(y), dep, "fraction"))
                if rec is not None:
                    rows.append(("recycled_share", r, el, str(y), rec, "fraction"))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def _from_indicators(
    ind: pd.DataFrame, name: str, region: str, element: str, year: int
) -> float | None:
    if ind.empty:
        return None
    m = ind[
        (ind["indicator"] == name)
        & (ind["region"] == region)
        & (ind["element"] == element)
        & (ind["year"].astype(int) == year)
    ]
    return float(m["value"].iloc[0]) if len(m) else None


def summary_markdown(summary: pd.DataFrame, meta: Mapping[str, Any] | None = None) -> str:
    """The headline summary as a Markdown document (for ``summary.md``).

    Parameters
    ----------
    summary
        Output of :func:`headline_summary`.
    meta
        Run metadata; ``scenario``, ``model``, ``data_version``, ``solver`` and
        ``objective`` are shown when present.

    Returns
    -------
    str
    """
    meta = dict(meta or {})
    lines = ["# Results summary", ""]
    lines += [f"- **{name}**: {markdown(text)}" for name, text in _run_facts(meta)]
    if len(lines) > 2:
        lines.append("")
    explained = meta.get("unmet_explained")
    if explained:
        lines += [f"**Unmet demand.** {markdown(explained['summary'])}", ""]
    lines += [
        "| indicator | region | element | period | value | unit |",
        "|---|---|---|---|---:|---|",
    ]
    for r in summary.itertuples(index=False):
        v = float(r.value)
        if r.unit == "fraction":
            text, unit = f"{100 * v:.1f}", "%"
        else:
            text, unit = (f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"), str(r.unit)
        lines.append(
            f"| {markdown(r.indicator.replace('_', ' '))} | {markdown(r.region)} | "
            f"{markdown(r.element)} | {markdown(r.period)} | {text} | {markdown(unit)} |"
        )
    return "\n".join(lines) + "\n"


def _run_facts(meta: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The run's identity and solver facts as (name, text) pairs for ``summary.md``."""
    facts: list[tuple[str, str]] = []
    for key in ("model", "scenario", "model_file"):
        if meta.get(key):
            facts.append((key.replace("_", " "), str(meta[key])))
    if meta.get("data_version"):
        facts.append(("data version", str(meta["data_version"])))
    elif meta.get("data_hash"):
        facts.append(("data version", f"sha256 {str(meta['data_hash'])[:12]} of the input tables"))
    solver = meta.get("solver")
    if isinstance(solver, Mapping):
        text = f"HiGHS {solver.get('highs_version', '?')} ({solver.get('solver', '?')})"
        iters = [
            f"{solver[k]} {k.split('_')[0].replace('ipm', 'IPM')} iterations"
            for k in ("ipm_iterations", "crossover_iterations", "simplex_iterations")
            if solver.get(k)
        ]
        if iters:
            text += ", " + ", ".join(iters)
        if "max_primal_infeasibility" in solver:
            text += f", max primal infeasibility {float(solver['max_primal_infeasibility']):.1g}"
        if solver.get("fallback"):
            text += f" ({solver['fallback']})"
        facts.append(("solver", text))
    elif solver:
        facts.append(("solver", str(solver)))
    if meta.get("status"):
        facts.append(("status", str(meta["status"])))
    if meta.get("objective") is not None:
        value = float(meta["objective"])
        divisor, unit = scale_unit(abs(value), "USD")
        basis = str(meta.get("objective_unit", "USD")).removeprefix("USD").strip()
        facts.append(("objective", f"{value / divisor:,.4g} {unit} {basis}".strip()))
    checks = [
        f"{name} {float(meta[key]):.1g}"
        for key, name in (
            ("max_balance_residual", "largest relative balance residual"),
            ("cost_reconciliation", "cost vs objective gap"),
        )
        if key in meta
    ]
    if checks:
        facts.append(("checks", "; ".join(checks)))
    versions = meta.get("versions")
    if isinstance(versions, Mapping) and versions.get("mfa"):
        facts.append(("mfa version", str(versions["mfa"])))
    if meta.get("created"):
        facts.append(("created", str(meta["created"])))
    return facts


def export_csv(
    tables: TablesLike, directory: str | Path, names: Iterable[str] | None = None
) -> list[Path]:
    """Write every result table to ``DIRECTORY/<name>.csv``.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    directory
        Output folder (created).
    names
        Tables to write (default all).

    Returns
    -------
    list of pathlib.Path
        Files written.
    """
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    tabs = get_tables(tables)
    for name in names if names is not None else sorted(tabs):
        df = tabs[name]
        if not isinstance(df, pd.DataFrame):
            continue
        path = out / f"{name}.csv"
        df.to_csv(path, index=False)
        written.append(path)
    return written


def _sheet_names(names: Iterable[str]) -> dict[str, str]:
    used: set[str] = {_INDEX_SHEET.lower(), "sources", "meta"}
    out = {}
    for n in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", n)[:28] or "table"
        cand, i = base, 2
        while cand.lower() in used:
            cand, i = f"{base[:26]}~{i}", i + 1
        used.add(cand.lower())
        out[n] = cand
    return out


def write_workbook(
    tables: TablesLike,
    path: str | Path,
    sources: pd.DataFrame | None = None,
    meta: Mapping[str, Any] | None = None,
) -> Path:
    """Write one Excel workbook: a sheet per table, a ``sources`` sheet and a ``meta`` sheet.

    A hidden-in-plain-sight ``_tables`` sheet records, for every table, its sheets and the
    dtype of every column, so that :func:`read_workbook` gives back the same DataFrames.
    Tables longer than an Excel sheet are split over several sheets.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    path
        Output ``.xlsx`` file.
    sources
        Bibliography table (e.g. ``data/sources.csv``) for the ``sources`` sheet.
    meta
        Run metadata for the ``meta`` sheet (default: ``tables.meta`` when present).

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tabs = {k: v for k, v in get_tables(tables).items() if isinstance(v, pd.DataFrame)}
    meta = dict(meta if meta is not None else get_meta(tables))
    names = _sheet_names(tabs)
    index_rows = []
    tmp = path.with_name(path.name + ".tmp")
    from openpyxl import Workbook

    wb = Workbook(write_only=True)  # streaming writer: about ten times faster than cell by cell
    for name, df in tabs.items():
        chunks = max(int(np.ceil(len(df) / _EXCEL_MAX_ROWS)), 1)
        for k in range(chunks):
            sheet = names[name] if k == 0 else f"{names[name][:26]}#{k + 1}"
            part = df.iloc[k * _EXCEL_MAX_ROWS : (k + 1) * _EXCEL_MAX_ROWS]
            _append_frame(wb.create_sheet(sheet), part)
            for col in df.columns:
                index_rows.append(
                    {
                        "table": name,
                        "sheet": sheet,
                        "part": k + 1,
                        "column": str(col),
                        "dtype": str(df[col].dtype),
                        "has_na": bool(df[col].isna().any()),
                    }
                )
            if not len(df.columns):
                index_rows.append(
                    {
                        "table": name,
                        "sheet": sheet,
                        "part": k + 1,
                        "column": "",
                        "dtype": "",
                        "has_na": False,
                    }
                )
    src = sources if sources is not None else pd.DataFrame({"note": ["no sources table was given"]})
    _append_frame(wb.create_sheet("sources"), src)
    _append_frame(
        wb.create_sheet("meta"),
        pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]}),
    )
    _append_frame(
        wb.create_sheet(_INDEX_SHEET),
        pd.DataFrame(index_rows, columns=["table", "sheet", "part", "column", "dtype", "has_na"]),
    )
    wb.save(tmp)
    tmp.replace(path)
    return path


def _cell(v: Any) -> Any:
    """A value openpyxl can write: Python scalars, ``None`` for missing values."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, float) and np.isnan(v):
        return None
    if isinstance(v, np.generic):
        v = v.item()
        return None if isinstance(v, float) and np.isnan(v) else v
    if isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    return str(v)


def _append_frame(ws: Any, df: pd.DataFrame) -> None:
    """Write a DataFrame (header row, then values) into a write-only worksheet."""
    ws.append(excel_row(ws, [str(c) for c in df.columns]))
    if df.empty:
        return
    simple = all(
        df[c].dtype.kind in "biuf" or str(df[c].dtype) in ("str", "string", "object")
        for c in df.columns
    )
    if simple:  # fast path: numpy converts to Python scalars, missing values become None
        values = df.astype(object).where(df.notna(), None).to_numpy().tolist()
        for row in values:
            ws.append(excel_row(ws, [None if isinstance(v, float) and v != v else v for v in row]))
        return
    for row in df.itertuples(index=False, name=None):
        ws.append(excel_row(ws, [_cell(v) for v in row]))


def read_workbook(path: str | Path, include_sources: bool = False) -> dict[str, pd.DataFrame]:
    """Read a workbook written by :func:`write_workbook` back into tables.

    Parameters
    ----------
    path
        The ``.xlsx`` file.
    include_sources
        Also return the ``sources`` sheet (under the key ``"sources"``).

    Returns
    -------
    dict
        Table name to DataFrame, with the original column order and dtypes.
    """
    path = Path(path)
    index = pd.read_excel(path, sheet_name=_INDEX_SHEET, dtype={"column": str, "dtype": str})
    index["column"] = index["column"].fillna("")
    out: dict[str, pd.DataFrame] = {}
    for name, g in index.groupby("table", sort=False):
        cols = g[g["part"] == 1]
        cols = cols[cols["column"] != ""]
        parts = []
        for sheet in dict.fromkeys(g["sheet"]):
            parts.append(pd.read_excel(path, sheet_name=sheet, dtype=object))
        df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        df = df.reindex(columns=list(cols["column"]))
        for col, dtype, has_na in zip(cols["column"], cols["dtype"], cols["has_na"], strict=True):
            df[col] = _restore(df[col], str(dtype), bool(has_na))
        out[str(name)] = df
    if include_sources:
        out["sources"] = pd.read_excel(path, sheet_name="sources")
    return out


def _restore(s: pd.Series, dtype: str, has_na: bool) -> pd.Series:
    if dtype in ("object", "str", "string") or dtype.startswith("string"):
        if not has_na:
            s = s.where(s.notna(), "")
        s = s.map(lambda v: v if v is None or (isinstance(v, float) and np.isnan(v)) else str(v))
        return s.astype(dtype) if dtype != "object" else s.astype(object)
    if dtype == "bool":
        return s.map(lambda v: str(v).strip().lower() in ("true", "1")).astype(bool)
    if dtype.startswith("datetime"):
        return pd.to_datetime(s).astype(dtype)
    try:
        return pd.to_numeric(s).astype(dtype)
    except (TypeError, ValueError):
        return s.astype(dtype)
