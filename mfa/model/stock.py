r"""Stock family: products in use, their end of life, and collection.

Products delivered to final demand enter an in-use stock in their region. The
end-of-life outflow of product :math:`c` in region :math:`r` and year :math:`t`
is the convolution of past inflows with the product's lifetime distribution
(:mod:`mfa.stock`), over model years and the historical inflows before them:

.. math::

    O_{crt} = \sum_{\tau \le t} M_{t\tau} (D_{cr\tau} - u_{cr\tau})
              + \sum_{h} M^{hist}_{th} H_{crh}

which is linear in the unmet-demand variables :math:`u`, so end-of-life supply
is endogenous to the LP. The outflow arises as the product's end-of-life
commodity :math:`e` (:math:`A_{ert} = \sum_{c \to e} O_{crt}`) in the balance of
:math:`(e, r, t)`. What is not collected is landfilled: with the collection
rate :math:`\kappa_{ert}` (the largest collectable share),

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
class ProductStock:
    """The linear operators of one product in one region (years as in the model).

    ``outflow = m_model @ (demand - unmet) + m_hist @ history`` and
    ``stock = k_model @ (demand - unmet) + k_hist @ history``.
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

    def inflow(self, unmet: np.ndarray) -> np.ndarray:
        """Inflow to use per model year for given unmet demand."""
        return self.demand - unmet

    def outflow(self, unmet: np.ndarray) -> np.ndarray:
        """End-of-life outflow per model year."""
        return self.m_model @ self.inflow(unmet) + self.m_hist @ self.history

    def stock(self, unmet: np.ndarray) -> np.ndarray:
        """In-use stock at the end of each model year."""
        return self.k_model @ self.inflow(unmet) + self.k_hist @ self.history


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
            out.append(ProductStock(c, r, eol_of[c], d, h, m_model, m_hist, k_model, k_hist))
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


def add(built: BuiltModel) -> list[ProductStock]:
    """Add end-of-life arising to the balances, collection limits and recycled content."""
    index, data, terms = built.index, built.data, built.terms
    stocks = product_stocks(data)
    values = built.values
    years = list(index.years)
    unmet_keys = set(index.unmet)
    arising_const: dict[tuple[str, str, int], Any] = defaultdict(float)
    arising_lin: dict[tuple[str, str, int], list[tuple[float, int]]] = defaultdict(list)
    column = built.column
    for ps in stocks:
        if values.is_mutable("demand"):  # the constant follows the demand Params
            demand = [values.get("demand", (ps.region, ps.product, tau)) for tau in years]
            history = ps.m_hist @ ps.history
            const = [
                sum(ps.m_model[i, j] * demand[j] for j in range(i + 1) if ps.m_model[i, j] > 1e-12)
                + float(history[i])
                for i in range(len(years))
            ]
        else:
            const = (ps.m_model @ ps.demand + ps.m_hist @ ps.history).tolist()
        for i, t in enumerate(years):
            key = (ps.eol, ps.region, t)
            arising_const[key] += const[i]
            for j, tau in enumerate(years[: i + 1]):
                coef = ps.m_model[i, j]
                if coef > 1e-12 and (ps.product, ps.region, tau) in unmet_keys:
                    arising_lin[key].append((-coef, column("unmet", (ps.product, ps.region, tau))))
    for key, value in arising_const.items():
        terms.balance_constant[key] += value
        for coef, var in arising_lin[key]:
            terms.add_balance(key, coef, var)

    rates = values.floats("collection_rate")
    keys = [k for k in arising_const if rates.get((k[1], k[0], k[2]), 1.0) < 1.0]

    rows, rhs = [], []
    for e, r, t in keys:
        lost = 1.0 - values.get("collection_rate", (r, e, t))
        pairs = [(a, v) for a, v in arising_lin[(e, r, t)] if abs(lost * a) >= SMALL]
        rows.append([(1.0, built.column("excess", (e, r, t)))] + [(-lost * a, v) for a, v in pairs])
        rhs.append(lost * arising_const[(e, r, t)])
    built.add_rows_from_pairs("collection_limit", keys, ">=", rhs, rows)
    _add_recycled_content(built)
    return stocks


def _add_recycled_content(built: BuiltModel) -> None:
    index, data = built.index, built.data
    values = built.values
    shares = {k: v for k, v in values.floats("recycled_content").items() if v > 0}
    if not shares:
        return
    element = data.commodities["element"].to_dict()
    secondary = data.commodities["secondary"].to_dict()
    uses: dict[tuple[str, str, str, int], list[tuple[bool, int]]] = defaultdict(list)
    for (p, _, c, r, t), u in zip(index.use, built.columns("use"), strict=True):
        uses[(p, r, element[c], t)].append((bool(secondary[c]), u))
    keys = [k for k in shares if k in uses]

    rows = []
    for p, r, el, t in keys:
        share = values.get("recycled_content", (p, r, el, t))
        rows.append([((1.0 - share) if sec else -share, v) for sec, v in uses[(p, r, el, t)]])
    built.add_rows_from_pairs("recycled_content", keys, ">=", [0.0] * len(keys), rows)


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``eol``: end-of-life arising :math:`A_{ert}` by (region, end-of-life commodity,
    year), and ``stock``: the in-use stock of every product, for the demand served."""
    index = built.index
    com_unit = built.data.commodities["unit"].to_dict()
    years = list(index.years)
    unmet = sol.values("unmet", index.unmet) if index.unmet else np.zeros(0)
    position = {k: i for i, k in enumerate(index.unmet)}
    arising: dict[tuple[str, str, int], float] = {}
    stock_keys, stock_vals = [], []
    for ps in built.state("stock"):
        u = np.array(
            [
                unmet[position[(ps.product, ps.region, t)]]
                if (ps.product, ps.region, t) in position
                else 0.0
                for t in years
            ]
        )
        for t, out, held in zip(years, ps.outflow(u), ps.stock(u), strict=True):
            key = (ps.region, ps.eol, t)
            arising[key] = arising.get(key, 0.0) + float(out)
            stock_keys.append((ps.region, ps.product, t))
            stock_vals.append(float(held))
    return {
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
