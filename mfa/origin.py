r"""Where the element was mined and where it was processed: attribution after the solve.

Supply is reported by *shipping* origin (:mod:`mfa.indicators`). This module splits every
quantity of a solved model by two more origins of the element it holds:

* **mine origin**: the region where the element was extracted;
* **processing origin**: the region where it was last substantially transformed.

Which processes confer origin on which basis is data: the ``origin_rules`` table
(``data/origin_rules.csv``, by step of the chain, with the rule's source). A process's step is
its kind, except that manufacturing is split by the stage it makes (:func:`origin_step`:
``manufacturing_material`` for pCAM, CAM and other constituent materials,
``manufacturing_component`` for cells and magnets, ``manufacturing_product`` for packs). A
process whose step confers origin on a basis makes its region the origin of its whole output
on that basis; any other process passes on the origin of its feed. A process with no input
holding the element (mining; recovery from a feed the model does not carry) starts the
element in its region on both bases, whatever its step.

Well-mixed markets (the standard proportional attribution)
----------------------------------------------------------
Within a year, every market :math:`m = (c, r)` (commodity :math:`c` in region :math:`r`) is a
well-mixed pool: whatever leaves it (process inputs, exports, demand, excess, stockpiling)
carries the origin mix of everything that entered it. For element :math:`e` and year :math:`t`,
with :math:`s_m` the origin shares of market :math:`m` and :math:`y_j` those of the output of
process :math:`j` (in region :math:`r_j`), both vectors over the origins:

.. math::

    T_m s_m = \sum_{j \to m} q_{jm}\, y_j + \sum_{o} x_{c,o \to r}\, s_{(c,o)}
              + A_m\, a_m + R_m\, k_m

    y_j = \begin{cases}
        \mathbf{1}_{r_j} & \text{if } j \text{ confers origin, or has no input of } e\\
        \sum_i w_{ij}\, s_{(i, r_j)} / \sum_i w_{ij} & \text{otherwise}
    \end{cases}

where :math:`T_m` is the market's inflow, :math:`q_{jm}` the element made by :math:`j`,
:math:`x` the trade, :math:`w_{ij}` the element :math:`j` takes from input :math:`i`,
:math:`A_m, a_m` the end-of-life arising and its mix, :math:`R_m, k_m` the release from a
strategic stockpile and its mix, all in t of element. The system is linear in the
:math:`s` and :math:`y` and is solved exactly (sparse LU) for each element and year, so
recycling loops and re-exports within a year need no iteration.

The mine and processing bases are each a closed system over the regions; the *joint* mix
(mine origin x processing origin) follows from them: a process that confers only the mine
origin outputs :math:`\mathbf{1}_{r_j} \otimes p_j` with :math:`p_j` its feed's processing mix,
and one that confers only the processing origin :math:`m_j \otimes \mathbf{1}_{r_j}`.

Stocks (a stated assumption)
----------------------------
The in-use stock of a product in a region, and a strategic stockpile, are pools with memory
across years: the outflow of year :math:`t` (end of life, stockpile release) carries the mix of
the pool at the end of year :math:`t-1`; the pool then takes in year :math:`t`'s inflow with the
mix of the market it came from. This is a well-mixed stock, not cohort tracking: a young cohort's
origin reaches end of life somewhat earlier than its lifetime says. Material already in use or
stockpiled before the first model year has no modelled origin; it is labelled
:data:`UNTRACED`. Under the default rules recycling confers both origins, so untraced material
shows in the stock and end-of-life tables but not in supply.

Tables
------
:func:`attribute` returns, all in t of element, with ``mine_origin`` and ``processing_origin``
columns: ``flows_by_origin``, ``trade_by_origin``, ``demand_by_origin``, ``excess_by_origin``,
``eol_by_origin``, ``stock_by_origin``, and ``supply_origin`` (supply of :mod:`mfa.indicators`
with its ``shipper``: the exporting region, or ``domestic`` for own output). From it:
``supply_by_mine_origin`` and ``supply_by_processing_origin`` (``origin`` as in ``supply``, the
receiving region itself shown as ``domestic``) and ``indicators_by_basis`` (import dependency,
largest-supplier share, HHI, shares from partners and partnership self-sufficiency on the
shipping, mine and processing bases side by side).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from mfa.errors import CheckError, InputError, Problem
from mfa.inputs.tables import ORIGIN_BASES, ORIGIN_STEPS
from mfa.model.market import MARKET_ORIGIN
from mfa.model.supply import SECONDARY_KINDS, UPSTREAM_STAGES, content_long
from mfa.sparse import solve_open, sp

LOG = logging.getLogger(__name__)

UNTRACED = "untraced"
"""Origin of material in use or stockpiled before the first model year (not modelled)."""
DOMESTIC = "domestic"
"""Origin label of a region's own supply (as in the ``supply`` table)."""
BASES = ("shipping", *ORIGIN_BASES)
"""The three bases indicators are reported on."""
TINY = 1e-9
"""Amounts below this (t of element) are left out of the tables."""


