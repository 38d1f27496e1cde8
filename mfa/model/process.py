r"""Process family: what each unit of activity produces and consumes.

For every process :math:`p` active in region :math:`r` and year :math:`t`:

* each output :math:`c` adds :math:`a^{out}_{pc}\, x_{prt}` to the balance of
  :math:`(c, r, t)`; each fixed input subtracts :math:`a^{in}_{pc}\, x_{prt}`;
* each substitute group :math:`g` (inputs that replace one another, e.g.
  primary and secondary lithium hydroxide) is met by a mix of its members:

  .. math:: \sum_{c \in g} u_{pgcrt} = a_{pg}\, x_{prt}

  and each member subtracts :math:`u_{pgcrt}` from its own balance;
* operating cost :math:`v_{prt}\, x_{prt}` (USD) enters the objective.

Technology transfer (``input_saving`` :math:`\lambda_{prt}`) scales every input
coefficient by :math:`1 - \lambda_{prt}` (better yields).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from mfa.model.built import BuiltModel, Family, tidy
from mfa.solve import Solution


def add(built: BuiltModel) -> None:
    """Add production/consumption terms, substitute-group rows and operating costs."""
    index, terms = built.index, built.terms
    values = built.values
    io = values.get
    saving = values.floats("input_saving")
    act = built.columns("activity")
    keys: list[tuple[str, str, int]] = []  # balance terms, in order, added at once
    coefs: list = []
    xs: list[int] = []
    for (p, r, t), x in zip(index.activity, act, strict=True):
        spec = index.io[p]
        keep = 1.0 - saving.get((p, r, t), 0.0)
        for c, _ in spec.outputs:
            keys.append((c, r, t))
            coefs.append(io("process_io", (p, c, "out", "")))
            xs.append(x)
        for c, _ in spec.inputs:
            keys.append((c, r, t))
            coefs.append(-keep * io("process_io", (p, c, "in", "")))
            xs.append(x)
    terms.add_cost_many(
        [("operating", r, t) for _, r, t in index.activity],
        values.get_many("variable_cost", index.activity),
        act,
    )

    members: dict[tuple[str, str, str, int], list] = {}
    for (p, g, c, r, t), u in zip(index.use, built.columns("use"), strict=True):
        members.setdefault((p, g, r, t), []).append(u)
        keys.append((c, r, t))
        coefs.append(-1.0)
        xs.append(u)
    terms.add_balance_many(keys, coefs, xs)

    groups = list(members)
    rows = []
    for p, g, r, t in groups:
        first_member = index.io[p].groups[g][1][0]
        keep = 1.0 - saving.get((p, r, t), 0.0)
        coef = keep * io("process_io", (p, first_member, "in", g))
        rows.append(
            [(1.0, u) for u in members[(p, g, r, t)]]
            + [(-coef, built.column("activity", (p, r, t)))]
        )
    built.add_rows_from_pairs("substitute_inputs", groups, "==", [0.0] * len(groups), rows)


def tables(built: BuiltModel, sol: Solution, done: Mapping[str, pd.DataFrame]) -> dict:
    r"""``flows``: every commodity into and out of every process (the balance terms written).

    Outputs :math:`a^{out}_{pc} x_{prt}`, fixed inputs :math:`(1 - \lambda_{prt})
    a^{in}_{pc} x_{prt}` and substitute inputs :math:`\sum_g u_{pgcrt}`, in the
    commodity's unit (``process, region, commodity, year, direction, value, unit``).
    """
    index = built.index
    com_unit = built.data.commodities["unit"].to_dict()
    saving = built.data.param("input_saving").to_dict()
    act = done["activity"]["value"].to_numpy()
    use = sol.values("use", index.use)
    rows: list[tuple[str, str, str, int, str]] = []
    vals: list[float] = []
    for (p, r, t), x in zip(index.activity, act, strict=True):
        spec = index.io[p]
        keep = 1.0 - saving.get((p, r, t), 0.0)
        for c, coef in spec.outputs:
            rows.append((p, r, c, t, "out"))
            vals.append(coef * x)
        for c, coef in spec.inputs:
            rows.append((p, r, c, t, "in"))
            vals.append(keep * coef * x)
    grouped: dict[tuple[str, str, str, int, str], float] = {}
    for (p, _, c, r, t), u in zip(index.use, use, strict=True):
        key = (p, r, c, t, "in")
        grouped[key] = grouped.get(key, 0.0) + float(u)
    rows += list(grouped)
    vals += list(grouped.values())
    return {
        "flows": tidy(
            rows,
            ["process", "region", "commodity", "year", "direction"],
            np.array(vals),
            [com_unit[c] for _, _, c, _, _ in rows],
        )
    }


FAMILY = Family(
    name="process",
    add=add,
    tables=tables,
    parameters=frozenset({"process_io", "variable_cost"}),
)
"""Always on: every other family builds on process activity."""
