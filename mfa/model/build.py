"""Assemble the LP from :class:`ModelData`, in a fixed order, as array blocks.

Order: index sets (:mod:`mfa.model.index`), the core variables every family writes
terms on (activity, new capacity, substitute use, trade, unmet demand, excess), then
each constraint family of :mod:`mfa.model.families` that its switch leaves on adds its
own variables, rows and terms (variable and row blocks of the array LP,
:mod:`mfa.model.blocks`, and the shared collectors :class:`~mfa.model.terms.Terms`) and
returns its state, then the commodity balance and the objective are built from the
collected terms. The Pyomo model is made from the blocks only when it is asked for
(:attr:`BuiltModel.model <mfa.model.built.BuiltModel>`); with mutable ``Param`` tables it
is made at the start. Construction runs with Python's cyclic garbage collector paused, and
the objects it made are then moved to the collector's oldest generation in one step
(``gc.freeze`` and ``gc.unfreeze``) instead of being walked by the next young collection.
"""

from __future__ import annotations

import gc
from collections.abc import Collection
from time import perf_counter

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
        The LP as arrays (the Pyomo model on demand) with its index, terms, values, the
        state of each family that was switched on, and the build time.
    """
    start = perf_counter()
    with PauseGC():
        index = build_index(data)
        built = BuiltModel(data=data, index=index, terms=Terms(), values=Values(None, data))
        if mutable:  # Param components live on the Pyomo model: it is made at once
            built.values = Values(built.model, data, mutable)
        _add_variables(built, index)
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


def _add_variables(built: BuiltModel, index: ModelIndex) -> None:
    r"""Decision variables, all :math:`\ge 0`, over explicit sparse index lists."""
    built.add_variables("activity", index.activity, doc="process activity per year")
    built.add_variables(
        "new_capacity",
        index.new_capacity,
        lower=0.0,
        upper=[index.build_limit[k] for k in index.new_capacity],
        doc="capacity built in a year (activity units per year)",
    )
    built.add_variables("use", index.use, doc="substitute input use")
    built.add_variables("trade", index.trade, doc="shipment on a route")
    built.add_variables(
        "unmet",
        index.unmet,
        lower=0.0,
        upper=[index.demand[k] for k in index.unmet],
        doc="final demand not served (at most the demand)",
    )
    built.add_variables("excess", index.excess, doc="unused output or landfilled end of life")
