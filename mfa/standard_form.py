r"""Compile an LP into HiGHS' column-wise sparse form: from arrays, or from a Pyomo model.

:func:`compile_arrays` compiles the array LP the families write
(:class:`~mfa.model.blocks.ArrayLP`: variable blocks, row blocks of ``(row, column,
coefficient)`` triplets, the objective) without any Pyomo object. :func:`compile_lp`
compiles a Pyomo model as it stands (the model made from those arrays, with whatever a
user added): every row the families wrote is one
:class:`~pyomo.core.expr.numeric_expr.LinearExpression`, whose arguments already are the
row's ``coefficient * variable`` terms; reading them directly is 3-4x faster than Pyomo's
generic ``LinearStandardFormCompiler``, which walks each expression tree
(benchmarks/RESULTS.md). Any other body (rows added by a user or the diagnosis) goes
through Pyomo's ``generate_standard_repn``. Both give the same LP for the same model
(``tests/test_array_lp.py``).

The LP handed to HiGHS is

.. math::

    \min_x\; c^\top x + c_0 \quad\text{s.t.}\quad
    \ell^{row} \le A x \le u^{row},\qquad \ell^{col} \le x \le u^{col}

with one row per active constraint (in declaration order, constants of the body
moved into the bounds) and one column per variable that the objective or a row
uses, ordered as Pyomo's own writers order them. Duplicate terms of a row are
summed; explicit zeros are dropped.

When the model holds mutable ``Param`` components (sweeps, :mod:`mfa.model.values`; the
frontier's emission cap), the compiler also records where the LP depends on them
(:class:`Parametric`): the matrix entries :math:`(i, j)`, row bounds, column bounds and
costs whose value is an expression of ``Param`` entries, with each expression written as
an affine map :math:`v = M p + v_0` of the entries' values :math:`p` (terms that are not
affine in them, such as products of two tables, are evaluated one by one). After a change
of ``Param`` values, :meth:`Parametric.push` evaluates them all with one sparse product per
kind and changes, in the live ``highspy.Highs`` object, those that differ from the previous
push (``changeCoeff`` per matrix entry; ``changeRowsBounds``, ``changeColsBounds``,
``changeColsCost`` once each for all changed rows or columns; ``changeObjectiveOffset``), so
that a re-solve starts warm from the previous basis instead of rebuilding. A caller that
holds the ``Param`` values as arrays (a sweep) passes the vector :math:`p` itself
(:meth:`Parametric.slots`) instead of having it read entry by entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from numbers import Number
from operator import attrgetter
from typing import Any, Protocol

import highspy
import numpy as np
import pyomo.environ as pyo
from pyomo.core.base.param import ParamData
from pyomo.core.expr import numeric_expr as ne
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression
from pyomo.repn.standard_repn import generate_standard_repn

from mfa.model.blocks import ArrayLP
from mfa.model.values import number
from mfa.sparse import sp

_PLAIN = (float, int, np.float64)
_BOUND = (float, int, type(None))
_FLOATS = {float, int}
_MONOMIAL = {MonomialTermExpression}
_ARGS = attrgetter("_args_")
"""The (coefficient, variable) pair of a ``MonomialTermExpression``, read without the
``args`` property."""


class StandardForm:
    """A compiled LP, where its columns and rows come from, and the Pyomo objects behind them.

    Attributes
    ----------
    lp
        The ``HighsLp`` (column-wise matrix, mixed-sense rows).
    layout
        Where each variable and row block of the model is in the LP (:class:`ArrayLayout`
        or :class:`ModelLayout`).
    parametric
        Where the LP depends on mutable ``Param`` values (``None`` when the model has
        no mutable ``Param``).
    columns, rows
        ``VarData`` of each column and ``ConstraintData`` of each row (for an LP compiled
        from arrays, read on first use: that makes the Pyomo model).
    column_of, row_of
        ``id(VarData) -> column`` and ``id(ConstraintData) -> row`` (made on first use).
    """

    def __init__(
        self,
        lp: highspy.HighsLp,
        objects: Callable[[], tuple[list, list]],
        layout: Layout,
        parametric: Parametric | None = None,
    ) -> None:
        self.lp = lp
        self.layout = layout
        self.parametric = parametric
        self._objects = objects
        self._columns: list | None = None
        self._rows: list = []
        self.column_of: Mapping[int, int] = LazyMap(
            lambda: dict(zip(map(id, self.columns), range(len(self.columns)), strict=True))
        )
        self.row_of: Mapping[int, int] = LazyMap(
            lambda: dict(zip(map(id, self.rows), range(len(self.rows)), strict=True))
        )

    @property
    def columns(self) -> list:
        if self._columns is None:
            self._columns, self._rows = self._objects()
        return self._columns

    @property
    def rows(self) -> list:
        self.columns  # noqa: B018  # read together
        return self._rows


class LazyMap(Mapping):
    """A dict made on first use by ``make``."""

    def __init__(self, make: Callable[[], dict]) -> None:
        self._make = make
        self._made: dict | None = None

    def _dict(self) -> dict:
        if self._made is None:
            self._made = self._make()
        return self._made

    def __getitem__(self, key: Any) -> Any:
        return self._dict()[key]

    def get(self, key: Any, default: Any = None) -> Any:
        return self._dict().get(key, default)

    def __iter__(self) -> Iterator:
        return iter(self._dict())

    def __len__(self) -> int:
        return len(self._dict())


class Layout(Protocol):
    """Where the model's variable and row blocks are in a compiled LP."""

    def columns(self, name: str, keys: Sequence) -> np.ndarray:
        """The LP column of ``name[k]`` for each of ``keys`` (-1 where not in the LP)."""
        ...

    def rows(self, name: str, keys: Sequence) -> np.ndarray:
        """The LP row of ``name[k]`` for each of ``keys`` (-1 where not written)."""
        ...

    def of_terms(self, xs: Sequence, resolve: Callable[[Any], Any]) -> np.ndarray:
        """The LP column of each term variable ``xs`` (a global column of the array LP or a
        ``VarData``; ``resolve`` gives the ``VarData`` of a global column)."""
        ...


