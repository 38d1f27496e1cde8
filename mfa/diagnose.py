"""Explain why a model has no optimal solution, in the model's own words.

Infeasible models
-----------------
When final demand must be met (``options.allow_unmet: false``) or another hard
limit cannot hold, HiGHS only says "infeasible". :func:`diagnose` then

1. re-solves an *elastic* copy in which every final demand may go unserved at its
   penalty per unit (``unmet_penalty`` of the commodity, else ``options.unmet_penalty``;
   only when demand was hard: with ``allow_unmet: true`` the model HiGHS found
   infeasible already is that copy): the
   penalty is far above every real cost, so the optimum has the smallest shortfall the
   limits allow; each shortfall is reported by region, commodity and year with its size
   in the commodity's unit;
2. names the limits that bind in the elastic optimum and cause the shortfall
   by what they mean and their index: capacity rows at their limit, cumulative
   reserves, build limits and route limits at their bound, and every policy limit
   (single-supplier caps, offtake shares, sourcing limits, stockpile requirements,
   supply shocks, recycled-content shares, collection limits, emission, energy and
   water caps, joint-venture output), read from the duals: a limit whose dual is of
   the order of the penalty is what keeps demand from being served;
3. asks HiGHS' ``feasibilityRelaxation`` for the smallest relaxation of the policy
   limits alone (every violation weighted alike; demand, plants,
   deposits and bounds stay as they are) that restores a solution, and reports limit by
   limit how far each must be relaxed; it runs on the ``Highs`` object that found the
   model infeasible (hard demand) or on the elastic copy (when even that is infeasible);
4. asks HiGHS for an irreducible infeasible subset (IIS) of the original model, on the
   same ``Highs`` object, with the irreducible bit of ``iis_strategy`` set (no row or
   bound of the subset can be dropped), and names its rows and bounds by family and
   index, not by row number.

:func:`explain_unmet` gives the same account for an optimal solve that leaves
demand unserved (``allow_unmet: true``), read from that solve itself (no second solve):
where, how much, and which limits cause it.

Time limits and numerical trouble
---------------------------------
:func:`diagnose_limit` says which limit stopped HiGHS and reports the ranges of the
matrix, cost and right-hand-side coefficients, naming the rows and variables at both
ends, so that a badly scaled model points at the quantities to re-express.

Unbounded models
----------------
:func:`diagnose_unbounded` names the variable families whose columns earn
money (negative objective coefficient) and have no upper bound, and the
variables along HiGHS' unbounded ray when it gives one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import highspy
import numpy as np
import pyomo.environ as pyo

from mfa.config import Solver
from mfa.errors import Diagnosis
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel
from mfa.model.families import physical_rows, row_words
from mfa.solve import Solution, hand_over, make_highs, run_highs
from mfa.standard_form import StandardForm, compile_lp

SHORT_TOLERANCE = 1e-6
"""Relative size below which an unserved demand counts as served."""
IIS_TIME_LIMIT_S = 60.0
"""Longest time spent looking for an irreducible infeasible subset."""
IIS_STRATEGY = int(highspy.IisStrategy.kIisStrategyFromLp) | int(
    highspy.IisStrategy.kIisStrategyIrreducible
)
"""HiGHS' ``iis_strategy`` bitmask: from the elastic LP (2), reduced to an irreducible
subset (4)."""
_IIS_BOUND_UPPER = (
    int(highspy.IisBoundStatus.kIisBoundStatusUpper),
    int(highspy.IisBoundStatus.kIisBoundStatusBoxed),
)
"""``HighsIis`` bound codes of an upper or boxed bound."""


def diagnose(
    data: ModelData,
    built: BuiltModel | None = None,
    form: StandardForm | None = None,
    h: highspy.Highs | None = None,
) -> Diagnosis:
    """Explain an infeasible model.

    Parameters
    ----------
    data
        The validated data of the infeasible model.
    built, form, h
        The built model that HiGHS found infeasible, its compiled form and the ``Highs``
        object that solved it (built, compiled and handed over from ``data`` when
        ``None``); the relaxation of the policy limits and the IIS run on ``h``.

    Returns
    -------
    Diagnosis
        ``status`` ``infeasible``; ``summary`` one paragraph; ``details`` one
        dict per finding with ``kind`` (``shortfall``, ``binding``, ``relax``,
        ``conflict`` or ``note``), the index it concerns and a ``message``.
    """
    from mfa.model.build import build_model

    if built is None:
        built = build_model(data)
    if form is None or h is None:
        form = compile_lp(built.model)
        h = hand_over(form, data.config.solver)
    details: list[dict[str, Any]] = []
    keep_demand: list[dict[str, Any]] = []
    if data.config.options.allow_unmet:  # the infeasible model is the elastic copy itself
        relax, note = _policy_relaxation(built, data, form, h)
        found = _Elastic(relax=relax, note=note)
    else:
        found = _elastic(data)
        if found.shortfalls:  # demand hard, policies elastic: on the model found infeasible
            keep_demand, note = _policy_relaxation(built, data, form, h)
            if note:
                details.append({"kind": "note", "message": "to meet every demand: " + note})
    details += found.shortfalls + found.binding + found.relax + keep_demand
    if found.note:
        details.append({"kind": "note", "message": found.note})
    conflict = _iis(built, data, form, h)
    details += conflict

    if found.shortfalls:
        summary = _shortfall_summary(found.shortfalls, found.binding)
        if keep_demand:
            summary += (
                " Every demand could be met by relaxing: "
                + "; ".join(d["message"] for d in keep_demand[:3])
                + (f"; and {len(keep_demand) - 3} more" if len(keep_demand) > 3 else "")
                + "."
            )
    elif found.relax:
        summary = (
            "no solution meets every policy limit, even with demand left unserved; "
            "the smallest relaxation that restores one: "
            + "; ".join(d["message"] for d in found.relax[:5])
            + (f"; and {len(found.relax) - 5} more" if len(found.relax) > 5 else "")
            + "."
        )
    elif conflict:
        policies = set(_policy_families(built))
        ranked = sorted(conflict, key=lambda d: d.get("family") not in policies)
        summary = (
            "no solution meets every limit; these limits conflict (an irreducible set, "
            "policy limits first): "
            + ", ".join(d["constraint"] for d in ranked[:5])
            + (f" and {len(ranked) - 5} more" if len(ranked) > 5 else "")
            + "."
        )
        if found.note:
            summary += " " + found.note[0].upper() + found.note[1:] + "."
    else:
        summary = "no solution satisfies every constraint, and mfa could not narrow it down."
    if not data.config.options.allow_unmet and found.shortfalls:
        summary += (
            " Demand must be met here (options.allow_unmet: false); allow unmet demand "
            "or relax the limits named above."
        )
    return Diagnosis("infeasible", summary, details)


def explain_unmet(
    data: ModelData, built: BuiltModel, form: StandardForm, sol: Solution
) -> Diagnosis:
    """Where and why an optimal solution leaves final demand unserved.

    Reads the shortfalls and the limits that cause them from the run's own solution
    (``built`` compiled as ``form``, solved with unmet demand allowed: the elastic model of
    :func:`diagnose`), as :func:`diagnose` does.

    Returns
    -------
    Diagnosis
        ``status`` ``unmet``; empty ``details`` when every demand is served.
    """
    found = _read_elastic(built, data, form, sol)
    if not found.shortfalls:
        return Diagnosis("unmet", "every final demand is served", [])
    return Diagnosis(
        "unmet",
        _shortfall_summary(found.shortfalls, found.binding),
        found.shortfalls + found.binding,
    )


def _shortfall_summary(shortfalls: list[dict], binding: list[dict]) -> str:
    parts = [d["message"] for d in shortfalls[:3]]
    more = len(shortfalls) - 3
    summary = "; ".join(parts) + (f"; and {more} more shortfall(s)" if more > 0 else "")
    if binding:
        summary += ". Binding: " + ", ".join(
            d["limit"]
            + (f" ({_num(d['value'])} {d['unit']})" if d.get("value") is not None else "")
            for d in binding[:5]
        )
        if len(binding) > 5:
            summary += f" and {len(binding) - 5} more"
    return summary + "."


def diagnose_unbounded(m: pyo.ConcreteModel) -> Diagnosis:
    """Name the variable families that let the cost fall without limit."""
    form = compile_lp(m)
    lp = form.lp
    cost = np.asarray(lp.col_cost_, dtype=float)
    upper = np.asarray(lp.col_upper_, dtype=float)
    suspects: dict[str, list[str]] = {}
    for j in np.flatnonzero((cost < 0) & ~np.isfinite(upper)):
        var = form.columns[j]
        suspects.setdefault(var.parent_component().name, []).append(_index_text(var.index()))
    details: list[dict[str, Any]] = []
    for family, keys in suspects.items():
        shown = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
        details.append(
            {
                "kind": "unbounded_family",
                "family": family,
                "count": len(keys),
                "message": f"'{family}' has a negative cost and no upper bound at {shown}",
            }
        )
    ray = _primal_ray(form)
    if ray:
        details.append(
            {
                "kind": "ray",
                "variables": ray,
                "message": "the cost falls without limit along: " + ", ".join(ray[:8]),
            }
        )
    if suspects:
        summary = (
            "the cost can fall without limit: "
            + ", ".join(f"'{f}'" for f in suspects)
            + " earn(s) money per unit and nothing bounds it; check the sign of "
            "its costs or add a limit"
        )
    else:
        summary = (
            "the cost can fall without limit: some activity earns money or costs nothing "
            "while it frees something of value; check for negative costs or a missing "
            "bound"
        )
    return Diagnosis("unbounded", summary, details)


def diagnose_limit(m: pyo.ConcreteModel, data: ModelData, diagnosis: Diagnosis) -> Diagnosis:
    """Explain a solve that stopped without an answer: a time or iteration limit, or
    numerical trouble, with the coefficient ranges that make an LP hard for HiGHS."""
    form = compile_lp(m)
    ranges = _coefficient_ranges(form)
    details = [
        {
            "kind": "range",
            **r,
            "message": f"{r['what']}: from {_num(r['smallest'])} "
            f"({r['smallest_at']}) to {_num(r['largest'])} ({r['largest_at']}), "
            f"a ratio of {r['ratio']:.1e}",
        }
        for r in ranges
    ]
    wide = [r for r in ranges if r["ratio"] > WIDE_RANGE]
    solver = data.config.solver
    if diagnosis.status == "time_limit":
        summary = (
            f"{diagnosis.summary} after the limit of {solver.time_limit_s} s "
            "(solver.time_limit_s in the model file): raise it, or shorten the horizon "
            "or the regions to solve a smaller model"
        )
    else:
        summary = diagnosis.summary + ": HiGHS could not reach a reliable optimum"
    if wide:
        summary += (
            "; the LP is badly scaled: "
            + "; ".join(d["message"] for d in details if d["ratio"] > WIDE_RANGE)
            + ". Express the extreme quantities in other units (e.g. kt or GWh) or "
            "check those rows for a typing error"
        )
    elif diagnosis.status != "time_limit":
        summary += (
            "; the coefficients are well scaled, so try solver.options "
            "{solver: ipm} or {solver: simplex}"
        )
    return Diagnosis(diagnosis.status, summary + ".", details)


WIDE_RANGE = 1e9
"""Ratio of the largest to the smallest non-zero coefficient above which an LP is badly scaled."""


def _coefficient_ranges(form: StandardForm) -> list[dict[str, Any]]:
    """Smallest and largest non-zero magnitude of the matrix, costs and right-hand sides."""
    lp = form.lp
    out = []
    a = np.abs(np.asarray(lp.a_matrix_.value_, dtype=float))
    starts = np.asarray(lp.a_matrix_.start_)
    rows = np.asarray(lp.a_matrix_.index_)
    cols = np.repeat(np.arange(lp.num_col_), np.diff(starts))

    def var(j: int) -> str:
        v = form.columns[int(j)]
        return f"{v.parent_component().name}{_index_text(v.index())}"

    def row(i: int) -> str:
        c = form.rows[int(i)]
        return f"{c.parent_component().name}{_index_text(c.index())}"

    nz = np.flatnonzero(a > 0)
    if len(nz):
        lo, hi = nz[np.argmin(a[nz])], nz[np.argmax(a[nz])]
        out.append(
            {
                "what": "matrix coefficients",
                "smallest": float(a[lo]),
                "largest": float(a[hi]),
                "ratio": float(a[hi] / a[lo]),
                "smallest_at": f"{row(rows[lo])}, {var(cols[lo])}",
                "largest_at": f"{row(rows[hi])}, {var(cols[hi])}",
            }
        )
    cost = np.abs(np.asarray(lp.col_cost_, dtype=float))
    nz = np.flatnonzero(cost > 0)
    if len(nz):
        lo, hi = nz[np.argmin(cost[nz])], nz[np.argmax(cost[nz])]
        out.append(
            {
                "what": "objective coefficients",
                "smallest": float(cost[lo]),
                "largest": float(cost[hi]),
                "ratio": float(cost[hi] / cost[lo]),
                "smallest_at": var(lo),
                "largest_at": var(hi),
            }
        )
    bounds = np.concatenate(
        [np.asarray(lp.row_lower_, dtype=float), np.asarray(lp.row_upper_, dtype=float)]
    )
    mag = np.abs(bounds)
    nz = np.flatnonzero(np.isfinite(mag) & (mag > 0))
    if len(nz):
        lo, hi = nz[np.argmin(mag[nz])], nz[np.argmax(mag[nz])]
        out.append(
            {
                "what": "right-hand sides",
                "smallest": float(mag[lo]),
                "largest": float(mag[hi]),
                "ratio": float(mag[hi] / mag[lo]),
                "smallest_at": row(lo % lp.num_row_),
                "largest_at": row(hi % lp.num_row_),
            }
        )
    return out


# -- elastic re-solve -------------------------------------------------------------------------

RELAXATION_PENALTY = 1.0
"""Weight of a unit of violation of each policy limit in HiGHS' feasibility relaxation.

