"""Results: tidy tables of a solved model, checks, and saving/loading.

Every table has one column per dimension, then ``value`` and ``unit``. The
tables are read from the solution arrays by precomputed positions (no walk
over Pyomo variables), then checked: every commodity balance is recomputed
from the tables and must close to 1e-6 relative, no variable is negative
beyond the solver tolerance, and the cost table, discounted, must add up to
the objective.

``Results.save`` writes Parquet tables and ``summary.json`` into a temporary
folder next to the target and renames it into place only when complete, so an
interrupted or failed run never leaves a half-written folder and never
destroys earlier results.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd
from pyomo.common.gc_manager import PauseGC

from mfa import calibration, indicators, manifest, origin
from mfa.errors import CheckError, OutputError, ResultsExistError
from mfa.forked import Forked, spare_core
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Row, tidy
from mfa.model.supply import supply_table
from mfa.model.values import number
from mfa.paths import check_output
from mfa.solve import Solution

BALANCE_TOLERANCE = 1e-6
"""Largest relative residual of a commodity balance accepted after a solve."""
NEGATIVE_TOLERANCE = 1e-6
"""Largest negative value (absolute, in model units) accepted for a variable."""
WRITERS = 4
"""Threads that write the Parquet tables of :meth:`Results.save`."""


@dataclass
class Results:
    """Solved model results as tidy tables plus a summary.

    Attributes
    ----------
    tables
        Table name -> DataFrame (dims..., ``value``, ``unit``); set tables
        (``commodities``, ``processes``, ``regions``, ``commodity_content``)
        travel along so that reports need nothing else.
    summary
        Model, scenario, status, objective, checks, sizes, timings, versions,
        data hash (written as ``summary.json``).
    """

    tables: dict[str, pd.DataFrame]
    summary: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def __contains__(self, name: object) -> bool:
        return name in self.tables

    def __iter__(self) -> Iterator[str]:
        return iter(self.tables)

    @property
    def meta(self) -> dict[str, Any]:
        """The summary plus what reports need: ``discount_rate``, ``base_year``, regions."""
        options = self.summary.get("options", {})
        years = self.summary.get("years") or [None]
        return {
            **self.summary,
            "discount_rate": options.get("discount_rate"),
            "base_year": years[0],
            "focus_regions": options.get("partnership"),
        }

    @property
    def objective(self) -> float:
        """Discounted total cost (USD)."""
        return float(self.summary["objective"])

    def check_balance(self) -> float:
        """Recompute every commodity balance from the tables.

        Returns
        -------
        float
            The largest relative residual
            :math:`|\\text{supply} - \\text{use}| / \\max(1, \\sum |\\text{terms}|)`.
        """
        return balance_residual(self.tables)

    def save(self, folder: str | Path, force: bool = False) -> Path:
        """Write the tables (Parquet) and ``summary.json`` atomically.

        Raises
        ------
        ResultsExistError
            If ``folder`` exists and ``force`` is false.
        OutputError
            If ``folder`` is or holds the model, its data or the working directory
            (:func:`mfa.paths.check_output`), whatever ``force`` says.
        """
        data_folder = self.summary.get("data_folder")
        inputs = [data_folder] if data_folder else []
        check_output(folder, model_file=self.summary.get("model_file"), inputs=inputs)
        return write_atomically(Path(folder), force, self._write_into)

    def _write_into(self, tmp: Path) -> None:
        start = perf_counter()
        (tmp / "tables").mkdir()
        # Parquet encoding and compression release the GIL: a few tables at a time
        with ThreadPoolExecutor(max_workers=WRITERS) as pool:
            written = [
                pool.submit(frame.to_parquet, tmp / "tables" / f"{name}.parquet", index=False)
                for name, frame in self.tables.items()
            ]
            for each in written:
                each.result()  # a failed table fails the save (the folder is not moved in)
        timings = self.summary.get("timings")
        if timings is not None:  # a command's phases: the tables' writing is the last
            timings["write"] = perf_counter() - start
            if timings.get("solve"):
                self.summary["solve_ratio"] = sum(timings.values()) / timings["solve"]
        (tmp / "summary.json").write_text(manifest.to_json(self.summary), encoding="utf-8")
        tables = [f"tables/{name}.parquet" for name in self.tables]
        manifest.write(tmp, "run", manifest.identity(self.summary), ["summary.json", *tables])

    @classmethod
    def load(cls, folder: str | Path) -> Results:
        """Read results written by :meth:`save`."""
        folder = Path(folder)
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        tables = {p.stem: pd.read_parquet(p) for p in sorted((folder / "tables").glob("*.parquet"))}
        return cls(tables=tables, summary=summary)


def write_atomically(folder: Path, force: bool, write: Any) -> Path:
    """Run ``write(tmp)`` into a sibling temporary folder, then move it to ``folder``.

    An existing ``folder`` is replaced only after the new one is complete
    (and only with ``force``); on any error or interruption the temporary
    folder is removed and ``folder`` is left as it was.
    """
    folder = check_output(folder)  # never the working directory or a folder holding it
    if folder.exists() and not force:
        raise ResultsExistError(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder: it is not replaced")
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=folder.parent))
    old = folder.parent / f".{folder.name}.old-{os.getpid()}"
    try:
        write(tmp)
        if folder.exists():
            folder.rename(old)
        tmp.rename(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not folder.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return folder


def extract(
    built: BuiltModel, sol: Solution, full: bool = True, derived: bool = True
) -> dict[str, pd.DataFrame]:
    """Read every result table from the solution arrays.

    The tables of the core variables (activity, new capacity, trade, demand served, unmet
    demand, excess and landfill) are read here; then every constraint family that was built
    adds the tables of what it wrote (:attr:`mfa.model.built.Family.tables`: flows,
    capacity, end of life and stock, stockpiles), in build order. With ``full`` the
    commodity prices, the costs and the shadow prices of every family's rows follow.

    With ``full=False`` only the tables that :func:`check` needs and the quantities
    (activity, trade, unmet, costs, ...) are read: no prices, duals, footprints, set
    tables or indicators (sweeps, which re-solve many times). With ``derived=False``
    the tables of :func:`derived_tables` are left out (benchmarks time them apart).
    Python's cyclic garbage collector is paused meanwhile: the model's millions of
    objects would otherwise be scanned again and again while the tables are built.
    """
    with PauseGC():
        return _extract(built, sol, full, derived)


def _extract(
    built: BuiltModel, sol: Solution, full: bool, derived: bool
) -> dict[str, pd.DataFrame]:
    tables = _core_tables(built, sol)
    for family in built.declared:
        if family.tables is not None:
            tables.update(family.tables(built, sol, tables))
    tables["costs"] = _costs(built, sol)
    if not full:
        return tables
    tables["prices"] = _prices(built, sol)
    for row in built.rows():
        tables[f"duals_{row.name}"] = _dual_table(built, sol, row)
    if derived:
        tables.update(derived_tables(built, tables))
    return tables


def _core_tables(built: BuiltModel, sol: Solution) -> dict[str, pd.DataFrame]:
    """Tables of the core variables that :func:`mfa.model.build.build_model` declares."""
    data, index = built.data, built.index
    com_unit = data.commodities["unit"].to_dict()
    act_unit = data.processes["activity_unit"].to_dict()
    tables: dict[str, pd.DataFrame] = {}
    tables["activity"] = tidy(
        index.activity,
        ["process", "region", "year"],
        sol.values("activity", index.activity),
        [act_unit[p] for p, _, _ in index.activity],
    )
    tables["new_capacity"] = tidy(
        index.new_capacity,
        ["process", "region", "year"],
        sol.values("new_capacity", index.new_capacity),
        [act_unit[p] for p, _, _ in index.new_capacity],
    )
    tables["trade"] = tidy(
        index.trade,
        ["commodity", "origin", "destination", "year"],
        sol.values("trade", index.trade),
        [com_unit[c] for c, *_ in index.trade],
    )
    demand_crt = sorted(index.demand)  # index.unmet is these keys, or empty (allow_unmet off)
    unmet = sol.values("unmet", index.unmet) if index.unmet else np.zeros(len(demand_crt))
    served = np.array([index.demand[k] for k in demand_crt]) - unmet
    demand_keys = [(r, c, t) for c, r, t in demand_crt]
    units = [com_unit[c] for _, c, _ in demand_keys]
    tables["demand"] = tidy(demand_keys, ["region", "commodity", "year"], served, units)
    tables["unmet"] = tidy(demand_keys, ["region", "commodity", "year"], unmet, units)
    excess_keys = [(r, c, t) for c, r, t in index.excess]
    tables["excess"] = tidy(
        excess_keys,
        ["region", "commodity", "year"],
        sol.values("excess", index.excess),
        [com_unit[c] for _, c, _ in excess_keys],
    )
    eol_stage = set(data.commodities.index[data.commodities["stage"] == "eol"])
    excess = tables["excess"]
    tables["landfill"] = excess[excess["commodity"].isin(eol_stage)].reset_index(drop=True)
    return tables


def _prices(built: BuiltModel, sol: Solution) -> pd.DataFrame:
    """Duals of the commodity balance, undiscounted: the marginal cost of one more unit."""
    index = built.index
    com_unit = built.data.commodities["unit"].to_dict()
    keys = built.row_keys("balance")
    duals = sol.duals("balance", keys)
    undiscount = np.array([1.0 / index.discount[t] for _, _, t in keys])
    return tidy(
        keys,
        ["commodity", "region", "year"],
        duals * undiscount,
        [f"USD/{com_unit[c]}" for c, _, _ in keys],
    )


def derived_tables(
    built: BuiltModel, tables: Mapping[str, pd.DataFrame], fork: bool = False
) -> dict[str, pd.DataFrame]:
    """Tables computed from the solution tables: each built family's derived tables
    (footprints), the set tables, the supply by origin as the supply family defines it
    (:func:`mfa.model.supply.supply_table`), the indicators, and (when the model has
    ``origin_rules``) the mine- and processing-origin tables of :mod:`mfa.origin`.

    With ``fork``, the origin tables (which read only the solution and set tables) are
    computed in a forked child process meanwhile when a core is free for it
    (:class:`mfa.forked.Forked`, :func:`mfa.forked.spare_core`; the same tables). Only from
    a process's main thread: a fork copies one thread, and any lock another thread holds at
    that moment stays held in the child."""
    data = built.data
    sets = set_tables(data)
    attribution = None
    if "origin_rules" in sets:
        partnership = data.config.options.partnership
        if fork and threading.current_thread() is threading.main_thread() and spare_core():
            attribution = Forked(origin.tables, {**tables, **sets}, partnership)
        else:
            attribution = Forked.here(origin.tables, {**tables, **sets}, partnership)
    out: dict[str, pd.DataFrame] = {}
    for family in built.declared:
        if family.derived is not None:
            out.update(family.derived(built, tables))
    out.update(sets)
    everything = {**tables, **out}
    out["supply"] = supply_table(everything)
    out["indicators"] = indicators.compute(
        everything, data.config.options.partnership, supply=out["supply"]
    )
    out["calibration"] = calibration.compute(
        everything,
        data.param("observed"),
        data.param("observed_share"),
        data.param("reference_price"),
        year=data.years[0],
    )
    if attribution is not None:
        out.update(attribution.result())
    return out


def _dual_table(built: BuiltModel, sol: Solution, row: Row) -> pd.DataFrame:
    """Shadow prices of one row family: cost saved per unit of relaxation (undiscounted)."""
    written = built.row_keys(row.name)
    keys = [k if isinstance(k, tuple) else (k,) for k in written]
    duals = sol.duals(row.name, written)
    shadow = -duals if row.sense == "<=" else duals
    if "year" in row.dims:
        pos = row.dims.index("year")
        shadow = shadow / np.array([built.index.discount[k[pos]] for k in keys])
    return tidy(keys, list(row.dims), np.nan_to_num(shadow) + 0.0, row.unit)


def _costs(built: BuiltModel, sol: Solution) -> pd.DataFrame:
    """Undiscounted costs by component, region and year (USD), from the cost terms."""
    cost = built.terms.cost
    if not len(cost):
        return tidy([], ["component", "region", "year"], np.zeros(0), "USD")
    keys, group, order = cost.grouped()
    # a coefficient that is not a float is a mutable Param (sweeps): its current value
    if {*map(type, cost.coefs)} <= {float}:
        coefs = np.array(cost.coefs, dtype=float)
    else:
        coefs = np.array([c if c.__class__ is float else number(c) for c in cost.coefs])
    assert sol.layout is not None
    col = sol.layout.of_terms(cost.vars, built.resolve)
    x = np.where(col >= 0, sol.col_value[np.clip(col, 0, None)], 0.0)
    weights = (coefs * x)[order]
    totals = np.bincount(group[order], weights=weights, minlength=len(keys))
    frame = tidy(keys, ["component", "region", "year"], totals, "USD")
    return frame.groupby(["component", "region", "year"], as_index=False).agg(
        value=("value", "sum"), unit=("unit", "first")
    )


def set_tables(data: ModelData) -> dict[str, pd.DataFrame]:
    """The set tables that travel with results (for reporting)."""
    content = data.param("commodity_content").reset_index()
    content["unit"] = [f"t/{data.unit_of(c)}" for c in content["commodity"]]
    tables = {
        "commodities": data.commodities.reset_index().astype({"tradable": bool, "secondary": bool}),
        "processes": data.processes.reset_index(),
        "regions": data.regions_table.reset_index(),
        "commodity_content": content,
        "sources": data.sources.reset_index(),
        "origin_risk": data.param("origin_risk").reset_index().assign(unit="dimensionless"),
    }
    rules = data.param("origin_rules")
    if len(rules):
        tables["origin_rules"] = rules.reset_index().assign(unit="dimensionless")
    return tables


def balance_residual(tables: Mapping[str, pd.DataFrame]) -> float:
    r"""Largest relative residual of the commodity balances, from the tables alone.

    For each (commodity, region, year):
    :math:`\text{out} - \text{in} + \text{imports} - \text{exports} + \text{eol} - \text{excess} -
    \text{served}`, divided by :math:`\max(1, \sum|\text{terms}|)`.
    """
    keys = ["commodity", "region", "year"]
    parts = []
    flows = tables["flows"]
    sign = np.where(flows["direction"] == "out", 1.0, -1.0)
    parts.append(flows.assign(value=sign * flows["value"])[[*keys, "value"]])
    trade = tables["trade"]
    parts.append(trade.rename(columns={"destination": "region"})[[*keys, "value"]])
    parts.append(
        trade.rename(columns={"origin": "region"}).assign(value=-trade["value"])[[*keys, "value"]]
    )
    if "eol" in tables:
        parts.append(tables["eol"][[*keys, "value"]])
    parts.append(tables["excess"].assign(value=-tables["excess"]["value"])[[*keys, "value"]])
    parts.append(tables["demand"].assign(value=-tables["demand"]["value"])[[*keys, "value"]])
    if "stockpile_drawdown" in tables:
        parts.append(tables["stockpile_drawdown"][[*keys, "value"]])
    if "market" in tables:
        sold = tables["market"]
        sign = np.where(sold["direction"] == "buy", 1.0, -1.0)
        parts.append(sold.assign(value=sign * sold["value"])[[*keys, "value"]])
    allrows = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    if allrows.empty:
        return 0.0
    allrows["abs"] = allrows["value"].abs()
    grouped = allrows.groupby(keys)[["value", "abs"]].sum()
    rel = grouped["value"].abs() / np.maximum(1.0, grouped["abs"])
    return float(rel.max())


def check(
    tables: Mapping[str, pd.DataFrame], objective: float, discount: Mapping[int, float]
) -> dict[str, float]:
    """Post-solve checks; raise :class:`CheckError` when one fails.

    Returns
    -------
    dict
        ``max_balance_residual``, ``min_value`` (most negative variable value)
        and ``cost_reconciliation`` (relative gap between discounted costs and
        the objective).
    """
    residual = balance_residual(tables)
    negatives = [
        float(tables[n]["value"].min())
        for n in ("activity", "new_capacity", "trade", "unmet", "excess")
        if len(tables[n])
    ]
    min_value = min(negatives, default=0.0)
    costs = tables["costs"]
    discounted = float((costs["value"] * costs["year"].map(discount)).sum()) if len(costs) else 0.0
    gap = abs(discounted - objective) / max(1.0, abs(objective))
    problems = []  # written as 'not (x <= tol)' so that a NaN fails too
    non_finite = [
        n
        for n, t in tables.items()
        if "value" in t and pd.api.types.is_numeric_dtype(t["value"])
        if not np.isfinite(t["value"].to_numpy(dtype=float)).all()
    ]
    if non_finite or not np.isfinite(objective):
        problems.append(f"non-finite numbers in the objective ({objective}) or tables {non_finite}")
    if not residual <= BALANCE_TOLERANCE:
        problems.append(f"a commodity balance does not close (relative residual {residual:.3g})")
    if not min_value >= -NEGATIVE_TOLERANCE:
        problems.append(f"a variable is negative beyond tolerance ({min_value:.3g})")
    if not gap <= BALANCE_TOLERANCE:
        problems.append(
            f"costs ({discounted:.6g} USD discounted) do not add up to the "
            f"objective ({objective:.6g}); relative gap {gap:.3g}"
        )
    if problems:
        raise CheckError("post-solve check failed: " + "; ".join(problems))
    return {"max_balance_residual": residual, "min_value": min_value, "cost_reconciliation": gap}