class ArrayLayout:
    """The :class:`Layout` of an LP compiled from an :class:`~mfa.model.blocks.ArrayLP`.

    ``column`` is the LP column of every global column (-1: unused, left out)."""

    def __init__(self, arrays: ArrayLP, column: np.ndarray) -> None:
        self.arrays = arrays
        self.column = column

    def columns(self, name: str, keys: Sequence) -> np.ndarray:
        block = self.arrays.variables[name]
        start = block.offset
        if keys is block.keys or list(keys) == block.keys:
            return self.column[start : start + len(block.keys)]
        positions = np.fromiter(
            (block.position(k) if k in block else -1 for k in keys), dtype=np.int64, count=len(keys)
        )
        out = np.where(positions >= 0, self.column[start + positions.clip(0)], -1)
        return out

    def rows(self, name: str, keys: Sequence) -> np.ndarray:
        block = self.arrays.constraints[name]
        if keys is block.keys or list(keys) == block.keys:
            return np.arange(block.offset, block.offset + len(block.keys))
        where = {k: i for i, k in enumerate(block.keys)}
        return np.fromiter(
            (block.offset + where[k] if k in where else -1 for k in keys),
            dtype=np.int64,
            count=len(keys),
        )

    def of_terms(self, xs: Sequence, resolve: Callable[[Any], Any]) -> np.ndarray:
        return self.column[np.asarray(xs, dtype=np.int64)]


class ModelLayout:
    """The :class:`Layout` of an LP compiled from a Pyomo model: blocks found by name on
    the model, and their data by ``id``."""

    def __init__(self, m: pyo.ConcreteModel, form: StandardForm) -> None:
        self.m = m
        self.form = form

    def columns(self, name: str, keys: Sequence) -> np.ndarray:
        var = getattr(self.m, name)
        if len(keys) == len(var) and list(var.keys()) == list(keys):
            data = var.values()
        else:
            data = (var[k] for k in keys)
        get = self.form.column_of.get
        return np.fromiter(map(get, map(id, data), repeat(-1)), dtype=np.int64, count=len(keys))

    def rows(self, name: str, keys: Sequence) -> np.ndarray:
        con = getattr(self.m, name)
        get = self.form.row_of.get
        return np.fromiter(
            (get(id(con[k]), -1) if k in con else -1 for k in keys), dtype=np.int64, count=len(keys)
        )

    def of_terms(self, xs: Sequence, resolve: Callable[[Any], Any]) -> np.ndarray:
        get = self.form.column_of.get
        return np.fromiter((get(id(resolve(x)), -1) for x in xs), dtype=np.int64, count=len(xs))


