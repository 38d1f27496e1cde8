r"""Stock family: products in use, their end of life, and collection.

Products delivered to final demand enter an in-use stock in their region. The
end-of-life outflow of product :math:`c` in region :math:`r` and year :math:`t`
is the convolution of past inflows with the product's lifetime distribution
(:mod:`mfa.stock`), over model years and the historical inflows before them:

.. math::

    O_{crt} = \sum_{\tau \le t} M_{t\tau} (D_{cr\tau} - u_{cr\tau})
              + \sum_{h} M^{hist}_{th} H_{crh}

which is linear in the unmet-demand variables :math:`u`, so end-of-life supply
is endogenous to the LP.

Second-life packs (:mod:`mfa.model.second_life`) are a cohort of their own in the stock
of the storage product :math:`c` they serve. A repurposing process :math:`p` run at
:math:`x_{pr\tau}` yields :math:`a_p` units of :math:`c` (its ``process_io`` output: the
state of health is the derating, e.g. 0.7 GWh of storage per GWh of spent pack) from
:math:`b_p` units of spent packs (its end-of-life inputs). Those :math:`s_{cr\tau} =
\sum_p a_p x_{pr\tau}` units are not new products, and they live for the remaining life
of a repurposed pack (``second_life_lifetime``, a fixed life :math:`L_r`; the product's own
lifetime where the table has no row), with outflow kernel :math:`M^{2nd}_{t\tau}`. At
the end of it the whole pack, :math:`b_p x_{pr\tau}` units, arises as the product's
end-of-life commodity, so no material is lost between repurposing and recycling:

.. math::

    O_{crt} = \sum_{\tau \le t} M_{t\tau} (D_{cr\tau} - u_{cr\tau} - s_{cr\tau})
              + \sum_{h} M^{hist}_{th} H_{crh}
              + \sum_{\tau \le t} M^{2nd}_{t\tau} \sum_p b_p x_{pr\tau}

and the in-use stock (in units of :math:`c`) is
:math:`K (D - u - s) + K^{hist} H + K^{2nd} s`. Second-life packs enter use where they
are repurposed (storage products are not traded), and they are part of the demand served,
never more (``second_life_inflow``; otherwise a repurposed pack thrown away as excess
would be a free store of spent packs, and the new products' inflow negative):

.. math:: s_{crt} + u_{crt} \le D_{crt}

The outflow arises as the product's end-of-life commodity :math:`e`
(:math:`A_{ert} = \sum_{c \to e} O_{crt}`) in the balance of :math:`(e, r, t)`. What is
not collected is landfilled: with the collection rate :math:`\kappa_{ert}` (the largest
collectable share),

.. math:: e^{landfill}_{ert} \ge (1 - \kappa_{ert})\, A_{ert}.

Recycled content (table ``recycled_content``): for a process :math:`p`, region,
element :math:`\ell` and year with share :math:`\sigma`, secondary members of
its substitute input groups must supply at least that share of the element:

.. math::

    \sum_{g, c \in g: \ell(c) = \ell, c\ secondary} u_{pgcrt}
    \ge \sigma \sum_{g, c \in g: \ell(c) = \ell} u_{pgcrt}

Secondary commodities come only from recycling what has reached end of life,
so a share set before enough stock has retired is infeasible (or shows as
unmet demand when unmet demand is allowed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.errors import InputError, Problem
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, Row, tidy
from mfa.solve import Solution
from mfa.stock import Lifetime, outflow_matrix, stock_matrix

SMALL = 1e-7
"""Coefficients of unmet demand below this are left out of the collection and treatment rows
(inequalities): a product not delivered a decade earlier moves the arising by less than a
ten-millionth of a unit, and such coefficients (down to 3e-10) make the LP badly scaled.
The balances keep every term, so that end-of-life flows close."""


@dataclass
class SecondLife:
    """Second-life packs in the stock of one storage product in one region.

    Row ``k`` of the activity matrix is repurposing process ``processes[k]``:
    ``service[k]`` units of the product and ``packs[k]`` units of spent pack (the product's
    end-of-life commodity) per unit of its activity. ``m_life`` and ``k_life`` are the
    outflow and stock kernels of the remaining life (model years only: no second-life pack
    is in use before the first model year).
    """

    processes: list[str]
    service: np.ndarray
    packs: np.ndarray
    m_life: np.ndarray
    k_life: np.ndarray


@dataclass
class ProductStock:
    """The linear operators of one product in one region (years as in the model).

    With ``s = service @ activity`` the second-life inflow (zero without repurposing),
    ``outflow = m_model @ (demand - unmet - s) + m_hist @ history + m_life @ (packs @
    activity)`` and ``stock = k_model @ (demand - unmet - s) + k_hist @ history + k_life @
    s``; ``activity`` has one row per repurposing process and one column per model year.
    """

    product: str
    region: str
    eol: str
    demand: np.ndarray
    history: np.ndarray
    m_model: np.ndarray
    m_hist: np.ndarray
    k_model: np.ndarray
    k_hist: np.ndarray
    lifetime: Lifetime
    second_life: SecondLife | None = None

    def repurposed(self, activity: np.ndarray | None) -> np.ndarray:
        """Second-life inflow :math:`s` per model year (units of the product)."""
        if self.second_life is None or activity is None:
            return np.zeros(len(self.demand))
        return self.second_life.service @ activity

    def inflow(self, unmet: np.ndarray, activity: np.ndarray | None = None) -> np.ndarray:
        """Inflow of new products to use per model year: demand served less second life."""
        return self.demand - unmet - self.repurposed(activity)

    def outflow(self, unmet: np.ndarray, activity: np.ndarray | None = None) -> np.ndarray:
        """End-of-life outflow per model year (new products and whole second-life packs)."""
        out = self.m_model @ self.inflow(unmet, activity) + self.m_hist @ self.history
        if self.second_life is not None and activity is not None:
            out = out + self.second_life.m_life @ (self.second_life.packs @ activity)
        return out

    def stock(self, unmet: np.ndarray, activity: np.ndarray | None = None) -> np.ndarray:
        """In-use stock at the end of each model year (new and second-life products)."""
        held = self.k_model @ self.inflow(unmet, activity) + self.k_hist @ self.history
        if self.second_life is not None and activity is not None:
            held = held + self.second_life.k_life @ self.repurposed(activity)
        return held

    def second_life_stock(self, activity: np.ndarray) -> np.ndarray:
        """Second-life products in use at the end of each model year."""
        if self.second_life is None:
            return np.zeros(len(self.demand))
        return self.second_life.k_life @ self.repurposed(activity)

    def second_life_outflow(self, activity: np.ndarray) -> np.ndarray:
        """Spent second-life packs reaching end of life per model year (eol units)."""
        if self.second_life is None:
            return np.zeros(len(self.demand))
        return self.second_life.m_life @ (self.second_life.packs @ activity)


def lifetime_of(row: pd.Series, region: str, survival: pd.Series) -> Lifetime:
    """Build a :class:`Lifetime` from a ``lifetimes.csv`` row (and ``survival.csv``)."""
    dist = row["distribution"]
    if dist == "table":
        shares = survival.xs((row["commodity"], region), level=("commodity", "region"))
        return Lifetime("table", survival=shares.sort_index().to_numpy())
    kwargs = {
        "fixed": ("mean",),
        "normal": ("mean", "std"),
        "lognormal": ("mean", "std"),
        "weibull": ("mean", "shape"),
    }[dist]
    return Lifetime(dist, **{k: float(row[k]) for k in kwargs})


def product_stocks(data: ModelData) -> list[ProductStock]:
    """One :class:`ProductStock` per product and region with demand or history."""
    if data.lifetimes.empty:
        return []
    years = list(data.years)
    hist_years = list(data.history_years)
    demand = data.param("demand")
    history = data.param("historical_inflow")
    survival = data.param("survival")
    eol_of = data.commodities["eol_commodity"].to_dict()
    rows = data.lifetimes.copy()
    specific = rows[rows["region"] != "*"]
    out = []
    for _, row in rows.iterrows():
        c = row["commodity"]
        targets = (
            [row["region"]]
            if row["region"] != "*"
            else [
                r
                for r in data.regions
                if not ((specific["commodity"] == c) & (specific["region"] == r)).any()
            ]
        )
        for r in targets:
            if r not in data.regions:
                continue
            d = series_on(demand, r, c, years)
            h = series_on(history, r, c, hist_years)
            if not d.any() and not h.any():
                continue
            lifetime = lifetime_of(row, r, survival)
            m_model, m_hist = outflow_matrix(lifetime, years, hist_years)
            k_model, k_hist = stock_matrix(lifetime, years, hist_years)
            out.append(
                ProductStock(c, r, eol_of[c], d, h, m_model, m_hist, k_model, k_hist, lifetime)
            )
    return out


def series_on(series: pd.Series, region: str, commodity: str, years: list[int]) -> np.ndarray:
    """The values of ``series`` for one region and commodity over ``years`` (0 where absent)."""
    if series.empty:
        return np.zeros(len(years))
    try:
        part = series.xs((region, commodity), level=("region", "commodity"))
    except KeyError:
        return np.zeros(len(years))
    return part.reindex(years, fill_value=0.0).to_numpy(dtype=float)


Key = tuple[str, str, int]


def attach_second_life(built: BuiltModel, stocks: list[ProductStock]) -> None:
    """Give each product stock that repurposing processes make its second-life cohort.

    The yield :math:`a_p` is the process's output of the product; the packs :math:`b_p`
    are its inputs of end-of-life commodities (outside substitute groups), which must be in
    the unit of the product's end-of-life commodity (the pack comes back as it went in).

    Raises
    ------
    InputError
        A repurposing process takes an end-of-life input in another unit than the
        end-of-life commodity of the product it makes.
    """
    data, index = built.data, built.index
    kinds = data.processes["kind"].to_dict()
    stage = data.commodities["stage"].to_dict()
    unit = data.commodities["unit"].to_dict()
    remaining = data.param("second_life_lifetime")
    years = list(index.years)
    for ps in stocks:
        rows: list[tuple[str, float, float]] = []
        for p, r in sorted(index.processes_in):
            if r != ps.region or kinds.get(p) != "repurposing":
                continue
            spec = index.io[p]
            service = sum(a for c, a in spec.outputs if c == ps.product)
            if service <= 0:
                continue
            fed = [(c, a) for c, a in spec.inputs if stage[c] == "eol"]
            wrong = [c for c, _ in fed if unit[c] != unit[ps.eol]]
            if wrong:
                raise InputError(
                    [
                        Problem(
                            "process_io",
                            f"repurposing process '{p}' takes '{wrong[0]}' in "
                            f"{unit[wrong[0]]}, but its product '{ps.product}' reaches end of "
                            f"life as '{ps.eol}' in {unit[ps.eol]}",
                            column="commodity",
                            value=wrong[0],
                            expected=f"spent packs in {unit[ps.eol]}",
                        )
                    ]
                )
            rows.append((p, service, sum(a for _, a in fed)))
        if not rows:
            continue
        life = (
            Lifetime("fixed", mean=float(remaining[ps.region]))
            if ps.region in remaining.index
            else ps.lifetime
        )
        m_life, _ = outflow_matrix(life, years)
        k_life, _ = stock_matrix(life, years)
        ps.second_life = SecondLife(
            [p for p, _, _ in rows],
            np.array([a for _, a, _ in rows]),
            np.array([b for _, _, b in rows]),
            m_life,
            k_life,
        )


def arising(
    built: BuiltModel, stocks: list[ProductStock]
) -> tuple[dict[Key, Any], dict[Key, list[tuple[float, object]]]]:
    r"""End-of-life arising of ``stocks`` by (eol commodity, region, year): its constant
    part and its terms in unmet demand and repurposing activity,
    :math:`A = a_0 + \sum_j a_j u_j + \sum_k a_k x_k` (the outflow :math:`O` above).

    The constant follows the demand ``Param`` where demand is mutable (a sweep may change
    it in place).
    """
    m, index, values = built.model, built.index, built.values
    years = list(index.years)
    unmet_keys = set(index.unmet)
    const: dict[Key, Any] = defaultdict(float)
    lin: dict[Key, list[tuple[float, object]]] = defaultdict(list)
    for ps in stocks:
        if values.is_mutable("demand"):  # the constant follows the demand Params
            demand = [values.get("demand", (ps.region, ps.product, tau)) for tau in years]
            history = ps.m_hist @ ps.history
            base = [
                sum(ps.m_model[i, j] * demand[j] for j in range(i + 1) if ps.m_model[i, j] > 1e-12)
                + float(history[i])
                for i in range(len(years))
            ]
        else:
            base = (ps.m_model @ ps.demand + ps.m_hist @ ps.history).tolist()
        for i, t in enumerate(years):
            key = (ps.eol, ps.region, t)
            const[key] += base[i]
            for j, tau in enumerate(years[: i + 1]):
                coef = ps.m_model[i, j]
                if coef > 1e-12 and (ps.product, ps.region, tau) in unmet_keys:
                    lin[key].append((-coef, m.unmet[ps.product, ps.region, tau]))
        if ps.second_life is not None:
            _second_life_terms(built, ps, ps.second_life, lin)
    return const, lin


def _second_life_terms(
    built: BuiltModel,
    ps: ProductStock,
    sl: SecondLife,
    lin: dict[Key, list[tuple[float, object]]],
) -> None:
    r"""Terms of repurposing activity in the arising: :math:`(b_p M^{2nd}_{t\tau} - a_p
    M_{t\tau})\, x_{pr\tau}` (the whole pack back, no new product retiring for it)."""
    m, index = built.model, built.index
    years = list(index.years)
    for p, a, b in zip(sl.processes, sl.service, sl.packs, strict=True):
        running = set(index.processes_in[(p, ps.region)])
        for i, t in enumerate(years):
            key = (ps.eol, ps.region, t)
            for j, tau in enumerate(years[: i + 1]):
                coef = float(b * sl.m_life[i, j] - a * ps.m_model[i, j])
                if abs(coef) > 1e-12 and tau in running:
                    lin[key].append((coef, m.activity[p, ps.region, tau]))


def add(built: BuiltModel) -> list[ProductStock]:
    """Add end-of-life arising to the balances, collection limits and recycled content."""
    m, data, terms = built.model, built.data, built.terms
    stocks = product_stocks(data)
    attach_second_life(built, stocks)
    values = built.values
    arising_const, arising_lin = arising(built, stocks)
    for key, value in arising_const.items():
        terms.balance_constant[key] += value
        for coef, var in arising_lin[key]:
            terms.add_balance(key, coef, var)

    rates = values.floats("collection_rate")
    keys = [k for k in arising_const if rates.get((k[1], k[0], k[2]), 1.0) < 1.0]

    def collection_rule(_m: pyo.ConcreteModel, e: str, r: str, t: int) -> object:
        lost = 1.0 - values.get("collection_rate", (r, e, t))
        pairs = [(a, v) for a, v in arising_lin[(e, r, t)] if abs(lost * a) >= SMALL]
        body = LinearExpression(
            linear_coefs=[1.0] + [-lost * a for a, _ in pairs],
            linear_vars=[m.excess[e, r, t]] + [v for _, v in pairs],
        )
        return body >= lost * arising_const[(e, r, t)]

    m.collection_limit = pyo.Constraint(keys, rule=collection_rule)
    _add_second_life_inflow(built, stocks)
    _add_recycled_content(built)
    return stocks


def _add_second_life_inflow(built: BuiltModel, stocks: list[ProductStock]) -> None:
    m, index, values = built.model, built.index, built.values
    unmet_keys = set(index.unmet)
    served: dict[Key, list[tuple[float, object]]] = {}
    for ps in stocks:
        if ps.second_life is None:
            continue
        for p, a in zip(ps.second_life.processes, ps.second_life.service, strict=True):
            for t in index.processes_in[(p, ps.region)]:
                key = (ps.product, ps.region, t)
                if key not in served:
                    served[key] = [(1.0, m.unmet[key])] if key in unmet_keys else []
                served[key].append((float(a), m.activity[p, ps.region, t]))

    def rule(_m: pyo.ConcreteModel, c: str, r: str, t: int) -> object:
        pairs = served[(c, r, t)]
        body = LinearExpression(
            linear_coefs=[a for a, _ in pairs], linear_vars=[v for _, v in pairs]
        )
        return body <= values.get("demand", (r, c, t))

    m.second_life_inflow = pyo.Constraint(sorted(served), rule=rule)


def _add_recycled_content(built: BuiltModel) -> None:
    m, index, data = built.model, built.index, built.data
    values = built.values
    shares = {k: v for k, v in values.floats("recycled_content").items() if v > 0}
    if not shares:
        return
    element = data.commodities["element"].to_dict()
    secondary = data.commodities["secondary"].to_dict()
    uses: dict[tuple[str, str, str, int], list[tuple[bool, object]]] = defaultdict(list)
    for p, g, c, r, t in index.use:
        uses[(p, r, element[c], t)].append((bool(secondary[c]), m.use[p, g, c, r, t]))
    keys = [k for k in shares if k in uses]

    def rule(_m: pyo.ConcreteModel, p: str, r: str, el: str, t: int) -> object:
        share = values.get("recycled_content", (p, r, el, t))
        pairs = uses[(p, r, el, t)]
        body = LinearExpression(
            linear_coefs=[(1.0 - share) if sec else -share for sec, _ in pairs],
            linear_vars=[v for _, v in pairs],
        )
        return body >= 0.0

    m.recycled_content = pyo.Constraint(keys, rule=rule)


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``eol``: end-of-life arising :math:`A_{ert}` by (region, end-of-life commodity,
    year); ``stock``: the in-use stock of every product, for the demand served (new and
    second-life products together); ``second_life``: by (region, product, year) and
    ``quantity``, the products repurposed into use (``repurposed``, :math:`s`), those in
    use (``in_use``, :math:`K^{2nd} s`) and the spent packs they return at the end of their
    remaining life (``retired``, in units of the end-of-life commodity)."""
    index = built.index
    com_unit = built.data.commodities["unit"].to_dict()
    years = list(index.years)
    unmet = sol.values(built.model.unmet, index.unmet) if index.unmet else np.zeros(0)
    position = {k: i for i, k in enumerate(index.unmet)}
    activity = sol.values(built.model.activity, index.activity)
    run = {k: i for i, k in enumerate(index.activity)}
    arising: dict[tuple[str, str, int], float] = {}
    stock_keys, stock_vals = [], []
    second_keys, second_vals, second_units = [], [], []
    for ps in built.state("stock"):
        u = np.array(
            [
                unmet[position[(ps.product, ps.region, t)]]
                if (ps.product, ps.region, t) in position
                else 0.0
                for t in years
            ]
        )
        x = None
        if ps.second_life is not None:
            x = np.array(
                [
                    [
                        activity[run[(p, ps.region, t)]] if (p, ps.region, t) in run else 0.0
                        for t in years
                    ]
                    for p in ps.second_life.processes
                ]
            )
            parts = (
                ("repurposed", ps.repurposed(x), com_unit[ps.product]),
                ("in_use", ps.second_life_stock(x), com_unit[ps.product]),
                ("retired", ps.second_life_outflow(x), com_unit[ps.eol]),
            )
            for quantity, series, unit in parts:
                second_keys += [(ps.region, ps.product, t, quantity) for t in years]
                second_vals += series.tolist()
                second_units += [unit] * len(years)
        for t, out, held in zip(years, ps.outflow(u, x), ps.stock(u, x), strict=True):
            key = (ps.region, ps.eol, t)
            arising[key] = arising.get(key, 0.0) + float(out)
            stock_keys.append((ps.region, ps.product, t))
            stock_vals.append(float(held))
    out = {
        "eol": tidy(
            list(arising),
            ["region", "commodity", "year"],
            np.array(list(arising.values())),
            [com_unit[c] for _, c, _ in arising],
        ),
        "stock": tidy(
            stock_keys,
            ["region", "commodity", "year"],
            np.array(stock_vals),
            [com_unit[c] for _, c, _ in stock_keys],
        ),
    }
    if second_keys:
        out["second_life"] = tidy(
            second_keys,
            ["region", "commodity", "year", "quantity"],
            np.array(second_vals),
            second_units,
        )
    return out


FAMILY = Family(
    name="stock",
    add=add,
    switch="stock",
    rows=(
        Row(
            "collection_limit",
            ("commodity", "region", "year"),
            "USD/unit",
            ">=",
            words="the collection limit of {0} in {1} in {2}",
            table="collection_rate",
            order=(1, 0, 2),
            shown="share",
        ),
        Row(
            "second_life_inflow",
            ("commodity", "region", "year"),
            "USD/unit",
            "<=",
            words="second-life {0} in {1} in {2} within the demand served",
            physical=True,
        ),
        Row(
            "recycled_content",
            ("process", "region", "element", "year"),
            "USD/t",
            ">=",
            words="the recycled-content share of {2} in {0} in {1} in {3}",
            table="recycled_content",
            order=(0, 1, 2, 3),
            shown="share",
        ),
    ),
    tables=tables,
    parameters=frozenset({"demand", "collection_rate", "recycled_content"}),
    neutral={"collection_rate": 1.0},
)
