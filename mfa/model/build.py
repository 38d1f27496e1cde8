"""Assemble the Pyomo model from :class:`ModelData`, in a fixed order.

Order: index sets (:mod:`mfa.model.index`), the core variables every family writes
terms on (activity, new capacity, substitute use, trade, unmet demand, excess), then
each constraint family of :mod:`mfa.model.families` that its switch leaves on adds its
own variables, rows and terms to the shared collectors
(:class:`~mfa.model.terms.Terms`) and returns its state, then the commodity balance
and the objective are built from the collected terms. Construction runs with Python's
cyclic garbage collector paused (measured 2.5x faster at 1M variables), and the objects it
made are then moved to the collector's oldest generation in one step (``gc.freeze`` and
``gc.unfreeze``) instead of being walked by the next young collection.
"""

from __future__ import annotations

import gc
from collections.abc import Collection
from time import perf_counter

import pyomo.environ as pyo
from pyomo.common.gc_manager import PauseGC

from mfa.inputs.data import ModelData
from mfa.model import balance, objective
from mfa.model.built import BuiltModel
from mfa.model.families import FAMILIES
from mfa.model.index import ModelIndex, build_index
from mfa.model.terms import Terms
from mfa.model.values import Values


def build_model(data: ModelData, mutable: Collection[str] = ()) -> BuiltModel:
    """Build the LP for ``data``.

    Parameters
    ----------
    data
        Validated model data.
    mutable
        Parameter tables to hold as mutable ``Param`` components, for sweeps
        that change them in place (see :mod:`mfa.model.values`).

    Returns
    -------
    BuiltModel
        The Pyomo model with its index, terms, values, the state of each family
        that was switched on, and the build time.
    """
    start = perf_counter()
    with PauseGC():
        index = build_index(data)
        m = pyo.ConcreteModel(name=data.name)
        values = Values(m, data, mutable)
        _add_variables(m, index)
        built = BuiltModel(model=m, data=data, index=index, terms=Terms(), values=values)
        switches = data.config.constraints
        for family in FAMILIES:
            if family.switch is None or getattr(switches, family.switch):
                built.declared.append(family)
                built.families[family.name] = family.add(built)
        balance.add(built)
        objective.add(built)
        # the model's million objects, all in the youngest generation now, move to the
        # oldest at once: otherwise the first collection after the pause walks them all
        # (0.3 s at 100k variables, charged to whatever runs next)
        gc.freeze()
        gc.unfreeze()
    built.build_seconds = perf_counter() - start
    return built


def _add_variables(m: pyo.ConcreteModel, index: ModelIndex) -> None:
    r"""Decision variables, all :math:`\ge 0`, over explicit sparse index lists.

    Each is indexed by a ``SetOf`` its list (no copy of the keys into a Pyomo ``Set``,
    which checks the dimension of every key: half the construction time)."""
    nn = pyo.NonNegativeReals
    m.activity = pyo.Var(pyo.SetOf(index.activity), domain=nn, doc="process activity per year")
    m.new_capacity = pyo.Var(
        pyo.SetOf(index.new_capacity),
        domain=nn,
        bounds=lambda _m, p, r, t: (0.0, index.build_limit[(p, r, t)]),
        doc="capacity built in a year (activity units per year)",
    )
    m.use = pyo.Var(pyo.SetOf(index.use), domain=nn, doc="substitute input use")
    m.trade = pyo.Var(pyo.SetOf(index.trade), domain=nn, doc="shipment on a route")
    m.unmet = pyo.Var(
        pyo.SetOf(index.unmet),
        domain=nn,
        bounds=lambda _m, c, r, t: (0.0, index.demand[(c, r, t)]),
        doc="final demand not served (at most the demand)",
    )
    m.excess = pyo.Var(
        pyo.SetOf(index.excess), domain=nn, doc="unused output or landfilled end of life"
    )