Term = tuple[float, Any]
"""``(scale, expression)``: one part of a ``Param``-dependent quantity."""


class Affine:
    """Many sums of ``Param`` expressions, evaluated together as :math:`M p + v_0`.

    Each quantity is a list of :data:`Term`; the parts affine in the ``Param`` entries
    (entries, sums, negations, products and quotients with plain numbers) go into the
    sparse matrix :math:`M` over the entries :math:`p` met so far (``params``, shared by
    every :class:`Affine` of one :class:`Parametric`); any other part is kept and
    evaluated with :func:`mfa.model.values.number` (products of two tables).
    """

    def __init__(self, quantities: Sequence[list[Term]], params: dict[int, ParamData]) -> None:
        self.params = params
        self.const = np.zeros(len(quantities))
        self.other: list[tuple[int, float, Any]] = []
        rows: list[int] = []
        pids: list[int] = []
        vals: list[float] = []
        for i, parts in enumerate(quantities):
            for scale, expr in parts:
                coefs: dict[int, float] = {}
                constant = _affine(expr, coefs, scale, params)
                if constant is None:
                    self.other.append((i, scale, expr))
                    continue
                self.const[i] += constant
                rows += [i] * len(coefs)
                pids += list(coefs)
                vals += list(coefs.values())
        self._rows, self._pids, self._vals = rows, pids, vals
        self._matrix: sp.csr_matrix | None = None

    def __len__(self) -> int:
        return len(self.const)

    def values(self, p: np.ndarray) -> np.ndarray:
        """Every quantity for ``Param`` values ``p`` (in the order of ``params``)."""
        if self._matrix is None:  # the columns are fixed once every Affine is made
            position = {k: j for j, k in enumerate(self.params)}
            cols = [position[k] for k in self._pids]
            self._matrix = sp.csr_matrix(
                (self._vals, (self._rows, cols)), shape=(len(self.const), max(len(position), 1))
            )
        q = np.zeros(self._matrix.shape[1])
        q[: len(p)] = p
        out = self._matrix @ q + self.const
        for i, scale, expr in self.other:
            out[i] += scale * number(expr)
        return out


def _affine(expr: Any, out: dict[int, float], scale: float, params: dict[int, Any]) -> float | None:
    """Add ``scale * expr`` to ``out`` (``id(ParamData) -> coefficient``) and return its
    constant part, or ``None`` when ``expr`` is not affine in the ``Param`` entries."""
    cls = expr.__class__
    if cls in _PLAIN:
        return scale * float(expr)
    if isinstance(expr, ParamData):
        params.setdefault(id(expr), expr)
        out[id(expr)] = out.get(id(expr), 0.0) + scale
        return 0.0
    if isinstance(expr, ne.SumExpression):
        total = 0.0
        for arg in expr.args:
            constant = _affine(arg, out, scale, params)
            if constant is None:
                return None
            total += constant
        return total
    if isinstance(expr, ne.NegationExpression):
        return _affine(expr.args[0], out, -scale, params)
    if isinstance(expr, ne.ProductExpression):
        a, b = expr.args
        for plain, other in ((a, b), (b, a)):
            if plain.__class__ in _PLAIN:
                return _affine(other, out, scale * float(plain), params)
        return None
    if isinstance(expr, ne.DivisionExpression):
        a, b = expr.args
        if b.__class__ in _PLAIN:
            return _affine(a, out, scale / float(b), params)
        return None
    if not expr.is_potentially_variable() and expr.is_constant():
        return scale * float(pyo.value(expr))
    return None


