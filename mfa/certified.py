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
A set of markets and processes that takes its element only from each other (a loop of flows
that nothing enters, such as a commodity shipped from one region to another and back in the
same year) leaves the system singular and its share undetermined by the rule above: no
certified material can enter it, so its share is 0, and the loop is named in a log message.

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

import logging
from collections.abc import Mapping

import numpy as np
import pandas as pd

from mfa.errors import CheckError
from mfa.model.supply import SECONDARY_KINDS, UPSTREAM_STAGES, content_long
from mfa.sparse import solve_open, sp

AUDITED = "audited"
"""The status that counts as certified."""
CERTIFIED, UNCERTIFIED = "certified", "uncertified"
AUDITED_KINDS = ("mining", "refining", "recycling")
"""Process kinds whose plants the schemes audit."""
SOURCE_KINDS = ("mining", "recycling")
"""Process kinds where the status starts (as in :mod:`mfa.model.certified`)."""
TINY = 1e-9
LOG = logging.getLogger(__name__)
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

    All element-years are one block-diagonal sparse system, solved at once.

    Raises
    ------
    CheckError
        If the system is singular other than by a loop of flows that nothing enters.
    """
    content = content_long(results)
    content = content[content["content"] > 0]
    kind = results["processes"].set_index("process")["kind"]
    stage = results["commodities"].set_index("commodity")["stage"]

    def element(name: str) -> pd.DataFrame:
        frame = results.get(name)
        if frame is None or frame.empty:
            return pd.DataFrame(columns=["commodity", "region", "year", "element", "value"])
        out = frame.merge(content, on="commodity", how="inner")
        out["value"] = out["value"].astype(float) * out["content"]
        return out[out["value"] > TINY].reset_index(drop=True)

    flows, trade = element("flows"), element("trade")
    outs = flows[flows["direction"] == "out"].reset_index(drop=True)
    ins = flows[flows["direction"] == "in"].reset_index(drop=True)
    extra = pd.concat([element("eol"), element("stockpile_drawdown")], ignore_index=True)
    key = ["element", "year", "commodity", "region"]
    markets = pd.concat(
        [
            outs[key],
            ins[key],
            trade[["element", "year", "commodity", "destination"]].set_axis(key, axis=1),
            trade[["element", "year", "commodity", "origin"]].set_axis(key, axis=1),
            extra[key],
        ],
        ignore_index=True,
    ).drop_duplicates(ignore_index=True)
    market_at = pd.Series(np.arange(len(markets)), index=pd.MultiIndex.from_frame(markets))
    pkey = ["element", "year", "process", "region"]
    procs = outs[pkey].drop_duplicates(ignore_index=True)
    proc_at = pd.Series(np.arange(len(procs)) + len(markets), index=pd.MultiIndex.from_frame(procs))
    n = len(markets) + len(procs)

    def at(index: pd.Series, frame: pd.DataFrame, names: list[str]) -> np.ndarray:
        return index.reindex(pd.MultiIndex.from_frame(frame[names])).to_numpy()

    out_market = at(market_at, outs, key)
    out_proc = at(proc_at, outs, pkey)
    trade_in = at(market_at, trade.rename(columns={"destination": "region"}), key)
    trade_from = at(market_at, trade.rename(columns={"origin": "region"}), key)
    inflow = np.bincount(out_market, outs["value"], minlength=n)
    inflow += np.bincount(trade_in, trade["value"], minlength=n)
    if len(extra):
        inflow += np.bincount(at(market_at, extra, key), extra["value"], minlength=n)
    safe = np.where(inflow > TINY, inflow, np.inf)
    rows = [np.arange(n), out_market, trade_in]
    cols = [np.arange(n), out_proc, trade_from]
    vals = [
        np.ones(n),
        -outs["value"].to_numpy() / safe[out_market],
        -trade["value"].to_numpy() / safe[trade_in],
    ]
    # processes: audited share, feed
    proc_kind = procs["process"].map(kind).to_numpy()
    audited_kind = np.isin(proc_kind, AUDITED_KINDS)
    share = phi.reindex(pd.MultiIndex.from_frame(procs[["process", "region", "year"]]))
    share = np.where(audited_kind, share.fillna(0.0).to_numpy(), 1.0)
    fed = ins[ins["value"] > TINY].reset_index(drop=True)
    fed_proc = at(proc_at, fed, pkey)
    has_feed = np.zeros(n, dtype=bool)
    known = ~np.isnan(fed_proc.astype(float))
    fed, fed_proc = fed[known].reset_index(drop=True), fed_proc[known].astype(int)
    has_feed[fed_proc] = True
    source = np.isin(proc_kind, SOURCE_KINDS) | ~has_feed[proc_at.to_numpy()]
    b = np.zeros(n)
    b[proc_at.to_numpy()] = np.where(source, np.where(audited_kind, share, 0.0), 0.0)
    passes = ~source[fed_proc - len(markets)]
    fed, fed_proc = fed[passes].reset_index(drop=True), fed_proc[passes]
    total = np.bincount(fed_proc, fed["value"], minlength=n)
    rows.append(fed_proc)
    cols.append(at(market_at, fed, key))
    vals.append(-share[fed_proc - len(markets)] * fed["value"].to_numpy() / total[fed_proc])
    matrix = sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n)
    )
    try:
        x, closed = solve_open(matrix, b) if n else (b, np.zeros(0, dtype=int))
    except RuntimeError as exc:  # singular, and not by a loop of flows that nothing enters
        raise CheckError(f"certified attribution: the system is singular ({exc})") from exc
    if len(closed):
        labels = [
            " ".join(map(str, markets.iloc[i]))
            if i < len(markets)
            else " ".join(map(str, procs.iloc[i - len(markets)]))
            for i in closed[:6]
        ]
        LOG.info(
            "certified attribution: %d markets and processes take their element only from "
            "each other (a loop of flows that nothing enters; share 0): %s",
            len(closed),
            "; ".join(labels),
        )
    x = np.clip(x, 0.0, 1.0)
    return {
        "feed_by_certified_status": _feed(ins, kind, x[at(market_at, ins, key)]),
        "supply_by_certified_status": _supply(
            trade, stage, x[trade_from], outs, kind, ins, x[out_proc]
        ),
    }


def _by_status(frame: pd.DataFrame, keys: list[str], certified: np.ndarray) -> pd.DataFrame:
    """Rows of ``frame`` split into their certified and uncertified amounts, summed."""
    value = frame["value"].to_numpy()
    both = pd.concat(
        [
            frame[keys].assign(status=CERTIFIED, value=value * certified),
            frame[keys].assign(status=UNCERTIFIED, value=value * (1.0 - certified)),
        ],
        ignore_index=True,
    )
    out = both.groupby([*keys[:-1], "status", keys[-1]], as_index=False)["value"].sum()
    return out[out["value"] > TINY].reset_index(drop=True).assign(unit="t")


def _feed(ins: pd.DataFrame, kind: pd.Series, share: np.ndarray) -> pd.DataFrame:
    """The element manufacturing processes take in, by status."""
    made = (ins["process"].map(kind) == "manufacturing").to_numpy()
    return _by_status(ins[made], ["region", "element", "process", "year"], share[made])


def _supply(
    trade: pd.DataFrame,
    stage: pd.Series,
    trade_share: np.ndarray,
    outs: pd.DataFrame,
    kind: pd.Series,
    ins: pd.DataFrame,
    out_share: np.ndarray,
) -> pd.DataFrame:
    """Supply by status: imports of upstream forms with their exporter's market share, and
    own output where the element enters the region (recycling; no input of the element)."""
    up = trade["commodity"].map(stage).isin(UPSTREAM_STAGES).to_numpy()
    imports = trade[up].rename(columns={"destination": "to"})
    taken = ins[ins["value"] > TINY]
    fed = pd.MultiIndex.from_frame(taken[["element", "year", "process", "region"]]).unique()
    here = pd.MultiIndex.from_frame(outs[["element", "year", "process", "region"]])
    enters = (outs["process"].map(kind).isin(SECONDARY_KINDS) | ~here.isin(fed)).to_numpy()
    own = outs[enters].rename(columns={"region": "to"})
    frame = pd.concat(
        [imports[["to", "element", "year", "value"]], own[["to", "element", "year", "value"]]]
    )
    share = np.concatenate([trade_share[up], out_share[enters]])
    out = _by_status(frame.reset_index(drop=True), ["to", "element", "year"], share)
    return out.rename(columns={"to": "region"})[
        ["region", "element", "status", "year", "value", "unit"]
    ]


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
