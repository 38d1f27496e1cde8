r"""Stockpile family: strategic inventories and supply shocks.

A stockpile :math:`h_{crt} \ge 0` (end-of-year inventory) exists for every
commodity and region named in ``stockpile_days`` or ``stockpile_initial``. Its
drawdown :math:`h_{cr,t-1} - h_{crt}` enters the balance of :math:`(c, r, t)`
(:math:`h_{cr,t_0-1}` is the initial stockpile), holding costs
:math:`\chi_{cr} h_{crt}` enter the objective, and outside shock years the
inventory must cover the days of consumption asked for:

.. math::

    h_{crt} \ge \frac{\text{days}_{crt}}{365}
    \Big( \sum_p (1 - \lambda_{prt})\, a^{in}_{pc} x_{prt} + \sum_{p,g} u_{pgcrt}
    + D_{crt} - u^{unmet}_{crt} \Big)

(consumption as the process family writes it: :math:`\lambda_{prt}` is the
``input_saving`` of technology transfer). In a year when a supply shock hits the
commodity (any origin), the requirement is lifted: that is what the stockpile is for.

A supply shock (``supply_shock``) cuts an origin's exports of a commodity to
a share of what it exported the year before the shock began:

.. math:: \sum_d s_{codt} \le (1 - f_{oct}) \sum_d s_{cod t^*}, \qquad t^* = t_{first} - 1
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from mfa.errors import InputError, Problem
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, Row, tidy
from mfa.solve import Solution

DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class Stockpiles:
    """The stockpile variables the family built.

    Attributes
    ----------
    keys
        (commodity, region, year) of every stockpile variable, years in order.
    initial
        (commodity, region) -> inventory before the first year.
    """

    keys: list[tuple[str, str, int]]
    initial: dict[tuple[str, str], float]


def stockpile_keys(data: ModelData) -> list[tuple[str, str, int]]:
    """(commodity, region, year) of every stockpile variable."""
    pairs = {(c, r) for (r, c, _), v in data.param("stockpile_days").items() if v > 0}
    pairs |= {(c, r) for (r, c), v in data.param("stockpile_initial").items() if v > 0}
    return [(c, r, t) for c, r in sorted(pairs) for t in data.years]


def shock_years(data: ModelData) -> dict[str, set[int]]:
    """Commodity -> years in which some origin's exports of it are cut."""
    out: dict[str, set[int]] = defaultdict(set)
    for (_, c, t), f in data.param("supply_shock").items():
        if f > 0:
            out[c].add(t)
    return out


def add(built: BuiltModel) -> Stockpiles:
    """Add stockpile variables, balance terms, requirements, holding cost and shocks."""
    index, data, terms = built.index, built.data, built.terms
    keys = stockpile_keys(data)
    initial = data.param("stockpile_initial").to_dict()
    held = built.add_variables("stockpile", keys, doc="strategic inventory").tolist()
    column = dict(zip(keys, held, strict=True))
    get = built.values.get
    years = index.years
    state = Stockpiles(keys, {(c, r): initial.get((r, c), 0.0) for c, r, _ in keys})
    for c, r, t in keys:
        h = column[(c, r, t)]
        terms.add_balance((c, r, t), -1.0, h)
        if t == years[0]:
            terms.balance_constant[(c, r, t)] += initial.get((r, c), 0.0)
        else:
            terms.add_balance((c, r, t), 1.0, column[(c, r, t - 1)])
        terms.add_cost(("stock_holding", r, t), get("holding_cost", (c, r)), h)

    consumers: dict[tuple[str, str, int], list[tuple[Any, int]]] = defaultdict(list)
    wanted = {(c, r) for c, r, _ in keys}
    saving = built.values.floats("input_saving")
    activity = built.columns("activity") if wanted else []
    for (p, r, t), x in zip(index.activity, activity, strict=True) if wanted else ():
        keep = 1.0 - saving.get((p, r, t), 0.0)
        for c, _ in index.io[p].inputs:
            if (c, r) in wanted:  # as the process family writes it into the balance
                coef = keep * get("process_io", (p, c, "in", ""))
                consumers[(c, r, t)].append((coef, x))
    use = built.columns("use") if wanted else []
    for (_, _, c, r, t), u in zip(index.use, use, strict=True) if wanted else ():
        if (c, r) in wanted:
            consumers[(c, r, t)].append((1.0, u))
    shocks = shock_years(data)
    days = data.param("stockpile_days").to_dict()
    required = [
        (c, r, t)
        for c, r, t in keys
        if days.get((r, c, t), 0.0) > 0 and t not in shocks.get(c, set())
    ]
    unmet = set(index.unmet)
    rows, rhs = [], []
    for c, r, t in required:
        share = get("stockpile_days", (r, c, t)) / DAYS_PER_YEAR
        pairs = [(1.0, column[(c, r, t)])] + [(-share * a, v) for a, v in consumers[(c, r, t)]]
        if (c, r, t) in unmet:
            pairs.append((share, built.column("unmet", (c, r, t))))
        rows.append(pairs)
        rhs.append(share * get("demand", (r, c, t)))
    built.add_rows_from_pairs("stockpile_requirement", required, ">=", rhs, rows)
    _add_shocks(built)
    return state