@dataclass
class Parametric:
    r"""Where a compiled LP depends on mutable ``Param`` values, and how to update it.

    Attributes
    ----------
    coef_rows, coef_cols
        Matrix entries :math:`(i, j)` with a ``Param`` term; ``coefs`` their values (all
        terms of the entry, plain ones included, since duplicate terms are summed).
    bound_rows
        Rows whose lower or upper bound depends on a ``Param`` (through the constraint's
        bounds or a constant of its body); ``row_lower``, ``row_upper`` their bounds.
    bound_columns
        Columns whose variable has a ``Param`` expression as a bound; ``col_lower``,
        ``col_upper`` those bounds (:math:`\mp\infty` where none), taken within the
        variable's domain ``domain_lower``, ``domain_upper`` (as ``Var.bounds`` does).
    cost_cols
        Columns with a ``Param`` term in the objective; ``costs`` their coefficients.
    offset
        The objective's constant.
    params
        ``id(ParamData) -> ParamData`` of every entry met, in the order of the vector
        :math:`p` that :meth:`push` takes.
    """

    coef_rows: np.ndarray
    coef_cols: np.ndarray
    coefs: Affine
    bound_rows: np.ndarray
    row_lower: Affine
    row_upper: Affine
    bound_columns: np.ndarray
    col_lower: Affine
    col_upper: Affine
    domain_lower: np.ndarray
    domain_upper: np.ndarray
    cost_cols: np.ndarray
    costs: Affine
    offset: Affine
    params: dict[int, ParamData] = field(default_factory=dict)
    _pushed: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        """How many numbers of the LP depend on ``Param`` values."""
        return (
            len(self.coefs)
            + 2 * len(self.bound_rows)
            + 2 * len(self.bound_columns)
            + len(self.cost_cols)
            + 1
        )

    def read(self) -> np.ndarray:
        """The vector :math:`p`: the current value of every entry of ``params``."""
        return np.fromiter(
            (x.value for x in self.params.values()), dtype=float, count=len(self.params)
        )

    def slots(self, entries: Sequence[ParamData]) -> np.ndarray:
        """The position in :math:`p` of each of ``entries`` (-1 where the LP does not use
        it), so that a caller holding a table's values as an array can update :math:`p`
        with one indexed assignment instead of reading every entry."""
        position = {k: j for j, k in enumerate(self.params)}
        return np.fromiter(
            (position.get(id(e), -1) for e in entries), dtype=np.int64, count=len(entries)
        )

    def push(self, h: highspy.Highs, p: np.ndarray | None = None) -> int:
        """Evaluate every ``Param``-dependent number at the values :math:`p` (by default
        read from the ``Param`` entries) and change in ``h`` those that differ from what
        the previous push wrote (all of them the first time): one call per kind of number
        (``changeRowsBounds``, ``changeColsBounds``, ``changeColsCost``), one
        ``changeCoeff`` per changed matrix entry (HiGHS has no call for many).

        The record of what was pushed belongs to one ``Highs`` object: push into the one
        the LP was handed to, and into no other.

        Returns
        -------
        int
            How many items it wrote: matrix entries, rows (both bounds), columns (both
            bounds), costs, and 1 for the objective's constant.
        """
        if p is None:
            p = self.read()
        changed = 0
        if len(self.coef_rows):
            k, values = self._changed("coefs", self.coefs.values(p))
            rows, cols = self.coef_rows[k].tolist(), self.coef_cols[k].tolist()
            for i, j, v in zip(rows, cols, values[k].tolist(), strict=True):
                h.changeCoeff(i, j, v)
            changed += len(k)
        if len(self.bound_rows):
            k, lower, upper = self._changed(
                "rows", self.row_lower.values(p), self.row_upper.values(p)
            )
            if len(k):
                h.changeRowsBounds(  # type: ignore[attr-defined]  # not in highspy's stubs
                    len(k), self.bound_rows[k], lower[k], upper[k]
                )
            changed += len(k)
        if len(self.bound_columns):
            k, lower, upper = self._changed(
                "columns",
                np.maximum(self.col_lower.values(p), self.domain_lower),
                np.minimum(self.col_upper.values(p), self.domain_upper),
            )
            if len(k):
                h.changeColsBounds(len(k), self.bound_columns[k], lower[k], upper[k])
            changed += len(k)
        if len(self.cost_cols):
            k, costs = self._changed("costs", self.costs.values(p))
            if len(k):
                h.changeColsCost(len(k), self.cost_cols[k], costs[k])
            changed += len(k)
        k, offset = self._changed("offset", self.offset.values(p))
        if len(k):
            h.changeObjectiveOffset(float(offset[0]))
        return changed + len(k)

    def _changed(self, kind: str, *values: np.ndarray) -> tuple[np.ndarray, ...]:
        """Positions where any of ``values`` differs from what was pushed of ``kind``
        (every position the first time), then ``values``; records ``values`` as pushed."""
        stacked = np.vstack(values)
        before = self._pushed.get(kind)
        if before is None:
            where = np.arange(stacked.shape[1])
        else:
            # NaN != NaN: a NaN is pushed again, HiGHS reports it
            where = np.flatnonzero((stacked != before).any(axis=0))
        self._pushed[kind] = stacked[0] if len(values) == 1 else stacked
        return (where, *values)


