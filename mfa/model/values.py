"""Parameter values as the constraint families see them.

For a single solve every value is a plain float (the fastest construction).
For a sweep, the tables named in ``mutable`` become mutable Pyomo ``Param``
components (``m.param_<table>``): the families then place the ``Param`` in
the row, bound or objective coefficient, so a sample changes the value in
place and the persistent solver pushes only that change to HiGHS instead of
rebuilding the model.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.core.base.param import ParamData

from mfa.errors import MfaError
from mfa.inputs.data import ModelData


class StructureChanged(MfaError):
    """A new value cannot be set in place: the index of the model would change."""


class Values:
    """Access to parameter values: floats, or ``Param`` data for mutable tables.

    Parameters
    ----------
    m
        The model that receives the ``Param`` components (``None`` when none is mutable).
    data
        Validated data.
    mutable
        Names of parameter tables to make mutable.
    """

    def __init__(
        self, m: pyo.ConcreteModel | None, data: ModelData, mutable: Collection[str] = ()
    ) -> None:
        unknown = sorted(set(mutable) - set(data.params))
        if unknown:
            raise MfaError(
                f"cannot make unknown table(s) {unknown} mutable "
                f"(known: {', '.join(sorted(data.params))})"
            )
        self._data = data
        self._floats: dict[str, dict[Any, float]] = {}
        self._params: dict[str, pyo.Param] = {}
        self._tables: dict[str, _Table] = {}
        for name in mutable:
            assert m is not None, "mutable tables need the Pyomo model"
            table = self.floats(name)
            param = pyo.Param(list(table), initialize=table, mutable=True, within=pyo.Reals)
            m.add_component(f"param_{name}", param)
            self._params[name] = param
            self._tables[name] = _Table(param, data.param(name))

    def floats(self, name: str) -> dict[Any, float]:
        """The table as a dict of floats (built once per table)."""
        if name not in self._floats:
            series = self._data.param(name)
            self._floats[name] = dict(
                zip(series.index, series.to_numpy(dtype=float).tolist(), strict=True)
            )
        return self._floats[name]

    def is_mutable(self, name: str) -> bool:
        """Whether ``name`` is a mutable table in this model."""
        return name in self._params

    def get(self, name: str, key: Hashable, default: float = 0.0) -> Any:
        """Value of ``name`` at ``key``: a float, or the ``Param`` entry when mutable."""
        param = self._params.get(name)
        if param is not None and key in param:
            return param[key]
        return self.floats(name).get(key, default)

    def get_many(self, name: str, keys: Iterable[Hashable], default: float = 0.0) -> list[Any]:
        """:meth:`get` for many keys (one dict look-up each when ``name`` is not mutable)."""
        if name in self._params:
            return [self.get(name, key, default) for key in keys]
        get = self.floats(name).get
        return [get(key, default) for key in keys]

    def entries(self, name: str) -> list[ParamData]:
        """The ``Param`` entries of the mutable table ``name``, in the order of
        :meth:`array` (the order of the table the model was built with)."""
        return self._tables[name].entries

    def array(self, name: str) -> np.ndarray:
        """The current values of the mutable table ``name``, one per entry of :meth:`entries`
        (read-only)."""
        return self._tables[name].current

    def set(self, name: str, series: pd.Series) -> np.ndarray:
        """Set new values of a mutable table in place (an entry ``series`` lacks becomes 0).

        The values are aligned to the entries by position when ``series`` has the index the
        model was built with (the usual case: a sweep's draw scales values in place), else
        by label; only the entries whose value changed are written into the ``Param``.

        Returns
        -------
        numpy.ndarray
            Positions (in :meth:`entries`) of the entries whose value changed.

        Raises
        ------
        StructureChanged
            If ``series`` has an index entry the model was not built with.
        """
        table = self._tables[name]
        new = table.align(series)
        if new is None:
            param = self._params[name]
            extra = next(k for k in series.index if k not in param)
            raise StructureChanged(
                f"table '{name}' gains entries the model was built "
                f"without, e.g. {extra}: rebuild needed"
            )
        changed = np.flatnonzero(new != table.current)
        if len(changed):
            table.write(self._params[name], changed, new[changed].tolist())
            table.current = new
            new.flags.writeable = False
        return changed


class _Table:
    """A mutable table's entries in a fixed order, with their current values.

    Parameters
    ----------
    param
        The table's ``Param`` (built from ``series``).
    series
        The table the model was built with.
    """

    def __init__(self, param: pyo.Param, series: pd.Series) -> None:
        self.keys = list(param.keys())
        self.entries: list[ParamData] = [param[k] for k in self.keys]
        self.current = np.fromiter((e.value for e in self.entries), dtype=float)
        self.current.flags.writeable = False
        # the Param is built from the table in its order: then a label's position in the
        # table's index is its entry's position
        self.index = series.index if self.keys == list(series.index) else None
        self.position = {k: i for i, k in enumerate(self.keys)} if self.index is None else {}

    def write(self, param: pyo.Param, positions: np.ndarray, values: list[float]) -> None:
        """Write ``values`` into the entries at ``positions``.

        Straight into each entry's value slot, as ``Param.store_values(..., check=False)``
        does, but from the entries held here instead of a dict by key (4-5x faster at 20,000
        entries: no key hashing); through ``store_values`` on a Pyomo without the slot.
        """
        if positions.size and hasattr(self.entries[0], "_value"):
            chosen = [self.entries[i] for i in positions.tolist()]
            for entry, value in zip(chosen, values, strict=True):
                entry._value = value
        else:
            keys = self.keys
            param.store_values(
                dict(zip([keys[i] for i in positions.tolist()], values, strict=True)), check=False
            )

    def align(self, series: pd.Series) -> np.ndarray | None:
        """The values of ``series`` in the order of :attr:`keys` (0 where absent), or
        ``None`` when ``series`` has a label that is not a key."""
        values = series.to_numpy(dtype=float)
        if self.index is not None and (
            series.index is self.index or series.index.equals(self.index)
        ):
            return values.copy()
        if self.index is not None:
            where = self.index.get_indexer(series.index)
        else:
            where = np.fromiter(
                (self.position.get(k, -1) for k in series.index), dtype=np.int64, count=len(series)
            )
        if (where < 0).any():
            return None
        out = np.zeros(len(self.keys))
        out[where] = values
        return out


def is_zero(value: Any) -> bool:
    """True for a float equal to 0 (a ``Param`` entry is never treated as zero)."""
    return isinstance(value, float | int) and value == 0.0


def _evaluator(cls: type) -> Any:
    """How to evaluate an expression node of class ``cls`` (see :func:`number`)."""
    from pyomo.core.base.param import ParamData
    from pyomo.core.expr import numeric_expr as ne

    if issubclass(cls, ParamData):
        return lambda e: e.value
    if issubclass(cls, ne.ProductExpression):
        return lambda e: number(e.args[0]) * number(e.args[1])
    if issubclass(cls, ne.SumExpression):
        return lambda e: sum(number(a) for a in e.args)
    if issubclass(cls, ne.NegationExpression):
        return lambda e: -number(e.args[0])
    if issubclass(cls, ne.DivisionExpression):
        return lambda e: number(e.args[0]) / number(e.args[1])
    return pyo.value


_EVALUATORS: dict[type, Any] = {float: float, int: float}


def number(expr: Any) -> float:
    """Value of a float or of an expression of mutable ``Param`` entries.

    The same as ``pyo.value`` for the product, sum, negation and division trees the
    families build from ``Param`` entries and floats, without Pyomo's generic
    expression walker (about 10x faster; sweeps evaluate every coefficient that
    depends on a ``Param`` after each change).
    """
    cls = expr.__class__
    ev = _EVALUATORS.get(cls)
    if ev is None:
        ev = _EVALUATORS[cls] = _evaluator(cls)
    return ev(expr)