The relaxation minimises only the weighted violations, and every policy limit gets the
same weight, so any positive value gives the same relaxation; 1.0 keeps the relaxed LP
well scaled (with ``options.unmet_penalty``, 5e8 on the default model, dual simplex
stopped with "excessive dual values" on a 100 % recycled-content mandate)."""
PHYSICAL_FAMILIES = physical_rows()
"""Reported limits that describe plants and deposits: never relaxed, only named."""


@dataclasses.dataclass
class _Elastic:
    """What the elastic re-solve found."""

    shortfalls: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    binding: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    relax: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    note: str | None = None


def _elastic(data: ModelData) -> _Elastic:
    """Solve a copy of a model with hard demand in which demand may go unserved; return
    shortfalls and the limits that cause them.

    When that copy is infeasible too, the policy limits are made elastic as well
    (:func:`_policy_relaxation`).
    """
    from mfa.model.build import build_model
    from mfa.solve import read_solution

    options = data.config.options.model_copy(update={"allow_unmet": True})
    elastic = _with_options(data, options)
    built = build_model(elastic)
    form = compile_lp(built.model)
    h = hand_over(form, data.config.solver)
    run_highs(h)
    status = h.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        relax, note = _policy_relaxation(built, elastic, form, h)
        if status != highspy.HighsModelStatus.kInfeasible and not relax and note is None:
            note = (
                f"HiGHS ended the copy with unservable demand with status "
                f"'{h.modelStatusToString(status)}', so which demand cannot be met is not known"
            )
        return _Elastic(relax=relax, note=note)
    return _read_elastic(built, elastic, form, read_solution(h, form))


def _read_elastic(
    built: BuiltModel, data: ModelData, form: StandardForm, sol: Solution
) -> _Elastic:
    """Shortfalls and the limits that cause them, read from an optimal solution of a model
    in which demand may go unserved."""
    column_of = form.column_of
    found = _Elastic(shortfalls=_shortfalls(built, data, column_of, sol.col_value))
    if not found.shortfalls:
        return found
    threshold = relevance_threshold(built, data, found.shortfalls)
    state = _LpState(
        form.lp, sol.col_value, sol.col_dual, sol.row_value, sol.row_dual, form.row_of, column_of
    )
    binding = _binding_limits(built, data, state)
    relevant = [b for b in binding if b["dual"] >= threshold] or binding
    rank = _closeness(built, found.shortfalls)
    relevant.sort(key=lambda b: (rank(b), -b["dual"]))
    found.binding = relevant
    return found


RELEVANT_SHARE = 1e-3
"""Share of the smallest penalty of the demand left unserved above which a binding limit's
dual marks it as a cause of the shortfall (:func:`relevance_threshold`)."""


def relevance_threshold(
    built: BuiltModel, data: ModelData, shortfalls: list[dict[str, Any]]
) -> float:
    r"""The dual (discounted USD per unit of the limit) from which a binding limit counts as
    a cause of unserved demand.

    A limit that keeps demand from being served has a dual of the order of the penalty of
    the demand it keeps unserved: :math:`\pi_c` per unit of commodity :math:`c`
    (``unmet_penalty`` of the commodity, else ``options.unmet_penalty``, as the demand
    family prices it), discounted. The threshold is :data:`RELEVANT_SHARE` of the smallest
    of these over the commodities short, at the smallest discount factor of the horizon:

    .. math:: \theta = 10^{-3}\, \min_{c\ \text{short}} \pi_c\, \min_t \delta_t

    (about US$300 on the default model where CAM, US$1 M/t, is short; the global US$500 M
    gave US$150,000 whatever was short, and hid limits that leave tonnes unserved).
    """
    options = data.config.options
    penalty = data.param("unmet_penalty").to_dict()
    short = {d["commodity"] for d in shortfalls}
    smallest = min(
        (float(penalty.get(c, options.unmet_penalty)) for c in short),
        default=float(options.unmet_penalty),
    )
    return RELEVANT_SHARE * smallest * min(built.index.discount.values())


def _closeness(built: BuiltModel, shortfalls: list[dict[str, Any]]) -> Any:
    """Rank of a binding limit: 0 if it limits making a short commodity where it is short,
    1 if it sits in a short region, 2 otherwise (then by dual, largest first)."""
    short = {(d["commodity"], d["region"]) for d in shortfalls}
    regions = {r for _, r in short}
    makes = {p: {c for c, _ in spec.outputs} for p, spec in built.index.io.items()}

    def rank(b: dict[str, Any]) -> int:
        region = b.get("region", b.get("destination"))
        p = b.get("process")
        if p is not None and any((c, region) in short for c in makes.get(p, ())):
            return 0
        if region in regions or (b.get("index") and regions & set(map(str, b["index"]))):
            return 1
        return 2

    return rank


def _with_options(data: ModelData, options: Any) -> ModelData:
    return dataclasses.replace(data, config=data.config.model_copy(update={"options": options}))


def _policy_relaxation(
    built: BuiltModel, data: ModelData, form: StandardForm, h: highspy.Highs
) -> tuple[list[dict[str, Any]], str | None]:
    r"""The smallest relaxation of the policy limits that makes ``built`` feasible.

    HiGHS' ``feasibilityRelaxation`` on ``h`` (which holds ``form``): every policy row may
    be violated at :data:`RELAXATION_PENALTY` per unit (``a x \le b + z`` for an upper
    limit, ``a x \ge b - z`` for a lower one, :math:`z \ge 0`), every other row and every
    column bound is kept (a negative penalty: never relaxed), and HiGHS minimises the
    penalty-weighted violation. Demand stays as hard or as elastic as ``data`` says.

    Returns
    -------
    tuple
        The ``relax`` findings, largest first, and a note when no relaxation of the
        policy limits alone restores a solution.
    """
    families = set(_policy_families(built))
    policy = [i for i, con in enumerate(form.rows) if con.parent_component().name in families]
    if not policy:
        return [], "no policy limit is set: the physical limits alone conflict"
    penalty = np.full(len(form.rows), -1.0)
    penalty[policy] = RELAXATION_PENALTY
    status = h.feasibilityRelaxation(-1.0, -1.0, -1.0, None, None, penalty)
    lp = form.lp
    sol = h.getSolution()
    x = np.asarray(sol.col_value, dtype=float)
    value = np.asarray(sol.row_value, dtype=float)
    lower = np.asarray(lp.row_lower_, dtype=float)
    upper = np.asarray(lp.row_upper_, dtype=float)
    over = np.maximum(value - upper, lower - value)
    kept = np.ones(len(form.rows), dtype=bool)
    kept[policy] = False
    col_over = np.maximum(
        x - np.asarray(lp.col_upper_, dtype=float), np.asarray(lp.col_lower_, dtype=float) - x
    )
    scale = np.maximum(1.0, np.abs(np.where(np.isfinite(upper), upper, lower)))
    solved = status == highspy.HighsStatus.kOk and bool(sol.value_valid)
    feasible = bool((over[kept] <= 1e-6 * scale[kept]).all()) and bool(
        (col_over <= 1e-6 * np.maximum(1.0, np.abs(x))).all()
    )
    if solved and not feasible:  # HiGHS finished: no policy relaxation restores a solution
        return [], (
            "relaxing every policy limit does not help (the model stays infeasible): "
            "the physical limits (capacity, reserves, build limits) must change"
        )
    if not solved or not feasible:
        return [], (
            f"HiGHS' relaxation of every policy limit ended with status '{status.name}', so "
            "whether a policy limit causes this is not known"
        )
    return _relaxations(built, data, form, policy, over), None


def _shortfalls(
    built: BuiltModel, data: ModelData, column_of: Mapping[int, int], x: np.ndarray
) -> list[dict[str, Any]]:
    """Unserved final demand by (commodity, region, year), in the commodity's unit."""
    out: list[dict[str, Any]] = []
    index = built.index
    for key in index.unmet:
        col = column_of.get(id(built.model.unmet[key]))
        if col is None:
            continue
        short, demanded = float(x[col]), index.demand[key]
        if short <= SHORT_TOLERANCE * max(1.0, demanded):
            continue
        c, r, t = key
        unit = data.unit_of(c)
        out.append(
            {
                "kind": "shortfall",
                "commodity": c,
                "region": r,
                "year": int(t),
                "short": short,
                "demand": demanded,
                "unit": unit,
                "message": f"demand for {c} in {_region(data, r)} in {t} cannot be met: "
                f"{_num(short)} {unit} short of {_num(demanded)} {unit}",
            }
        )
    out.sort(key=lambda d: (d["year"], -d["short"]))
    return out


