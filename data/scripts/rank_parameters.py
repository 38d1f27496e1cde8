"""Rank the dataset's parameter groups by their effect on cost, Korea's imports and emissions.

Run from the repository root (a few minutes; it solves the model once per parameter group)::

    PYTHONPATH=. .venv/bin/python data/scripts/rank_parameters.py

and it rewrites ``docs/parameter_ranking.md``. Options: ``--scenario`` (default
``reference``, which carries the market-consistent economics tables), ``--step``
(default 0.2), ``--top`` (default 20), ``--out``.

Method (one-at-a-time, a local screening, not a global index):

* A *group* is one table and its main key: ``variable_cost``, ``investment_cost``,
  ``capacity``, ``reserves`` and the input coefficients of ``process_io`` per process;
  ``demand`` per (region, commodity); ``trade_cost``, ``reference_price`` and
  ``holding_cost`` per commodity; ``collection_rate`` per commodity; ``build_limit`` per
  (process, region); ``historical_inflow`` per commodity; the single-table economics
  parameters (``fixed_cost_share``, ``disposal_cost``, ``market_limit`` per commodity).
* Each group is scaled by ``1 + step`` (``1 - step`` for shares that cannot exceed one:
  collection rates) and the model is solved again: warm, in place, for the tables the
  persistent re-solver holds mutable (:class:`mfa.sweep.resolve.Resolver`), else by a
  rebuild. A build limit is the upper bound of the new-capacity columns, so its groups are
  re-solved warm by changing those bounds in the live HiGHS model; only groups where the
  base run builds up to the limit in some year are solved (a bound that does not bind has
  no local effect on an LP optimum).
* Environmental intensities do not enter the objective of this scenario (no carbon price),
  so a change moves emissions and nothing else: a group of ``emission_factor`` (per process),
  ``electricity_use`` (per process), ``grid_intensity`` (per region) or
  ``transport_emission`` changes emissions by ``step`` times the emissions it accounts for
  in the base run; no solve is needed.
* Outputs: the discounted total cost (the objective, USD), Korea's imports (shipments into
  KR over 2025-2050, in t of contained element: element commodities as they are, products
  through ``commodity_content``) and emissions (direct, electricity and transport, all
  regions, 2025-2050, t CO2e). Each group is ranked by the absolute change of each output.
* A group is marked ``sourced`` when all its rows in ``data/`` name a source, ``assumption``
  when all are assumptions, else ``mixed (a of n assumed)``; ``, sourced range`` is added when
  every assumed row's note gives a sourced range (issue 14).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import math
import sys
from pathlib import Path
from time import perf_counter
from types import MappingProxyType

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from mfa import pipeline  # noqa: E402
from mfa.config import Adjustment, load_model  # noqa: E402
from mfa.inputs.data import ModelData, apply_adjustments, load_data  # noqa: E402
from mfa.model.built import BuiltModel  # noqa: E402
from mfa.solve import read_solution, run_highs  # noqa: E402
from mfa.sweep.resolve import Resolver  # noqa: E402

MODEL = ROOT / "models" / "canada_korea.yaml"
PERSISTENT = {
    "variable_cost": ("process",),
    "investment_cost": ("process",),
    "capacity": ("process",),
    "reserves": ("process",),
    "process_io": ("process",),
    "demand": ("region", "commodity"),
    "trade_cost": ("commodity",),
    "reference_price": ("commodity",),
    "holding_cost": ("commodity",),
}
"""Tables changed in place (the re-solver holds them mutable) and their group keys."""
REBUILT = {
    "collection_rate": ("commodity",),
    "historical_inflow": ("commodity",),
    "fixed_cost_share": (),
    "disposal_cost": (),
    "market_limit": ("commodity",),
}
"""Tables changed by a rebuild (every group) and their group keys. Collection rates are
rebuilt: the ``treatment`` family cannot hold them mutable (it tests a product with them)."""
SHARES = {"collection_rate"}
"""Tables of shares at most one: scaled down instead of up."""
EMISSIONS = {
    "emission_factor": ("process", "direct"),
    "electricity_use": ("process", "electricity"),
    "grid_intensity": ("region", "electricity"),
    "transport_emission": ("", "transport"),
}
"""Intensities that move emissions only: (group key in the emissions table, scope)."""
OUTPUTS = {
    "cost": "discounted total cost (USD)",
    "kr_imports": "Korea's imports 2025-2050 (t contained element)",
    "emissions": "emissions 2025-2050, all regions (t CO2e)",
}


@dataclasses.dataclass
class Effect:
    """Change of the three outputs when one group is perturbed."""

    table: str
    key: str
    mode: str
    cost: float
    kr_imports: float
    emissions: float
    label: str = ""


def element_factor(data: ModelData) -> dict[str, float]:
    """t of contained element per model unit of each commodity (summed over elements)."""
    content = data.param("commodity_content")
    per = content.groupby(level="commodity").sum().to_dict() if len(content) else {}
    out = {}
    for c, row in data.commodities.iterrows():
        if c in per:
            out[str(c)] = float(per[c])
        elif str(row.get("element", "") or "") and row["unit"] == "t":
            out[str(c)] = 1.0
        else:
            out[str(c)] = 0.0
    return out


def emissions(built: BuiltModel, data: ModelData, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The ``emissions`` table (the environment family's footprint) of a solved run."""
    built = dataclasses.replace(built, data=data)
    for family in built.declared:
        if family.derived is not None:
            got = family.derived(built, tables)
            if "emissions" in got:
                return got["emissions"]
    raise RuntimeError("the model has no emissions table")


