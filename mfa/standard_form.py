r"""Compile a Pyomo LP into HiGHS' column-wise sparse form, without an expression walk.

mfa builds every row as one :class:`~pyomo.core.expr.numeric_expr.LinearExpression`
(see :mod:`mfa.model.terms`), whose arguments already are the row's
``coefficient * variable`` terms. Reading them directly is 3-4x faster than
Pyomo's generic ``LinearStandardFormCompiler``, which walks each expression tree
(benchmarks/RESULTS.md). Any other body (rows added by the API or the diagnosis)
goes through Pyomo's ``generate_standard_repn``.

The LP handed to HiGHS is

.. math::

    \min_x\; c^\top x + c_0 \quad\text{s.t.}\quad
    \ell^{row} \le A x \le u^{row},\qquad \ell^{col} \le x \le u^{col}

with one row per active constraint (in declaration order, constants of the body
moved into the bounds) and one column per variable that the objective or a row
uses, ordered as Pyomo's own writers order them. Duplicate terms of a row are
summed; explicit zeros are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Number

import highspy
import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.standard_repn import generate_standard_repn

from mfa.model.values import number

_PLAIN = (float, int, np.float64)
_BOUND = (float, int, type(None))


@dataclass
class StandardForm:
    """A compiled LP and the Pyomo objects behind its columns and rows.

    Attributes
    ----------
    lp
        The ``HighsLp`` (column-wise matrix, mixed-sense rows).
    columns
        ``VarData`` of each column.
    rows
        ``ConstraintData`` of each row.
    column_of, row_of
        ``id(VarData) -> column`` and ``id(ConstraintData) -> row``.
    """

    lp: highspy.HighsLp
    columns: list
    rows: list
    column_of: dict[int, int]
    row_of: dict[int, int]


def _terms(body: object) -> tuple[list, list, float]:
    """``(coefficients, variables, constant)`` of a linear expression."""
    if body.__class__ is LinearExpression:
        args = body.args
        if all(arg.__class__ is MonomialTermExpression for arg in args):
            pairs = [arg.args for arg in args]
            return [c for c, _ in pairs], [x for _, x in pairs], 0.0
        coefs, xs, constant = [], [], 0.0
        for arg in args:
            if arg.__class__ is MonomialTermExpression:
                coef, var = arg.args
                coefs.append(coef)
                xs.append(var)
            elif isinstance(arg, Number) or not arg.is_potentially_variable():
                constant += number(arg)
            else:  # a bare variable
                coefs.append(1.0)
                xs.append(arg)
        return coefs, xs, constant
    if isinstance(body, Number):
        return [], [], float(body)
    repn = generate_standard_repn(body, compute_values=True, quadratic=False)
    if not repn.is_linear():
        raise ValueError(f"a non-linear expression reached the LP compiler: {body}")
    return list(repn.linear_coefs), list(repn.linear_vars), float(repn.constant or 0.0)


def compile_lp(m: pyo.ConcreteModel) -> StandardForm:
    """Compile the active constraints and the active objective of ``m``.

    Raises
    ------
    ValueError
        If ``m`` has no active objective or more than one, a non-linear row, or a
        term whose variable is not a component of ``m``.
    """
    objectives = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
    if len(objectives) != 1:
        raise ValueError(f"the model needs exactly one active objective, found {len(objectives)}")
    obj = objectives[0]
    obj_coefs, xs, offset = _terms(obj.expr)
    n_obj = len(xs)

    rows: list = []
    counts, coefs, lower, upper = [], [], [], []
    for con in m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        row_coefs, row_xs, constant = _terms(con.body)
        rows.append(con)
        counts.append(len(row_xs))
        coefs += row_coefs
        xs += row_xs
        lo, hi = con.lb, con.ub
        lower.append(-np.inf if lo is None else lo - constant)
        upper.append(np.inf if hi is None else hi - constant)

    columns, term_col = _columns(m, xs)
    n_col, n_row = len(columns), len(rows)
    values = np.fromiter(
        (c if c.__class__ in _PLAIN else number(c) for c in coefs), dtype=float, count=len(coefs)
    )
    row_index = np.repeat(np.arange(n_row, dtype=np.int32), counts)
    a = sp.csc_matrix((values, (row_index, term_col[n_obj:])), shape=(n_row, n_col))
    a.sum_duplicates()
    a.eliminate_zeros()
    cost = np.zeros(n_col)
    np.add.at(cost, term_col[:n_obj], np.asarray([number(c) for c in obj_coefs], dtype=float))

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = _column_bounds(columns)
    lp.row_lower_ = np.asarray(lower, dtype=float)
    lp.row_upper_ = np.asarray(upper, dtype=float)
    lp.offset_ = offset
    lp.sense_ = (
        highspy.ObjSense.kMaximize if obj.sense == pyo.maximize else highspy.ObjSense.kMinimize
    )
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    column_of = {id(v): j for j, v in enumerate(columns)}
    row_of = {id(con): i for i, con in enumerate(rows)}
    return StandardForm(lp, columns, rows, column_of, row_of)


def _columns(m: pyo.ConcreteModel, xs: list) -> tuple[list, np.ndarray]:
    """The LP's columns and the column of every term, ordered as Pyomo's writers order them:
    variable components in the order they are first met (objective, then rows), each
    component's data in index order, variables no term uses left out.

    The simplex path through a degenerate LP, and so which of several optimal solutions
    HiGHS returns, depends on the column order; this keeps mfa's solutions the same as
    through Pyomo's own compiler.
    """
    components = list(m.component_objects(pyo.Var, descend_into=True))
    every: list = []
    sizes = []
    for comp in components:
        data = list(comp.values())
        every += data
        sizes.append(len(data))
    position = {id(v): i for i, v in enumerate(every)}
    try:
        term_pos = np.fromiter(
            map(position.__getitem__, map(id, xs)), dtype=np.int64, count=len(xs)
        )
    except KeyError:
        raise ValueError("the LP uses a variable that is not a component of the model") from None
    component_of = np.repeat(np.arange(len(components)), sizes)
    first = np.full(len(components), len(term_pos), dtype=np.int64)
    np.minimum.at(first, component_of[term_pos], np.arange(len(term_pos)))
    rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")
    mask = np.zeros(len(every), dtype=bool)
    mask[term_pos] = True
    used = np.flatnonzero(mask)
    order = used[np.lexsort((used, rank[component_of[used]]))]
    column = np.empty(len(every), dtype=np.int64)
    column[order] = np.arange(len(order))
    return [every[i] for i in order], column[term_pos]


def _column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the columns (a fixed variable is held at its value).

    A variable whose own bounds are plain numbers (or none) takes the tighter of them
    and its domain's bounds, read from its slots (about 20x faster than ``Var.bounds``
    at a million columns); any other variable (bounds from mutable ``Param`` entries,
    or a Pyomo without these slots) goes through ``Var.bounds``.
    """
    lower = np.empty(len(columns))
    upper = np.empty(len(columns))
    domains: dict[int, tuple[float, float]] = {}
    for j, v in enumerate(columns):
        try:
            fixed, lo, hi, domain = v._fixed, v._lb, v._ub, v._domain
        except AttributeError:
            fixed, lo, hi, domain = v.fixed, None, None, None
        if fixed:
            lower[j] = upper[j] = v.value
            continue
        if domain is None or lo.__class__ not in _BOUND or hi.__class__ not in _BOUND:
            lo, hi = v.bounds
            lower[j] = -np.inf if lo is None else lo
            upper[j] = np.inf if hi is None else hi
            continue
        dom = domains.get(id(domain))
        if dom is None:
            d_lo, d_hi = domain.bounds()
            dom = domains[id(domain)] = (
                -np.inf if d_lo is None else d_lo,
                np.inf if d_hi is None else d_hi,
            )
        lower[j] = dom[0] if lo is None else max(lo, dom[0])
        upper[j] = dom[1] if hi is None else min(hi, dom[1])
    return lower, upper