def _policy_families(built: BuiltModel) -> list[str]:
    return [d.name for d in built.rows() if d.name not in PHYSICAL_FAMILIES]


def _relaxations(
    built: BuiltModel,
    data: ModelData,
    form: StandardForm,
    rows: list[int],
    over: np.ndarray,
) -> list[dict[str, Any]]:
    """Policy rows violated in the relaxed solution: how far each must be relaxed
    (``over``: each row's distance beyond its bounds)."""
    out = []
    finite_lower = np.isfinite(np.asarray(form.lp.row_lower_, dtype=float))
    for i in rows:
        amount = float(over[i])
        if amount <= 1e-7:
            continue
        con = form.rows[i]
        family = con.parent_component().name
        name = _describe(family, con.index(), data, built)
        unit = _row_unit(built, family)
        direction = "raised" if finite_lower[i] else "loosened"
        out.append(
            {
                "kind": "relax",
                "family": family,
                "index": _plain_index(con.index()),
                "amount": amount,
                "unit": unit,
                "message": f"{name} must be {direction} by {_num(amount)} {unit}",
            }
        )
    out.sort(key=lambda d: -d["amount"])
    return out


def _row_unit(built: BuiltModel, family: str) -> str:
    """Unit of a policy row's left-hand side (the dual's unit without ``USD/``)."""
    for d in built.rows():
        if d.name == family:
            return d.unit.split("/", 1)[1] if "/" in d.unit else d.unit
    return "units"