def _add_shocks(built: BuiltModel) -> None:
    index, data = built.index, built.data
    cuts = {k: v for k, v in data.param("supply_shock").to_dict().items() if v > 0}
    exports: dict[tuple[str, str, int], list[int]] = defaultdict(list)
    if cuts:
        for (c, o, _, t), s in zip(index.trade, built.columns("trade"), strict=True):
            exports[(o, c, t)].append(s)
    first: dict[tuple[str, str], int] = {}
    for o, c, t in sorted(cuts, key=lambda k: k[2]):
        first.setdefault((o, c), t)
    problems = [
        Problem(
            str(data.config.table_path("supply_shock")),
            f"the shock on {c} from {o} starts in {t}, the first model year; the cut is "
            "relative to exports in the year before",
            column="year",
            value=t,
            expected=f"a year after {index.years[0]}",
        )
        for (o, c), t in first.items()
        if t <= index.years[0]
    ]
    if problems:
        raise InputError(problems)
    keys = [k for k in cuts if exports.get(k)]

    rows = []
    for o, c, t in keys:
        base = exports.get((o, c, first[(o, c)] - 1), [])
        keep = 1.0 - cuts[(o, c, t)]
        rows.append([(1.0, s) for s in exports[(o, c, t)]] + [(-keep, s) for s in base])
    built.add_rows_from_pairs("supply_shock", keys, "<=", [0.0] * len(keys), rows)


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    """``stockpile``: inventories at year end, and ``stockpile_drawdown``:
    :math:`h_{cr,t-1} - h_{crt}` (positive: released into the balance)."""
    state = built.state("stockpile")
    com_unit = built.data.commodities["unit"].to_dict()
    keys = state.keys
    held = sol.values("stockpile", keys) if keys else np.zeros(0)
    first = built.index.years[0]
    drawdown = []
    for i, (c, r, t) in enumerate(keys):
        before = held[i - 1] if t != first else state.initial.get((c, r), 0.0)
        drawdown.append(before - held[i])
    rows = [(r, c, t) for c, r, t in keys]
    units = [com_unit[c] for c, _, _ in keys]
    return {
        "stockpile": tidy(rows, ["region", "commodity", "year"], held, units),
        "stockpile_drawdown": tidy(
            rows, ["region", "commodity", "year"], np.array(drawdown), units
        ),
    }


FAMILY = Family(
    name="stockpile",
    add=add,
    switch="security",
    rows=(
        Row(
            "stockpile_requirement",
            ("commodity", "region", "year"),
            "USD/t",
            ">=",
            words="the stockpile requirement for {0} in {1} in {2}",
            table="stockpile_days",
            order=(1, 0, 2),
            shown="days",
        ),
        Row(
            "supply_shock",
            ("origin", "commodity", "year"),
            "USD/t",
            "<=",
            words="the supply shock on exports of {1} from {0} in {2}",
            table="supply_shock",
            order=(0, 1, 2),
            shown="share",
        ),
    ),
    tables=tables,
    parameters=frozenset({"demand", "process_io", "holding_cost", "stockpile_days"}),
)
