r"""Origin family (optional): origin-indexed flows of chosen elements, and rules on them.

Off unless the model traces an element: those listed in ``options.trace_origin`` and those
that a row of ``origin_share`` names. For a traced element :math:`e`, on each basis
:math:`b` (``mine``, ``processing``; which steps of the chain confer origin is the
``origin_rules`` table, as for :mod:`mfa.origin`), every flow of a commodity holding
:math:`e` is split by origin :math:`o` (every region, plus ``untraced`` for end-of-life
material, whose origin the LP does not follow), in t of element:

.. math::

    \sum_o z^{trade}_{o,cfdt} = k_c s_{cfdt}, \quad
    \sum_o z^{in}_{o,pcrt} = k_c (1-\lambda_{prt}) a^{in}_{pc} x_{prt}, \quad
    \sum_o z^{use}_{o,pgcrt} = k_c u_{pgcrt}, \quad
    \sum_o z^{dem}_{o,crt} = k_c (D_{crt} - u^{unmet}_{crt}), \quad
    \sum_o z^{exc}_{o,crt} = k_c e_{crt}

with :math:`k_c` the element content. A process whose step confers origin on the basis, or
that takes no input holding :math:`e`, puts its whole output in its own region's origin; any
other process passes on the origin of its feed, scaled by its element yield
:math:`\beta_{pc} = k_c a^{out}_{pc} / \sum_i k_i (1-\lambda) a^{in}_{pi}`:
:math:`y_{o,pcrt} = \beta_{pc} \sum_i z^{in}_{o,pirt}`. Then, for every market and every
region-origin :math:`o`, the origin balance

.. math::

    \sum_p y_{o,pcrt} + \sum_f z^{trade}_{o,cfrt} - \sum_d z^{trade}_{o,crdt}
    - \sum_p z^{in}_{o,pcrt} - z^{dem}_{o,crt} - z^{exc}_{o,crt} = 0

with, where the rest-of-world market trades (:mod:`mfa.model.market`), sales split by origin
(:math:`\sum_o z^{sell}_{o,crt} = k_c q^{sell}_{crt}`, leaving the balances) and purchases
:math:`k_c q^{buy}_{crt}` entering the balance of origin ``market`` (which the model cannot
trace further; purchases of upstream forms count in :math:`S_{market}` below, as imports).
Every term of the commodity balance is so split (the ``untraced`` balance, of end-of-life
arising, follows from these and the commodity balance). Unlike the
attribution after the solve, which assumes well-mixed markets, the LP may route origins
through a market as it likes (segregated, or mass-balance, chain of custody): that is what
a rule on origin can ask a supply chain to do.

Rules (table ``origin_share``; rows ``origin_share_max`` and ``origin_share_min``, their
shadow prices ``duals_origin_share_max`` / ``duals_origin_share_min`` in USD per t of
element): the supply of :math:`e` to region :math:`R` by origin on basis :math:`b`,
:math:`S_o` = its imports of upstream forms from origin :math:`o` plus the origin-split
output of its processes where the element enters (as the ``supply`` table counts it), must
hold at most (``max``) or at least (``min``) a
share :math:`\theta` from a group :math:`G` of origins (``origin_groups``; a region code is
a group of itself):

.. math:: \sum_{o \in G} S_o \le \theta \sum_o S_o \quad\text{or}\quad
          \sum_{o \in G} S_o \ge \theta \sum_o S_o

Size: per traced element and basis, one variable per possible origin (the regions where a
process makes the element and confers origin on the basis, or takes none of it in; plus
``market`` where a region buys a commodity holding it, and ``untraced``) for every flow of
its commodities, and one balance row per market and possible origin but ``untraced``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.errors import InputError, Problem
from mfa.inputs.data import ModelData
from mfa.inputs.tables import ORIGIN_BASES
from mfa.model.built import BuiltModel, Family, Row
from mfa.model.market import MARKET_ORIGIN as MARKET
from mfa.model.supply import SECONDARY_KINDS, UPSTREAM_STAGES, content_table
from mfa.origin import UNTRACED, OriginRules, origin_step

if TYPE_CHECKING:
    from mfa.solve import Solution

Pairs = list[tuple[float, Any]]


@dataclass
class OriginFlows:
    """What the family built, for the results: the split flows and the supply by origin.

    Attributes
    ----------
    keys
        Position of each origin-flow variable -> (kind, basis, element, origin, *flow key).
    supply
        (region, element, basis, origin, year) -> (coefficient, variable) pairs of
        :math:`S_o`.
    """

    keys: list[tuple] = field(default_factory=list)
    supply: dict[tuple[str, str, str, str, int], Pairs] = field(
        default_factory=lambda: defaultdict(list)
    )


def traced_elements(data: ModelData) -> list[str]:
    """Elements traced in the LP: ``options.trace_origin`` and those ``origin_share`` names."""
    named = set(data.config.options.trace_origin)
    share = data.param("origin_share")
    if len(share):
        named |= set(share.index.get_level_values("item"))
    return sorted(named)


def add(built: BuiltModel) -> OriginFlows | None:
    """Add origin-indexed flows, their balances and the ``origin_share`` rows.

    Returns
    -------
    OriginFlows or None
        The family's state (``None`` when no element is traced).
    """
    data = built.data
    elements = traced_elements(data)
    if not elements:
        return None
    rules = OriginRules.from_table(data.param("origin_rules").rename("value").reset_index())
    content = content_table(data)
    stockpiles = built.state("stockpile")
    _check(data, elements, content, stockpiles.keys if stockpiles is not None else [])
    builder = _Builder(built, rules, content)
    for element in elements:
        for basis in ORIGIN_BASES:
            builder.element(element, basis)
    return builder.finish()


def _check(
    data: ModelData,
    elements: list[str],
    content: dict[str, dict],
    stockpiled: list[tuple[str, str, int]],
) -> None:
    problems = []
    known = set(data.commodities["element"]) | {e for c in content.values() for e in c}
    for e in elements:
        if e not in known:
            problems.append(
                Problem(
                    str(data.config.source_file),
                    f"origin tracing names element '{e}', which no commodity holds",
                    column="trace_origin",
                    expected="an element of commodities.csv",
                )
            )
    for c, r, _ in stockpiled:
        held = [e for e in elements if content.get(c, {}).get(e, 0.0) > 0]
        if held:
            problems.append(
                Problem(
                    str(data.config.source_file),
                    f"origin tracing of {held} does not follow strategic stockpiles, and "
                    f"{r} stockpiles '{c}'",
                    column="trace_origin",
                    expected="no stockpile of a traced element's commodities",
                )
            )
    if problems:
        raise InputError(problems)


class _Builder:
    """Collects the origin-flow variables and rows of every traced element and basis."""

    def __init__(
        self, built: BuiltModel, rules: OriginRules, content: dict[str, dict[str, float]]
    ) -> None:
        self.m, self.index, self.data = built.model, built.index, built.data
        self.rules, self.content = rules, content
        index, data = self.index, self.data
        self.all_origins = [*index.regions, MARKET, UNTRACED]
        self.origins = self.all_origins
        self.kind = data.processes["kind"].to_dict()
        self.stage = data.commodities["stage"].to_dict()
        self.step = {
            p: origin_step(k, [self.stage[c] for c, _ in index.io[p].outputs])
            for p, k in self.kind.items()
            if p in index.io
        }
        self.saving = built.values.floats("input_saving")
        self.io = built.values.floats("process_io")
        market = built.state("market")
        self.market: dict[str, list[tuple[str, str, int]]] = market or {"sell": [], "buy": []}
        self.flows = OriginFlows()
        self.links: list[tuple[list[int], float, Pairs]] = []  # (z columns, scale, aggregate)
        self.balance: dict[tuple, list[tuple[float, int]]] = defaultdict(list)
        self.supply_cols: dict[tuple, list[tuple[float, int]]] = defaultdict(list)
        self.supply_fixed: dict[tuple, Pairs] = defaultdict(list)

    def _split(self, kind: str, basis: str, e: str, key: tuple, amount: Pairs) -> list[int]:
        """New variables of ``amount`` (pairs, t element) by origin; their positions."""
        start = len(self.flows.keys)
        self.flows.keys += [(kind, basis, e, o, *key) for o in self.origins]
        cols = list(range(start, len(self.flows.keys)))
        self.links.append((cols, 1.0, amount))
        return cols

    def _possible_origins(self, e: str, basis: str, holds: set[str]) -> list[str]:
        """Regions where ``e`` can take an origin on ``basis`` (a process there makes it and
        confers origin, or takes no input of it), then ``market`` where a region can buy a
        commodity holding ``e`` from the rest-of-world market, then ``untraced``: no other
        origin can reach any market, so no variable is made for it."""
        regions = set()
        for p, r, _ in self.index.activity:
            spec = self.index.io[p]
            if r in regions or not any(c in holds for c, _ in spec.outputs):
                continue
            fed = [c for c, _ in spec.inputs] + [c for _, ms in spec.groups.values() for c in ms]
            if self.step[p] in getattr(self.rules, basis) or not any(c in holds for c in fed):
                regions.add(r)
        bought = [MARKET] if any(c in holds for c, _, _ in self.market["buy"]) else []
        return [*(r for r in self.index.regions if r in regions), *bought, UNTRACED]

    def element(self, e: str, basis: str) -> None:
        index, k = self.index, self.content
        holds = {c for c, d in k.items() if d.get(e, 0.0) > 0}
        self.origins = self._possible_origins(e, basis, holds)
        trade_in: dict[tuple[str, str, int], list[list[int]]] = defaultdict(list)
        m = self.m
        for (c, f, d, t), s in zip(index.trade, m.trade.values(), strict=True):
            if c in holds:
                cols = self._split("trade", basis, e, (c, f, d, t), [(k[c][e], s)])
                self._flow((basis, e, c, d, t), cols, +1.0)
                self._flow((basis, e, c, f, t), cols, -1.0)
                trade_in[(c, d, t)].append(cols)
                if self.stage.get(c) in UPSTREAM_STAGES:
                    for o, col in zip(self.origins, cols, strict=True):
                        self.supply_cols[(d, e, basis, o, t)].append((1.0, col))
        feeds: dict[tuple[str, str, int], list[list[int]]] = defaultdict(list)
        for (p, r, t), x in zip(index.activity, m.activity.values(), strict=True):
            keep = 1.0 - self.saving.get((p, r, t), 0.0)
            for c, _ in index.io[p].inputs:
                if c in holds:
                    coef = k[c][e] * keep * self.io[(p, c, "in", "")]
                    cols = self._split("in", basis, e, (p, c, r, t), [(coef, x)])
                    self._flow((basis, e, c, r, t), cols, -1.0)
                    feeds[(p, r, t)].append(cols)
        for (p, g, c, r, t), u in zip(index.use, m.use.values(), strict=True):
            if c in holds:
                cols = self._split("use", basis, e, (p, g, c, r, t), [(k[c][e], u)])
                self._flow((basis, e, c, r, t), cols, -1.0)
                feeds[(p, r, t)].append(cols)
        for (p, r, t), x in zip(index.activity, m.activity.values(), strict=True):
            self._outputs(e, basis, p, r, t, x, feeds.get((p, r, t), []), holds)
        unmet = dict(zip(index.unmet, m.unmet.values(), strict=True)) if index.unmet else {}
        for (c, r, t), amount in index.demand.items():
            if c in holds:
                served: Pairs = [(-k[c][e], unmet[(c, r, t)])] if (c, r, t) in unmet else []
                cols = self._split("demand", basis, e, (c, r, t), served)
                self.links[-1] = (cols, 1.0, [*served, (k[c][e] * amount, None)])
                self._flow((basis, e, c, r, t), cols, -1.0)
        for (c, r, t), v in zip(index.excess, m.excess.values(), strict=True):
            if c in holds:
                cols = self._split("excess", basis, e, (c, r, t), [(k[c][e], v)])
                self._flow((basis, e, c, r, t), cols, -1.0)
        self._market(e, basis, holds)

    def _market(self, e: str, basis: str, holds: set[str]) -> None:
        """Purchases from the rest-of-world market enter the balance of origin ``market``
        (and, for upstream forms, the supply :math:`S` as imports of that origin); sales to
        it are split by origin and leave the balances."""
        k, m = self.content, self.m
        for c, r, t in self.market["buy"]:
            if c in holds:
                q = m.market_buy[c, r, t]
                self.balance[(basis, e, MARKET, c, r, t)].append((k[c][e], q))
                if self.stage.get(c) in UPSTREAM_STAGES:
                    self.supply_fixed[(r, e, basis, MARKET, t)].append((k[c][e], q))
        for c, r, t in self.market["sell"]:
            if c in holds:
                q = m.market_sell[c, r, t]
                cols = self._split("sell", basis, e, (c, r, t), [(k[c][e], q)])
                self._flow((basis, e, c, r, t), cols, -1.0)

    def _flow(self, market: tuple, cols: list[int], sign: float) -> None:
        """Add split flow ``cols`` to the origin balances of ``market`` (region origins)."""
        for o, col in zip(self.origins[:-1], cols, strict=False):
            self.balance[(*market[:2], o, *market[2:])].append((sign, col))

    def _outputs(
        self,
        e: str,
        basis: str,
        p: str,
        r: str,
        t: int,
        x: Any,
        feeds: list[list[int]],
        holds: set[str],
    ) -> None:
        """Origin-split outputs of process ``p`` in ``r``, ``t`` into balances and supply."""
        spec = self.index.io[p]
        made = [
            (c, self.content[c].get(e, 0.0) * self.io[(p, c, "out", "")]) for c, _ in spec.outputs
        ]
        made = [(c, a) for c, a in made if c in holds and a > 0]
        if not made:
            return
        keep = 1.0 - self.saving.get((p, r, t), 0.0)
        taken = sum(
            self.content[c].get(e, 0.0) * keep * self.io[(p, c, "in", "")] for c, _ in spec.inputs
        ) + sum(
            keep * self.io[(p, ms[0], "in", g)] * _same_content(self.content, ms, e, p)
            for g, (_, ms) in spec.groups.items()
        )
        confers = self.step[p] in getattr(self.rules, basis) or taken <= 0
        enters = self.kind[p] in SECONDARY_KINDS or taken <= 0
        for c, amount in made:
            if confers:
                self.balance[(basis, e, r, c, r, t)].append((amount, x))
                if enters:
                    self.supply_fixed[(r, e, basis, r, t)].append((amount, x))
                continue
            beta = amount / taken
            for i, o in enumerate(self.origins):
                pairs = [(beta, cols[i]) for cols in feeds]
                if o != UNTRACED:
                    self.balance[(basis, e, o, c, r, t)] += pairs
                if enters:
                    self.supply_cols[(r, e, basis, o, t)] += pairs

    def finish(self) -> OriginFlows:
        m, flows = self.m, self.flows
        n = len(flows.keys)
        m.origin_flow = pyo.Var(range(n), domain=pyo.NonNegativeReals, doc="t element by origin")
        z = m.origin_flow

        def resolve(pairs: list[tuple[float, Any]]) -> tuple[list[float], list[Any]]:
            coefs, variables = [], []
            for a, v in pairs:
                coefs.append(a)
                variables.append(z[v] if isinstance(v, int) else v)
            return coefs, variables

        def link_rule(_m: pyo.ConcreteModel, i: int) -> object:
            cols, _, aggregate = self.links[i]
            constant = sum(a for a, v in aggregate if v is None)
            coefs = [1.0] * len(cols) + [-a for a, v in aggregate if v is not None]
            variables = [z[c] for c in cols] + [v for _, v in aggregate if v is not None]
            body = LinearExpression(linear_coefs=coefs, linear_vars=variables)
            return body == constant

        m.origin_link = pyo.Constraint(range(len(self.links)), rule=link_rule)
        keys = sorted(self.balance, key=str)

        def balance_rule(_m: pyo.ConcreteModel, *key: Any) -> object:
            coefs, variables = resolve(self.balance[key])
            return LinearExpression(linear_coefs=coefs, linear_vars=variables) == 0.0

        m.origin_balance = pyo.Constraint(keys, rule=balance_rule)
        for key, pairs in self.supply_cols.items():
            flows.supply[key] += [(a, z[c]) for a, c in pairs]
        for key, pairs in self.supply_fixed.items():
            flows.supply[key] += pairs
        self._shares()
        return flows

    def _shares(self) -> None:
        """The ``origin_share`` rows: share of a group of origins in a region's supply."""
        share = self.data.param("origin_share")
        groups = _groups(self.data)
        rows: dict[str, list[tuple[tuple, float]]] = {"max": [], "min": []}
        for key, theta in share.items():
            region, element, basis, group, bound, year = key
            if int(year) in self.index.years:
                rows[bound].append(((region, element, basis, group, bound, int(year)), theta))
        supply = self.flows.supply
        for bound in ("max", "min"):
            data = dict(rows[bound])

            def rule(_m: pyo.ConcreteModel, *key: Any, data: dict = data, bound: str = bound):
                region, element, basis, group, _, year = key
                members = groups.get(group, {group})
                pairs: Pairs = []
                for o in self.all_origins:
                    inside = 1.0 if o in members else 0.0
                    for a, v in supply.get((region, element, basis, o, year), []):
                        pairs.append(((inside - data[key]) * a, v))
                if not pairs:
                    return pyo.Constraint.Skip
                body = LinearExpression(
                    linear_coefs=[a for a, _ in pairs], linear_vars=[v for _, v in pairs]
                )
                return body <= 0.0 if bound == "max" else body >= 0.0

            setattr(self.m, f"origin_share_{bound}", pyo.Constraint(list(data), rule=rule))