def origin_step(kind: str, output_stages: Sequence[str]) -> str:
    """The step of the chain a process belongs to for the origin rules.

    Its ``kind``; a manufacturing process is ``manufacturing_<stage>`` with the latest stage
    (material, component, product) among its outputs (``material`` if it makes none of these).
    """
    if kind != "manufacturing":
        return kind
    made = [s for s in ("material", "component", "product") if s in set(output_stages)]
    return f"manufacturing_{made[-1] if made else 'material'}"


@dataclass(frozen=True)
class OriginRules:
    """Which steps of the chain confer origin, on the mine and processing bases.

    Attributes
    ----------
    mine, processing
        Steps (:func:`origin_step`) whose region becomes the origin of their output.
    """

    mine: frozenset[str]
    processing: frozenset[str]

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> OriginRules:
        """Read the ``origin_rules`` table (``basis, step, value``; value 1 confers, 0 not).

        Raises
        ------
        InputError
            If a value is not 0 or 1, or a step lacks a rule on a basis.
        """
        problems = []
        for row in table.itertuples(index=False):
            if row.value not in (0.0, 1.0):
                problems.append(
                    Problem(
                        "origin_rules",
                        f"basis '{row.basis}', step '{row.step}': value {row.value!r} is "
                        "neither 1 (confers origin) nor 0 (keeps the feed's origin)",
                        column="value",
                    )
                )
        given = set(zip(table["basis"], table["step"], strict=True))
        missing = [(b, k) for b in ORIGIN_BASES for k in ORIGIN_STEPS if (b, k) not in given]
        if missing:
            problems.append(
                Problem(
                    "origin_rules",
                    "no rule for " + ", ".join(f"basis '{b}' and step '{k}'" for b, k in missing),
                    column="step",
                    expected="one row (value 0 or 1) for every basis and step",
                )
            )
        if problems:
            raise InputError(problems)
        confer = table[table["value"] == 1.0]
        return cls(
            mine=frozenset(confer.loc[confer["basis"] == "mine", "step"]),
            processing=frozenset(confer.loc[confer["basis"] == "processing", "step"]),
        )


@dataclass
class _System:
    """One element-year: graph nodes (markets first, then processes) and what enters them."""

    node: dict[tuple[str, str, str], int]
    links: list[tuple[int, int, float]]
    """(market row, source column, amount): process outputs and imports into markets."""
    inflow: np.ndarray
    """Total amount entering each market (0 for process rows)."""
    fixed: np.ndarray
    """Joint origin amounts entering each market from end of life and stockpile releases."""
    feed: dict[tuple[str, str], list[tuple[int, float]]]
    """(process, region) -> (market, element taken) of its inputs."""
    markets: int
    """Number of market rows."""


class _Part:
    """Some rows of a quantity table as NumPy columns, with their positions in the table.

    The loop over elements and years reads thousands of small row sets; pandas' per-call
    overhead (column look-up, boolean indexing) would dominate it.
    """

    __slots__ = ("columns", "index")

    def __init__(self, columns: dict[str, np.ndarray], index: np.ndarray) -> None:
        self.columns = columns
        self.index = index

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Part:
        return cls({c: frame[c].to_numpy() for c in frame.columns}, np.arange(len(frame)))

    def take(self, rows: np.ndarray) -> _Part:
        """The rows at ``rows`` (positions or a boolean mask)."""
        return _Part({c: v[rows] for c, v in self.columns.items()}, self.index[rows])

    def __getitem__(self, column: str) -> np.ndarray:
        return self.columns[column]

    def __len__(self) -> int:
        return len(self.index)

    @property
    def empty(self) -> bool:
        return len(self.index) == 0


