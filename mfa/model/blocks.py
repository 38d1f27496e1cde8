r"""The LP as arrays: blocks of variables, blocks of rows, one objective.

Constraint families that are written over index arrays declare their variables as a
:class:`VarBlock` (name, keys, bounds) and their rows as a :class:`RowBlock` (keys, sense,
right-hand sides and the ``(row, column, coefficient)`` triplets of their terms) in one
:class:`ArrayLP`. A column is numbered once, globally: the variables of the blocks in the
order they were declared, each block's in the order of its keys, so that block ``b``'s key
at position ``k`` is column ``b.offset + k``.

:func:`mfa.standard_form.compile_arrays` turns an :class:`ArrayLP` into the LP handed to
HiGHS without any Pyomo object; :meth:`ArrayLP.materialise` builds the Pyomo model from
the same blocks (one ``Var`` per variable block over a ``SetOf`` its keys, one
``Constraint`` per row block, each row one ``LinearExpression``, and the objective), in
the order they were declared, so that :func:`mfa.standard_form.compile_lp` of that model
gives the same LP (``tests/test_array_lp.py``).

A row block of sense ``==``, ``<=`` or ``>=`` with right-hand sides :math:`b` is

.. math:: \sum_j a_{ij} x_j \;\{=, \le, \ge\}\; b_i

and a variable block bounds its variables by :math:`\ell \le x \le u` within its domain.
Coefficients, bounds and right-hand sides are numbers, or, in a model built with mutable
``Param`` tables (:mod:`mfa.model.values`), expressions of ``Param`` entries: such a model
is materialised from the start and compiled through Pyomo.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression


@dataclass
class VarBlock:
    """One variable component: its keys, bounds, domain and first global column.

    ``lower`` and ``upper`` are the variables' own bounds (``None`` for none), one per key
    or one for all; the domain's bounds apply as well.
    """

    name: str
    keys: list
    lower: Any
    upper: Any
    domain: Any
    doc: str
    offset: int
    _position: dict | None = None

    def position(self, key: Any) -> int:
        """The position of ``key`` in :attr:`keys` (``KeyError`` when absent)."""
        if self._position is None:
            self._position = dict(zip(self.keys, range(len(self.keys)), strict=True))
        return self._position[key]

    def __contains__(self, key: Any) -> bool:
        if self._position is None:
            self._position = dict(zip(self.keys, range(len(self.keys)), strict=True))
        return key in self._position

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds of every variable, its domain's included (floats)."""
        n = len(self.keys)
        lower = _full(self.lower, n, -np.inf)
        upper = _full(self.upper, n, np.inf)
        d_lo, d_hi = self.domain.bounds()
        return (
            np.maximum(lower, -np.inf if d_lo is None else d_lo),
            np.minimum(upper, np.inf if d_hi is None else d_hi),
        )


def _full(bound: Any, n: int, infinite: float) -> np.ndarray:
    if bound is None:
        return np.full(n, infinite)
    if isinstance(bound, int | float):
        return np.full(n, float(bound))
    return np.array([infinite if b is None else b for b in bound], dtype=float)


@dataclass
class RowBlock:
    """One constraint component: the rows written and their terms.

    Attributes
    ----------
    index
        The component's index (rows skipped included).
    keys
        The rows written, in order.
    sense
        ``==``, ``<=`` or ``>=``.
    rhs
        One right-hand side per row of ``keys``.
    row, col, coef
        One entry per term: its row (position in ``keys``), global column and coefficient.
    offset
        Global number of its first row.
    """

    name: str
    index: list
    keys: list
    sense: str
    rhs: Sequence
    row: np.ndarray
    col: np.ndarray
    coef: Sequence
    offset: int


