"""Collectors that constraint families fill before rows are built.

Families do not write balance rows or the objective themselves: they add
terms here, so that each row and the objective is assembled once, as one
:class:`~pyomo.core.expr.numeric_expr.LinearExpression` from two flat lists
(the fastest construction measured for Pyomo, see ``research/perf.md``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from mfa.model.values import is_zero

CostKey = tuple[str, str, int]
"""(component, region, year) of a cost term."""


@dataclass(frozen=True)
class DualReport:
    """A constraint whose duals are reported as shadow prices.

    Attributes
    ----------
    name
        The constraint component on the model.
    dims
        Names of its index positions (a ``year`` dim is undiscounted).
    unit
        Unit of the shadow price, e.g. ``USD/t``.
    sense
        ``<=`` or ``>=``: the shadow price is the cost saved per unit the
        limit is relaxed, so it is non-negative for a binding limit.
    """

    name: str
    dims: tuple[str, ...]
    unit: str
    sense: str


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
    duals: list[DualReport] = field(default_factory=list)

    def add_balance(self, key: tuple[str, str, int], coef: float, var: Any) -> None:
        """Add ``coef * var`` to the balance row ``key`` (supply side positive)."""
        self.balance[key].append((coef, var))

    def report_dual(self, name: str, dims: list[str], unit: str, sense: str) -> None:
        """Report the duals of constraint ``name`` as shadow prices (``duals_<name>``)."""
        self.duals.append(DualReport(name, tuple(dims), unit, sense))

    def add_cost(self, key: CostKey, coef: float, var: Any) -> None:
        """Add an undiscounted cost ``coef * var`` (USD) under ``key``."""
        if not is_zero(coef):
            self.cost[key].append((coef, var))