def outputs(tables: dict[str, pd.DataFrame], objective: float, factor: dict[str, float]) -> dict:
    """The three ranked outputs of one solved run (``tables`` with ``emissions``)."""
    trade = tables["trade"]
    kr = trade[trade["destination"] == "KR"]
    imports = float((kr["value"] * kr["commodity"].map(factor).fillna(0.0)).sum())
    return {
        "cost": objective,
        "kr_imports": imports,
        "emissions": float(tables["emissions"]["value"].sum()),
    }


def scaled(data: ModelData, table: str, where: dict, factor: float) -> ModelData:
    """``data`` with the rows of ``table`` selected by ``where`` scaled by ``factor``."""
    params = dict(data.params)
    adj = [Adjustment(table=table, where=where, scale=factor)]
    problems = apply_adjustments(params, adj, "rank_parameters")
    if problems:
        raise ValueError("; ".join(str(p) for p in problems))
    return dataclasses.replace(data, params=MappingProxyType(params))


def groups(series: pd.Series, keys: tuple[str, ...]) -> list[dict]:
    """The ``where`` selectors of the groups of a table (rows with a non-zero value)."""
    if not len(series):
        return []
    if not keys:
        return [{}]
    frame = series[series != 0].index.to_frame(index=False)
    if frame.empty:
        return []
    uniq = frame[list(keys)].drop_duplicates()
    return [
        dict(zip(keys, (str(v) for v in row), strict=True)) for row in uniq.itertuples(index=False)
    ]


def labels(table: str, where: dict) -> str:
    """sourced / assumption / mixed, from the rows of the table's CSV files in ``data/``."""
    rows: list[dict] = []
    for path in [ROOT / "data" / f"{table}.csv", ROOT / "data" / "policy" / f"{table}.csv"]:
        if path.is_file():
            with path.open(newline="", encoding="utf-8") as fh:
                rows += [
                    r
                    for r in csv.DictReader(fh)
                    if all(r.get(k) in (v, "*") for k, v in where.items())
                ]
    if table == "process_io":
        rows = [r for r in rows if r.get("direction") == "in"]
    if not rows:
        return "no row"
    assumed = [r for r in rows if r["source"].strip() == "assumption"]
    if not assumed:
        return "sourced"
    ranged = ", sourced range" if all("sourced range" in r["note"] for r in assumed) else ""
    if len(assumed) == len(rows):
        return f"assumption{ranged}"
    return f"mixed ({len(assumed)} of {len(rows)} assumed{ranged})"


def binding_build_limits(data: ModelData, tables: dict[str, pd.DataFrame]) -> list[dict]:
    """(process, region) whose new capacity reaches its build limit in some year."""
    limit = data.param("build_limit")
    new = tables["new_capacity"].set_index(["process", "region", "year"])["value"]
    both = pd.concat([limit.rename("limit"), new.rename("new")], axis=1, join="inner")
    hit = both[(both["limit"] > 0) & (both["new"] >= both["limit"] * (1 - 1e-6))]
    keys = hit.index.to_frame(index=False)[["process", "region"]].drop_duplicates()
    return [{"process": p, "region": r} for p, r in keys.itertuples(index=False)]


