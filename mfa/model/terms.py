"""Collectors that constraint families fill before rows are built.

Families do not write balance rows or the objective themselves: they add
terms here, so that each balance row and the objective is assembled once, from flat
lists of keys, coefficients and variables (:mod:`mfa.model.balance`,
:mod:`mfa.model.objective`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import compress
from typing import Any

import numpy as np

from mfa.model.values import is_zero

CostKey = tuple[str, str, int]
"""(component, region, year) of a cost term."""


class TermList:
    """Linear terms ``coefficient * variable`` under a key, in the order they were added.

    Three flat lists (keys, coefficients, variables): a bulk addition extends them, so no
    Python object is made per term.
    """

    def __init__(self) -> None:
        self.keys: list = []
        self.coefs: list = []
        self.vars: list = []
        self._grouped: tuple[list, np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.keys)

    def append(self, key: Any, coef: Any, var: Any) -> None:
        self._grouped = None
        self.keys.append(key)
        self.coefs.append(coef)
        self.vars.append(var)

    def extend(self, keys: Iterable, coefs: Iterable, variables: Iterable) -> None:
        self._grouped = None
        n = len(self.keys)
        self.keys.extend(keys)
        self.coefs.extend(coefs)
        self.vars.extend(variables)
        added = len(self.keys) - n
        if len(self.coefs) - n != added or len(self.vars) - n != added:
            raise ValueError("keys, coefficients and variables differ in length")

    def grouped(self) -> tuple[list, np.ndarray, np.ndarray]:
        """The distinct keys in the order first met, the group of each term (its key's
        position there), and the terms' order grouped by key (each group in the order
        added): the order of a dict of lists filled term by term (kept until a term is
        added)."""
        if self._grouped is None:
            distinct = list(dict.fromkeys(self.keys))
            position = dict(zip(distinct, range(len(distinct)), strict=True))
            group = np.fromiter(
                map(position.__getitem__, self.keys), dtype=np.int64, count=len(self)
            )
            self._grouped = distinct, group, np.argsort(group, kind="stable")
        return self._grouped


@dataclass
class Terms:
    """Linear terms keyed by a row index.

    ``balance`` collects the terms of the commodity balance by ``(c, r, t)`` (supply side
    positive), ``balance_constant[(c, r, t)]`` its constant part (moved to the right-hand
    side), and ``cost`` the undiscounted cost terms by (component, region, year); the
    objective applies discount factors. A term's variable is a global column of the array
    LP (:mod:`mfa.model.blocks`) or, from a family written in Pyomo, a ``VarData``.
    """

    balance: TermList = field(default_factory=TermList)
    balance_constant: dict[tuple[str, str, int], Any] = field(
        default_factory=lambda: defaultdict(float)
    )
    cost: TermList = field(default_factory=TermList)

    def add_balance(self, key: tuple[str, str, int], coef: float, var: Any) -> None:
        """Add ``coef * var`` to the balance row ``key`` (supply side positive)."""
        self.balance.append(key, coef, var)

    def add_cost(self, key: CostKey, coef: float, var: Any) -> None:
        """Add an undiscounted cost ``coef * var`` (USD) under ``key``."""
        if not is_zero(coef):
            self.cost.append(key, coef, var)

    def add_balance_many(
        self, keys: Iterable[tuple[str, str, int]], coefs: Iterable[Any], variables: Iterable[Any]
    ) -> None:
        """:meth:`add_balance` for many terms at once."""
        self.balance.extend(keys, coefs, variables)

    def add_cost_many(
        self, keys: Sequence[CostKey], coefs: Sequence[Any], variables: Sequence[Any]
    ) -> None:
        """:meth:`add_cost` for many terms at once (zero coefficients left out)."""
        coefs = list(coefs)
        if {*map(type, coefs)} <= {float, int}:
            keep = (np.asarray(coefs, dtype=float) != 0.0).tolist()
        else:  # a Param entry is never treated as zero
            keep = [not is_zero(c) for c in coefs]
        if len(keep) != len(keys) or len(keep) != len(variables):
            raise ValueError("keys, coefficients and variables differ in length")
        self.cost.extend(compress(keys, keep), compress(coefs, keep), compress(variables, keep))
