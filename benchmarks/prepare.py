"""mfa's LP as plain arrays: the shared, vectorised data preparation of the
linopy and raw-highspy variants.

From :class:`~mfa.inputs.data.ModelData` and mfa's sparse index lists
(:func:`mfa.model.index.build_index`, pure Python, no Pyomo) this computes, with
numpy and pandas only:

* per variable family: its keys, objective coefficients (discounted) and bounds;
* per row block (commodity balance, substitute-input groups, capacity, reserves):
  the number of rows, the sense, the right-hand side and the terms as
  ``(family, variable position, row, coefficient)`` arrays.

It implements exactly the formulation documented in ``mfa/model/*.py`` (stock
family excluded: the benchmark models switch it off). The linopy variant turns
the blocks into linopy expressions, the highspy variant into one sparse matrix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from mfa.inputs.data import ModelData
from mfa.model.capacity import DEFAULT_LIFETIME, annuity_factor
from mfa.model.index import ModelIndex, build_index

FAMILIES: dict[str, list[str]] = {
    "activity": ["process", "region", "year"],
    "new_capacity": ["process", "region", "year"],
    "use": ["process", "group", "commodity", "region", "year"],
    "trade": ["commodity", "origin", "destination", "year"],
    "unmet": ["commodity", "region", "year"],
    "excess": ["commodity", "region", "year"],
}
"""Variable families in column order, with the names of their key fields."""


@dataclass
class Term:
    """``coef * family[pos]`` enters row ``row`` of a block (arrays of equal length)."""

    family: str
    pos: np.ndarray
    row: np.ndarray
    coef: np.ndarray


@dataclass
class Block:
    """A family of rows: ``lhs <sense> rhs`` with ``sense`` one of ``==``, ``<=``."""

    name: str
    n: int
    sense: str
    rhs: np.ndarray
    terms: list[Term] = field(default_factory=list)


@dataclass
class Prepared:
    """The LP of one :class:`ModelData` in array form."""

    index: ModelIndex
    sizes: dict[str, int]
    cost: dict[str, np.ndarray]
    upper: dict[str, np.ndarray]
    blocks: list[Block]
    balance_keys: np.ndarray
    """Encoded (commodity, region, year) of each balance row."""
    demand_rows: np.ndarray
    """Balance row of each key of ``sorted(index.demand)``."""
    discount: np.ndarray
    """Discount factor per model year (position = year - first year)."""
    codes: dict[str, list]
    """Category lists used to encode keys (process, commodity, region, group)."""

    def block(self, name: str) -> Block:
        return next(b for b in self.blocks if b.name == name)


def _codes(values: pd.Series | list, cats: list) -> np.ndarray:
    return pd.Categorical(values, categories=cats).codes.astype(np.int64)


class _Encoder:
    """Mixed-radix int64 keys of tuples of categorical fields and years."""

    def __init__(self, cats: dict[str, list], years: tuple[int, ...]) -> None:
        self.cats = cats
        self.y0 = years[0]
        self.ny = len(years)

    def radix(self, kind: str) -> int:
        return self.ny if kind == "year" else max(1, len(self.cats[kind]))

    def key(self, frame: pd.DataFrame, fields: list[tuple[str, str]]) -> np.ndarray:
        """``fields``: (column, kind) with kind a category name or ``year``."""
        out = np.zeros(len(frame), dtype=np.int64)
        bad = np.zeros(len(frame), dtype=bool)
        for col, kind in fields:
            if kind == "year":
                code = frame[col].to_numpy(dtype=np.int64) - self.y0
            else:
                code = _codes(frame[col], self.cats[kind])
            bad |= code < 0
            out = out * self.radix(kind) + code
        out[bad] = -1
        return out

    def lookup(
        self,
        series: pd.Series,
        fields: list[tuple[str, str]],
        frame: pd.DataFrame,
        frame_fields: list[tuple[str, str]],
        default: float = 0.0,
    ) -> np.ndarray:
        """Values of ``series`` at the rows of ``frame`` (``default`` where absent)."""
        if frame.empty:
            return np.zeros(0)
        if series.empty:
            return np.full(len(frame), default)
        table = series.reset_index()
        keys = self.key(table, fields)
        ok = keys >= 0
        s = pd.Series(series.to_numpy(dtype=float)[ok], index=keys[ok])
        return s.reindex(self.key(frame, frame_fields)).fillna(default).to_numpy()


def prepare(data: ModelData, index: ModelIndex | None = None) -> Prepared:
    """Compute the LP of ``data`` as arrays (see the module docstring)."""
    index = index if index is not None else build_index(data)
    families = data.config.constraints
    options = data.config.options
    groups = sorted({g for spec in index.io.values() for g in spec.groups})
    cats = {
        "process": list(data.processes.index),
        "commodity": list(data.commodities.index),
        "region": list(data.regions),
        "group": groups,
    }
    enc = _Encoder(cats, index.years)
    years = np.asarray(index.years)
    disc = np.array([index.discount[t] for t in index.years])
    P, C, R, Y = (
        ("process", "process"),
        ("commodity", "commodity"),
        ("region", "region"),
        ("year", "year"),
    )

    frames = {
        fam: pd.DataFrame.from_records(getattr(index, fam), columns=cols)
        if getattr(index, fam)
        else pd.DataFrame({c: pd.Series([], dtype=object) for c in cols})
        for fam, cols in FAMILIES.items()
    }
    for f in frames.values():
        if "year" in f:
            f["year"] = f["year"].astype(np.int64)
    sizes = {fam: len(f) for fam, f in frames.items()}
    act, nc, use, trd = frames["activity"], frames["new_capacity"], frames["use"], frames["trade"]
    unmet, exc = frames["unmet"], frames["excess"]
    act_key = enc.key(act, [P, R, Y])
    act_pos = pd.Index(act_key)
    dt = {
        fam: disc[f["year"].to_numpy(dtype=np.int64) - index.years[0]] if len(f) else np.zeros(0)
        for fam, f in frames.items()
    }

    # objective coefficients -------------------------------------------------------------
    cost = {fam: np.zeros(n) for fam, n in sizes.items()}
    cost["activity"] = (
        enc.lookup(data.param("variable_cost"), [P, R, Y], act, [P, R, Y]) * dt["activity"]
    )
    cost["unmet"] = options.unmet_penalty * dt["unmet"]
    cost["excess"] = options.excess_cost * dt["excess"]
    if len(trd):
        od = [C, ("origin", "region"), ("destination", "region")]
        freight = enc.lookup(data.param("trade_cost"), od, trd, od)
        tariff = enc.lookup(data.param("tariff"), [*od, Y], trd, [*od, Y])
        price = data.param("reference_price").reindex(trd["commodity"]).fillna(0.0).to_numpy()
        cost["trade"] = (freight + tariff * price) * dt["trade"]

    blocks: list[Block] = []
    upper = {"new_capacity": np.array([index.build_limit[k] for k in index.new_capacity])}

    # commodity balance ---------------------------------------------------------------------
    io_rows = [
        (p, c, sign * coef)
        for p, spec in index.io.items()
        for sign, pairs in ((1.0, spec.outputs), (-1.0, spec.inputs))
        for c, coef in pairs
    ]
    io = pd.DataFrame(io_rows, columns=["process", "commodity", "coef"])
    io["pcode"] = _codes(io["process"], cats["process"])
    a = pd.DataFrame(
        {
            "pos": np.arange(len(act)),
            "pcode": _codes(act["process"], cats["process"]),
            "region": act["region"],
            "year": act["year"],
        }
    )
    a = a.merge(io[["pcode", "commodity", "coef"]], on="pcode", how="inner", sort=False)
    parts = [  # (family, pos, key, coef)
        ("activity", a["pos"].to_numpy(), enc.key(a, [C, R, Y]), a["coef"].to_numpy()),
        ("use", np.arange(len(use)), enc.key(use, [C, R, Y]), -np.ones(len(use))),
        (
            "trade",
            np.arange(len(trd)),
            enc.key(trd, [C, ("origin", "region"), Y]),
            -np.ones(len(trd)),
        ),
        (
            "trade",
            np.arange(len(trd)),
            enc.key(trd, [C, ("destination", "region"), Y]),
            np.ones(len(trd)),
        ),
        ("unmet", np.arange(len(unmet)), enc.key(unmet, [C, R, Y]), np.ones(len(unmet))),
        ("excess", np.arange(len(exc)), enc.key(exc, [C, R, Y]), -np.ones(len(exc))),
    ]
    all_keys = np.concatenate([k for _, _, k, _ in parts])
    bal_keys, inverse = np.unique(all_keys, return_inverse=True)
    demand_keys = sorted(index.demand)
    dem = (
        pd.DataFrame.from_records(demand_keys, columns=["commodity", "region", "year"])
        if demand_keys
        else unmet.iloc[:0]
    )
    demand_rows = (
        np.searchsorted(bal_keys, enc.key(dem, [C, R, Y]))
        if len(dem)
        else np.zeros(0, dtype=np.int64)
    )
    rhs = np.zeros(len(bal_keys))
    rhs[demand_rows] = [index.demand[k] for k in demand_keys]
    bal = Block("balance", len(bal_keys), "==", rhs)
    start = 0
    for fam, pos, keys, coef in parts:
        bal.terms.append(Term(fam, pos, inverse[start : start + len(keys)], coef))
        start += len(keys)
    blocks.append(bal)

    # substitute-input groups ----------------------------------------------------------------
    if len(use):
        gkey = enc.key(use, [P, ("group", "group"), R, Y])
        gkeys, ginv = np.unique(gkey, return_inverse=True)
        first = pd.Series(np.arange(len(use))).groupby(ginv).first().to_numpy()
        g = use.iloc[first]
        gcoef = np.array(
            [index.io[p].groups[gr][0] for p, gr in zip(g["process"], g["group"], strict=True)]
        )
        apos = act_pos.get_indexer(enc.key(g, [P, R, Y]))
        blocks.append(
            Block(
                "substitute_inputs",
                len(gkeys),
                "==",
                np.zeros(len(gkeys)),
                [
                    Term("use", np.arange(len(use)), ginv, np.ones(len(use))),
                    Term("activity", apos, np.arange(len(gkeys)), -gcoef),
                ],
            )
        )

    # capacity ------------------------------------------------------------------------------------
    if families.capacity:
        cap = np.array([index.capacity.get(k, 0.0) for k in index.activity])
        block = Block(
            "capacity_limit",
            len(act),
            "<=",
            cap,
            [Term("activity", np.arange(len(act)), np.arange(len(act)), np.ones(len(act)))],
        )
        if len(nc):
            life = (
                nc["process"]
                .map(lambda p: index.lifetime.get(p, DEFAULT_LIFETIME))
                .to_numpy(dtype=np.int64)
            )
            tau = nc["year"].to_numpy(dtype=np.int64)
            ntau = len(years)
            offs = np.arange(ntau)
            # every (new capacity, alive model year) pair
            t = tau[:, None] + offs[None, :]
            alive = (offs[None, :] < life[:, None]) & (t <= years[-1])
            rows_n, cols_t = np.nonzero(alive)
            talive = t[rows_n, cols_t]
            pr = nc.iloc[rows_n][["process", "region"]].reset_index(drop=True)
            pr["year"] = talive
            arow = act_pos.get_indexer(enc.key(pr, [P, R, Y]))
            ok = arow >= 0
            block.terms.append(Term("new_capacity", rows_n[ok], arow[ok], -np.ones(ok.sum())))
            rate = options.discount_rate
            annual = enc.lookup(data.param("investment_cost"), [P, R, Y], nc, [P, R, Y]) * np.array(
                [annuity_factor(rate, int(v)) for v in life]
            )
            dsum = np.bincount(rows_n, weights=disc[talive - years[0]], minlength=len(nc))
            cost["new_capacity"] = annual * dsum
        blocks.append(block)

    # reserves -------------------------------------------------------------------------------------
    if families.resources and len(act):
        reserves = data.param("reserves")
        keys = [k for k in reserves.to_dict() if k in index.processes_in]
        if keys:
            rk = pd.DataFrame.from_records(keys, columns=["process", "region"])
            row = pd.Index(enc.key(rk, [P, R])).get_indexer(enc.key(act, [P, R]))
            ok = row >= 0
            rhs = np.array([reserves[k] for k in keys], dtype=float)
            blocks.append(
                Block(
                    "reserves_limit",
                    len(keys),
                    "<=",
                    rhs,
                    [Term("activity", np.nonzero(ok)[0], row[ok], np.ones(ok.sum()))],
                )
            )

    return Prepared(
        index=index,
        sizes=sizes,
        cost=cost,
        upper=upper,
        blocks=blocks,
        balance_keys=bal_keys,
        demand_rows=demand_rows,
        discount=disc,
        codes=cats,
    )


# demand scenarios for the sweep ---------------------------------------------------------------


def scenario_factors(n: int, i: int) -> np.ndarray:
    """Seeded demand multipliers in [0.85, 1.15] for scenario ``i`` (one per demand key)."""
    return np.random.default_rng(1000 + i).uniform(0.85, 1.15, size=n)


def scenario_demand(index: ModelIndex, i: int) -> np.ndarray:
    """Demand of scenario ``i``, aligned with ``sorted(index.demand)``."""
    keys = sorted(index.demand)
    return np.array([index.demand[k] for k in keys]) * scenario_factors(len(keys), i)


def scenario_data(data: ModelData, index: ModelIndex, i: int) -> ModelData:
    """``data`` with the demand of scenario ``i`` (for the rebuild variants)."""
    keys = sorted(index.demand)
    factor = dict(zip(keys, scenario_factors(len(keys), i), strict=True))
    s = data.param("demand")
    f = [factor.get((c, r, t), 1.0) for r, c, t in s.index]
    params = dict(data.params)
    params["demand"] = s * np.asarray(f)
    return dataclasses.replace(data, params=MappingProxyType(params))
