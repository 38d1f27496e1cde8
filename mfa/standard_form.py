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

_PLAIN = (float, int, np.float64)


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


def _number(value: object) -> float:
    """A coefficient as a float (mutable ``Param`` data and expressions are evaluated)."""
    return value if value.__class__ in _PLAIN else float(pyo.value(value))


def _terms(body: object) -> tuple[list, list, float]:
    """``(coefficients, variables, constant)`` of a linear expression."""
    if body.__class__ is LinearExpression:
        coefs, xs, constant = [], [], 0.0
        for arg in body.args:
            if arg.__class__ is MonomialTermExpression:
                coef, var = arg.args
                coefs.append(coef)
                xs.append(var)
            elif isinstance(arg, Number) or not arg.is_potentially_variable():
                constant += _number(arg)
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
        If ``m`` has no active objective or more than one, or a non-linear row.
    """
    column_of: dict[int, int] = {}
    columns: list = []

    def col(var: object) -> int:
        j = column_of.get(id(var))
        if j is None:
            j = column_of[id(var)] = len(columns)
            columns.append(var)
        return j

    objectives = list(m.component_data_objects(pyo.Objective, active=True, descend_into=True))
    if len(objectives) != 1:
        raise ValueError(f"the model needs exactly one active objective, found {len(objectives)}")
    obj = objectives[0]
    obj_coefs, obj_xs, offset = _terms(obj.expr)
    obj_cols = [col(x) for x in obj_xs]

    rows, row_of = [], {}
    counts, cols, vals, lower, upper = [], [], [], [], []
    for con in m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        coefs, xs, constant = _terms(con.body)
        row_of[id(con)] = len(rows)
        rows.append(con)
        counts.append(len(xs))
        cols += [col(x) for x in xs]
        vals += [c if c.__class__ in _PLAIN else _number(c) for c in coefs]
        lo, hi = con.lb, con.ub
        lower.append(-np.inf if lo is None else lo - constant)
        upper.append(np.inf if hi is None else hi - constant)

    columns, position = _pyomo_column_order(column_of, columns)
    n_col, n_row = len(columns), len(rows)
    row_index = np.repeat(np.arange(n_row, dtype=np.int32), counts)
    a = sp.csc_matrix((np.asarray(vals, dtype=float),
                       (row_index, position[np.asarray(cols, dtype=np.int64)])),
                      shape=(n_row, n_col))
    a.sum_duplicates()
    a.eliminate_zeros()
    cost = np.zeros(n_col)
    np.add.at(cost, position[np.asarray(obj_cols, dtype=np.int64)],
              np.asarray([_number(c) for c in obj_coefs], dtype=float))

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = _column_bounds(columns)
    lp.row_lower_ = np.asarray(lower, dtype=float)
    lp.row_upper_ = np.asarray(upper, dtype=float)
    lp.offset_ = offset
    lp.sense_ = (highspy.ObjSense.kMaximize if obj.sense == pyo.maximize
                 else highspy.ObjSense.kMinimize)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    return StandardForm(lp, columns, rows, column_of, row_of)


def _pyomo_column_order(column_of: dict[int, int], seen: list) -> tuple[list, np.ndarray]:
    """Order the columns as Pyomo's writers do: variable components in the order they are
    first met (objective, then rows), each component's data in index order.

    The simplex path through a degenerate LP, and so which of several optimal solutions
    HiGHS returns, depends on the column order; this keeps mfa's solutions the same as
    through Pyomo's own compiler. Updates ``column_of`` in place and returns the columns
    and ``position[first_seen] -> column``.
    """
    components = {}
    for var in seen:
        comp = var.parent_component()
        components.setdefault(id(comp), comp)
    position = np.empty(len(seen), dtype=np.int64)
    columns = []
    for comp in components.values():
        for var in comp.values():
            j = column_of.get(id(var))
            if j is not None:
                position[j] = len(columns)
                column_of[id(var)] = len(columns)
                columns.append(var)
    return columns, position


def _column_bounds(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper bounds of the columns (a fixed variable is held at its value)."""
    lower = np.empty(len(columns))
    upper = np.empty(len(columns))
    for j, v in enumerate(columns):
        if v.fixed:
            lower[j] = upper[j] = v.value
            continue
        lo, hi = v.bounds
        lower[j] = -np.inf if lo is None else lo
        upper[j] = np.inf if hi is None else hi
    return lower, upper
