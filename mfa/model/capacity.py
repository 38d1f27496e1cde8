r"""Capacity family: activity within existing and newly built capacity.

.. math::

    x_{prt} \le K_{prt} + \sum_{\tau \le t,\; t - \tau < L_p} n_{pr\tau}

where :math:`K_{prt}` is existing and announced capacity (``capacity.csv``, a
plant retires when its row returns to 0; plus ``dedicated_capacity``, see
:mod:`mfa.model.partnership`), :math:`n_{pr\tau}` capacity built in
year :math:`\tau` (bounded by ``build_limit``) and :math:`L_p` the process
lifetime. Investment is paid as an annuity over the lifetime,

.. math:: I_{pr\tau} \cdot \frac{\rho}{1 - (1+\rho)^{-L_p}}

in every year the new capacity is alive within the horizon (USD).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, Row, tidy
from mfa.solve import Solution

DEFAULT_LIFETIME = 30
"""Years a new plant lives when ``process_lifetime`` has no row for it."""


def annuity_factor(rate: float, lifetime: int) -> float:
    r"""Capital recovery factor.

    :math:`\rho / (1 - (1+\rho)^{-L})`, or :math:`1/L` when :math:`\rho = 0`.
    """
    if rate == 0.0:
        return 1.0 / lifetime
    return rate / (1.0 - (1.0 + rate) ** -lifetime)


def alive_new_capacity(built: BuiltModel) -> dict[tuple, list[int]]:
    """``(p, r, t) -> [columns of new_capacity built in years whose plants still run in t]``."""
    index = built.index
    alive: dict[tuple[str, str, int], list[int]] = {}
    for (p, r, tau), n in zip(index.new_capacity, built.columns("new_capacity"), strict=True):
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        for t in index.years:
            if tau <= t < tau + life:
                alive.setdefault((p, r, t), []).append(n)
    return alive


def dedicated_capacity(data: ModelData) -> dict[tuple[str, str, int], float]:
    r"""Joint-venture capacity :math:`\sum_d J_{prdt}` by (process, region, year)."""
    out: dict[tuple[str, str, int], float] = {}
    for (p, r, _, t), v in data.param("dedicated_capacity").to_dict().items():
        out[(p, r, t)] = out.get((p, r, t), 0.0) + v
    return out


def add(built: BuiltModel) -> None:
    """Add capacity rows and investment cost terms."""
    index, data, terms = built.index, built.data, built.terms
    rate = data.config.options.discount_rate
    values = built.values
    for (p, r, tau), n in zip(index.new_capacity, built.columns("new_capacity"), strict=True):
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        annual = values.get("investment_cost", (p, r, tau)) * annuity_factor(rate, life)
        for t in index.years:
            if tau <= t < tau + life:
                terms.add_cost(("investment", r, t), annual, n)
    built_by = alive_new_capacity(built)
    dedicated = dedicated_capacity(data)

    keys = list(index.activity)
    act = built.columns("activity")
    news = [built_by.get(k, []) for k in keys]
    row = np.concatenate(
        [np.arange(len(keys)), np.repeat(np.arange(len(keys)), [len(n) for n in news])]
    )
    col = act + [n for ns in news for n in ns]
    coef = np.concatenate([np.ones(len(keys)), -np.ones(len(col) - len(keys))])
    capacity = values.get_many("capacity", keys)
    rhs = [cap + dedicated.get(k, 0.0) for k, cap in zip(keys, capacity, strict=True)]
    built.add_rows("capacity_limit", keys, "<=", rhs, (row, col, coef))


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``capacity``: the capacity each activity row is held within (the right-hand side of
    its ``capacity_limit`` plus the new capacity alive), in activity units per year:
    :math:`K_{prt} + \\sum_d J_{prdt} + \\sum_{\tau} n_{pr\tau}`."""
    index = built.index
    act_unit = built.data.processes["activity_unit"].to_dict()
    dedicated = dedicated_capacity(built.data)
    total = {k: index.capacity.get(k, 0.0) + dedicated.get(k, 0.0) for k in index.activity}
    new = done["new_capacity"]["value"].to_numpy()
    for (p, r, tau), n in zip(index.new_capacity, new, strict=True):
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        for t in index.years:
            if tau <= t < tau + life and (p, r, t) in total:
                total[(p, r, t)] += float(n)
    keys = list(total)
    return {
        "capacity": tidy(
            keys,
            ["process", "region", "year"],
            np.array(list(total.values())),
            [act_unit[p] for p, _, _ in keys],
        )
    }


FAMILY = Family(
    name="capacity",
    add=add,
    switch="capacity",
    rows=(Row("capacity_limit", ("process", "region", "year"), "USD/unit", "<=", physical=True),),
    tables=tables,
    parameters=frozenset({"capacity", "investment_cost"}),
)
