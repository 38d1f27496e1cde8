r"""Environment family: emissions, energy and water; caps and a carbon price.

Per unit of activity of process :math:`p` in region :math:`r` and year :math:`t`:

.. math::

    g_{prt} = g^{direct}_{pr} + (1 - \eta_{prt})\, q_{pr}\, \gamma_{rt}, \qquad
    E_{prt} = (1 - \eta_{prt})\, e_{pr}, \qquad W_{pr}

(direct GHG, electricity use :math:`q` times grid intensity :math:`\gamma`, energy
use :math:`e`, water :math:`W`; :math:`\eta` is the ``energy_saving`` of
technology transfer). A shipment emits :math:`\delta_{od}\, \phi_{mode}\, \mu_c` per
unit (distance times the mode's factor per tonne-km times the gross mass
:math:`\mu_c` per unit: ``gross_factor`` for element tonnes), counted in the
destination region.

Caps, by region and year (tables ``emission_cap``, ``energy_cap``,
``water_cap``):

.. math:: \sum_p g_{prt} x_{prt} + \sum_{c,o} \delta_{or} \phi\, s_{cort} \le G^{max}_{rt}

and a carbon price :math:`\pi_{rt}` adds :math:`\pi_{rt}` times the region's
emissions to the objective (component ``carbon``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, Row
from mfa.model.index import ModelIndex

KINDS = {
    "ghg": ("emission_cap", "tCO2e"),
    "energy": ("energy_cap", "GJ"),
    "water": ("water_cap", "m3"),
}
"""Footprint kind -> (cap table, unit)."""


@dataclass(frozen=True)
class Intensities:
    """Footprint per unit of activity and per unit shipped.

    Attributes
    ----------
    process
        ``(kind, scope) -> {(p, r, t): value per unit of activity}`` for
        kinds ghg/energy/water and scopes direct/electricity.
    transport
        ``(c, o, d) -> tCO2e per unit shipped``.
    """

    process: dict[tuple[str, str], dict[tuple[str, str, int], float]]
    transport: dict[tuple[str, str, str], float]


@dataclass(frozen=True)
class Footprints:
    """What the environment family built: the intensities and the footprint rows.

    Attributes
    ----------
    intensities
        Footprint per unit of activity and per unit shipped.
    rows
        ``(kind, region, year) -> [(value per unit, column)]``: the terms of each
        region's yearly footprint (the left-hand side of the caps; a column of
        :attr:`BuiltModel.lp <mfa.model.built.BuiltModel>`).
    """

    intensities: Intensities
    rows: dict[tuple[str, str, int], list[tuple[float, Any]]]


def intensities(data: ModelData, index: ModelIndex) -> Intensities:
    """Compute every footprint intensity from the data (shared by model and results)."""
    direct = data.param("emission_factor").to_dict()
    electricity = data.param("electricity_use").to_dict()
    energy = data.param("energy_use").to_dict()
    water = data.param("water_use").to_dict()
    grid = data.param("grid_intensity").to_dict()
    saving = data.param("energy_saving").to_dict()
    process: dict[tuple[str, str], dict[tuple[str, str, int], float]] = defaultdict(dict)
    for p, r, t in index.activity:
        keep = 1.0 - saving.get((p, r, t), 0.0)
        values = {
            ("ghg", "direct"): direct.get((p, r), 0.0),
            ("ghg", "electricity"): keep * electricity.get((p, r), 0.0) * grid.get((r, t), 0.0),
            ("energy", "direct"): keep * energy.get((p, r), 0.0),
            ("water", "direct"): water.get((p, r), 0.0),
        }
        for key, value in values.items():
            if value:
                process[key][(p, r, t)] = value
    transport: dict[tuple[str, str, str], float] = {}
    if index.trade:
        factor = data.param("transport_emission").to_dict()
        routes = data.trade_routes
        per_route = {
            (o, d): float(row["distance_km"]) * factor.get(row["mode"], 0.0)
            for (o, d), row in routes.iterrows()
        }
        mass: dict[str, float] = {}
        for c, o, d, _ in index.trade:
            if (c, o, d) not in transport and per_route.get((o, d)):
                if c not in mass:
                    mass[c] = _tonnes_per_unit(data, c)
                transport[(c, o, d)] = per_route[(o, d)] * mass[c]
    return Intensities(dict(process), transport)


def _tonnes_per_unit(data: ModelData, commodity: str) -> float:
    """Gross mass shipped per unit: ``gross_factor`` for tonnes of contained element
    (a tonne of Li travels as 5.3 t of carbonate), element content otherwise."""
    if data.unit_of(commodity) == "t":
        return float(data.commodities.at[commodity, "gross_factor"])
    content = data.param("commodity_content")
    if content.empty or commodity not in content.index.get_level_values("commodity"):
        return 0.0
    return float(content.xs(commodity, level="commodity").sum())


def add(built: BuiltModel) -> Footprints:
    """Add the carbon price to the objective and the footprint caps."""
    index, data, terms = built.index, built.data, built.terms
    found = intensities(data, index)
    totals: dict[tuple[str, str, int], list[tuple[float, Any]]] = defaultdict(list)
    for (kind, _), table in found.process.items():
        for (p, r, t), value in table.items():
            totals[(kind, r, t)].append((value, built.column("activity", (p, r, t))))
    transport = found.transport
    trade = built.columns("trade") if transport else []
    for (c, o, d, t), s in zip(index.trade, trade, strict=True) if transport else ():
        value = transport.get((c, o, d), 0.0)
        if value:
            totals[("ghg", d, t)].append((value, s))

    price = data.param("carbon_price").to_dict()
    for (kind, r, t), pairs in totals.items():
        if kind == "ghg" and price.get((r, t), 0.0):
            for value, var in pairs:
                terms.add_cost(("carbon", r, t), price[(r, t)] * value, var)

    for kind, (cap_table, _) in KINDS.items():
        caps = data.param(cap_table).to_dict()
        keys = [k for k in caps if (kind, *k) in totals]
        rows = [totals[(kind, r, t)] for r, t in keys]
        built.add_rows_from_pairs(f"{kind}_cap", keys, "<=", [caps[k] for k in keys], rows)
    return Footprints(found, dict(totals))


NAMES = {"ghg": "emissions", "energy": "energy", "water": "water"}
"""Footprint kind -> its result table."""


def footprints(built: BuiltModel, tables: Mapping[str, pd.DataFrame]) -> dict:
    """``emissions`` (by scope: direct, electricity, transport), ``energy`` and ``water``
    of every process and of transport: the footprint terms this family wrote, evaluated at
    the activity and trade of the solution (``process, region, year, scope, value, unit``)."""
    index = built.index
    found = built.state("environment").intensities
    act = tables["activity"]["value"].to_numpy()
    shipped = tables["trade"]["value"].to_numpy()
    level = dict(zip(index.activity, act, strict=True))
    out: dict[str, list] = {kind: [] for kind in KINDS}
    for (kind, scope), table in found.process.items():
        for (p, r, t), value in table.items():
            out[kind].append((p, r, t, scope, value * level[(p, r, t)]))
    for (c, o, d, t), amount in zip(index.trade, shipped, strict=True):
        value = found.transport.get((c, o, d), 0.0)
        if value:
            out["ghg"].append(("transport", d, t, "transport", value * amount))
    result = {}
    for kind, rows in out.items():
        frame = pd.DataFrame(rows, columns=["process", "region", "year", "scope", "value"])
        frame = frame.groupby(["process", "region", "year", "scope"], as_index=False)["value"].sum()
        frame["unit"] = KINDS[kind][1]
        result[NAMES[kind]] = frame
    return result


FAMILY = Family(
    name="environment",
    add=add,
    switch="environment",
    rows=tuple(
        Row(
            f"{kind}_cap",
            ("region", "year"),
            f"USD/{unit}",
            "<=",
            words=f"the {label} cap of {{0}} in {{1}}",
            table=table,
            order=(0, 1),
            shown=unit,
        )
        for (kind, (table, unit)), label in zip(
            KINDS.items(), ("GHG emission", "energy", "water"), strict=True
        )
    ),
    derived=footprints,
)