def solve_with_bounds(resolver: Resolver, sample: ModelData, where: dict, factor: float):
    """Re-solve warm with the new-capacity upper bounds of ``where`` scaled by ``factor``
    (the build limit), then put the bounds back. Returns ``(tables, objective)``."""
    m, h, form = resolver.m, resolver.h, resolver.form
    keys = [
        k
        for k in resolver.base_index.new_capacity
        if k[0] == where["process"] and k[1] == where["region"]
    ]
    cols = np.array([form.column_of[id(m.new_capacity[k])] for k in keys], dtype=np.int32)
    lower = np.asarray(form.lp.col_lower_, dtype=float)[cols]
    upper = np.asarray(form.lp.col_upper_, dtype=float)[cols]
    h.changeColsBounds(len(cols), cols, lower, upper * factor)
    try:
        if resolver.basis is not None:
            h.setBasis(resolver.basis)
        run_highs(h)
        status = h.modelStatusToString(h.getModelStatus())
        if status != "Optimal":
            raise RuntimeError(f"build_limit {where}: {status}")
        sol = read_solution(h, form)
        built = dataclasses.replace(resolver.built, data=sample)
        tables, _ = pipeline.tables(built, sol, full=False)
        return tables, sol.objective
    finally:
        h.changeColsBounds(len(cols), cols, lower, upper)


def rank(
    scenario: str,
    step: float,
    log=print,
    partial: Path | None = None,
    only: set[str] | None = None,
) -> tuple[list[Effect], dict, float]:
    """Perturb every group; return the effects, the base outputs and the seconds taken."""
    start = perf_counter()
    cfg = load_model(MODEL, scenario)
    data = load_data(cfg)
    factor = element_factor(data)
    resolver = Resolver(data, list(PERSISTENT))
    base_out = resolver.solve(data)
    if base_out.tables is None:
        raise RuntimeError(f"base run not optimal: {base_out.status} {base_out.reason}")
    base_tables = {**base_out.tables, "emissions": emissions(resolver.built, data, base_out.tables)}
    base = outputs(base_tables, base_out.objective, factor)
    log(f"base: {base} ({perf_counter() - start:.0f} s)")
    effects: list[Effect] = []

    def save() -> None:
        if partial is not None:
            partial.write_text(markdown(effects, base, scenario, step, 20, perf_counter() - start))

    def run(table: str, where: dict, rebuild: bool, bounds: bool = False) -> None:
        f = 1 - step if table in SHARES else 1 + step
        sample = scaled(data, table, where, f)
        key = ", ".join(f"{v}" for v in where.values()) or "all"
        try:
            if bounds:
                tables, objective = solve_with_bounds(resolver, sample, where, f)
                built, mode = resolver.built, "bounds"
            elif rebuild:
                compiled, sol = pipeline.build_and_solve(sample)
                built, objective, mode = compiled.built, sol.objective, "rebuild"
                tables, _ = pipeline.tables(
                    dataclasses.replace(built, data=sample), sol, full=False
                )
            else:
                out = resolver.solve(sample)
                if out.tables is None:
                    raise RuntimeError(f"{out.status}: {out.reason[:200]}")
                built, objective, mode, tables = resolver.built, out.objective, out.mode, out.tables
        except Exception as err:  # a group that does not solve is listed, not fatal
            log(f"{table} {key}: {type(err).__name__} {str(err)[:200]}")
            effects.append(
                Effect(table, key, "failed", math.nan, math.nan, math.nan, labels(table, where))
            )
            return
        got = outputs({**tables, "emissions": emissions(built, sample, tables)}, objective, factor)
        effects.append(
            Effect(table, key, mode, *(got[k] - base[k] for k in OUTPUTS), labels(table, where))
        )

    wanted = (lambda t: True) if not only else (lambda t: t in only)
    for table, keys in PERSISTENT.items():
        if not wanted(table):
            continue
        series = data.param(table)
        if table == "process_io":
            series = series[series.index.get_level_values("direction") == "in"]
        for where in groups(series, keys):
            if table == "process_io":
                where = {**where, "direction": "in"}
            run(table, where, rebuild=False)
        log(f"{table}: done ({perf_counter() - start:.0f} s)")
        save()
    resolver.solve(data)  # every mutable table back to its base values
    for where in binding_build_limits(data, base_out.tables) if wanted("build_limit") else []:
        run("build_limit", where, rebuild=False, bounds=True)
    log(f"build_limit: done ({perf_counter() - start:.0f} s)")
    save()
    for table, keys in REBUILT.items():
        if not wanted(table):
            continue
        for where in groups(data.param(table), keys):
            run(table, where, rebuild=True)
        log(f"{table}: done ({perf_counter() - start:.0f} s)")
        save()
    em = base_tables["emissions"]
    for table, (key, scope) in EMISSIONS.items():
        part = em[em["scope"] == scope]
        sums = part.groupby(key)["value"].sum() if key else pd.Series({"all": part["value"].sum()})
        for name, total in sums.items():
            where = {key: str(name)} if key else {}
            effects.append(
                Effect(
                    table,
                    str(name),
                    "analytic",
                    0.0,
                    0.0,
                    step * float(total),
                    labels(table, where),
                )
            )
    return effects, base, perf_counter() - start