@dataclass
class ArrayLP:
    """Variable blocks, row blocks and the objective, in the order they were declared."""

    variables: dict[str, VarBlock] = field(default_factory=dict)
    constraints: dict[str, RowBlock] = field(default_factory=dict)
    objective: tuple[np.ndarray, Sequence] | None = None
    objective_name: str = "total_cost"
    n_columns: int = 0
    n_rows: int = 0
    order: list[VarBlock | RowBlock | str] = field(default_factory=list)

    def add_variables(
        self,
        name: str,
        keys: list,
        lower: Any = None,
        upper: Any = None,
        domain: Any = pyo.Reals,
        doc: str = "",
    ) -> VarBlock:
        """Declare the variables ``name[k]`` for ``keys``; their columns follow the last."""
        block = VarBlock(name, keys, lower, upper, domain, doc, self.n_columns)
        self.variables[name] = block
        self.n_columns += len(keys)
        self.order.append(block)
        return block

    def add_rows(
        self,
        name: str,
        keys: list,
        sense: str,
        rhs: Sequence,
        row: Any,
        col: Any,
        coef: Sequence,
        index: list | None = None,
    ) -> RowBlock:
        """Declare the rows ``name[k]`` for ``keys`` with terms ``(row, col, coef)``."""
        if sense not in ("==", "<=", ">="):
            raise ValueError(f"row block '{name}': sense must be ==, <= or >=, not {sense!r}")
        block = RowBlock(
            name,
            keys if index is None else index,
            keys,
            sense,
            rhs,
            np.asarray(row, dtype=np.int64),
            np.asarray(col, dtype=np.int64),
            coef,
            self.n_rows,
        )
        if len(block.row) != len(block.col) or len(block.col) != len(coef):
            raise ValueError(f"row block '{name}': rows, columns and coefficients differ in length")
        self.constraints[name] = block
        self.n_rows += len(keys)
        self.order.append(block)
        return block

    def set_objective(self, cols: Any, coefs: Sequence, name: str = "total_cost") -> None:
        """The objective :math:`\\min \\sum_k c_k x_{j_k}` (columns ``cols``, each once)."""
        self.objective = (np.asarray(cols, dtype=np.int64), coefs)
        self.objective_name = name
        self.order.append(name)

    def columns(self, name: str) -> np.ndarray:
        """The global columns of block ``name``, in the order of its keys."""
        block = self.variables[name]
        return np.arange(block.offset, block.offset + len(block.keys))

    def column(self, name: str, key: Any) -> int:
        """The global column of ``name[key]``."""
        block = self.variables[name]
        return block.offset + block.position(key)

    def materialise(self, m: pyo.ConcreteModel) -> list:
        """Add every block to ``m`` in the order declared; return the ``VarData`` of every
        global column."""
        data: list = []
        for item in self.order:
            if isinstance(item, VarBlock):
                data += add_var(m, item)
            elif isinstance(item, RowBlock):
                add_constraint(m, item, data)
            else:
                add_objective(m, item, self.objective, data)  # type: ignore[arg-type]
        return data


def add_var(m: pyo.ConcreteModel, block: VarBlock) -> list:
    """The Pyomo ``Var`` of ``block`` on ``m``; returns its data in key order."""
    var = pyo.Var(pyo.SetOf(block.keys), domain=block.domain, doc=block.doc or None)
    m.add_component(block.name, var)
    data = list(var.values())
    n = len(data)
    for bound, setter in ((block.lower, "setlb"), (block.upper, "setub")):
        if bound is None:
            continue
        values = [bound] * n if np.isscalar(bound) else bound
        for v, b in zip(data, values, strict=True):
            getattr(v, setter)(b)
    return data


def add_constraint(m: pyo.ConcreteModel, block: RowBlock, data: Sequence) -> None:
    """The Pyomo ``Constraint`` of ``block`` on ``m``, its variables from ``data`` (the
    ``VarData`` of every column ``block.col`` names)."""
    order = np.argsort(block.row, kind="stable")
    counts = np.bincount(block.row, minlength=len(block.keys))
    cols = block.col[order].tolist()
    given = block.coef.tolist() if isinstance(block.coef, np.ndarray) else block.coef
    coefs = [given[k] for k in order.tolist()]
    rhs_all = block.rhs.tolist() if isinstance(block.rhs, np.ndarray) else block.rhs
    xs = [data[j] for j in cols]
    exprs: dict = {}
    start = 0
    for key, n, rhs in zip(block.keys, counts.tolist(), rhs_all, strict=True):
        body = LinearExpression(
            linear_coefs=coefs[start : start + n], linear_vars=xs[start : start + n]
        )
        start += n
        exprs[key] = _relation(body, block.sense, rhs)
    skip = pyo.Constraint.Skip

    def rule(_m: pyo.ConcreteModel, *key: Any) -> Any:
        return exprs.get(key if len(key) > 1 else key[0], skip)

    m.add_component(block.name, pyo.Constraint(block.index, rule=rule))


def _relation(body: Any, sense: str, rhs: Any) -> Any:
    if sense == "==":
        return body == rhs
    if sense == "<=":
        return body <= rhs
    return body >= rhs


def add_objective(
    m: pyo.ConcreteModel, name: str, objective: tuple[np.ndarray, Sequence], data: Sequence
) -> None:
    """The objective ``name`` (minimised) on ``m``."""
    cols, coefs = objective
    xs = [data[j] for j in cols.tolist()]
    given = coefs.tolist() if isinstance(coefs, np.ndarray) else list(coefs)
    expr = LinearExpression(linear_coefs=given, linear_vars=xs)
    m.add_component(name, pyo.Objective(expr=expr, sense=pyo.minimize))
