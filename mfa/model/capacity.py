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

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.model.built import BuiltModel
from mfa.model.index import ModelIndex

DEFAULT_LIFETIME = 30
"""Years a new plant lives when ``process_lifetime`` has no row for it."""


def annuity_factor(rate: float, lifetime: int) -> float:
    r"""Capital recovery factor.

    :math:`\rho / (1 - (1+\rho)^{-L})`, or :math:`1/L` when :math:`\rho = 0`.
    """
    if rate == 0.0:
        return 1.0 / lifetime
    return rate / (1.0 - (1.0 + rate) ** -lifetime)


def alive_new_capacity(m: pyo.ConcreteModel, index: ModelIndex) -> dict[tuple, list]:
    """``(p, r, t) -> [new_capacity vars built in years whose plants still run in t]``."""
    alive: dict[tuple[str, str, int], list] = {}
    for (p, r, tau), n in zip(index.new_capacity, m.new_capacity.values(), strict=True):
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        for t in index.years:
            if tau <= t < tau + life:
                alive.setdefault((p, r, t), []).append(n)
    return alive


def add(built: BuiltModel) -> None:
    """Add capacity rows and investment cost terms."""
    m, index, data, terms = built.model, built.index, built.data, built.terms
    rate = data.config.options.discount_rate
    values = built.values
    for (p, r, tau), n in zip(index.new_capacity, m.new_capacity.values(), strict=True):
        life = index.lifetime.get(p, DEFAULT_LIFETIME)
        annual = values.get("investment_cost", (p, r, tau)) * annuity_factor(rate, life)
        for t in index.years:
            if tau <= t < tau + life:
                terms.add_cost(("investment", r, t), annual, n)
    built_by = alive_new_capacity(m, index)
    dedicated: dict[tuple[str, str, int], float] = {}
    for (p, r, _, t), v in data.param("dedicated_capacity").to_dict().items():
        dedicated[(p, r, t)] = dedicated.get((p, r, t), 0.0) + v

    keys = list(index.activity)

    def rule(_m: pyo.ConcreteModel, p: str, r: str, t: int) -> object:
        new = built_by.get((p, r, t), [])
        body = LinearExpression(
            linear_coefs=[1.0] + [-1.0] * len(new), linear_vars=[m.activity[p, r, t], *new]
        )
        return body <= values.get("capacity", (p, r, t)) + dedicated.get((p, r, t), 0.0)

    m.capacity_limit = pyo.Constraint(keys, rule=rule)
    terms.report_dual("capacity_limit", ["process", "region", "year"], "USD/unit", "<=")
