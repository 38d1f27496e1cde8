r"""Partnership family: joint-venture capacity and route limits.

Dedicated (joint-venture) capacity :math:`J_{prdt}` of process :math:`p` in
region :math:`r` serves destination :math:`d` only. It adds to the process's
capacity (see :mod:`mfa.model.capacity`), and whatever the process makes above
its other capacity must be shipped to the destinations it is dedicated to,
counted in its main (first) output :math:`c` with coefficient :math:`a`:

.. math::

    a\,\Big(x_{prt} - K_{prt} - \sum_{\tau} n_{pr\tau}\Big) \le \sum_{d} s_{c r d t}

Route limits (``trade_limit``) bound a shipment from above,
:math:`s_{codt} \le \bar s_{codt}` (0 closes a route, e.g. for end-of-life
batteries outside a recycling partnership). Tariffs by route are in
:mod:`mfa.model.trade`; technology transfer (``input_saving``,
``energy_saving``) in :mod:`mfa.model.process` and :mod:`mfa.model.environment`.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.model.built import BuiltModel, Family, Row
from mfa.model.capacity import alive_new_capacity


def add(built: BuiltModel) -> None:
    """Add the dedicated-output rows and route limits."""
    m, index, data = built.model, built.index, built.data
    for key, limit in data.param("trade_limit").to_dict().items():
        if key in m.trade:
            m.trade[key].setub(limit)

    destinations: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for (p, r, d, t), v in data.param("dedicated_capacity").to_dict().items():
        if v > 0 and (p, r, t) in m.activity:
            destinations[(p, r, t)].append(d)
    alive = alive_new_capacity(m, index)
    get = built.values.get

    def rule(_m: pyo.ConcreteModel, p: str, r: str, t: int) -> object:
        c, a = index.io[p].outputs[0]
        shipped = [m.trade[c, r, d, t] for d in destinations[(p, r, t)] if (c, r, d, t) in m.trade]
        new = alive.get((p, r, t), [])
        body = LinearExpression(
            linear_coefs=[a] + [-a] * len(new) + [-1.0] * len(shipped),
            linear_vars=[m.activity[p, r, t], *new, *shipped],
        )
        return body <= a * get("capacity", (p, r, t))

    m.dedicated_output = pyo.Constraint(sorted(destinations), rule=rule)


FAMILY = Family(
    name="partnership",
    add=add,
    switch="partnership",
    parameters=frozenset({"capacity"}),
    rows=(
        Row(
            "dedicated_output",
            ("process", "region", "year"),
            "USD/t",
            "<=",
            words="the joint-venture output rule of {0} in {1} in {2}",
            physical=True,
        ),
    ),
)
"""Its joint-venture capacity is reported with the rest in the ``capacity`` table of
:mod:`mfa.model.capacity`, whose rows hold it."""
