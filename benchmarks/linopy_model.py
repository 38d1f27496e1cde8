"""mfa's LP written in linopy, vectorised as a linopy user would.

Every variable family is one linopy variable over a flat coordinate (its sparse
key list; a dense product over commodities x regions x regions x years would be
3-4x larger for trade), with lower/upper bounds as arrays. Each row block of
:func:`benchmarks.prepare.prepare` becomes one constraint: the terms of every
family are multiplied by their coefficients and grouped onto the row
coordinate with ``expr.groupby(rows).sum()``, and the families are joined with
``linopy.merge(..., join="outer")``. Hand-over is linopy's direct highspy
interface (``io_api="direct"``), results are linopy's solution arrays.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import linopy
import numpy as np
import pandas as pd
import xarray as xr
from linopy.solvers import Solver

from benchmarks.highspy_model import prices_frame
from benchmarks.prepare import FAMILIES, Prepared, prepare
from mfa.inputs.data import ModelData

warnings.filterwarnings("ignore", module="linopy")


@dataclass
class LinopyModel:
    prep: Prepared
    m: linopy.Model


def _dim(fam: str) -> str:
    return f"{fam}_i"


def _lhs(v: dict[str, linopy.Variable], block_name: str, terms: list) -> linopy.LinearExpression:
    """Sum of ``coef * var[pos]`` grouped onto the block's rows.

    A variable that enters several rows of one block (activity in the balance of
    each of its outputs and inputs, new capacity in every year it is alive) is
    split into slots, so that each grouped expression takes every variable once.
    """
    row_dim = f"{block_name}_row"
    parts = []
    for t in terms:
        if not len(t.pos):
            continue
        slot = pd.Series(t.pos).groupby(t.pos).cumcount().to_numpy()
        for k in range(int(slot.max()) + 1):
            sel = slot == k
            pos = t.pos[sel]
            dim = _dim(t.family)
            coef = xr.DataArray(t.coef[sel], coords={dim: pos}, dims=dim)
            rows = xr.DataArray(t.row[sel], coords={dim: pos}, dims=dim, name=row_dim)
            var = v[t.family].sel({dim: pos})
            parts.append((coef * var).groupby(rows).sum())
    return parts[0] if len(parts) == 1 else linopy.merge(parts, join="outer")


def build(data: ModelData) -> LinopyModel:
    """Build the linopy model of ``data``."""
    prep = prepare(data)
    m = linopy.Model()
    v = {}
    for fam in FAMILIES:
        n = prep.sizes[fam]
        if not n:
            continue
        coords = [pd.RangeIndex(n, name=_dim(fam))]
        upper = prep.upper.get(fam, np.inf)
        if not np.isscalar(upper):
            upper = xr.DataArray(upper, coords=coords)
        v[fam] = m.add_variables(lower=0.0, upper=upper, coords=coords, name=fam)
    for b in prep.blocks:
        lhs = _lhs(v, b.name, b.terms)
        rhs = xr.DataArray(b.rhs, coords=[pd.RangeIndex(b.n, name=f"{b.name}_row")])
        m.add_constraints(lhs, b.sense, rhs, name=b.name)
    obj = [
        (xr.DataArray(prep.cost[f], coords=[v[f].indexes[_dim(f)]]) * v[f]).sum()
        for f in v
        if np.any(prep.cost[f])
    ]
    m.add_objective(linopy.merge(obj) if len(obj) > 1 else obj[0])
    return LinopyModel(prep, m)


def handover(lm: LinopyModel, options: dict, track_updates: bool = False) -> Solver:
    """linopy's direct interface: matrices to a ``highspy.Highs`` object."""
    opts = {"output_flag": False, **options}
    return Solver.from_name(
        "highs", model=lm.m, io_api="direct", options=opts, track_updates=track_updates
    )


def solve(lm: LinopyModel, solver: Solver) -> object:
    """Run HiGHS (the result is assigned to the model by :func:`assign`)."""
    return solver.solve()


def assign(lm: LinopyModel, solver: Solver, result: object) -> float:
    lm.m.assign_result(result, solver=solver)
    return float(lm.m.objective.value)


def extract(lm: LinopyModel) -> dict[str, pd.DataFrame]:
    """One table per variable family (keys + value) and the balance prices (undiscounted)."""
    index = lm.prep.index
    out = {}
    for fam, names in FAMILIES.items():
        n = lm.prep.sizes[fam]
        frame = (
            pd.DataFrame.from_records(getattr(index, fam), columns=names)
            if n
            else pd.DataFrame(columns=names)
        )
        frame["value"] = lm.m.variables[fam].solution.values if n else np.zeros(0)
        out[fam] = frame
    out["prices"] = prices_frame(lm.prep, lm.m.constraints["balance"].dual.values)
    return out


def set_demand(lm: LinopyModel, demand: np.ndarray) -> None:
    """Set the right-hand side of the balance rows to a new demand (sorted demand keys)."""
    b = lm.prep.block("balance")
    rhs = b.rhs.copy()
    rhs[lm.prep.demand_rows] = demand
    lm.m.constraints["balance"].update(
        rhs=xr.DataArray(rhs, coords=[pd.RangeIndex(b.n, name="balance_row")])
    )
