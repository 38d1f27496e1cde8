"""Sparse index sets of the LP, computed once from :class:`ModelData`.

Nothing here touches Pyomo. Every variable family is indexed by an explicit
list of tuples that exist in the data (no dense products over all regions,
commodities and years), and every lookup a constraint rule needs is a plain
dict of floats or lists, built once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from mfa.inputs.data import ModelData

PRT = tuple[str, str, int]
"""(process, region, year)."""
CRT = tuple[str, str, int]
"""(commodity, region, year)."""


@dataclass
class ProcessIO:
    """Coefficients of one process per unit of activity.

    Attributes
    ----------
    outputs, inputs
        ``[(commodity, coefficient)]`` for outputs and for fixed inputs.
    groups
        ``{group: (coefficient, [commodity, ...])}`` for substitute inputs.
    """

    outputs: list[tuple[str, float]] = field(default_factory=list)
    inputs: list[tuple[str, float]] = field(default_factory=list)
    groups: dict[str, tuple[float, list[str]]] = field(default_factory=dict)


@dataclass
class ModelIndex:
    """Index lists and lookups shared by the constraint families."""

    years: tuple[int, ...]
    regions: tuple[str, ...]
    io: dict[str, ProcessIO]
    activity: list[PRT]
    new_capacity: list[PRT]
    use: list[tuple[str, str, str, str, int]]
    """(process, group, commodity, region, year) of substitute inputs."""
    trade: list[tuple[str, str, str, int]]
    """(commodity, origin, destination, year)."""
    unmet: list[CRT]
    excess: list[CRT]
    demand: dict[CRT, float]
    capacity: dict[PRT, float]
    build_limit: dict[PRT, float]
    lifetime: dict[str, int]
    discount: dict[int, float]
    processes_in: dict[tuple[str, str], list[int]]
    """(process, region) -> years with an activity variable."""


def discount_factors(years: tuple[int, ...], rate: float) -> dict[int, float]:
    r"""Discount factor per year: :math:`d_t = (1 + \rho)^{-(t - t_0)}`."""
    return {t: (1.0 + rate) ** -(t - years[0]) for t in years}


def build_index(data: ModelData) -> ModelIndex:
    """Compute every index list and lookup from validated data."""
    years = data.years
    regions = data.regions
    io = group_process_io(data.param("process_io"))
    capacity = _as_dict(data.param("capacity"))
    build_limit = {k: v for k, v in _as_dict(data.param("build_limit")).items() if v > 0}
    families = data.config.constraints
    if not families.capacity:
        capacity, build_limit = {}, {}

    # which processes may run where and when
    can_build = {(p, r) for p, r, _ in build_limit}
    first_build: dict[tuple[str, str], int] = {}
    for p, r, t in sorted(build_limit, key=lambda k: k[2]):
        first_build.setdefault((p, r), t)
    years_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    if families.capacity:
        dedicated = {
            (p, r, t) for (p, r, _, t), v in data.param("dedicated_capacity").items() if v > 0
        }
        existing = {(p, r, t) for (p, r, t), v in capacity.items() if v > 0} | dedicated
        for p, r, t in existing:
            years_of[(p, r)].append(t)
        for (p, r), t0 in first_build.items():
            years_of[(p, r)] += [t for t in years if t >= t0]
    else:  # capacity off: every process everywhere, unlimited
        for p in io:
            for r in regions:
                years_of[(p, r)] = list(years)
    processes_in = {k: sorted(set(v)) for k, v in years_of.items() if v and k[0] in io}
    activity = [(p, r, t) for (p, r), ts in sorted(processes_in.items()) for t in ts]
    new_capacity = sorted(k for k in build_limit if (k[0], k[1]) in can_build)

    use = [
        (p, g, c, r, t)
        for p, r, t in activity
        for g, (_, members) in io[p].groups.items()
        for c in members
    ]

    # where each commodity is produced (for trade origins and disposal)
    produced_in: dict[str, set[str]] = defaultdict(set)
    for p, r in processes_in:
        for c, _ in io[p].outputs:
            produced_in[c].add(r)
    com = data.commodities
    eol_of_product = com["eol_commodity"].to_dict()
    arising_in: dict[str, set[str]] = defaultdict(set)
    if families.stock and not data.lifetimes.empty:
        demand_regions = data.param("demand").reset_index().groupby("commodity")["region"]
        for c, rs in demand_regions:
            eol = eol_of_product.get(c)
            if eol and _has_lifetime(data.lifetimes, c):
                arising_in[eol] |= set(rs)
        hist = data.param("historical_inflow")
        if not hist.empty:
            for (r, c), _ in hist.groupby(level=["region", "commodity"]):
                eol = eol_of_product.get(c)
                if eol and _has_lifetime(data.lifetimes, c):
                    arising_in[eol].add(r)

    trade: list[tuple[str, str, str, int]] = []
    if families.trade and not data.trade_routes.empty:
        tradable = [c for c in com.index if com.at[c, "tradable"]]
        for o, d in data.trade_routes.index:
            for c in tradable:
                if o in produced_in[c] or o in arising_in[c]:
                    trade += [(c, o, d, t) for t in years]

    demand = {(c, r, t): v for (r, c, t), v in _as_dict(data.param("demand")).items() if v > 0}
    unmet = sorted(demand) if data.config.options.allow_unmet else []
    excess = sorted(
        {(c, r, t) for c, rs in produced_in.items() for r in rs for t in years}
        | {(c, r, t) for c, rs in arising_in.items() for r in rs for t in years}
    )
    lifetime = {str(p): round(v) for p, v in data.param("process_lifetime").items()}
    return ModelIndex(
        years=years,
        regions=regions,
        io=io,
        activity=activity,
        new_capacity=new_capacity,
        use=use,
        trade=trade,
        unmet=unmet,
        excess=excess,
        demand=demand,
        capacity=capacity,
        build_limit=build_limit,
        lifetime=lifetime,
        discount=discount_factors(years, data.config.options.discount_rate),
        processes_in=processes_in,
    )


def _has_lifetime(lifetimes: pd.DataFrame, commodity: str) -> bool:
    return bool((lifetimes["commodity"] == commodity).any())


def _as_dict(series: pd.Series) -> dict:
    return dict(zip(series.index, series.to_numpy(dtype=float).tolist(), strict=True))


def group_process_io(table: pd.Series) -> dict[str, ProcessIO]:
    """Group ``process_io`` rows by process."""
    out: dict[str, ProcessIO] = defaultdict(ProcessIO)
    frame = table.reset_index()
    for p, c, direction, group, value in frame[
        ["process", "commodity", "direction", "group", "value"]
    ].itertuples(index=False, name=None):
        entry = out[p]
        if direction == "out":
            entry.outputs.append((c, value))
        elif group:
            coef, members = entry.groups.get(group, (value, []))
            entry.groups[group] = (coef, [*members, c])
        else:
            entry.inputs.append((c, value))
    return dict(out)
