"""Explain why a model has no optimal solution, in the model's own words.

Infeasible models
-----------------
When final demand must be met (``options.allow_unmet: false``) or another hard
limit cannot hold, HiGHS only says "infeasible". :func:`diagnose` then

1. re-solves an *elastic* copy in which every final demand may go unserved at
   ``options.unmet_penalty`` per unit: the penalty is far above every real
   cost, so the optimum has the smallest shortfall the limits allow; each
   shortfall is reported by region, commodity and year with its size in the
   commodity's unit;
2. names the limits that bind in the elastic optimum and cause the shortfall
   (capacity rows at their limit, cumulative reserves, build limits at their
   bound) by their index (process, region, year), read from the duals: a limit
   whose dual is of the order of the penalty is what keeps demand from being
   served;
3. asks HiGHS for an irreducible infeasible subset (IIS) of the original model
   and names its rows and bounds by family and index, not by row number.

Unbounded models
----------------
:func:`diagnose_unbounded` names the variable families whose columns earn
money (negative objective coefficient) and have no upper bound, and the
variables along HiGHS' unbounded ray when it gives one.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from mfa.config import Solver
from mfa.errors import Diagnosis
from mfa.inputs.data import ModelData
from mfa.solve import compile_lp, make_highs, run_highs

SHORT_TOLERANCE = 1e-6
"""Relative size below which an unserved demand counts as served."""
IIS_TIME_LIMIT_S = 60.0
"""Longest time spent looking for an irreducible infeasible subset."""
_IIS_BOUND_UPPER = (3, 4)
"""``HighsIis`` bound codes of an upper (3) or boxed (4) bound."""


def diagnose(data: ModelData, m: pyo.ConcreteModel | None = None) -> Diagnosis:
    """Explain an infeasible model.

    Parameters
    ----------
    data
        The validated data of the infeasible model.
    m
        The built model that HiGHS found infeasible (built from ``data`` when
        ``None``); used for the IIS.

    Returns
    -------
    Diagnosis
        ``status`` ``infeasible``; ``summary`` one paragraph; ``details`` one
        dict per finding with ``kind`` (``shortfall``, ``binding``, ``conflict``
        or ``note``), the index it concerns and a ``message``.
    """
    from mfa.model.build import build_model

    details: list[dict[str, Any]] = []
    shortfalls, binding, elastic_note = _elastic(data)
    details += shortfalls + binding
    if elastic_note:
        details.append({"kind": "note", "message": elastic_note})
    if m is None:
        m = build_model(data)
    conflict = _iis(m, data)
    details += conflict

    if shortfalls:
        parts = [d["message"] for d in shortfalls[:3]]
        more = len(shortfalls) - 3
        summary = "; ".join(parts) + (f"; and {more} more shortfall(s)" if more > 0 else "")
        if binding:
            summary += ". Binding: " + ", ".join(
                f"{d['limit']} ({_num(d['value'])} {d['unit']})" for d in binding[:5])
            if len(binding) > 5:
                summary += f" and {len(binding) - 5} more"
        summary += "."
    elif conflict:
        summary = ("every demand could be met, but these limits conflict: "
                   + ", ".join(d["constraint"] for d in conflict[:5]) + ".")
    else:
        summary = "no solution satisfies every constraint, and mfa could not narrow it down."
    if not data.config.options.allow_unmet and shortfalls:
        summary += (" Demand must be met here (options.allow_unmet: false); allow unmet demand "
                    "or relax the limits named above.")
    return Diagnosis("infeasible", summary, details)


def diagnose_unbounded(m: pyo.ConcreteModel) -> Diagnosis:
    """Name the variable families that let the cost fall without limit."""
    lp, info = compile_lp(m)
    cost = np.asarray(lp.col_cost_, dtype=float)
    upper = np.asarray(lp.col_upper_, dtype=float)
    suspects: dict[str, list[str]] = {}
    for j in np.flatnonzero((cost < 0) & ~np.isfinite(upper)):
        var = info.columns[j]
        suspects.setdefault(var.parent_component().name, []).append(_index_text(var.index()))
    details: list[dict[str, Any]] = []
    for family, keys in suspects.items():
        shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        details.append({"kind": "unbounded_family", "family": family, "count": len(keys),
                        "message": f"'{family}' has a negative cost and no upper bound at "
                                   f"{shown}"})
    ray = _primal_ray(lp, info)
    if ray:
        details.append({"kind": "ray", "variables": ray,
                        "message": "the cost falls without limit along: " + ", ".join(ray[:8])})
    if suspects:
        summary = ("the cost can fall without limit: "
                   + ", ".join(f"'{f}'" for f in suspects)
                   + " earn(s) money per unit and nothing bounds it; check the sign of "
                     "its costs or add a limit")
    else:
        summary = ("the cost can fall without limit: some activity earns money or costs nothing "
                   "while it frees something of value; check for negative costs or a missing "
                   "bound")
    return Diagnosis("unbounded", summary, details)


# -- elastic re-solve -------------------------------------------------------------------------


def _elastic(data: ModelData) -> tuple[list[dict], list[dict], str | None]:
    """Solve with unmet demand allowed; return shortfalls and the limits that cause them."""
    from mfa.model.build import build_model

    options = data.config.options.model_copy(update={"allow_unmet": True})
    elastic = dataclasses.replace(data, config=data.config.model_copy(update={"options": options}))
    m = build_model(elastic)
    lp, info = compile_lp(m)
    h = make_highs(data.config.solver)
    h.passModel(lp)
    run_highs(h)
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        text = h.modelStatusToString(h.getModelStatus())
        return [], [], (f"even with unmet demand allowed the model is {text.lower()}: a limit "
                        "other than demand conflicts (see the conflicting constraints)")
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=float)
    col_dual = np.asarray(sol.col_dual, dtype=float)
    row_value = np.asarray(sol.row_value, dtype=float)
    row_dual = np.asarray(sol.row_dual, dtype=float)
    column_of = {id(v): j for j, v in enumerate(info.columns)}
    row_of = {id(c): i for i, (c, _) in enumerate(info.rows)}
    index = m.mfa_index

    shortfalls = []
    for key in index.unmet:
        col = column_of.get(id(m.unmet[key]))
        if col is None:
            continue
        short, demanded = float(x[col]), index.demand[key]
        if short <= SHORT_TOLERANCE * max(1.0, demanded):
            continue
        c, r, t = key
        unit = data.unit_of(c)
        shortfalls.append({
            "kind": "shortfall", "commodity": c, "region": r, "year": int(t),
            "short": short, "demand": demanded, "unit": unit,
            "message": f"demand for {c} in {_region(data, r)} in {t} cannot be met: "
                       f"{_num(short)} {unit} short of {_num(demanded)} {unit}",
        })
    if not shortfalls:
        return [], [], None
    # a limit that keeps demand from being served has a dual of the order of the penalty
    threshold = 1e-3 * options.unmet_penalty * min(index.discount.values())
    binding = _binding_limits(m, data, row_of, column_of, x, col_dual, row_value, row_dual, lp)
    relevant = [b for b in binding if b["dual"] >= threshold] or binding
    relevant.sort(key=lambda b: -b["dual"])
    return shortfalls, relevant, None


def _binding_limits(m: pyo.ConcreteModel, data: ModelData, row_of: dict[int, int],
                    column_of: dict[int, int], x: np.ndarray, col_dual: np.ndarray,
                    row_value: np.ndarray, row_dual: np.ndarray,
                    lp: highspy.HighsLp) -> list[dict[str, Any]]:
    """Capacity rows, reserves rows and build limits at their bound with a non-zero dual."""
    out: list[dict[str, Any]] = []
    upper = np.asarray(lp.row_upper_, dtype=float)
    act_unit = data.processes["activity_unit"].to_dict()
    index = m.mfa_index

    def at_limit(i: int) -> bool:
        return (np.isfinite(upper[i]) and abs(row_value[i] - upper[i]) <= 1e-7 * max(
            1.0, abs(upper[i])) and abs(row_dual[i]) > 1e-9)

    if hasattr(m, "capacity_limit"):
        for key, con in m.capacity_limit.items():
            i = row_of.get(id(con))
            if i is None or not at_limit(i):
                continue
            p, r, t = key
            used = float(x[column_of[id(m.activity[key])]])
            existing = index.capacity.get(key, 0.0)
            limit = f"capacity of {p} in {r} in {t}"
            built = used - existing
            how = (f"{_num(existing)} existing + {_num(built)} built"
                   if built > 1e-9 else "existing, nothing more can be built")
            out.append({"kind": "binding", "family": "capacity", "process": p, "region": r,
                        "year": int(t), "value": used, "unit": act_unit[p],
                        "dual": abs(float(row_dual[i])), "limit": limit,
                        "message": f"{limit} is fully used: {_num(used)} {act_unit[p]} "
                                   f"({how})"})
    if hasattr(m, "reserves_limit"):
        for key, con in m.reserves_limit.items():
            i = row_of.get(id(con))
            if i is None or not at_limit(i):
                continue
            p, r = key
            limit = f"reserves of {p} in {r}"
            out.append({"kind": "binding", "family": "reserves", "process": p, "region": r,
                        "value": float(upper[i]), "unit": act_unit[p],
                        "dual": abs(float(row_dual[i])), "limit": limit,
                        "message": f"{limit} are exhausted: {_num(float(upper[i]))} "
                                   f"{act_unit[p]} extracted over the horizon"})
    for key in index.new_capacity:
        j = column_of.get(id(m.new_capacity[key]))
        bound = index.build_limit.get(key)
        if j is None or bound is None:
            continue
        if abs(x[j] - bound) <= 1e-7 * max(1.0, bound) and abs(col_dual[j]) > 1e-9:
            p, r, t = key
            limit = f"build limit of {p} in {r} in {t}"
            out.append({"kind": "binding", "family": "build_limit", "process": p, "region": r,
                        "year": int(t), "value": bound, "unit": act_unit[p],
                        "dual": abs(float(col_dual[j])), "limit": limit,
                        "message": f"{limit} is reached: {_num(bound)} {act_unit[p]} built"})
    return out


# -- irreducible infeasible subset ------------------------------------------------------------


def _iis(m: pyo.ConcreteModel, data: ModelData) -> list[dict[str, Any]]:
    """Rows and bounds of an irreducible infeasible subset, named by family and index."""
    try:
        lp, info = compile_lp(m)
        h = make_highs(data.config.solver)
        h.setOptionValue("time_limit", IIS_TIME_LIMIT_S)
        h.setOptionValue("iis_strategy", 2)
        h.passModel(lp)
        run_highs(h)
        if h.getModelStatus() != highspy.HighsModelStatus.kInfeasible:
            return []
        status, iis = h.getIis()
    except Exception:
        return []
    if status != highspy.HighsStatus.kOk or not iis.valid_:
        return []
    out = []
    for i in iis.row_index_:
        con = info.rows[int(i)][0]
        name = _describe(con.parent_component().name, con.index(), data, m)
        out.append({"kind": "conflict", "constraint": name, "family":
                    con.parent_component().name, "index": _plain_index(con.index()),
                    "message": f"in conflict: {name}"})
    for j, bound in zip(iis.col_index_, iis.col_bound_, strict=False):
        var = info.columns[int(j)]
        if int(bound) not in _IIS_BOUND_UPPER or var.ub is None:
            continue  # a lower bound of 0 is the nature of a flow, not a limit to relax
        family = var.parent_component().name
        name = (_describe("build_limit", var.index(), data, m) if family == "new_capacity"
                else f"upper bound of {family}{_index_text(var.index())}")
        out.append({"kind": "conflict", "constraint": name, "family": family,
                    "index": _plain_index(var.index()), "message": f"in conflict: {name}"})
    return out


def _describe(family: str, key: Any, data: ModelData, m: pyo.ConcreteModel) -> str:
    """A constraint named by what it means and its index."""
    k = key if isinstance(key, tuple) else (key,)
    index = m.mfa_index
    if family == "balance" and len(k) == 3:
        c, r, t = k
        demand = index.demand.get(k, 0.0)
        extra = f" (demand {_num(demand)} {data.unit_of(c)})" if demand else ""
        return f"balance of {c} in {r} in {t}{extra}"
    if family == "capacity_limit" and len(k) == 3:
        p, r, t = k
        unit = data.processes.at[p, "activity_unit"]
        return f"capacity of {p} in {r} in {t} ({_num(index.capacity.get(k, 0.0))} {unit})"
    if family == "reserves_limit" and len(k) == 2:
        return f"reserves of {k[0]} in {k[1]}"
    if family == "build_limit" and len(k) == 3:
        p, r, t = k
        unit = data.processes.at[p, "activity_unit"]
        return f"build limit of {p} in {r} in {t} ({_num(index.build_limit.get(k, 0.0))} {unit})"
    return f"{family}{_index_text(key)}"


def _primal_ray(lp: highspy.HighsLp, info: Any) -> list[str]:
    """Variables with a non-zero entry in HiGHS' unbounded ray (empty if none given)."""
    try:
        h = make_highs(Solver(options={"solver": "simplex", "presolve": "off"}))
        h.passModel(lp)
        run_highs(h)
        got = h.getPrimalRay()
        has, values = (got[1], got[2]) if len(got) == 3 else got
        if not has:
            return []
        values = np.asarray(values, dtype=float)[: len(info.columns)]
    except Exception:
        return []
    return [f"{info.columns[j].parent_component().name}{_index_text(info.columns[j].index())}"
            for j in np.flatnonzero(np.abs(values) > 1e-9)]


def _region(data: ModelData, r: str) -> str:
    try:
        name = str(data.regions_table.at[r, "name"])
    except (KeyError, ValueError):
        return r
    return f"{name} ({r})" if name and name != r else r


def _index_text(key: Any) -> str:
    k = key if isinstance(key, tuple) else (key,)
    return "[" + ", ".join(str(x) for x in k) + "]"


def _plain_index(key: Any) -> list[Any]:
    k = key if isinstance(key, tuple) else (key,)
    return [x.item() if hasattr(x, "item") else x for x in k]


def _num(value: float) -> str:
    """A number for a person: up to 6 significant digits, no exponent between 1e-3 and 1e7."""
    if abs(value) >= 1e7 or (0 < abs(value) < 1e-3):
        return f"{value:.3g}"
    return f"{value:.6g}"