@dataclasses.dataclass(frozen=True)
class _LpState:
    """An elastic solution in array form, with the maps from Pyomo components to positions."""

    lp: highspy.HighsLp
    x: np.ndarray
    col_dual: np.ndarray
    row_value: np.ndarray
    row_dual: np.ndarray
    row_of: Mapping[int, int]
    column_of: Mapping[int, int]

    def at_limit(self, i: int) -> bool:
        """Row ``i`` sits at a finite bound with a non-zero dual."""
        if abs(self.row_dual[i]) <= 1e-9:
            return False
        for bound in (self.lp.row_upper_[i], self.lp.row_lower_[i]):
            if np.isfinite(bound) and abs(self.row_value[i] - bound) <= 1e-7 * max(1.0, abs(bound)):
                return True
        return False


def _binding_limits(built: BuiltModel, data: ModelData, state: _LpState) -> list[dict[str, Any]]:
    """Every limit at its bound with a non-zero dual, named by what it means."""
    out: list[dict[str, Any]] = []
    act_unit = data.processes["activity_unit"].to_dict()
    index = built.index
    x, upper = state.x, np.asarray(state.lp.row_upper_, dtype=float)

    if hasattr(built.model, "capacity_limit"):
        for key, con in built.model.capacity_limit.items():
            i = state.row_of.get(id(con))
            if i is None or not state.at_limit(i):
                continue
            p, r, t = key
            used = float(x[state.column_of[id(built.model.activity[key])]])
            existing = index.capacity.get(key, 0.0)
            limit = f"capacity of {p} in {r} in {t}"
            added = used - existing
            how = (
                f"{_num(existing)} existing + {_num(added)} built"
                if added > 1e-9
                else "existing, nothing more can be built"
            )
            out.append(
                {
                    "kind": "binding",
                    "family": "capacity",
                    "process": p,
                    "region": r,
                    "year": int(t),
                    "value": used,
                    "unit": act_unit[p],
                    "dual": abs(float(state.row_dual[i])),
                    "limit": limit,
                    "message": f"{limit} is fully used: {_num(used)} {act_unit[p]} ({how})",
                }
            )
    if hasattr(built.model, "reserves_limit"):
        for key, con in built.model.reserves_limit.items():
            i = state.row_of.get(id(con))
            if i is None or not state.at_limit(i):
                continue
            p, r = key
            limit = f"reserves of {p} in {r}"
            out.append(
                {
                    "kind": "binding",
                    "family": "reserves",
                    "process": p,
                    "region": r,
                    "value": float(upper[i]),
                    "unit": act_unit[p],
                    "dual": abs(float(state.row_dual[i])),
                    "limit": limit,
                    "message": f"{limit} are exhausted: {_num(float(upper[i]))} "
                    f"{act_unit[p]} extracted over the horizon",
                }
            )
    for family in [*_policy_families(built), "dedicated_output"]:
        if not hasattr(built.model, family):
            continue
        for key, con in getattr(built.model, family).items():
            i = state.row_of.get(id(con))
            if i is None or not state.at_limit(i):
                continue
            limit = _describe(family, key, data, built)
            out.append(
                {
                    "kind": "binding",
                    "family": family,
                    "index": _plain_index(key),
                    "value": None,
                    "unit": _row_unit(built, family),
                    "dual": abs(float(state.row_dual[i])),
                    "limit": limit,
                    "message": f"{limit} binds",
                }
            )
    out += _bounds_at_limit(built, data, state, act_unit)
    return out


