r"""Objective: discounted total cost.

.. math:: \min \sum_t d_t \sum_{k,r} C_{krt}, \qquad d_t = (1+\rho)^{-(t-t_0)}

where :math:`C_{krt}` are the undiscounted cost terms (USD) that the families
registered by component :math:`k` (operating, investment, transport, tariff,
unmet_penalty, disposal, ...) and region :math:`r`.
"""

from __future__ import annotations

from typing import Any

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.model.built import BuiltModel


def add(built: BuiltModel) -> None:
    """Add the objective from the collected cost terms (coefficients merged per variable)."""
    m, index, terms = built.model, built.index, built.terms
    coef_of: dict[int, Any] = {}  # id(variable) -> discounted coefficient, first met first
    var_of: dict[int, Any] = {}
    for (_, _, t), pairs in terms.cost.items():
        d = index.discount[t]
        for coef, var in pairs:
            key = id(var)
            if key in coef_of:
                coef_of[key] += d * coef
            else:
                coef_of[key] = d * coef
                var_of[key] = var
    coefs = list(coef_of.values())
    xs = list(var_of.values())
    m.total_cost = pyo.Objective(
        expr=LinearExpression(linear_coefs=coefs, linear_vars=xs), sense=pyo.minimize
    )
