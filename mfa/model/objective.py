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
    """Add the objective from the collected cost terms (coefficients merged per variable,
    in the order the variables are first met)."""
    discount = built.index.discount
    coefs: list[Any] = []
    xs: list[Any] = []
    for (_, _, t), pairs in built.terms.cost.items():
        d = discount[t]
        coefs += [d * coef for coef, _ in pairs]
        xs += [var for _, var in pairs]
    if not built.materialised:  # every variable a column of the array LP
        cols = np.asarray(xs, dtype=np.int64)
        first, inverse = np.unique(cols, return_index=True, return_inverse=True)[1:]
        total = np.zeros(len(first))
        np.add.at(total, inverse, np.asarray(coefs, dtype=float))
        order = np.argsort(first, kind="stable")
        built.set_objective(cols[first[order]], total[order])
        return
    coef_of: dict[int, Any] = {}  # id(variable) -> discounted coefficient, first met first
    var_of: dict[int, Any] = {}
    for coef, var in zip(coefs, map(built.resolve, xs), strict=True):
        key = id(var)
        if key in coef_of:
            coef_of[key] += coef
        else:
            coef_of[key] = coef
            var_of[key] = var
    built.set_objective(list(var_of.values()), list(coef_of.values()))
