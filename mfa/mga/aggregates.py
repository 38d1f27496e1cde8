r"""Aggregates of the model file as coefficient vectors over the compiled LP's columns.

An aggregate (:class:`mfa.config.Aggregate`) is a linear function of the decision
variables, :math:`a^\top x`. This module turns each into the vector :math:`a` in the
column order of :func:`mfa.standard_form.compile_lp`, so that the near-optimal search
can hand it to HiGHS as an objective:

* ``production``: :math:`a_{x_{prt}} = \sum_{c} a^{out}_{pc}\, \kappa_{c}` where
  :math:`a^{out}_{pc}` is the output of commodity :math:`c` per unit of activity and
  :math:`\kappa_c` the tonnes of the selected elements per unit of :math:`c`;
* ``imports`` / ``exports``: :math:`a_{s_{codt}} = \kappa_c` for shipments into / out of
  the selected regions;
* ``activity`` / ``new_capacity``: :math:`a = 1` on the selected variables;
* ``emissions``: the GHG intensities of :func:`mfa.model.environment.intensities`
  (process emissions in the producing region, shipments in the destination region).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from mfa.config import Aggregate
from mfa.errors import ConfigError, Problem
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel
from mfa.model.environment import intensities
from mfa.standard_form import StandardForm

UNITS = {"production": "t", "imports": "t", "exports": "t", "emissions": "tCO2e"}
"""Unit of each quantity (``activity`` and ``new_capacity`` take the processes' unit)."""


def _names(value: str | list[str] | None) -> set[str] | None:
    if value is None:
        return None
    return {value} if isinstance(value, str) else set(value)


def element_content(data: ModelData) -> dict[str, dict[str, float]]:
    """``commodity -> {element: t of element per unit}``: the ``commodity_content`` table
    where it has rows, else 1 t of the commodity's own element per t."""
    out: dict[str, dict[str, float]] = defaultdict(dict)
    content = data.param("commodity_content")
    for (c, e), v in content.items():
        out[c][e] = float(v)
    for c, row in data.commodities.iterrows():
        if c not in out and row["unit"] == "t":
            out[c][row["element"]] = 1.0
    return dict(out)


def _known(data: ModelData) -> dict[str, set[str]]:
    """The names each filter may take."""
    com = data.commodities
    content = data.param("commodity_content")
    elements = set(com["element"]) | set(content.index.get_level_values("element"))
    return {
        "region": set(data.regions),
        "origin": set(data.regions),
        "destination": set(data.regions),
        "process": set(data.processes.index),
        "kind": set(data.processes["kind"]),
        "element": elements - {"multi"},
        "commodity": set(com.index),
        "stage": set(com["stage"]),
    }


def check_aggregates(data: ModelData, aggregates: Mapping[str, Aggregate]) -> None:
    """Raise :class:`ConfigError` for every filter value the data do not know.

    Raises
    ------
    ConfigError
        Naming the model file, ``alternatives.aggregates.<name>.<filter>``, the unknown
        value and the names allowed.
    """
    known = _known(data)
    shown = str(data.config.source_file or "model")
    problems = []
    for name, agg in aggregates.items():
        for field, allowed in known.items():
            given = _names(getattr(agg, field, None))
            for bad in sorted((given or set()) - allowed):
                problems.append(
                    Problem(
                        shown,
                        f"aggregate '{name}': unknown {field} '{bad}'",
                        column=f"alternatives.aggregates.{name}.{field}",
                        value=bad,
                        expected=", ".join(sorted(allowed)),
                    )
                )
    if problems:
        raise ConfigError(problems)


def _in_years(agg: Aggregate) -> Callable[[int], bool]:
    if agg.years is None:
        return lambda _t: True
    first, last = agg.years
    return lambda t: first <= t <= last


def _weight(content: Mapping[str, float], elements: set[str] | None) -> float:
    return sum(v for e, v in content.items() if elements is None or e in elements)


def _process_terms(
    built: BuiltModel, agg: Aggregate, keys: Iterable[tuple], var: Any
) -> list[tuple[float, object]]:
    """``(coefficient, variable)`` of activity, capacity built or production."""
    data = built.data
    regions, processes, kinds = _names(agg.region), _names(agg.process), _names(agg.kind)
    kind = data.processes["kind"].to_dict()
    years = _in_years(agg)
    content = element_content(data) if agg.quantity == "production" else {}
    elements = _names(agg.element)
    per_unit: dict[str, float] = {}
    out = []
    for p, r, t in keys:
        if (
            (regions is not None and r not in regions)
            or (processes is not None and p not in processes)
            or (kinds is not None and kind[p] not in kinds)
            or not years(t)
        ):
            continue
        if agg.quantity == "production":
            if p not in per_unit:
                per_unit[p] = sum(
                    float(coef) * _weight(content.get(c, {}), elements)
                    for c, coef in built.index.io[p].outputs
                )
            coef = per_unit[p]
        else:
            coef = 1.0
        if coef:
            out.append((coef, var[p, r, t]))
    return out


def _trade_terms(built: BuiltModel, agg: Aggregate) -> list[tuple[float, object]]:
    """``(coefficient, shipment)`` of imports into, or exports out of, the regions."""
    data, m = built.data, built.model
    regions, elements = _names(agg.region), _names(agg.element)
    partners = _names(agg.origin if agg.quantity == "imports" else agg.destination)
    commodities, stages = _names(agg.commodity), _names(agg.stage)
    stage = data.commodities["stage"].to_dict()
    content = element_content(data)
    years = _in_years(agg)
    out = []
    for c, o, d, t in built.index.trade:
        own, partner = (d, o) if agg.quantity == "imports" else (o, d)
        if (
            (regions is not None and own not in regions)
            or (partners is not None and partner not in partners)
            or (commodities is not None and c not in commodities)
            or (stages is not None and stage[c] not in stages)
            or not years(t)
        ):
            continue
        coef = _weight(content.get(c, {}), elements)
        if coef:
            out.append((coef, m.trade[c, o, d, t]))
    return out


def _emission_terms(built: BuiltModel, agg: Aggregate) -> list[tuple[float, object]]:
    """``(tCO2e per unit, variable)`` of process and transport emissions."""
    m = built.model
    regions, years = _names(agg.region), _in_years(agg)
    found = intensities(built.data, built.index)
    out = []
    for (kind, _), table in found.process.items():
        if kind != "ghg":
            continue
        for (p, r, t), value in table.items():
            if (regions is None or r in regions) and years(t):
                out.append((value, m.activity[p, r, t]))
    for c, o, d, t in built.index.trade:
        value = found.transport.get((c, o, d), 0.0)
        if value and (regions is None or d in regions) and years(t):
            out.append((value, m.trade[c, o, d, t]))
    return out


def terms(built: BuiltModel, agg: Aggregate) -> list[tuple[float, object]]:
    """The ``(coefficient, variable)`` terms of one aggregate."""
    index, m = built.index, built.model
    if agg.quantity in ("production", "activity"):
        return _process_terms(built, agg, index.activity, m.activity)
    if agg.quantity == "new_capacity":
        return _process_terms(built, agg, index.new_capacity, m.new_capacity)
    if agg.quantity in ("imports", "exports"):
        return _trade_terms(built, agg)
    return _emission_terms(built, agg)


def unit_of(data: ModelData, agg: Aggregate, name: str) -> str:
    """The aggregate's unit.

    Raises
    ------
    ConfigError
        When an ``activity`` or ``new_capacity`` aggregate mixes activity units.
    """
    if agg.quantity in UNITS:
        return UNITS[agg.quantity]
    procs = data.processes
    sel = pd.Series(True, index=procs.index)
    if agg.process is not None:
        sel &= procs.index.isin(list(_names(agg.process) or ()))
    if agg.kind is not None:
        sel &= procs["kind"].isin(list(_names(agg.kind) or ()))
    units = sorted(set(procs.loc[sel, "activity_unit"]))
    if len(units) != 1:
        raise ConfigError(
            [
                Problem(
                    str(data.config.source_file or "model"),
                    f"aggregate '{name}' adds {agg.quantity} of processes in different units",
                    column=f"alternatives.aggregates.{name}",
                    value=", ".join(units) or "no process",
                    expected="processes that share one activity unit (narrow 'process' or 'kind')",
                )
            ]
        )
    return f"{units[0]}/yr" if agg.quantity == "new_capacity" else units[0]


def aggregate_matrix(
    built: BuiltModel, form: StandardForm, aggregates: Mapping[str, Aggregate]
) -> np.ndarray:
    """Coefficients of every aggregate over the LP's columns, one row per aggregate.

    Variables the LP does not use (no row or cost mentions them) have no column and are
    0 in every solution; they are left out.

    Raises
    ------
    ConfigError
        When an aggregate selects no variable of the model.
    """
    data = built.data
    check_aggregates(data, aggregates)
    out = np.zeros((len(aggregates), form.lp.num_col_))
    empty = []
    for i, (name, agg) in enumerate(aggregates.items()):
        found = terms(built, agg)
        if not found:
            empty.append(name)
        for coef, var in found:
            col = form.column_of.get(id(var))
            if col is not None:
                out[i, col] += coef
    if empty:
        shown = str(data.config.source_file or "model")
        raise ConfigError(
            [
                Problem(
                    shown,
                    f"aggregate '{name}' selects no variable of this model",
                    column=f"alternatives.aggregates.{name}",
                    expected="filters that match processes, routes or years the model has",
                )
                for name in empty
            ]
        )
    return out
