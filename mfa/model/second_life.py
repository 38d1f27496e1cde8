r"""Second-life family: repurposed EV packs, derated, serve at most a share of storage.

Repurposing processes (kind ``repurposing``) turn spent EV packs into stationary storage.
Three things make a second-life pack less than a new one, each written once:

* **State of health (derating).** A spent pack holds less than its nameplate: the
  repurposing recipe (``process_io``) gives :math:`a_p` units of storage per unit of
  activity from :math:`b_p` units of spent pack (for LFP 0.7 GWh of storage per GWh of
  pack), so every row below, the storage balance and the stock count storage at
  :math:`a_p x_{prt}`.
* **Remaining life.** Second-life packs are a cohort of their own in the storage stock,
  with the remaining life of ``second_life_lifetime`` instead of the new product's life;
  at its end the whole pack (:math:`b_p x_{prt}`) reaches end of life and recycling
  (:mod:`mfa.model.stock`).
* **Buyers' share.** Older packs of mixed health serve only part of the storage market:
  the second-life output into storage product :math:`c` stays within a share
  :math:`\sigma_{rt}` of that product's demand :math:`D_{crt}` (``second_life_cap``):

  .. math:: \sum_{p\ \text{repurposing}} a_{pc}\, x_{prt} \le \sigma_{rt}\, D_{crt}

Only collected packs at the end of their first life can be repurposed: with the stock
family on, the spent packs of end-of-life commodity :math:`e` fed to repurposing stay
within the collectable share :math:`\kappa_{ert}` (``collection_rate``, 1 without a row)
of the arising :math:`A^{1st}_{ert}` of the products that no repurposing process makes (EV
packs; not retired stationary packs, nor second-life packs coming back, which go to
recycling) (``second_life_feed``, linear in unmet demand like the arising):

.. math:: \sum_{p\ \text{repurposing}} b_{pe}\, x_{prt} \le \kappa_{ert}\, A^{1st}_{ert}
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.model.built import BuiltModel, Family, Row
from mfa.model.stock import arising


def add(built: BuiltModel) -> None:
    """Add the caps on second-life storage and the limits on the packs fed to repurposing."""
    _add_cap(built)
    _add_feed(built)


def _repurposing(built: BuiltModel) -> list[tuple[str, str, int, object]]:
    """(process, region, year, activity variable) of every repurposing activity."""
    kinds = built.data.processes["kind"].to_dict()
    return [
        (p, r, t, x)
        for (p, r, t), x in zip(built.index.activity, built.model.activity.values(), strict=True)
        if kinds.get(p) == "repurposing"
    ]


def _add_cap(built: BuiltModel) -> None:
    """One cap per storage product, region and year with repurposing and a cap."""
    m, index, values = built.model, built.index, built.values
    caps = values.floats("second_life_cap")
    if not caps:
        return
    outputs: dict[tuple[str, str, int], list[tuple[float, object]]] = defaultdict(list)
    for p, r, t, x in _repurposing(built):
        for c, a in index.io[p].outputs:
            outputs[(c, r, t)].append((a, x))
    keys = sorted(k for k in outputs if (k[1], k[2]) in caps)

    def rule(_m: pyo.ConcreteModel, c: str, r: str, t: int) -> object:
        pairs = outputs[(c, r, t)]
        body = LinearExpression(
            linear_coefs=[a for a, _ in pairs], linear_vars=[x for _, x in pairs]
        )
        return body <= caps[(r, t)] * values.get("demand", (r, c, t))

    m.second_life_cap = pyo.Constraint(keys, rule=rule)


def _add_feed(built: BuiltModel) -> None:
    """One limit per end-of-life commodity, region and year that repurposing takes in."""
    stocks = built.state("stock")
    if not stocks:
        return
    m, index, values = built.model, built.index, built.values
    stage = built.data.commodities["stage"].to_dict()
    made = set()
    fed: dict[tuple[str, str, int], list[tuple[float, object]]] = defaultdict(list)
    for p, r, t, x in _repurposing(built):
        spec = index.io[p]
        made |= {c for c, _ in spec.outputs}
        for c, a in spec.inputs:
            if stage[c] == "eol":
                fed[(c, r, t)].append((a, x))
    first = [ps for ps in stocks if ps.product not in made]
    const, lin = arising(built, first)
    keys = sorted(fed)

    def rule(_m: pyo.ConcreteModel, e: str, r: str, t: int) -> object:
        kept = values.get("collection_rate", (r, e, t), 1.0)
        pairs = fed[(e, r, t)] + [(-kept * a, v) for a, v in lin.get((e, r, t), [])]
        body = LinearExpression(
            linear_coefs=[a for a, _ in pairs], linear_vars=[v for _, v in pairs]
        )
        return body <= kept * const.get((e, r, t), 0.0)

    m.second_life_feed = pyo.Constraint(keys, rule=rule)


FAMILY = Family(
    name="second_life",
    add=add,
    rows=(
        Row(
            "second_life_cap",
            ("commodity", "region", "year"),
            "USD/unit",
            "<=",
            words="second-life {0} in {1} in {2} within its share of demand",
        ),
        Row(
            "second_life_feed",
            ("commodity", "region", "year"),
            "USD/unit",
            "<=",
            words="{0} repurposed in {1} in {2} within the packs ending their first life",
            physical=True,
        ),
    ),
)
