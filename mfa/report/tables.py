"""Report tables: the headline summary, CSV export of every result table, and one Excel
workbook (a sheet per table plus a ``sources`` sheet) that reads back to the same tables."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from mfa.escape import markdown
from mfa.report.element import TablesLike, get_meta, get_tables, table
from mfa.report.style import scale_unit

KEY_YEARS: tuple[int, ...] = (2030, 2040, 2050)
DEFAULT_DISCOUNT_RATE = 0.05
SUMMARY_COLUMNS = ["indicator", "region", "element", "period", "value", "unit"]
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


SHARE_UNIT = "share"
"""The one word and scale for shares in every report table, sheet and figure: ``share``, a
number between 0 and 1 (the unit of the model's ``indicators`` table)."""

HEADLINE_INDICATORS: tuple[str, ...] = (
    "supply",
    "import_dependency",
    "largest_supplier_share",
    "secondary_supply_share",
    "recycled_input_rate",
)
"""Indicators of the ``indicators`` table that the headline summary shows, per region,
element and key year."""


def key_years(tables: TablesLike, years: Sequence[int] = KEY_YEARS) -> list[int]:
    """The key years present in the results (the last year when none of them is)."""
    all_years = sorted(
        {
            int(y)
            for name in ("costs", "flows", "emissions", "demand", "indicators")
            for y in table(tables, name).get("year", [])
        }
    )
    return [y for y in years if y in all_years] or all_years[-1:]


def headline_summary(
    tables: TablesLike,
    years: Sequence[int] = KEY_YEARS,
    regions: Sequence[str] | None = None,
    elements: Sequence[str] | None = None,
    discount_rate: float | None = None,
) -> pd.DataFrame:
    """Headline numbers of a run: cost, emissions, unmet demand and, per region and element,
    the supply indicators of the model's ``indicators`` table.

    Nothing is recomputed: supply, import dependency, largest-supplier share, secondary
    supply share and recycled input rate are read from ``indicators`` (shares 0-1, unit
    ``share``); a region and element with no supply in a year get no rows.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables (``costs``, ``emissions``, ``unmet``,
        ``indicators``).
    years
        Key years (those not in the results are skipped; the last year when none is there).
    regions
        Regions (default ``meta["focus_regions"]`` or CA and KR when present).
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
    key = key_years(tables, years)
    all_years = sorted({int(y) for y in table(tables, "costs").get("year", [])}) or key
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
                if float(by_year.get(y, 0.0)) > 0
            ]
    regs = list(regions) if regions is not None else _focus_regions(tables)
    els = list(elements) if elements is not None else _elements(tables)
    ind = table(tables, "indicators")
    if not ind.empty:
        sel = ind[
            ind["indicator"].isin(HEADLINE_INDICATORS)
            & ind["region"].isin(regs)
            & ind["element"].isin(els)
            & ind["year"].astype(int).isin(key)
        ]
        value = sel.set_index(["indicator", "region", "element", "year"])["value"]
        unit = sel.set_index(["indicator", "region", "element", "year"])["unit"]
        for el in els:
            for r in regs:
                for y in key:
                    if float(value.get(("supply", r, el, y), 0.0)) <= 0:
                        continue
                    for name in HEADLINE_INDICATORS:
                        if (name, r, el, y) in value.index:
                            u = str(unit[(name, r, el, y)])
                            rows.append((name, r, el, str(y), float(value[(name, r, el, y)]), u))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def findings(summary: pd.DataFrame) -> list[str]:
    """What the headline numbers say, as sentences (Markdown), every number from ``summary``.

    One sentence on cost, one on unmet demand when there is any, and per region and element
    in the last key year: supply, import dependency, largest supplier share and the share
    recycled within the region.
    """
    out = []
    cost = summary[summary["indicator"] == "total_cost_discounted"]
    if len(cost):
        c = cost.iloc[0]
        divisor, unit = scale_unit(abs(float(c["value"])), "USD")
        basis = str(c["unit"]).removeprefix("USD").strip()
        out.append(
            f"The system costs {float(c['value']) / divisor:,.4g} {unit} {basis} over "
            f"{c['period']}."
        )
    unmet = summary[summary["indicator"] == "unmet_demand"]
    if len(unmet):
        names = ", ".join(sorted(set(unmet["element"])))
        out.append(f"Demand is left unmet for {names} (see the headline table).")
    per = summary[summary["region"] != "all"]
    if not per.empty:
        last = max(per["period"], key=int)
        at = per[per["period"] == last].set_index(["indicator", "region", "element"])["value"]
        for r, el in dict.fromkeys(zip(per["region"], per["element"], strict=True)):
            if ("supply", r, el) not in at.index:
                continue
            divisor, unit = scale_unit(float(at[("supply", r, el)]), "t")
            parts = [
                f"In {last}, {r} draws {float(at[('supply', r, el)]) / divisor:,.3g} {unit} {el}"
            ]
            words = {
                "import_dependency": "import dependency",
                "largest_supplier_share": "largest supplier",
                "secondary_supply_share": "recycled within the region",
            }
            shares = [
                f"{w} {float(at[(k, r, el)]):.2f}"
                for k, w in words.items()
                if (k, r, el) in at.index
            ]
            out.append(
                parts[0] + (" (" + "; ".join(shares) + ", shares 0-1)" if shares else "") + "."
            )
    return out


def summary_markdown(
    summary: pd.DataFrame,
    meta: Mapping[str, Any] | None = None,
    figures: Mapping[str, str] | None = None,
) -> str:
    """The headline summary as a Markdown document (for ``summary.md``): findings first, then
    links to the figures, the run's provenance and the headline table.

    Parameters
    ----------
    summary
        Output of :func:`headline_summary`.
    meta
        Run metadata; ``scenario``, ``model``, ``data_version``, ``solver`` and
        ``objective`` are shown when present.
    figures
        Figure file (relative to the document) to its caption.

    Returns
    -------
    str
    """
    meta = dict(meta or {})
    title = " · ".join(markdown(meta[k]) for k in ("model", "scenario") if meta.get(k))
    lines = [f"# Results summary{': ' + title if title else ''}", "", "## Findings", ""]
    lines += [f"- {markdown(text)}" for text in findings(summary)] or ["- No headline numbers."]
    explained = meta.get("unmet_explained")
    if explained:
        lines += ["", f"**Unmet demand.** {markdown(explained['summary'])}"]
    if figures:
        lines += ["", "## Figures", ""]
        lines += [f"- [{caption}]({path})" for path, caption in figures.items()]
    lines += ["", "## Run", ""]
    lines += [f"- **{name}**: {markdown(text)}" for name, text in _run_facts(meta)]
    lines += [
        "",
        "## Headline numbers",
        "",
        f"Shares are written as a {SHARE_UNIT} between 0 and 1.",
        "",
        "| indicator | region | element | period | value | unit |",
        "|---|---|---|---|---:|---|",
    ]
    for r in summary.itertuples(index=False):
        v = float(r.value)
        if r.unit == SHARE_UNIT:
            text = f"{v:.3f}"
        else:
            text = f"{v:,.4g}" if abs(v) < 1e4 else f"{v:,.0f}"
        lines.append(
            f"| {markdown(r.indicator.replace('_', ' '))} | {markdown(r.region)} | "
            f"{markdown(r.element)} | {markdown(r.period)} | {text} | {markdown(r.unit)} |"
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
    """Excel sheet names (31 characters at most, unique, no forbidden characters)."""
    used: set[str] = {"readme", "headline", "sources", "meta"}
    out = {}
    for n in names:
        base = re.sub(r"[\[\]:*?/\\]", "_", n)[:28] or "table"
        cand, i = base, 2
        while cand.lower() in used:
            cand, i = f"{base[:26]}~{i}", i + 1
        used.add(cand.lower())
        out[n] = cand
    return out


def _without_zero_rows(df: pd.DataFrame) -> pd.DataFrame:
    """A result table without the rows whose ``value`` is zero (set tables unchanged)."""
    if "value" not in df or df.empty or df["value"].dtype.kind not in "iuf":
        return df
    return df[df["value"].to_numpy() != 0].reset_index(drop=True)


def _readme(meta: Mapping[str, Any], sheets: Mapping[str, str]) -> pd.DataFrame:
    """The README sheet: what the workbook holds, its units and conventions."""
    rows = [
        ("Workbook", "Results of one mfa run: the headline numbers, then one sheet per table."),
        ("Run", " · ".join(str(meta[k]) for k in ("model", "scenario") if meta.get(k)) or "-"),
        (
            "Units",
            "Each row carries its unit in the unit column. Element quantities are tonnes "
            "(t) of contained element; products in their own unit (GWh, t); money in USD "
            "(undiscounted unless the unit says otherwise).",
        ),
        ("Shares", f"Every share is a {SHARE_UNIT} between 0 and 1 (0.48 is 48 %)."),
        (
            "Zero rows",
            "Rows whose value is zero are left out of the table sheets; the CSV "
            "tables in tables/ keep every row.",
        ),
        ("headline", "Headline numbers (see summary.md for the findings in words)."),
    ]
    rows += [(sheet, f"result table {name}") for name, sheet in sheets.items()]
    rows += [("sources", "Bibliography of the input data"), ("meta", "Run metadata")]
    return pd.DataFrame(rows, columns=["item", "description"])


def write_workbook(
    tables: TablesLike,
    path: str | Path,
    sources: pd.DataFrame | None = None,
    meta: Mapping[str, Any] | None = None,
    summary: pd.DataFrame | None = None,
) -> Path:
    """Write one Excel workbook for people: ``README`` and ``headline`` first, then one sheet per
    result table (rows with a zero value left out), ``sources`` once and ``meta``.

    Every sheet has a frozen header row and filters; numbers show with thousands separators
    and three decimals at most (the cells hold full precision).

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables.
    path
        Output ``.xlsx`` file.
    sources
        Bibliography table (default: the results' ``sources`` table).
    meta
        Run metadata for the ``meta`` sheet (default: ``tables.meta`` when present).
    summary
        Headline numbers (default: :func:`headline_summary` of ``tables``).

    Returns
    -------
    pathlib.Path
    """
    import xlsxwriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tabs = {
        k: v
        for k, v in get_tables(tables).items()
        if isinstance(v, pd.DataFrame) and k != "sources"
    }
    if sources is None:
        sources = get_tables(tables).get("sources")
    meta = dict(meta if meta is not None else get_meta(tables))
    if summary is None:
        summary = headline_summary(tables)
    names = _sheet_names(tabs)
    tmp = path.with_name(path.name + ".tmp")
    wb = xlsxwriter.Workbook(
        str(tmp),
        {
            "constant_memory": True,
            "nan_inf_to_errors": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    formats = {
        "header": wb.add_format({"bold": True, "bg_color": "#E6E6E6", "bottom": 1}),
        "number": wb.add_format({"num_format": "#,##0.###"}),
        "text": wb.add_format({"text_wrap": False}),
    }
    sheets: list[tuple[str, pd.DataFrame]] = [
        ("README", _readme(meta, names)),
        ("headline", summary),
    ]
    sheets += [(names[n], _without_zero_rows(df)) for n, df in tabs.items()]
    if sources is not None:
        sheets.append(("sources", sources))
    sheets.append(
        ("meta", pd.DataFrame({"key": list(meta), "value": [str(v) for v in meta.values()]}))
    )
    for sheet, df in sheets:
        _write_sheet(wb.add_worksheet(sheet), df, formats)
    wb.close()
    tmp.replace(path)
    return path


def _write_sheet(ws: Any, df: pd.DataFrame, formats: Mapping[str, Any]) -> None:
    """One table on one sheet: bold header, frozen, with filters, numbers formatted."""
    df = df.iloc[:_EXCEL_MAX_ROWS]
    ws.freeze_panes(1, 0)
    for j, col in enumerate(df.columns):
        ws.write_string(0, j, str(col), formats["header"])
        numeric = df[col].dtype.kind in "iuf"
        width = max([len(str(col))] + [len(str(v)) for v in df[col].head(200)]) + 2
        ws.set_column(j, j, min(width, 60), formats["number"] if numeric else None)
    if len(df.columns):
        ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    values = df.astype(object).where(df.notna(), None).to_numpy().tolist()
    for i, row in enumerate(values, start=1):
        ws.write_row(i, 0, row)