def _terms(body: Any, track: bool = False) -> tuple[Sequence, Sequence, float, list[Term]]:
    """``(coefficients, variables, constant, Param parts of the constant)`` of a linear
    expression; with ``track`` the coefficients and the constant keep their ``Param``
    expressions (the constant's value includes them either way)."""
    if body.__class__ is LinearExpression:
        args = body.args
        if {*map(type, args)} <= _MONOMIAL:  # every term a coefficient * variable
            if not args:
                return [], [], 0.0, []
            pair_coefs, pair_xs = zip(*map(_ARGS, args), strict=True)
            return pair_coefs, pair_xs, 0.0, []
        coefs: list = []
        xs: list = []
        constant, parts = 0.0, []
        for arg in args:
            if arg.__class__ is MonomialTermExpression:
                coef, var = arg.args
                coefs.append(coef)
                xs.append(var)
            elif isinstance(arg, Number) or not arg.is_potentially_variable():
                constant += number(arg)
                if track and _is_param(arg):
                    parts.append((1.0, arg))
            else:  # a bare variable
                coefs.append(1.0)
                xs.append(arg)
        return coefs, xs, constant, parts
    if isinstance(body, Number):
        return [], [], number(body), []
    repn = generate_standard_repn(body, compute_values=not track, quadratic=False)
    if not repn.is_linear():
        raise ValueError(f"a non-linear expression reached the LP compiler: {body}")
    const = repn.constant if repn.constant is not None else 0.0
    parts = [(1.0, const)] if track and _is_param(const) else []
    return list(repn.linear_coefs), list(repn.linear_vars), number(const), parts


def _is_param(expr: Any) -> bool:
    """Whether ``expr`` is an expression of mutable ``Param`` entries (not a constant)."""
    return expr.__class__ not in _BOUND and not (isinstance(expr, Number) or expr.is_constant())


def _has_mutable_params(m: pyo.ConcreteModel) -> bool:
    return any(p.mutable for p in m.component_objects(pyo.Param, descend_into=True))


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
    track = _has_mutable_params(m)
    obj_coefs, obj_xs, offset, offset_parts = _terms(obj.expr, track)
    xs = list(obj_xs)
    n_obj = len(xs)

    rows: list = []
    counts: list[int] = []
    coefs: list = []
    lower: list[float] = []
    upper: list[float] = []
    bound_rows: list[int] = []
    bound_lower: list[list[Term]] = []
    bound_upper: list[list[Term]] = []
    for con in m.component_data_objects(pyo.Constraint, active=True, descend_into=True):
        lo, body, hi = con.to_bounded_expression(evaluate_bounds=True)  # con.lb, body, con.ub
        row_coefs, row_xs, constant, parts = _terms(body, track)
        if track:
            lo_expr, hi_expr = con.lower, con.upper
            if parts or _is_param(lo_expr) or _is_param(hi_expr):
                minus = [(-scale, e) for scale, e in parts]
                bound_rows.append(len(rows))
                bound_lower.append(_bound_terms(lo_expr, -np.inf, constant, minus))
                bound_upper.append(_bound_terms(hi_expr, np.inf, constant, minus))
        rows.append(con)
        counts.append(len(row_xs))
        coefs += row_coefs
        xs += row_xs
        lower.append(-np.inf if lo is None else lo - constant)
        upper.append(np.inf if hi is None else hi - constant)

    columns, term_col = _columns(m, xs)
    n_col, n_row = len(columns), len(rows)
    values = _numbers(coefs)
    row_index = np.repeat(np.arange(n_row, dtype=np.int32), counts)
    a = sp.csc_matrix((values, (row_index, term_col[n_obj:])), shape=(n_row, n_col))
    a.sum_duplicates()
    a.eliminate_zeros()
    cost = np.zeros(n_col)
    np.add.at(cost, term_col[:n_obj], _numbers(obj_coefs))

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
    parametric = None
    if track:
        parametric = _parametric(
            coefs,
            row_index,
            term_col,
            n_obj,
            obj_coefs,
            (offset, offset_parts),
            (bound_rows, bound_lower, bound_upper),
            columns,
        )
    form = StandardForm(lp, lambda: (columns, rows), None, parametric)  # type: ignore[arg-type]
    form.layout = ModelLayout(m, form)
    return form


