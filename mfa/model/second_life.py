r"""Second-life family: repurposed EV packs serve at most a share of stationary storage.

Repurposing processes (kind ``repurposing``) turn spent EV packs into stationary storage.
Second-life packs are older, of mixed state of health and shorter-lived than new ones, so
buyers take them for only part of their storage: the output :math:`a_{pc}` of repurposing
into storage product :math:`c` stays within a share :math:`\sigma_{rt}` of that product's
demand :math:`D_{crt}` (``second_life_cap``):

.. math:: \sum_{p\ \text{repurposing}} a_{pc}\, x_{prt} \le \sigma_{rt}\, D_{crt}
"""

from __future__ import annotations

from collections import defaultdict

from mfa.model.built import BuiltModel, Family, Row


def add(built: BuiltModel) -> None:
    """Add one cap per storage product, region and year with repurposing and a cap."""
    index, data, values = built.index, built.data, built.values
    caps = values.floats("second_life_cap")
    if not caps:
        return
    kinds = data.processes["kind"].to_dict()
    outputs: dict[tuple[str, str, int], list[tuple[float, int]]] = defaultdict(list)
    for (p, r, t), x in zip(index.activity, built.columns("activity"), strict=True):
        if kinds.get(p) != "repurposing":
            continue
        for c, a in index.io[p].outputs:
            outputs[(c, r, t)].append((a, x))
    keys = sorted(k for k in outputs if (k[1], k[2]) in caps)
    rhs = [caps[(r, t)] * values.get("demand", (r, c, t)) for c, r, t in keys]
    built.add_rows_from_pairs("second_life_cap", keys, "<=", rhs, [outputs[k] for k in keys])


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
    ),
)
