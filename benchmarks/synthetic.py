"""Scaled synthetic mfa models for benchmarks.

:func:`write_model` writes a valid model folder (``model.yaml`` + ``data/*.csv``,
the same layout as ``tests/modelkit.py``) with a realistic structure, seeded:

* per element ``E<k>`` a chain mining -> refining -> material -> (``chain - 4``
  intermediate component steps) -> product;
* mining of one element yields a by-product ore of the next element;
* two refining routes per element (cheap and lossy, or efficient and dear);
* recycling gives a secondary refined commodity; the material step takes a
  substitute input group {primary refined, secondary};
* the product of element k also consumes the material of element k+1 (and holds
  0.6 t of element k and 0.3 t of element k+1 per t: recipes conserve elements);
* existing capacity in a share of the regions (some plants retire half way),
  expansion (build limits, investment cost, lifetimes) in others;
* reserves for every mine;
* trade routes between many region pairs with freight by distance and tariffs
  on a share of the routes for products;
* final demand for products in a subset of the regions, growing over time.

Size knobs: ``regions``, ``years``, ``elements`` (commodities = 5 + extra
chain steps per element) and ``route_density`` (share of ordered region pairs
with a route). :data:`SIZES` holds the three benchmark sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

SOURCE = "synthetic"


@dataclass(frozen=True)
class Size:
    """Knobs of one synthetic model."""

    regions: int
    years: int
    elements: int
    chain: int = 4
    route_density: float = 1.0
    seed: int = 0


SIZES: dict[str, Size] = {
    "tiny": Size(regions=4, years=3, elements=2, route_density=1.0),
    "small": Size(regions=8, years=6, elements=3, route_density=1.0),
    "medium": Size(regions=24, years=12, elements=6, route_density=0.6),
    "large": Size(regions=48, years=20, elements=10, route_density=0.58),
}
"""tiny: tests; small ~5k, medium ~100k, large ~1M variables."""


def _row(*cells: object) -> str:
    return ",".join(str(c) for c in cells)


def write_model(folder: Path, size: Size, name: str = "synthetic") -> Path:
    """Write the model of ``size`` into ``folder``; return the path of ``model.yaml``."""
    rng = np.random.default_rng(size.seed)
    folder = Path(folder)
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text("# project root marker for mfa's path checks\n")
    start = 2025
    end = start + size.years - 1
    regions = [f"R{i:02d}" for i in range(size.regions)]
    elements = [f"E{k}" for k in range(size.elements)]
    n_steps = max(0, size.chain - 4)
    tables: dict[str, list[str]] = {name: [] for name in HEADERS}
    tables["regions"] = [_row(r, f"Region {r}") for r in regions]

    # commodities and processes -------------------------------------------------
    price = {}
    for k, e in enumerate(elements):
        base = 2000.0 * (1 + k % 3)
        rows = [
            (f"{e}.ore", "mining", False, 0.3),
            (f"{e}.ref", "refining", False, 1.0),
            (f"{e}.sec", "secondary", True, 0.9),
            (f"{e}.mat", "material", False, 1.5),
        ]
        rows += [(f"{e}.s{j}", "component", False, 1.8 + 0.3 * j) for j in range(n_steps)]
        rows += [(f"{e}.prod", "product", False, 3.0)]
        for c, stage, secondary, mult in rows:
            tables["commodities"].append(
                _row(c, e, stage, "t", "true", str(secondary).lower(), 1, "", "")
            )
            price[c] = base * mult
    tables["reference_price"] = [_row(c, f"{p:.1f}", "USD/t") for c, p in price.items()]

    procs: dict[str, tuple[str, list[tuple[str, str, str, float]], float]] = {}
    for k, e in enumerate(elements):
        nxt = elements[(k + 1) % len(elements)]
        mine = [(f"{e}.ore", "out", "", 1.0)]
        if len(elements) > 1:
            mine.append((f"{nxt}.ore", "out", "", 0.15))  # by-product
        procs[f"mine_{e}"] = ("mining", mine, 300.0)
        procs[f"refA_{e}"] = (
            "refining",
            [(f"{e}.ore", "in", "", 1.25), (f"{e}.ref", "out", "", 1.0)],
            500.0,
        )
        procs[f"refB_{e}"] = (
            "refining",
            [(f"{e}.ore", "in", "", 1.08), (f"{e}.ref", "out", "", 1.0)],
            800.0,
        )
        procs[f"recyc_{e}"] = ("recycling", [(f"{e}.sec", "out", "", 1.0)], 900.0)
        procs[f"make_{e}"] = (
            "manufacturing",
            [
                (f"{e}.ref", "in", "feed", 1.0),
                (f"{e}.sec", "in", "feed", 1.0),
                (f"{e}.mat", "out", "", 1.0),
            ],
            400.0,
        )
        prev = f"{e}.mat"
        for j in range(n_steps):
            procs[f"step{j}_{e}"] = (
                "manufacturing",
                [(prev, "in", "", 1.02), (f"{e}.s{j}", "out", "", 1.0)],
                200.0,
            )
            prev = f"{e}.s{j}"
        assemble = [(prev, "in", "", 0.6), (f"{e}.prod", "out", "", 1.0)]
        # a product holds what it is assembled from (no element is created)
        tables["commodity_content"].append(_row(f"{e}.prod", e, 0.6, "t/t"))
        if len(elements) > 1:
            assemble.insert(1, (f"{nxt}.mat", "in", "", 0.3))
            tables["commodity_content"].append(_row(f"{e}.prod", nxt, 0.3, "t/t"))
        procs[f"asm_{e}"] = ("manufacturing", assemble, 600.0)
    for p, (kind, io, _) in procs.items():
        tables["processes"].append(_row(p, kind, "t", p))
        for c, direction, group, v in io:
            tables["process_io"].append(_row(p, c, direction, group, v, "t/t"))

    # demand ------------------------------------------------------------------------
    n_dem = max(1, round(0.4 * size.regions))
    demand_total: dict[str, float] = {}
    for e in elements:
        dem_regions = rng.choice(regions, size=n_dem, replace=False)
        total = 0.0
        for r in sorted(dem_regions):
            d0 = float(rng.uniform(50, 150))
            d1 = d0 * float(rng.uniform(1.2, 2.0))
            tables["demand"].append(_row(r, f"{e}.prod", start, f"{d0:.2f}", "t"))
            if end > start:
                tables["demand"].append(_row(r, f"{e}.prod", end, f"{d1:.2f}", "t"))
            total += d1
        demand_total[e] = total

    # capacity, expansion, costs, reserves --------------------------------------------
    n_exist = max(1, round(0.35 * size.regions))
    n_build = max(1, round(0.25 * size.regions))
    for p, (_, _, vcost) in procs.items():
        e = p.split("_")[1]
        need = demand_total[e] * (1.6 if p.startswith("mine") else 1.0)
        if p.startswith("recyc"):
            need *= 0.3
        chosen = rng.choice(regions, size=n_exist + n_build, replace=False)
        exist, build = sorted(chosen[:n_exist]), sorted(chosen[n_exist:])
        for r in exist:
            cap = need * float(rng.uniform(0.3, 0.9)) / n_exist
            tables["capacity"].append(_row(p, r, start, "p1", f"{cap:.2f}", "t"))
            if size.years >= 4 and rng.random() < 0.2:  # a plant retires half way
                tables["capacity"].append(_row(p, r, start + size.years // 2, "p1", 0, "t"))
        for r in build:
            lim = need * float(rng.uniform(0.05, 0.2))
            tables["build_limit"].append(_row(p, r, start, f"{lim:.2f}", "t"))
        for r in [*exist, *build]:
            v = vcost * float(rng.uniform(0.7, 1.4))
            tables["variable_cost"].append(_row(p, r, start, f"{v:.2f}", "USD/t"))
            if p.startswith("mine"):
                res = need * size.years * float(rng.uniform(0.1, 0.4))
                tables["reserves"].append(_row(p, r, f"{res:.2f}", "t"))
        tables["investment_cost"].append(_row(p, "*", start, f"{vcost * 8:.1f}", "USD/t"))
        if end > start:
            tables["investment_cost"].append(_row(p, "*", end, f"{vcost * 6:.1f}", "USD/t"))
        tables["process_lifetime"].append(_row(p, int(rng.integers(15, 31)), "year"))

    # trade ---------------------------------------------------------------------------------
    xy = rng.uniform(0, 20000, size=(size.regions, 2))
    products = [f"{e}.prod" for e in elements]
    for i, o in enumerate(regions):
        for j, d in enumerate(regions):
            if i == j or rng.random() > size.route_density:
                continue
            km = float(np.hypot(*(xy[i] - xy[j]))) + 500.0
            tables["trade_routes"].append(_row(o, d, f"{km:.0f}", "sea"))
            tables["trade_cost"].append(_row("*", o, d, f"{10 + 0.02 * km:.2f}", "USD/t"))
            if rng.random() < 0.15:
                rate = float(rng.choice([0.05, 0.1, 0.25]))
                for c in products:
                    tables["tariff"].append(_row(c, o, d, start, rate, "fraction"))

    for table, rows in tables.items():
        lines = [HEADERS[table]] + [f"{row},{SOURCE}," for row in rows]
        (data / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (data / "sources.csv").write_text(
        "id,publisher,title,year,table_page,link_or_doi,what_was_taken\n"
        f"{SOURCE},mfa benchmarks,Synthetic benchmark model,2026,-,-,"
        "seeded random numbers of a realistic shape\n",
        encoding="utf-8",
    )
    model = folder / "model.yaml"
    model.write_text(
        f"name: {name}\n"
        f"description: synthetic benchmark model {size}\n"
        "data: data\n"
        f"years: {{start: {start}, end: {end}}}\n"
        "options: {discount_rate: 0.05, unmet_penalty: 1.0e5, excess_cost: 1.0}\n"
        "constraints: {stock: false}\n"
        "solver: {threads: 1, options: {solver: ipm, run_crossover: 'on'}}\n"
        "overrides: {}\nscenarios: {}\n",
        encoding="utf-8",
    )
    return model


HEADERS = {
    "regions": "region,name,source,note",
    "commodities": "commodity,element,stage,unit,tradable,secondary,gross_factor,gross_form,"
    "eol_commodity,source,note",
    "processes": "process,kind,activity_unit,name,source,note",
    "process_io": "process,commodity,direction,group,value,unit,source,note",
    "capacity": "process,region,year,plant,value,unit,source,note",
    "build_limit": "process,region,year,value,unit,source,note",
    "investment_cost": "process,region,year,value,unit,source,note",
    "process_lifetime": "process,value,unit,source,note",
    "variable_cost": "process,region,year,value,unit,source,note",
    "reserves": "process,region,value,unit,source,note",
    "demand": "region,commodity,year,value,unit,source,note",
    "trade_routes": "origin,destination,distance_km,mode,source,note",
    "trade_cost": "commodity,origin,destination,value,unit,source,note",
    "tariff": "commodity,origin,destination,year,value,unit,source,note",
    "reference_price": "commodity,value,unit,source,note",
    "commodity_content": "commodity,element,value,unit,source,note",
}