def compile_arrays(arrays: ArrayLP, objects: Callable[[], tuple[list, list]]) -> StandardForm:
    """Compile an :class:`~mfa.model.blocks.ArrayLP` into the LP that :func:`compile_lp`
    gives for the Pyomo model made from it (the same columns, rows, order and numbers),
    without a Pyomo object.

    ``objects`` gives the ``VarData`` of every global column and the ``ConstraintData`` of
    every global row when the Pyomo objects behind the LP are asked for.

    Raises
    ------
    ValueError
        If ``arrays`` has no objective.
    """
    if arrays.objective is None:
        raise ValueError("the model needs exactly one active objective, found 0")
    obj_cols, obj_coefs = arrays.objective
    blocks = list(arrays.constraints.values())
    empty = np.zeros(0, dtype=np.int64)
    row_g = np.concatenate([empty, *(b.offset + b.row for b in blocks)])
    col_g = np.concatenate([empty, *(b.col for b in blocks)])
    coef = np.concatenate([np.zeros(0), *(np.asarray(b.coef, dtype=float) for b in blocks)])
    variables = list(arrays.variables.values())
    order = _column_order(variables, obj_cols, row_g, col_g, arrays.n_columns)
    column = np.full(arrays.n_columns, -1, dtype=np.int64)
    column[order] = np.arange(len(order))

    n_col, n_row = len(order), arrays.n_rows
    a = sp.csc_matrix((coef, (row_g, column[col_g])), shape=(n_row, n_col))
    a.sum_duplicates()
    a.eliminate_zeros()
    cost = np.zeros(n_col)
    np.add.at(cost, column[obj_cols], np.asarray(obj_coefs, dtype=float))
    bounds = [v.bounds() for v in variables]
    col_lower = np.concatenate([np.zeros(0), *(lo for lo, _ in bounds)])[order]
    col_upper = np.concatenate([np.zeros(0), *(hi for _, hi in bounds)])[order]
    row_lower, row_upper = [np.zeros(0)], [np.zeros(0)]
    for b in blocks:
        rhs = np.asarray(b.rhs, dtype=float)
        infinite = np.full(len(rhs), np.inf)
        row_lower.append(-infinite if b.sense == "<=" else rhs)
        row_upper.append(infinite if b.sense == ">=" else rhs)

    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_col, n_row
    lp.col_cost_ = cost
    lp.col_lower_, lp.col_upper_ = col_lower, col_upper
    lp.row_lower_ = np.concatenate(row_lower)
    lp.row_upper_ = np.concatenate(row_upper)
    lp.offset_ = 0.0
    lp.sense_ = highspy.ObjSense.kMinimize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data

    def pyomo_objects() -> tuple[list, list]:
        data, rows = objects()
        return [data[j] for j in order.tolist()], rows

    return StandardForm(lp, pyomo_objects, ArrayLayout(arrays, column))


