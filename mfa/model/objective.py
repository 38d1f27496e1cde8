r"""Objective: discounted total cost.

.. math:: \min \sum_t d_t \sum_{k,r} C_{krt}, \qquad d_t = (1+\rho)^{-(t-t_0)}

where :math:`C_{krt}` are the undiscounted cost terms (USD) that the families
registered by component :math:`k` (operating, investment, transport, tariff,
unmet_penalty, disposal, ...) and region :math:`r`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from mfa.model.built import BuiltModel


def add(built: BuiltModel) -> None:
    """Add the objective from the collected cost terms: grouped by cost key (keys in the
    order first met), discounted, coefficients merged per variable in the order the
    variables are first met."""
    cost = built.terms.cost
    distinct, group, order = cost.grouped()
    discount = np.array([built.index.discount[t] for _, _, t in distinct])[group]
    if not built.materialised:  # every variable a column of the array LP
        cols = np.asarray(cost.vars, dtype=np.int64)[order]
        coefs = discount[order] * np.asarray(cost.coefs, dtype=float)[order]
        first, inverse = np.unique(cols, return_index=True, return_inverse=True)[1:]
        total = np.zeros(len(first))
        np.add.at(total, inverse, coefs)
        merged = np.argsort(first, kind="stable")
        built.set_objective(cols[first[merged]], total[merged])
        return
    coef_of: dict[int, Any] = {}  # id(variable) -> discounted coefficient, first met first
    var_of: dict[int, Any] = {}
    for k in order.tolist():
        var = built.resolve(cost.vars[k])
        coef = float(discount[k]) * cost.coefs[k]
        key = id(var)
        if key in coef_of:
            coef_of[key] += coef
        else:
            coef_of[key] = coef
            var_of[key] = var
    built.set_objective(list(var_of.values()), list(coef_of.values()))
