r"""Partnership family: joint-venture capacity and route limits.

Dedicated (joint-venture) capacity :math:`J_{prdt}` of process :math:`p` in
region :math:`r` serves destination :math:`d` only. It adds to the process's
capacity (see :mod:`mfa.model.capacity`), and whatever the process makes above
its other capacity must be shipped to the destinations it is dedicated to,
counted in its main (first) output :math:`c` with coefficient :math:`a`:

.. math::

    a\,\Big(x_{prt} - K_{prt} - \sum_{\tau} n_{pr\tau}\Big) \le \sum_{d} s_{c r d t}

The joint venture is built for the partnership, so it pays what a plant the model builds
pays: the annuity of the investment cost :math:`I_{prt}` over the process lifetime
:math:`L_p` and the fixed operating cost share :math:`\varphi_{pr}` of it
(``fixed_cost_share``), in every year the capacity stands (variable costs come with the
activity). The capacity is given, so its cost is a fixed variable
:math:`j_{prt} = \sum_d J_{prdt}`, reported as the cost component ``joint_venture``:

.. math::

    C^{jv}_{rt} = \sum_p \Big(I_{prt}\,\frac{\rho}{1 - (1+\rho)^{-L_p}}
    + \varphi_{pr}\, I_{prt}\Big)\, j_{prt}

Route limits (``trade_limit``) bound a shipment from above,
:math:`s_{codt} \le \bar s_{codt}` (0 closes a route, e.g. for end-of-life
batteries outside a recycling partnership). Tariffs by route are in
:mod:`mfa.model.trade`; technology transfer (``input_saving``,
``energy_saving``) in :mod:`mfa.model.process` and :mod:`mfa.model.environment`.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from mfa.model.built import BuiltModel, Family, Row
from mfa.model.capacity import (
    DEFAULT_LIFETIME,
    alive_new_capacity,
    annuity_factor,
    dedicated_capacity,
)


def add(built: BuiltModel) -> None:
    """Add the dedicated-output rows and route limits."""
    index, data = built.index, built.data
    for key, limit in data.param("trade_limit").to_dict().items():
        if built.has("trade", key):
            built.set_upper("trade", key, limit)

    destinations: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for (p, r, d, t), v in data.param("dedicated_capacity").to_dict().items():
        if v > 0 and built.has("activity", (p, r, t)):
            destinations[(p, r, t)].append(d)
    alive = alive_new_capacity(built)
    get = built.values.get
    keys = sorted(destinations)
    rows, rhs = [], []
    for p, r, t in keys:
        c, a = index.io[p].outputs[0]
        shipped = [
            built.column("trade", (c, r, d, t))
            for d in destinations[(p, r, t)]
            if built.has("trade", (c, r, d, t))
        ]
        new = alive.get((p, r, t), [])
        rows.append(
            [(a, built.column("activity", (p, r, t)))]
            + [(-a, n) for n in new]
            + [(-1.0, s) for s in shipped]
        )
        rhs.append(a * get("capacity", (p, r, t)))
    built.add_rows_from_pairs("dedicated_output", keys, "<=", rhs, rows)
    _add_joint_venture_cost(built)


def _add_joint_venture_cost(built: BuiltModel) -> None:
    """Capital annuity and fixed operating cost of the joint-venture capacity (a constant,
    carried by a variable fixed at the capacity so that it enters the objective and the
    ``costs`` table)."""
    index, values = built.index, built.values
    rate = built.data.config.options.discount_rate
    share = values.floats("fixed_cost_share")
    capacity = {
        k: v for k, v in dedicated_capacity(built.data).items() if v > 0 and k[2] in index.discount
    }
    keys = sorted(capacity)
    fixed = [capacity[k] for k in keys]
    columns = built.add_variables(
        "joint_venture_capacity",
        keys,
        lower=fixed,
        upper=fixed,
        domain=pyo.Reals,
        doc="joint-venture capacity (fixed), carrying its capital and fixed operating cost",
    )
    for (p, r, t), j in zip(keys, columns.tolist(), strict=True):
        invest = values.get("investment_cost", (p, r, t))
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        annual = invest * (annuity_factor(rate, life) + share.get((p, r), 0.0))
        built.terms.add_cost(("joint_venture", r, t), annual, j)


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
