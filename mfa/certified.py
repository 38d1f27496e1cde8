r"""Certified supply after the solve: well-mixed attribution and the certification tables.

The ``certification`` table gives each plant's capacity by scheme and status (``audited``,
``in_progress``, ``none``). From it and a solution, for every element:

Well-mixed attribution
----------------------
Within a year every market :math:`m = (c, r)` is one pool, as in :mod:`mfa.origin`: what
leaves it carries the certified share :math:`s_m` of what entered. A process :math:`j` in a
region runs its plants pro rata to their capacity, so a share :math:`\phi_j` of its activity is
audited,

.. math::

    \phi_j = \min\Bigl(1, \frac{C^{aud}_j + (K_j - C_j)^+}{K_j}\Bigr)

with :math:`C^{aud}_j` the audited capacity, :math:`C_j` the capacity of all plants of
``certification`` and :math:`K_j` the capacity the solution holds (``capacity``: the
difference is new or dedicated capacity, counted audited as in :mod:`mfa.model.certified`).
The certified share of its output, with :math:`w_{ij}` the element it takes from market
:math:`i`, is

.. math::

    y_j = \begin{cases}
        \phi_j & j \text{ mines or recycles, or takes none of the element in}\\
        \phi_j \sum_i w_{ij} s_i / \sum_i w_{ij} & j \text{ refines}\\
        \sum_i w_{ij} s_i / \sum_i w_{ij} & \text{otherwise (manufacturing passes its feed on)}
    \end{cases}

(a process of a kind the schemes do not audit and with no feed makes nothing certified), and

.. math:: T_m s_m = \sum_{j \to m} q_{jm} y_j + \sum_o x_{c, o \to r} s_{(c, o)}

where :math:`T_m` is everything entering the market (end-of-life arising and stockpile
releases enter uncertified). The system is linear and solved exactly for each element and year.

Tables
------
``certified_capacity_share`` (region, stage, year): audited capacity over all plant capacity of
the certification table, for mining, refining and recycling in t (stage as
:func:`mfa.origin.origin_step`);
``feed_by_certified_status`` (region, element, process, status, year): the element each
manufacturing process takes in, certified or not, t of element; ``supply_by_certified_status``
(region, element, status, year): the supply of :mod:`mfa.indicators` (imports of upstream
forms, own output where the element enters) by status; ``certify_first`` (where the LP traced
certified material): the plants not audited, with the shadow price of their process's audited
capacity and what certifying each would save a year.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from mfa.errors import CheckError
from mfa.model.supply import SECONDARY_KINDS, UPSTREAM_STAGES, content_long

AUDITED = "audited"
"""The status that counts as certified."""
CERTIFIED, UNCERTIFIED = "certified", "uncertified"
AUDITED_KINDS = ("mining", "refining", "recycling")
"""Process kinds whose plants the schemes audit."""
SOURCE_KINDS = ("mining", "recycling")
"""Process kinds where the status starts (as in :mod:`mfa.model.certified`)."""
TINY = 1e-9
"""Amounts below this (t of element) are left out of the tables."""


def tables(
    results: Mapping[str, pd.DataFrame], plants: pd.DataFrame, sets: Mapping[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """Every certification table of solved results.

    Parameters
    ----------
    results
        Result tables (``flows``, ``trade``, ``capacity``, ``eol``, ...).
    plants
        The certification table by plant over the model years (``process, region, plant,
        scheme, status, year, kind, stage, unit, value``).
    sets
        The set tables ``commodities``, ``processes`` and ``commodity_content``.
    """
    out = {"certified_capacity_share": capacity_share(plants)}
    out.update(attribute({**results, **sets}, audited_share(results, plants)))
    return out


def capacity_share(plants: pd.DataFrame) -> pd.DataFrame:
    """Audited share of the plants' capacity: ``region, stage, year, value, unit`` (share),
    processes of the kinds the schemes audit with capacity in t of element (recycling
    plants rated in GWh of spent cells are left out)."""
    frame = plants[(plants["unit"] == "t") & plants["kind"].isin(AUDITED_KINDS)]
    keys = ["region", "stage", "year"]
    total = frame.groupby(keys)["value"].sum()
    audited = frame[frame["status"] == AUDITED].groupby(keys)["value"].sum()
    share = (audited.reindex(total.index).fillna(0.0) / total)[total > TINY]
    return share.rename("value").reset_index().assign(unit="share")


def audited_share(results: Mapping[str, pd.DataFrame], plants: pd.DataFrame) -> pd.Series:
    r""":math:`\phi_j` by (process, region, year) for the processes of audited kinds."""
    keys = ["process", "region", "year"]
    capacity = results["capacity"].set_index(keys)["value"]
    listed = plants.groupby(keys)["value"].sum()
    audited = plants[plants["status"] == AUDITED].groupby(keys)["value"].sum()
    listed, audited = listed.reindex(capacity.index), audited.reindex(capacity.index)
    certified = audited.fillna(0.0) + (capacity - listed.fillna(0.0)).clip(lower=0.0)
    share = (certified / capacity.where(capacity > TINY)).clip(upper=1.0).fillna(0.0)
    return share


def attribute(results: Mapping[str, pd.DataFrame], phi: pd.Series) -> dict[str, pd.DataFrame]:
    """The well-mixed certified shares of every element and year, and the tables from them.

    Raises
    ------
    CheckError
        If a year's system is singular (a closed loop of flows with no entry).
    """
    content = content_long(results)
    content = content[content["content"] > 0]
    kind = results["processes"].set_index("process")["kind"].to_dict()
    stage = results["commodities"].set_index("commodity")["stage"].to_dict()
    phis = phi.to_dict()

    def element(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.merge(content, on="commodity", how="inner")
        out["value"] = out["value"].astype(float) * out["content"]
        return out[out["value"] > TINY]

    flows = element(results["flows"])
    trade = element(results["trade"])
    inflow_extra = pd.concat(
        [element(results[n]) for n in ("eol", "stockpile_drawdown") if n in results],
        ignore_index=True,
    )
    if len(inflow_extra):
        inflow_extra = inflow_extra[inflow_extra["value"] > 0]
    groups = {
        name: dict(tuple(f.groupby(["element", "year"])))
        for name, f in (("flows", flows), ("trade", trade), ("extra", inflow_extra))
    }
    feed_rows, supply_rows = [], []
    for e, t in sorted(groups["flows"]):
        f = groups["flows"][(e, t)]
        x = groups["trade"].get((e, t), trade.iloc[0:0])
        extra = groups["extra"].get((e, t), flows.iloc[0:0])
        market, process = _solve(f, x, extra, kind, phis, t)
        ins = f[f["direction"] == "in"]
        made = ins[ins["process"].map(kind) == "manufacturing"]
        for (p, r), part in made.groupby(["process", "region"]):
            total = float(part["value"].sum())
            cert = sum(
                v * market.get((c, r), 0.0)
                for c, v in zip(part["commodity"], part["value"], strict=True)
            )
            feed_rows += [(r, e, p, CERTIFIED, t, cert), (r, e, p, UNCERTIFIED, t, total - cert)]
        up = x[x["commodity"].map(stage).isin(UPSTREAM_STAGES)]
        for c, o, d, v in zip(
            up["commodity"], up["origin"], up["destination"], up["value"], strict=True
        ):
            s = market.get((c, o), 0.0)
            supply_rows += [(d, e, CERTIFIED, t, v * s), (d, e, UNCERTIFIED, t, v * (1 - s))]
        fed = set(zip(ins["process"], ins["region"], strict=True))
        outs = f[f["direction"] == "out"]
        for p, r, v in zip(outs["process"], outs["region"], outs["value"], strict=True):
            if kind[p] in SECONDARY_KINDS or (p, r) not in fed:
                s = process.get((p, r), 0.0)
                supply_rows += [(r, e, CERTIFIED, t, v * s), (r, e, UNCERTIFIED, t, v * (1 - s))]
    feed = pd.DataFrame(
        feed_rows, columns=["region", "element", "process", "status", "year", "value"]
    )
    supply = pd.DataFrame(supply_rows, columns=["region", "element", "status", "year", "value"])
    supply = supply.groupby(["region", "element", "status", "year"], as_index=False)["value"].sum()
    return {
        "feed_by_certified_status": feed[feed["value"] > TINY].assign(unit="t"),
        "supply_by_certified_status": supply[supply["value"] > TINY].assign(unit="t"),
    }


def _solve(
    flows: pd.DataFrame,
    trade: pd.DataFrame,
    extra: pd.DataFrame,
    kind: dict[str, str],
    phi: dict[tuple[str, str, int], float],
    year: int,
) -> tuple[dict[tuple[str, str], float], dict[tuple[str, str], float]]:
    """Certified shares of every market ``(c, r)`` and process output ``(p, r)``."""
    outs = flows[flows["direction"] == "out"]
    ins = flows[flows["direction"] == "in"]
    markets = sorted(
        set(zip(outs["commodity"], outs["region"], strict=True))
        | set(zip(ins["commodity"], ins["region"], strict=True))
        | set(zip(trade["commodity"], trade["destination"], strict=True))
        | set(zip(trade["commodity"], trade["origin"], strict=True))
        | set(zip(extra["commodity"], extra["region"], strict=True))
    )
    procs = sorted(set(zip(outs["process"], outs["region"], strict=True)))
    node = {("m", *m): i for i, m in enumerate(markets)}
    node.update({("p", *p): len(markets) + i for i, p in enumerate(procs)})
    n = len(node)
    inflow = np.zeros(n)
    links: list[tuple[int, int, float]] = []
    for p, r, c, v in zip(
        outs["process"], outs["region"], outs["commodity"], outs["value"], strict=True
    ):
        i = node[("m", c, r)]
        links.append((i, node[("p", p, r)], v))
        inflow[i] += v
    for c, o, d, v in zip(
        trade["commodity"], trade["origin"], trade["destination"], trade["value"], strict=True
    ):
        i = node[("m", c, d)]
        links.append((i, node[("m", c, o)], v))
        inflow[i] += v
    for c, r, v in zip(extra["commodity"], extra["region"], extra["value"], strict=True):
        inflow[node[("m", c, r)]] += v
    rows, cols, vals = list(range(n)), list(range(n)), [1.0] * n
    b = np.zeros(n)
    for i, j, v in links:
        if inflow[i] > TINY:
            rows.append(i)
            cols.append(j)
            vals.append(-v / inflow[i])
    feed: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for p, r, c, v in zip(
        ins["process"], ins["region"], ins["commodity"], ins["value"], strict=True
    ):
        if v > TINY:
            feed.setdefault((p, r), []).append((node[("m", c, r)], v))
    for p, r in procs:
        i = node[("p", p, r)]
        share = phi.get((p, r, year), 0.0) if kind[p] in AUDITED_KINDS else 1.0
        sources = feed.get((p, r))
        if kind[p] in SOURCE_KINDS or not sources:
            b[i] = share if kind[p] in AUDITED_KINDS else 0.0
            continue
        total = sum(w for _, w in sources)
        for j, w in sources:
            rows.append(i)
            cols.append(j)
            vals.append(-share * w / total)
    matrix = sp.csc_matrix((vals, (rows, cols)), shape=(n, n))
    try:
        x = spla.splu(matrix).solve(b) if n else b
    except RuntimeError as exc:  # singular: a loop of flows that nothing enters
        raise CheckError(
            f"certified attribution: the flows form a closed loop with no entry ({exc})"
        ) from exc
    x = np.clip(x, 0.0, 1.0)
    return (
        {m: float(x[node[("m", *m)]]) for m in markets},
        {p: float(x[node[("p", *p)]]) for p in procs},
    )


def certify_first(plants: pd.DataFrame, duals: pd.DataFrame) -> pd.DataFrame:
    """The plants not audited whose process's audited capacity has a shadow price:
    ``process, region, plant, scheme, status, year, shadow_price`` (USD per unit of activity,
    undiscounted) ``, value`` (USD a year: shadow price x the plant's capacity, what
    certifying it would save at the margin), ``unit``; largest first."""
    keys = ["process", "region", "year"]
    price = duals[duals["value"] > TINY].rename(columns={"value": "shadow_price"})
    open_ = plants[plants["status"] != AUDITED]
    frame = open_.merge(price[[*keys, "shadow_price"]], on=keys, how="inner")
    frame["value"] = frame["shadow_price"] * frame["value"]
    frame["unit"] = "USD"
    names = ["process", "region", "plant", "scheme", "status", "year", "shadow_price"]
    return (
        frame[[*names, "value", "unit"]]
        .sort_values(["value", "process"], ascending=[False, True])
        .reset_index(drop=True)
    )