def _bounds_at_limit(
    built: BuiltModel, data: ModelData, state: _LpState, act_unit: dict[str, str]
) -> list[dict[str, Any]]:
    """Build limits and route limits (variable upper bounds) reached with a non-zero dual."""
    out: list[dict[str, Any]] = []
    index = built.index

    def reached(j: int | None, bound: float | None) -> bool:
        return (
            j is not None
            and bound is not None
            and abs(state.x[j] - bound) <= 1e-7 * max(1.0, bound)
            and abs(state.col_dual[j]) > 1e-9
        )

    for key in index.new_capacity:
        j = state.column_of.get(id(built.model.new_capacity[key]))
        bound = index.build_limit.get(key)
        if bound is not None and reached(j, bound):
            p, r, t = key
            limit = f"build limit of {p} in {r} in {t}"
            out.append(
                {
                    "kind": "binding",
                    "family": "build_limit",
                    "process": p,
                    "region": r,
                    "year": int(t),
                    "value": bound,
                    "unit": act_unit[p],
                    "dual": abs(float(state.col_dual[j])),
                    "limit": limit,
                    "message": f"{limit} is reached: {_num(bound)} {act_unit[p]} built",
                }
            )
    for key in data.param("trade_limit").to_dict():
        if key not in built.model.trade:
            continue
        var = built.model.trade[key]
        j = state.column_of.get(id(var))
        if reached(j, var.ub):
            c, o, d, t = key
            limit = f"route limit on {c} from {o} to {d} in {t}"
            unit = data.unit_of(c)
            out.append(
                {
                    "kind": "binding",
                    "family": "route_limit",
                    "commodity": c,
                    "origin": o,
                    "destination": d,
                    "year": int(t),
                    "value": var.ub,
                    "unit": unit,
                    "dual": abs(float(state.col_dual[j])),
                    "limit": limit,
                    "message": f"{limit} is reached: {_num(var.ub)} {unit} shipped",
                }
            )
    return out