def _column_order(
    variables: list, obj_cols: np.ndarray, row_g: np.ndarray, col_g: np.ndarray, n: int
) -> np.ndarray:
    """The global columns of the LP's columns, in the order Pyomo's writers give them (see
    :func:`_columns`): blocks in the order the objective and then the rows (in row order,
    each row's terms in the order given) first use them, each block's variables in key
    order, unused ones left out.

    A block's first use is the pair (first objective term, or the objective's length
    plus its first row, then its first term's place within that row), found without
    sorting the terms."""
    n_blocks = len(variables)
    block_of = np.repeat(np.arange(n_blocks), [len(v.keys) for v in variables])
    in_objective = np.full(n_blocks, len(obj_cols), dtype=np.int64)
    np.minimum.at(in_objective, block_of[obj_cols], np.arange(len(obj_cols)))
    first_row = np.full(n_blocks, np.iinfo(np.int64).max, dtype=np.int64)  # unused
    term_block = block_of[col_g]
    np.minimum.at(first_row, term_block, row_g)
    unused = np.iinfo(np.int64).max
    firsts: list[tuple[tuple[int, int, int], int]] = []
    for b in range(n_blocks):
        if in_objective[b] < len(obj_cols):
            firsts.append(((int(in_objective[b]), 0, 0), b))
        elif first_row[b] < unused:
            in_row = np.flatnonzero(row_g == first_row[b])
            place = int(np.flatnonzero(term_block[in_row] == b)[0])
            firsts.append(((len(obj_cols), int(first_row[b]), place), b))
    ranked = [b for _, b in sorted(firsts)]
    mask = np.zeros(n, dtype=bool)
    mask[obj_cols] = True
    mask[col_g] = True
    starts = np.concatenate([[0], np.cumsum([len(v.keys) for v in variables])])
    return np.concatenate(
        [np.zeros(0, dtype=np.int64)]
        + [starts[b] + np.flatnonzero(mask[starts[b] : starts[b + 1]]) for b in ranked]
    )


def _numbers(coefs: Sequence) -> np.ndarray:
    """Coefficients as floats (an expression of ``Param`` entries at its current value)."""
    if {*map(type, coefs)} <= _FLOATS:
        return np.array(coefs, dtype=float)
    return np.fromiter(
        (c if c.__class__ in _PLAIN else number(c) for c in coefs), dtype=float, count=len(coefs)
    )


def _bound_terms(bound: Any, infinite: float, constant: float, minus: list[Term]) -> list[Term]:
    """A row bound as terms: the constraint's bound less the ``Param`` parts of the body's
    constant (its plain part is subtracted as a number)."""
    if bound is None:
        return [(1.0, infinite)]
    plain = constant + sum(scale * number(e) for scale, e in minus)
    return [(1.0, bound), (1.0, -plain), *minus]