def _same_content(content: dict[str, dict[str, float]], members: list[str], e: str, p: str):
    """The element content shared by a substitute group's members (else an error)."""
    held = {content.get(c, {}).get(e, 0.0) for c in members}
    if len(held) > 1:
        raise InputError(
            [
                Problem(
                    "process_io",
                    f"process '{p}': substitute inputs {members} hold different amounts of "
                    f"'{e}' ({sorted(held)}), so its element yield is not fixed and its "
                    "origin cannot be traced",
                    column="group",
                )
            ]
        )
    return held.pop()


def _groups(data: ModelData) -> dict[str, set[str]]:
    """``origin_groups``: group -> member regions (a region code is a group of itself)."""
    table = data.param("origin_groups")
    out: dict[str, set[str]] = defaultdict(set)
    for (group, region), member in table.items():
        if member:
            out[group].add(region)
    return dict(out)


def _tables(built: BuiltModel, sol: Solution, done: Mapping[str, Any]) -> dict[str, Any]:
    """``supply_traced``: the traced supply :math:`S_o` of the solution, ``region, element,
    basis, origin, year, value, unit`` (t of element), rows with a value only."""
    flows = built.state("origin")
    if flows is None:
        return {}
    col_value, column_of = sol.col_value, sol.column_of
    rows = []
    for (region, element, basis, origin, year), pairs in flows.supply.items():
        value = sum(a * col_value[column_of[id(v)]] for a, v in pairs if id(v) in column_of)
        if abs(value) > 1e-9:
            rows.append((region, element, basis, origin, year, value))
    frame = pd.DataFrame(rows, columns=["region", "element", "basis", "origin", "year", "value"])
    frame = frame.groupby(["region", "element", "basis", "origin", "year"], as_index=False).sum()
    frame["unit"] = "t"
    return {"supply_traced": frame}


_SHARE_DIMS = ("region", "item", "basis", "group", "bound", "year")

FAMILY = Family(
    name="origin",
    add=add,
    switch=None,
    rows=tuple(
        Row(
            f"origin_share_{bound}",
            _SHARE_DIMS,
            "USD/t",
            sense,
            words="the " + bound + " share of {1} into {0} from origins '{3}' ({2} basis) in {5}",
            table="origin_share",
            order=(0, 1, 2, 3, 4, 5),
            shown="share",
        )
        for bound, sense in (("max", "<="), ("min", ">="))
    ),
    tables=_tables,
)
"""The origin family: on only where an element is traced (``options.trace_origin`` or an
``origin_share`` row); its rows are ``origin_share_max`` and ``origin_share_min``."""