# -- irreducible infeasible subset ------------------------------------------------------------


def _iis(
    built: BuiltModel, data: ModelData, form: StandardForm, h: highspy.Highs
) -> list[dict[str, Any]]:
    """Rows and bounds of an irreducible infeasible subset of ``form`` (held by ``h``),
    named by family and index."""
    try:
        h.setOptionValue("time_limit", IIS_TIME_LIMIT_S)
        h.setOptionValue("iis_strategy", IIS_STRATEGY)
        status, iis = h.getIis()
    except Exception:  # HiGHS' IIS is an aid: its failure must not hide the diagnosis
        return []
    if status != highspy.HighsStatus.kOk or not iis.valid_:
        return []
    out = []
    for i in iis.row_index_:
        con = form.rows[int(i)]
        name = _describe(con.parent_component().name, con.index(), data, built)
        out.append(
            {
                "kind": "conflict",
                "constraint": name,
                "family": con.parent_component().name,
                "index": _plain_index(con.index()),
                "message": f"in conflict: {name}",
            }
        )
    for j, bound in zip(iis.col_index_, iis.col_bound_, strict=False):
        var = form.columns[int(j)]
        if int(bound) not in _IIS_BOUND_UPPER or var.ub is None:
            continue  # a lower bound of 0 is the nature of a flow, not a limit to relax
        family = var.parent_component().name
        if family == "new_capacity":
            name = _describe("build_limit", var.index(), data, built)
        elif family == "trade":
            c, o, d, t = var.index()
            unit = data.unit_of(c)
            name = f"route limit on {c} from {o} to {d} in {t} ({_num(float(var.ub))} {unit})"
        else:
            name = f"upper bound of {family}{_index_text(var.index())}"
        out.append(
            {
                "kind": "conflict",
                "constraint": name,
                "family": family,
                "index": _plain_index(var.index()),
                "message": f"in conflict: {name}",
            }
        )
    return out


