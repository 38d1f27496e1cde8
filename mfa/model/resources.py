r"""Resource family: cumulative extraction within reserves.

.. math:: \sum_{t} x_{prt} \le R_{pr}

for every mining process :math:`p` and region :math:`r` with a ``reserves`` row
(activity in tonnes of contained element).
"""

from __future__ import annotations

import pyomo.environ as pyo

from mfa.model.built import BuiltModel, Family, Row


def add(built: BuiltModel) -> None:
    """Add one cumulative-extraction row per (process, region) with reserves."""
    m, index = built.model, built.index
    values = built.values
    keys = [k for k in values.floats("reserves") if k in index.processes_in]

    def rule(_m: pyo.ConcreteModel, p: str, r: str) -> object:
        years = index.processes_in[(p, r)]
        return sum(m.activity[p, r, t] for t in years) <= values.get("reserves", (p, r))

    m.reserves_limit = pyo.Constraint(keys, rule=rule)


FAMILY = Family(
    name="resources",
    add=add,
    switch="resources",
    rows=(Row("reserves_limit", ("process", "region"), "USD/t", "<=", physical=True),),
    parameters=frozenset({"reserves"}),
)
