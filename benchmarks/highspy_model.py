"""mfa's LP assembled directly as a sparse matrix and passed to highspy.

The "physical limit" of the comparison: :func:`benchmarks.prepare.prepare`
(numpy/pandas over mfa's index lists) gives every row block as coordinate
arrays; they are stacked into one scipy CSC matrix and handed to HiGHS with
``passModel``. Results are read back by slicing the column and dual arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
import scipy.sparse as sp

from benchmarks.prepare import FAMILIES, Prepared, prepare
from mfa.inputs.data import ModelData


@dataclass
class HighsModel:
    """The assembled LP: ``row_lower <= A x <= row_upper``, ``col_lower <= x <= col_upper``."""

    prep: Prepared
    a: sp.csc_matrix
    cost: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_start: dict[str, int]
    row_start: dict[str, int]

    @property
    def balance_demand_rows(self) -> np.ndarray:
        """Matrix rows of the balance rows that carry a demand (sorted demand keys)."""
        return self.row_start["balance"] + self.prep.demand_rows


def build(data: ModelData) -> HighsModel:
    """Prepare the arrays and assemble the CSC matrix."""
    prep = prepare(data)
    col_start, off = {}, 0
    for fam in FAMILIES:
        col_start[fam] = off
        off += prep.sizes[fam]
    ncol = off
    rows, cols, vals, lo, up, row_start = [], [], [], [], [], {}
    roff = 0
    for b in prep.blocks:
        row_start[b.name] = roff
        for t in b.terms:
            rows.append(t.row + roff)
            cols.append(t.pos + col_start[t.family])
            vals.append(t.coef)
        lo.append(b.rhs if b.sense == "==" else np.full(b.n, -np.inf))
        up.append(b.rhs)
        roff += b.n
    a = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(roff, ncol)
    )
    cost = np.concatenate([prep.cost[f] for f in FAMILIES])
    col_upper = np.full(ncol, np.inf)
    s = col_start["new_capacity"]
    col_upper[s : s + prep.sizes["new_capacity"]] = prep.upper["new_capacity"]
    return HighsModel(
        prep,
        a,
        cost,
        np.zeros(ncol),
        col_upper,
        np.concatenate(lo),
        np.concatenate(up),
        col_start,
        row_start,
    )


def handover(hm: HighsModel, options: dict) -> highspy.Highs:
    """A ``HighsLp`` from the arrays, passed to a new ``Highs`` with ``options``."""
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = hm.a.shape[1], hm.a.shape[0]
    lp.col_cost_ = hm.cost
    lp.col_lower_ = hm.col_lower
    lp.col_upper_ = hm.col_upper
    lp.row_lower_ = hm.row_lower
    lp.row_upper_ = hm.row_upper
    lp.sense_ = highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = hm.a.indptr
    lp.a_matrix_.index_ = hm.a.indices
    lp.a_matrix_.value_ = hm.a.data
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for k, v in options.items():
        h.setOptionValue(k, v)
    h.passModel(lp)
    return h


def extract(hm: HighsModel, h: highspy.Highs) -> dict[str, pd.DataFrame]:
    """One table per variable family (keys + value) and the balance prices (undiscounted)."""
    sol = h.getSolution()
    x = np.asarray(sol.col_value)
    duals = np.asarray(sol.row_dual)
    index = hm.prep.index
    out = {}
    for fam, names in FAMILIES.items():
        s, n = hm.col_start[fam], hm.prep.sizes[fam]
        frame = (
            pd.DataFrame.from_records(getattr(index, fam), columns=names)
            if n
            else pd.DataFrame(columns=names)
        )
        frame["value"] = x[s : s + n]
        out[fam] = frame
    out["prices"] = prices_frame(
        hm.prep, duals[hm.row_start["balance"] :][: hm.prep.block("balance").n]
    )
    return out


def prices_frame(prep: Prepared, duals: np.ndarray) -> pd.DataFrame:
    """Balance duals undiscounted to USD of their year, labelled (commodity, region, year)."""
    ny = len(prep.index.years)
    nr = len(prep.codes["region"])
    k = prep.balance_keys
    t = k % ny
    r = (k // ny) % nr
    c = k // (ny * nr)
    return pd.DataFrame(
        {
            "commodity": np.asarray(prep.codes["commodity"], dtype=object)[c],
            "region": np.asarray(prep.codes["region"], dtype=object)[r],
            "year": np.asarray(prep.index.years)[t],
            "value": duals / prep.discount[t],
        }
    )


def objective(h: highspy.Highs) -> float:
    return float(h.getInfo().objective_function_value)
