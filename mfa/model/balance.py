r"""Commodity balance: supply equals demand for every commodity, region and year.

.. math::

    \sum_p a^{out}_{pc} x_{prt} - \sum_p a^{in}_{pc} x_{prt} - \sum_{p,g} u_{pgcrt}
    + \sum_o s_{cort} - \sum_d s_{crdt} + A_{crt} - e_{crt} + u^{unmet}_{crt} = D_{crt}

with :math:`A_{crt}` the end-of-life arising (when the stock family is on). Rows
are built only where a term or a demand exists. The dual of a row is the
marginal cost of one more unit of :math:`c` in :math:`r` in year :math:`t`
(discounted to the first year; :mod:`mfa.results` undiscounts it).
"""

from __future__ import annotations

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression, MonomialTermExpression

from mfa.model.built import BuiltModel


def add(built: BuiltModel) -> None:
    """Build one equality row per (commodity, region, year) that has terms."""
    m, index, terms = built.model, built.index, built.terms
    keys = sorted(set(terms.balance) | set(index.demand))
    rows = terms.balance
    constant = terms.balance_constant
    get = built.values.get

    def rule(_m: pyo.ConcreteModel, c: str, r: str, t: int) -> object:
        pairs = rows.get((c, r, t), [])
        if not pairs:
            return pyo.Constraint.Skip
        body = LinearExpression(list(map(MonomialTermExpression, pairs)))
        return body == get("demand", (r, c, t)) - constant.get((c, r, t), 0.0)

    m.balance = pyo.Constraint(keys, rule=rule)