@dataclass
class _Pools:
    """Year-end origin amounts of the in-use stock and stockpiles, per element (joint mix)."""

    stock: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    stockpile: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)


def attribute(tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Split every quantity of solved results by mine and processing origin.

    Parameters
    ----------
    tables
        Result tables (:class:`~mfa.results.Results`), with the set tables and
        ``origin_rules``.

    Returns
    -------
    dict
        The ``*_by_origin`` tables and ``supply_origin`` (see the module docstring).

    Raises
    ------
    CheckError
        If a year's attribution system is singular other than by a loop of flows that
        nothing enters.
    """
    rules = OriginRules.from_table(tables["origin_rules"])
    return _Attribution(tables, rules).run()


def tables(
    results: Mapping[str, pd.DataFrame], partnership: Sequence[str] = ("CA", "KR")
) -> dict[str, pd.DataFrame]:
    """Every origin table of solved results: :func:`attribute`'s, the supply on the mine and
    processing bases, and :func:`indicators_by_basis`."""
    out = attribute(results)
    out["supply_by_mine_origin"] = supply_by_basis(out["supply_origin"], "mine")
    out["supply_by_processing_origin"] = supply_by_basis(out["supply_origin"], "processing")
    members = [r for r in partnership if r in set(results["regions"]["region"])]
    out["indicators_by_basis"] = indicators_by_basis(out["supply_origin"], members)
    return out


def supply_by_basis(supply_origin: pd.DataFrame, basis: str) -> pd.DataFrame:
    """Supply by origin on one basis: ``region, element, origin, year, value, unit``.

    ``basis`` is ``shipping`` (equal to the ``supply`` table), ``mine`` or ``processing``;
    an origin equal to the receiving region is shown as ``domestic``.
    """
    column = {"shipping": "shipper", "mine": "mine_origin", "processing": "processing_origin"}
    frame = supply_origin.rename(columns={column[basis]: "origin"})
    frame = frame.assign(origin=frame["origin"].where(frame["origin"] != frame["region"], DOMESTIC))
    out = frame.groupby(["region", "element", "origin", "year"], as_index=False)["value"].sum()
    out["unit"] = "t"
    return out


def indicators_by_basis(
    supply_origin: pd.DataFrame, partnership: Sequence[str] = ("CA", "KR")
) -> pd.DataFrame:
    r"""Supply-security indicators on the shipping, mine and processing bases.

    For each basis :math:`b`: ``supply``, ``import_dependency`` (supply from other
    origins / supply), ``largest_supplier_share``, ``hhi`` (origins' shares squared, own
    origin included), ``share_from_<partner>``, and ``partnership_self_sufficiency``: for the
    partnership :math:`P` as one region, with trade between members counting on neither side,

    .. math:: \frac{\sum_{r \in P} \sum_{s \notin P,\, o_b \in P} S_{r s o}}
                   {\sum_{r \in P} \sum_{s \notin P} S_{r s o}}

    where :math:`s` is the shipper (``domestic`` for own output) and :math:`o_b` the origin on
    basis :math:`b`. On the shipping basis this is the indicator of :mod:`mfa.indicators`.

    Returns
    -------
    DataFrame
        ``indicator, basis, region, element, year, value, unit``.
    """
    from mfa.indicators import security_indicators

    members = list(partnership)
    parts = []
    for basis in BASES:
        supply = supply_by_basis(supply_origin, basis)
        frame = security_indicators(supply)
        frame = pd.concat([frame, _shares_from(supply, members)], ignore_index=True)
        frame = pd.concat([frame, _self_sufficiency(supply_origin, basis, members)])
        parts.append(frame.assign(basis=basis))
    out = pd.concat(parts, ignore_index=True)
    keys = ["indicator", "basis", "region", "element", "year"]
    return out[[*keys, "value", "unit"]].sort_values(keys).reset_index(drop=True)


def _shares_from(supply: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """``share_from_<partner>`` for each member's supply from the other members."""
    keys = ["region", "element", "year"]
    total = supply.groupby(keys)["value"].sum()
    total = total[total > TINY]
    parts = []
    for partner in members:
        inside = supply[supply["region"].isin(members) & (supply["region"] != partner)]
        got = inside[inside["origin"] == partner].groupby(keys)["value"].sum()
        share = (got.reindex(total.index).dropna() / total).dropna()
        share = share[share.index.get_level_values("region").isin(members)]
        share = share[share.index.get_level_values("region") != partner]
        frame = share.rename("value").reset_index()
        parts.append(frame.assign(indicator=f"share_from_{partner}", unit="share"))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _self_sufficiency(supply_origin: pd.DataFrame, basis: str, members: list[str]) -> pd.DataFrame:
    if len(members) < 2:
        return pd.DataFrame()
    column = {"shipping": "shipper", "mine": "mine_origin", "processing": "processing_origin"}
    inside = supply_origin[
        supply_origin["region"].isin(members) & ~supply_origin["shipper"].isin(members)
    ]
    origin = inside[column[basis]]
    own = origin.isin(members) | (origin == DOMESTIC)
    total = inside.groupby(["element", "year"])["value"].sum()
    total = total[total > TINY]
    got = inside[own].groupby(["element", "year"])["value"].sum().reindex(total.index)
    frame = (got.fillna(0.0) / total).rename("value").reset_index()
    return frame.assign(
        indicator="partnership_self_sufficiency", region="+".join(members), unit="share"
    )


class _Attribution:
    """The per-year, per-element linear systems and the tables built from their solutions."""

    def __init__(self, tables: Mapping[str, pd.DataFrame], rules: OriginRules) -> None:
        self.rules = rules
        content = content_long(tables)
        self.content = content[content["content"] > 0]
        self.elements = sorted(set(self.content["element"]))
        regions = list(tables["regions"]["region"])
        self.labels = [*regions, MARKET_ORIGIN, UNTRACED]
        self.at = {label: i for i, label in enumerate(self.labels)}
        self.k = len(self.labels)
        self.kind = tables["processes"].set_index("process")["kind"].to_dict()
        com = tables["commodities"].set_index("commodity")
        self.stage = com["stage"].to_dict()
        made = tables["flows"][tables["flows"]["direction"] == "out"]
        made = made.groupby("process")["commodity"].unique()
        self.step = {
            p: origin_step(k, [self.stage.get(c, "") for c in made.get(p, [])])
            for p, k in self.kind.items()
        }
        self.eol_of = {
            c: e
            for c, e in com["eol_commodity"].items()
            if isinstance(e, str) and e and e in com.index
        }
        self.tables = {name: self._in_element(tables, name) for name in _QUANTITIES}
        market = tables.get("market")
        bought = {} if market is None else {"market": market[market["direction"] == "buy"]}
        self.tables["market_buy"] = self._in_element(bought, "market", _BOUGHT)
        self.years = sorted(set().union(*(set(f["year"]) for f in self.tables.values() if len(f))))
        self.pools = {e: _Pools() for e in self.elements}
        self.rows: dict[str, list] = defaultdict(list)

    def _in_element(
        self,
        tables: Mapping[str, pd.DataFrame],
        name: str,
        dims: tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        dims = _QUANTITIES[name] if dims is None else dims
        frame = tables.get(name)
        if frame is None or frame.empty:
            return pd.DataFrame(columns=[*dims, "element", "value"])
        out = frame.merge(self.content, on="commodity", how="inner")
        out["value"] = out["value"].astype(float) * out["content"]
        out = out[out["value"].abs() > TINY][[*dims, "element", "value"]]
        text = [c for c in out.columns if c not in ("year", "value")]
        return out.astype(dict.fromkeys(text, object)).reset_index(drop=True)

    def run(self) -> dict[str, pd.DataFrame]:
        parts = {n: _Part.of(f) for n, f in self.tables.items()}
        groups = {
            n: f.groupby(["element", "year"]).indices if len(f) else {}
            for n, f in self.tables.items()
        }
        none = np.zeros(0, dtype=np.intp)
        for t in self.years:
            for e in self.elements:
                year = {n: parts[n].take(g.get((e, t), none)) for n, g in groups.items()}
                self._year(e, t, year)
        return self._tables()

    # one element, one year -------------------------------------------------------------
    def _year(self, element: str, year: int, q: dict[str, _Part]) -> None:
        flows = q["flows"]
        outs = flows.take(flows["direction"] == "out")
        ins = flows.take(flows["direction"] == "in")
        trade = q["trade"]
        markets = sorted(
            set(zip(outs["commodity"], outs["region"], strict=True))
            | set(zip(trade["commodity"], trade["destination"], strict=True))
            | set(zip(trade["commodity"], trade["origin"], strict=True))
            | set(zip(ins["commodity"], ins["region"], strict=True))
            | set(zip(q["eol"]["commodity"], q["eol"]["region"], strict=True))
            | set(zip(q["demand"]["commodity"], q["demand"]["region"], strict=True))
            | set(zip(q["market_buy"]["commodity"], q["market_buy"]["region"], strict=True))
            | set(
                zip(
                    q["stockpile_drawdown"]["commodity"],
                    q["stockpile_drawdown"]["region"],
                    strict=True,
                )
            )
        )
        procs = sorted(set(zip(outs["process"], outs["region"], strict=True)))
        node = {("m", *m): i for i, m in enumerate(markets)}
        node.update({("p", *p): len(markets) + i for i, p in enumerate(procs)})
        n = len(node)
        pools = self.pools[element]
        # inflows into each market: (source node or fixed joint vector, amount)
        links: list[tuple[int, int, float]] = []  # (market row, source column, amount)
        fixed = np.zeros((n, self.k * self.k))
        inflow = np.zeros(n)
        for p, r, c, v in _columns(outs, "process", "region", "commodity", "value"):
            i = node[("m", c, r)]
            links.append((i, node[("p", p, r)], v))
            inflow[i] += v
        for c, o, d, v in _columns(trade, "commodity", "origin", "destination", "value"):
            i = node[("m", c, d)]
            links.append((i, node[("m", c, o)], v))
            inflow[i] += v
        eol_mix = self._eol_mix(element, year, q)
        for r, c, v in _columns(q["eol"], "region", "commodity", "value"):
            i = node[("m", c, r)]
            fixed[i] += v * eol_mix[(r, c)]
            inflow[i] += v
        for r, c, v in _columns(q["stockpile_drawdown"], "region", "commodity", "value"):
            if v > 0:
                i = node[("m", c, r)]
                held = pools.stockpile.get((r, c), self._untraced(1.0))
                fixed[i] += v * _shares(held)
                inflow[i] += v
        for r, c, v in _columns(q["market_buy"], "region", "commodity", "value"):
            i = node[("m", c, r)]  # bought from the rest of the world: origin 'market'
            fixed[i] += self._labelled(MARKET_ORIGIN, v)
            inflow[i] += v
        feed: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
        for p, r, c, v in _columns(ins, "process", "region", "commodity", "value"):
            if v > 0:
                feed[(p, r)].append((node[("m", c, r)], v))
        system = _System(node, links, inflow, fixed, feed, len(markets))
        mine, processing = self._marginals(procs, system)
        joint = self._joint(procs, system, mine, processing)
        self._record(element, year, q, node, joint, eol_mix)

    def _untraced(self, amount: float) -> np.ndarray:
        return self._labelled(UNTRACED, amount)

    def _labelled(self, label: str, amount: float) -> np.ndarray:
        """``amount`` with ``label`` as both its mine and its processing origin."""
        vec = np.zeros(self.k * self.k)
        vec[self.at[label] * self.k + self.at[label]] = amount
        return vec

    def _confers(self, process: str, basis: str) -> bool:
        return self.step[process] in getattr(self.rules, basis)

    @staticmethod
    def _solve(
        system: _System, rhs: np.ndarray, inherit: dict[int, list[tuple[int, float]]]
    ) -> np.ndarray:
        r"""Solve :math:`(I - W) X = B` for the origin shares :math:`X` of every node.

        Market rows take their sources with weights amount / inflow (a market nothing enters
        has no mix); ``inherit`` lists the process rows that pass their feed's mix on
        (weights: feed / total feed). ``rhs`` holds the fixed amounts entering the markets
        (divided by the inflow here) and the fixed shares of the other process rows.
        """
        n = len(system.node)
        inflow = system.inflow
        rows, cols, vals = list(range(n)), list(range(n)), [1.0] * n
        b = rhs.copy()
        entered = inflow > TINY
        for i, j, amount in system.links:
            if entered[i]:
                rows.append(i)
                cols.append(j)
                vals.append(-amount / inflow[i])
        market = np.arange(n) < system.markets
        b[market & entered] /= inflow[market & entered, None]
        b[market & ~entered] = 0.0
        for i, sources in inherit.items():
            total = sum(w for _, w in sources)
            for j, w in sources:
                rows.append(i)
                cols.append(j)
                vals.append(-w / total)
        matrix = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
        used = np.flatnonzero(np.any(b != 0.0, axis=0))  # other origins stay zero everywhere
        x = np.zeros_like(b)
        try:
            x[:, used], closed = solve_open(matrix, np.ascontiguousarray(b[:, used]))
        except RuntimeError as exc:  # singular, and not by a loop of flows that nothing enters
            raise CheckError(f"origin attribution: the system is singular ({exc})") from exc
        if len(closed):
            named = set(closed[:6].tolist())
            LOG.info(
                "origin attribution: %d markets and processes take their element only from "
                "each other (a loop of flows that nothing enters; no origin): %s",
                len(closed),
                "; ".join(str(key) for key, i in system.node.items() if i in named),
            )
        return x

    def _marginals(
        self, procs: list[tuple[str, str]], system: _System
    ) -> tuple[np.ndarray, np.ndarray]:
        """Mine and processing mixes of every node (K columns each)."""
        k = self.k
        joint = system.fixed.reshape(len(system.node), k, k)
        out = []
        for basis, axis in (("mine", 2), ("processing", 1)):
            rhs = joint.sum(axis=axis)
            inherit = {}
            for p, r in procs:
                i = system.node[("p", p, r)]
                if system.feed.get((p, r)) and not self._confers(p, basis):
                    inherit[i] = system.feed[(p, r)]
                else:
                    rhs[i, self.at[r]] = 1.0
            out.append(self._solve(system, rhs, inherit))
        return out[0], out[1]

    def _joint(
        self,
        procs: list[tuple[str, str]],
        system: _System,
        mine: np.ndarray,
        processing: np.ndarray,
    ) -> np.ndarray:
        """Joint (mine x processing) mix of every node (K*K columns)."""
        k = self.k
        rhs = system.fixed.copy()
        inherit: dict[int, list[tuple[int, float]]] = {}
        for p, r in procs:
            i = system.node[("p", p, r)]
            sources = system.feed.get((p, r)) or []
            on_mine = not sources or self._confers(p, "mine")
            on_proc = not sources or self._confers(p, "processing")
            here = np.zeros(k)
            here[self.at[r]] = 1.0
            if on_mine and on_proc:
                rhs[i] = np.outer(here, here).ravel()
            elif on_mine:
                rhs[i] = np.outer(here, _feed_mix(processing, sources)).ravel()
            elif on_proc:
                rhs[i] = np.outer(_feed_mix(mine, sources), here).ravel()
            else:
                inherit[i] = sources
        return self._solve(system, rhs, inherit)

    def _eol_mix(self, element: str, year: int, q: dict[str, _Part]) -> dict:
        """Joint mix of each (region, eol commodity): its products' pools at the end of t-1."""
        pools = self.pools[element].stock
        weights: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(self.k**2))
        for (region, product), held in pools.items():
            eol = self.eol_of.get(product)
            if eol is not None:
                out = self._outflow.get((element, region, product, year), 0.0)
                weights[(region, eol)] += max(out, 0.0) * _shares(held)
        mix = {}
        for r, c in _columns(q["eol"], "region", "commodity"):
            w = weights.get((r, c))
            mix[(r, c)] = _shares(w) if w is not None and w.sum() > TINY else self._untraced(1.0)
        return mix

    @property
    def _outflow(self) -> dict[tuple[str, str, str, int], float]:
        """End-of-life outflow of each product (t element): stock(t-1) + inflow(t) - stock(t)."""
        if not hasattr(self, "_outflow_cache"):
            stock = self.tables["stock"].set_index(["element", "region", "commodity", "year"])
            held = stock["value"].to_dict()
            served = self.tables["demand"].set_index(["element", "region", "commodity", "year"])
            served = served["value"].to_dict()
            self._outflow_cache = {
                (e, r, c, t): held.get((e, r, c, t - 1), 0.0) + served.get((e, r, c, t), 0.0) - v
                for (e, r, c, t), v in held.items()
                if (e, r, c, t - 1) in held
            }
        return self._outflow_cache

    # tables ---------------------------------------------------------------------------
    def _split(self, name: str, frame: _Part, mixes: list[np.ndarray]) -> None:
        """Keep the rows of ``frame`` (a part of quantity table ``name``) times their mixes."""
        if frame.empty:
            return
        amounts = frame["value"][:, None] * np.array(mixes)
        rows, cols = np.nonzero(amounts > TINY)
        self.rows[name].append((frame.index[rows], cols, amounts[rows, cols]))

    def _record(
        self,
        element: str,
        year: int,
        q: dict[str, _Part],
        node: dict[tuple[str, str, str], int],
        joint: np.ndarray,
        eol_mix: dict[tuple[str, str], np.ndarray],
    ) -> None:
        share = {key: joint[i] for key, i in node.items()}
        flows = q["flows"]
        self._split(
            "flows",
            flows,
            [
                share[("p", p, r)] if d == "out" else share[("m", c, r)]
                for p, r, c, d in _columns(flows, "process", "region", "commodity", "direction")
            ],
        )
        trade = q["trade"]
        self._split(
            "trade", trade, [share[("m", c, o)] for c, o in _columns(trade, "commodity", "origin")]
        )
        for name in ("demand", "excess"):
            where = _columns(q[name], "region", "commodity")
            self._split(name, q[name], [share[("m", c, r)] for r, c in where])
        where = _columns(q["eol"], "region", "commodity")
        self._split("eol", q["eol"], [eol_mix[(r, c)] for r, c in where])
        self._supply(element, year, q, share)
        self._update_pools(element, year, q, share)
        pools = self.pools[element]
        for name, pool in (("stock", pools.stock), ("stockpile", pools.stockpile)):
            where = _columns(q[name], "region", "commodity")
            self._split(name, q[name], [_shares(pool[(r, c)]) for r, c in where])

    def _supply(
        self,
        element: str,
        year: int,
        q: dict[str, _Part],
        share: dict[tuple[str, str, str], np.ndarray],
    ) -> None:
        """Supply (as :func:`mfa.indicators.supply_by_origin`) by shipper and joint origin:
        imports of upstream forms with their exporter's market mix, and own output where the
        element enters the region (recycling; processes with no input of the element)."""
        trade = q["trade"]
        upstream = [self.stage.get(c) in UPSTREAM_STAGES for c in trade["commodity"]]
        trade = trade.take(np.array(upstream, dtype=bool))
        flows = q["flows"]
        outs = flows.take(flows["direction"] == "out")
        taken = flows.take((flows["direction"] == "in") & (flows["value"] > 0))
        fed = set(zip(taken["process"], taken["region"], strict=True))
        enters = [
            self.kind[p] in SECONDARY_KINDS or (p, r) not in fed
            for p, r in _columns(outs, "process", "region")
        ]
        own = outs.take(np.array(enters, dtype=bool))
        regions = [*trade["destination"], *own["region"]]
        shippers = [*trade["origin"], *[DOMESTIC] * len(own)]
        mixes = [share[("m", c, o)] for c, o in _columns(trade, "commodity", "origin")]
        mixes += [share[("p", p, r)] for p, r in _columns(own, "process", "region")]
        if not mixes:
            return
        values = np.concatenate([trade["value"], own["value"]])
        amounts = values[:, None] * np.array(mixes)
        rows, cols = np.nonzero(amounts > TINY)
        self.rows["supply_origin"].append(
            (
                np.array(regions, dtype=object)[rows],
                np.full(len(rows), element, dtype=object),
                np.full(len(rows), year, dtype=np.int64),
                np.array(shippers, dtype=object)[rows],
                cols,
                amounts[rows, cols],
            )
        )

    def _update_pools(
        self,
        element: str,
        year: int,
        q: dict[str, _Part],
        share: dict[tuple[str, str, str], np.ndarray],
    ) -> None:
        """Year-end pools: what stayed plus this year's inflow with its market's mix."""
        pools = self.pools[element]
        served = {(r, c): v for r, c, v in _columns(q["demand"], "region", "commodity", "value")}
        for r, c, held_now in _columns(q["stock"], "region", "commodity", "value"):
            before = pools.stock.get((r, c))
            came = served.get((r, c), 0.0)
            if before is None:  # first year: what is not this year's inflow was there before
                kept = self._untraced(max(held_now - came, 0.0))
            else:
                out = self._outflow.get((element, r, c, year), 0.0)
                kept = before * max(1.0 - out / max(before.sum(), TINY), 0.0)
            new = kept + came * share.get(("m", c, r), self._untraced(1.0))
            pools.stock[(r, c)] = new * (held_now / new.sum()) if new.sum() > TINY else new
        held = {(r, c): v for r, c, v in _columns(q["stockpile"], "region", "commodity", "value")}
        drawn = {
            (r, c): v
            for r, c, v in _columns(q["stockpile_drawdown"], "region", "commodity", "value")
        }
        for key, amount in held.items():
            before = pools.stockpile.get(key, self._untraced(amount + drawn.get(key, 0.0)))
            added = max(-drawn.get(key, 0.0), 0.0)
            kept = _shares(before) * max(amount - added, 0.0)
            new = kept + added * share.get(("m", key[1], key[0]), self._untraced(1.0))
            pools.stockpile[key] = new

    def _tables(self) -> dict[str, pd.DataFrame]:
        labels = np.array(self.labels, dtype=object)
        out = {}
        for name, dims in _QUANTITIES.items():
            if name == "stockpile_drawdown":
                continue
            parts = self.rows.get(name, [])
            rows = np.concatenate([r for r, _, _ in parts]) if parts else np.zeros(0, int)
            cols = np.concatenate([c for _, c, _ in parts]) if parts else np.zeros(0, int)
            frame = self.tables[name].iloc[rows][[*dims, "element"]].reset_index(drop=True)
            frame["mine_origin"] = labels[cols // self.k]
            frame["processing_origin"] = labels[cols % self.k]
            frame["value"] = np.concatenate([v for _, _, v in parts]) if parts else 0.0
            frame["year"] = frame["year"].astype(int)
            frame["unit"] = "t"
            out[f"{name}_by_origin"] = frame
        parts = self.rows.get("supply_origin", [])
        if parts:
            columns = (np.concatenate(c) for c in zip(*parts, strict=True))
            region, element, year, shipper, cols, value = columns
            supply = pd.DataFrame(
                {
                    "region": region,
                    "element": element,
                    "year": year,
                    "shipper": shipper,
                    "mine_origin": labels[cols // self.k],
                    "processing_origin": labels[cols % self.k],
                    "value": value,
                }
            )
        else:
            supply = pd.DataFrame(columns=_SUPPLY_COLUMNS)
        keys = [c for c in _SUPPLY_COLUMNS if c != "value"]
        supply = supply.groupby(keys, as_index=False)["value"].sum()
        supply["year"] = supply["year"].astype(int)
        supply["unit"] = "t"
        out["supply_origin"] = supply
        return out


_QUANTITIES: dict[str, tuple[str, ...]] = {
    "flows": ("process", "region", "commodity", "year", "direction"),
    "trade": ("commodity", "origin", "destination", "year"),
    "demand": ("region", "commodity", "year"),
    "excess": ("region", "commodity", "year"),
    "eol": ("region", "commodity", "year"),
    "stock": ("region", "commodity", "year"),
    "stockpile": ("region", "commodity", "year"),
    "stockpile_drawdown": ("region", "commodity", "year"),
}
"""Result tables split by origin, with their dimensions."""

_BOUGHT = ("region", "commodity", "year")
"""Dimensions of the world-market purchases, which enter markets with origin 'market'."""

_SUPPLY_COLUMNS = (
    "region",
    "element",
    "year",
    "shipper",
    "mine_origin",
    "processing_origin",
    "value",
)


def _shares(amounts: np.ndarray) -> np.ndarray:
    total = amounts.sum()
    return amounts / total if total > TINY else amounts * 0.0


def _feed_mix(mix: np.ndarray, sources: list[tuple[int, float]]) -> np.ndarray:
    total = sum(w for _, w in sources)
    return sum(w * mix[j] for j, w in sources) / total


def _columns(frame: _Part, *names: str) -> zip:
    """The rows of some columns of ``frame`` as tuples."""
    return zip(*(frame[n] for n in names), strict=True)