def _parametric(
    coefs: list,
    row_index: np.ndarray,
    term_col: np.ndarray,
    n_obj: int,
    obj_coefs: Sequence,
    offset: tuple[float, list[Term]],
    bounds: tuple[list[int], list[list[Term]], list[list[Term]]],
    columns: list,
) -> Parametric:
    """The record of every ``Param``-dependent number (see :class:`Parametric`)."""
    params: dict[int, ParamData] = {}
    row_cols = term_col[n_obj:]
    marked = np.fromiter((c.__class__ not in _PLAIN for c in coefs), dtype=bool, count=len(coefs))
    # every term of an entry that has a Param term: duplicates of an entry are summed
    entry = row_index.astype(np.int64) * max(len(columns), 1) + row_cols
    keys, inverse = np.unique(entry, return_inverse=True)
    has_param = np.zeros(len(keys), dtype=bool)
    has_param[inverse[marked]] = True
    chosen = np.flatnonzero(has_param[inverse])
    slot = np.full(len(keys), -1, dtype=np.int64)
    slot[has_param] = np.arange(int(has_param.sum()))
    quantities: list[list[Term]] = [[] for _ in range(int(has_param.sum()))]
    for k in chosen.tolist():
        quantities[slot[inverse[k]]].append((1.0, coefs[k]))
    entries = keys[has_param]
    coef_rows = (entries // max(len(columns), 1)).astype(np.int32)
    coef_cols = (entries % max(len(columns), 1)).astype(np.int32)

    cost_terms: dict[int, list[Term]] = {}
    obj_cols = term_col[:n_obj]
    for c, j in zip(obj_coefs, obj_cols.tolist(), strict=True):
        cost_terms.setdefault(j, []).append((1.0, c))
    cost_cols = [j for j, parts in cost_terms.items() if any(_is_param(e) for _, e in parts)]

    constant, parts = offset
    plain = constant - sum(scale * number(e) for scale, e in parts)
    bound_rows, lower, upper = bounds
    bound_columns, col_lower, col_upper, domain_lower, domain_upper = [], [], [], [], []
    for j, v in enumerate(columns):
        lo, hi = _own_bounds(v)
        if v.fixed or not (_is_param(lo) or _is_param(hi)):
            continue
        d_lo, d_hi = v.domain.bounds()
        bound_columns.append(j)
        col_lower.append([(1.0, -np.inf if lo is None else lo)])
        col_upper.append([(1.0, np.inf if hi is None else hi)])
        domain_lower.append(-np.inf if d_lo is None else d_lo)
        domain_upper.append(np.inf if d_hi is None else d_hi)
    return Parametric(
        coef_rows=coef_rows,
        coef_cols=coef_cols,
        coefs=Affine(quantities, params),
        bound_rows=np.asarray(bound_rows, dtype=np.int32),
        row_lower=Affine(lower, params),
        row_upper=Affine(upper, params),
        bound_columns=np.asarray(bound_columns, dtype=np.int32),
        col_lower=Affine(col_lower, params),
        col_upper=Affine(col_upper, params),
        domain_lower=np.asarray(domain_lower, dtype=float),
        domain_upper=np.asarray(domain_upper, dtype=float),
        cost_cols=np.asarray(cost_cols, dtype=np.int32),
        costs=Affine([cost_terms[j] for j in cost_cols], params),
        offset=Affine([[(1.0, plain), *parts]], params),
        params=params,
    )


def _own_bounds(v: Any) -> tuple[Any, Any]:
    """The bounds given to a variable (numbers, ``Param`` expressions or ``None``), without
    its domain's: read from its slots, or through ``Var.lower``/``Var.upper`` (which fold
    the domain in) on a Pyomo without them."""
    try:
        return v._lb, v._ub
    except AttributeError:
        return v.lower, v.upper


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
    # the position of every term's variable in `every`, matched by id() with sorted arrays
    every_id = np.fromiter(map(id, every), dtype=np.uint64, count=len(every))
    term_id = np.fromiter(map(id, xs), dtype=np.uint64, count=len(xs))
    by_id = np.argsort(every_id, kind="stable")
    found = np.searchsorted(every_id[by_id], term_id).clip(0, max(len(every) - 1, 0))
    term_pos = by_id[found] if len(every) else np.zeros(0, dtype=np.int64)
    if len(xs) and (not len(every) or (every_id[term_pos] != term_id).any()):
        raise ValueError("the LP uses a variable that is not a component of the model")
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
    and its domain's bounds, read from its slots and combined with numpy (about 20x
    faster than ``Var.bounds`` at a million columns); any other variable (bounds from
    mutable ``Param`` entries, or a Pyomo without these slots) goes through ``Var.bounds``.
    """
    try:
        fixed = list(map(_FIXED, columns))
        lbs = list(map(_LB, columns))
        ubs = list(map(_UB, columns))
        domains = list(map(_DOMAIN, columns))
    except AttributeError:
        return _column_bounds_one_by_one(columns)
    if not {*map(type, lbs), *map(type, ubs)} <= _PLAIN_BOUND or any(d is None for d in domains):
        return _column_bounds_one_by_one(columns)
    lower = np.array([-np.inf if b is None else b for b in lbs], dtype=float)
    upper = np.array([np.inf if b is None else b for b in ubs], dtype=float)
    first: dict[int, int] = {}  # id(domain) -> its slot
    slot = np.fromiter(
        (first.setdefault(id(d), len(first)) for d in domains), dtype=np.int64, count=len(domains)
    )
    dom_lower = np.empty(len(first))
    dom_upper = np.empty(len(first))
    for d, k in zip({id(d): d for d in domains}.values(), range(len(first)), strict=True):
        d_lo, d_hi = d.bounds()
        dom_lower[k] = -np.inf if d_lo is None else d_lo
        dom_upper[k] = np.inf if d_hi is None else d_hi
    lower = np.maximum(lower, dom_lower[slot])
    upper = np.minimum(upper, dom_upper[slot])
    for j in np.flatnonzero(np.fromiter(fixed, dtype=bool, count=len(fixed))).tolist():
        lower[j] = upper[j] = columns[j].value
    return lower, upper


def _column_bounds_one_by_one(columns: list) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_column_bounds` through ``Var.bounds``, variable by variable."""
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


_FIXED, _LB, _UB, _DOMAIN = (attrgetter(a) for a in ("_fixed", "_lb", "_ub", "_domain"))
_PLAIN_BOUND = {float, int, type(None)}