def markdown(
    effects: list[Effect], base: dict, scenario: str, step: float, top: int, secs: float
) -> str:
    """The ranking as a Markdown page."""
    frame = pd.DataFrame([dataclasses.asdict(e) for e in effects])
    lines = [
        "# Which parameters matter: a one-at-a-time ranking",
        "",
        "Made by `data/scripts/rank_parameters.py` (its docstring gives the method);",
        "regenerate with",
        "`PYTHONPATH=. .venv/bin/python data/scripts/rank_parameters.py`. Scenario "
        f"`{scenario}`, each group scaled by {1 + step:g} (collection rates by {1 - step:g});",
        f"{len(frame)} groups, {secs / 60:.0f} min. Base run: discounted cost "
        f"{base['cost'] / 1e9:.2f} bn USD, Korea's imports {base['kr_imports'] / 1e6:.2f} Mt of "
        f"contained element (2025-2050), emissions {base['emissions'] / 1e6:.1f} Mt CO2e.",
        "",
        "`source` is `sourced` when every row of the group in `data/` names an id of",
        "`data/sources.csv`, `assumption` when none does; `, sourced range` when every assumed",
        "row's note gives a sourced range. Mode: `persistent` (warm re-solve),",
        "`bounds` (build limit: warm re-solve with new column bounds), `rebuild`, or `analytic`",
        "(an intensity that only moves emissions).",
        "",
    ]
    failed = frame[frame["cost"].isna()]
    for out, title in OUTPUTS.items():
        part = frame.dropna(subset=[out]).assign(size=lambda f, o=out: f[o].abs())
        part = part[part["size"] > 0].sort_values("size", ascending=False).head(top)
        lines += [
            f"## {title}",
            "",
            "| rank | table | group | change | share of base | mode | source |",
            "|---:|---|---|---:|---:|---|---|",
        ]
        for i, row in enumerate(part.itertuples(), 1):
            rel = row.__getattribute__(out) / base[out] if base[out] else math.nan
            lines.append(
                f"| {i} | {row.table} | {row.key} | {row.__getattribute__(out):.4g} | {rel:+.3%} "
                f"| {row.mode} | {row.label} |"
            )
        lines.append("")
    if len(failed):
        lines += ["## Groups whose perturbed run did not solve", ""]
        lines += [f"* {r.table} {r.key}" for r in failed.itertuples()]
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="reference")
    ap.add_argument("--step", type=float, default=0.2)
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "parameter_ranking.md")
    ap.add_argument("--tables", nargs="*", help="rank only these tables (a quick check)")
    args = ap.parse_args()
    partial = args.out.with_name(args.out.stem + ".partial.md")
    only = set(args.tables) if args.tables else None
    effects, base, secs = rank(args.scenario, args.step, partial=partial, only=only)
    partial.unlink(missing_ok=True)
    args.out.write_text(markdown(effects, base, args.scenario, args.step, args.top, secs) + "\n")
    print(f"wrote {args.out} ({secs:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
