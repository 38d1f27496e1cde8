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

import pandas as pd
import pyomo.environ as pyo

from mfa.errors import MfaError
from mfa.inputs.data import ModelData


class StructureChanged(MfaError):
    """A new value cannot be set in place: the index of the model would change."""


class Values:
    """Access to parameter values: floats, or ``Param`` data for mutable tables.

    Parameters
    ----------
    m
        The model that receives the ``Param`` components.
    data
        Validated data.
    mutable
        Names of parameter tables to make mutable.
    """

    def __init__(self, m: pyo.ConcreteModel, data: ModelData, mutable: Collection[str] = ()):
        unknown = sorted(set(mutable) - set(data.params))
        if unknown:
            raise MfaError(
                f"cannot make unknown table(s) {unknown} mutable "
                f"(known: {', '.join(sorted(data.params))})"
            )
        self._data = data
        self._floats: dict[str, dict[Any, float]] = {}
        self._params: dict[str, pyo.Param] = {}
        for name in mutable:
            table = self.floats(name)
            param = pyo.Param(list(table), initialize=table, mutable=True, within=pyo.Reals)
            m.add_component(f"param_{name}", param)
            self._params[name] = param

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

    def set(self, name: str, series: pd.Series) -> None:
        """Set new values of a mutable table in place.

        Raises
        ------
        StructureChanged
            If ``series`` has an index entry the model was not built with.
        """
        param = self._params[name]
        new = dict(zip(series.index, series.to_numpy(dtype=float).tolist(), strict=True))
        extra = [k for k in new if k not in param]
        if extra:
            raise StructureChanged(
                f"table '{name}' gains entries the model was built "
                f"without, e.g. {extra[0]}: rebuild needed"
            )
        for key in param:
            param[key].set_value(new.get(key, 0.0))


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