POLICY_WORDS = row_words()
"""Family -> (words with index positions, parameter table, its key order, how to show it)."""


def _describe(family: str, key: Any, data: ModelData, built: BuiltModel) -> str:
    """A constraint named by what it means and its index."""
    k = key if isinstance(key, tuple) else (key,)
    index = built.index
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
    if family in POLICY_WORDS:
        words, table, order, shown = POLICY_WORDS[family]
        try:
            text = words.format(*k)
        except IndexError:
            return f"{family}{_index_text(key)}"
        value = data.param(table).get(tuple(k[i] for i in order)) if table else None
        if value is None:
            return text
        if shown == "share":
            return f"{text} ({float(value):.0%})"
        return f"{text} ({_num(float(value))}{' ' + shown if shown != 'value' else ''})"
    return f"{family}{_index_text(key)}"


def _primal_ray(form: StandardForm) -> list[str]:
    """Variables with a non-zero entry in HiGHS' unbounded ray (empty if none given)."""
    try:
        h = make_highs(Solver(options={"solver": "simplex", "presolve": "off"}))
        h.passModel(form.lp)
        run_highs(h)
        got = h.getPrimalRay()  # type: ignore[attr-defined]  # not in highspy's stubs
        has, values = (got[1], got[2]) if len(got) == 3 else got
        if not has:
            return []
        values = np.asarray(values, dtype=float)[: len(form.columns)]
    except Exception:
        return []
    return [
        f"{form.columns[j].parent_component().name}{_index_text(form.columns[j].index())}"
        for j in np.flatnonzero(np.abs(values) > 1e-9)
    ]


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
