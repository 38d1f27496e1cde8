"""The built model: the Pyomo model and everything the build knows about it.

:func:`mfa.model.build.build_model` returns a :class:`BuiltModel`. Nothing is hung on
the Pyomo model itself: the index lists, the collected terms, the parameter values
and each constraint family's own record (its ``state``: what it needs to report what
it wrote) travel beside it, in this object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyomo.environ as pyo

from mfa.inputs.data import ModelData
from mfa.model.index import ModelIndex
from mfa.model.terms import Terms
from mfa.model.values import Values


@dataclass
class BuiltModel:
    """A built LP and what it was built from.

    Attributes
    ----------
    model
        The Pyomo model: variables, rows and objective only.
    data
        The validated data it was built from.
    index
        Sparse index lists and lookups (:class:`~mfa.model.index.ModelIndex`).
    terms
        Balance and cost terms and the reported duals (:class:`~mfa.model.terms.Terms`).
    values
        Parameter values as the families read them (floats, or mutable ``Param``).
    families
        Family name -> the state its ``add`` returned (``None`` for a family that keeps
        none); only the families that were switched on.
    build_seconds
        Wall time of the build.
    """

    model: pyo.ConcreteModel
    data: ModelData
    index: ModelIndex
    terms: Terms
    values: Values
    families: dict[str, Any] = field(default_factory=dict)
    build_seconds: float = 0.0

    def state(self, family: str) -> Any:
        """The state family ``family`` recorded, or ``None`` (switched off, or keeps none)."""
        return self.families.get(family)
