"""Collectors that constraint families fill before rows are built.

Families do not write balance rows or the objective themselves: they add
terms here, so that each row and the objective is assembled once, as one
:class:`~pyomo.core.expr.numeric_expr.LinearExpression` from two flat lists
(the fastest construction measured for Pyomo).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mfa.model.values import is_zero

CostKey = tuple[str, str, int]
"""(component, region, year) of a cost term."""


@dataclass
class Terms:
    """Linear terms keyed by a row index.

    ``balance[(c, r, t)]`` collects ``(coefficient, variable)`` pairs of the
    commodity balance, ``balance_constant[(c, r, t)]`` its constant part
    (moved to the right-hand side), and ``cost`` the undiscounted cost terms
    by (component, region, year); the objective applies discount factors.
    """

    balance: dict[tuple[str, str, int], list[tuple[float, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    balance_constant: dict[tuple[str, str, int], Any] = field(
        default_factory=lambda: defaultdict(float)
    )
    cost: dict[CostKey, list[tuple[float, Any]]] = field(default_factory=lambda: defaultdict(list))

    def add_balance(self, key: tuple[str, str, int], coef: float, var: Any) -> None:
        """Add ``coef * var`` to the balance row ``key`` (supply side positive)."""
        self.balance[key].append((coef, var))

    def add_cost(self, key: CostKey, coef: float, var: Any) -> None:
        """Add an undiscounted cost ``coef * var`` (USD) under ``key``."""
        if not is_zero(coef):
            self.cost[key].append((coef, var))

    def add_balance_many(
        self, keys: Iterable[tuple[str, str, int]], coefs: Iterable[Any], variables: Iterable[Any]
    ) -> None:
        """:meth:`add_balance` for many terms at once (the same order of terms per row)."""
        balance = self.balance
        for key, coef, var in zip(keys, coefs, variables, strict=True):
            balance[key].append((coef, var))

    def add_cost_many(
        self, keys: Iterable[CostKey], coefs: Iterable[Any], variables: Iterable[Any]
    ) -> None:
        """:meth:`add_cost` for many terms at once (zero coefficients left out)."""
        cost = self.cost
        for key, coef, var in zip(keys, coefs, variables, strict=True):
            if coef.__class__ is float:
                if coef != 0.0:
                    cost[key].append((coef, var))
            elif not is_zero(coef):
                cost[key].append((coef, var))
