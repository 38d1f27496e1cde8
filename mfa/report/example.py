"""A small, consistent, synthetic set of result tables (lithium, 2025-2050) for trying figures.

The numbers are invented (round, balanced), not model output. The system:

* mining of spodumene concentrate in AU and CA; AU ships all of it to CN, CA ships 60 % to KR;
* refining to hydroxide in CN, CA and KR (5 % loss); CN ships about half its hydroxide to KR and
  uses the rest itself; CA ships half of its hydroxide to KR and makes cathode material (CAM)
  with the other half, which it ships to KR;
* CAM in KR from hydroxide plus recycled lithium (``Li.secondary``, the loop; 2 % loss);
* cells and battery packs in KR (1 % loss); 30 % of packs go to CA, the rest to Korean demand;
* end-of-life packs arise in KR and CA; KR collects 80 %, CA 60 % (the rest is landfill); CA
  ships its black mass to KR; KR recycles it (90 % recovery) back into ``Li.secondary``.

Every commodity balance closes exactly in every year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

YEARS = list(range(2025, 2051))

# t Li per unit of commodity
CAM_LI = 0.0713
CAM_CONTENT = {"Li": 0.0713, "Ni": 0.4826, "Co": 0.0606, "Mn": 0.0565}
CELL_LI = 100.0  # t Li per GWh
BM_LI = 0.038  # t Li per t black mass
BM_PER_GWH = 2500.0  # t black mass per GWh collected


def _commodities() -> pd.DataFrame:
    rows = [
        ("Li.concentrate", "Li", "mining", "t", True, False, 6.0 / 0.8 * 1.0, "spodumene SC6"),
        ("Li.hydroxide", "Li", "refining", "t", True, False, 6.045, "LiOH·H2O"),
        ("CAM.NMC811", "multi", "material", "t", True, False, 1.0, "NMC811 CAM"),
        ("cell.NMC811", "multi", "component", "GWh", True, False, 1.0, ""),
        ("battery.EV", "multi", "product", "GWh", True, False, 1.0, ""),
        ("battery.EV.eol", "multi", "eol", "GWh", True, False, 1.0, ""),
        ("black_mass", "multi", "eol", "t", True, False, 1.0, "black mass"),
        ("Li.secondary", "Li", "secondary", "t", True, True, 5.323, "Li2CO3"),
    ]
    df = pd.DataFrame(
        rows,
        columns=[
            "commodity",
            "element",
            "stage",
            "unit",
            "tradable",
            "secondary",
            "gross_factor",
            "gross_form",
        ],
    )
    df["eol_commodity"] = np.where(df["commodity"] == "battery.EV", "battery.EV.eol", "")
    return df


def _content() -> pd.DataFrame:
    rows = [("CAM.NMC811", el, v, "t/t") for el, v in CAM_CONTENT.items()]
    for c in ("cell.NMC811", "battery.EV", "battery.EV.eol"):
        rows += [(c, el, v / CAM_LI * CELL_LI, "t/GWh") for el, v in CAM_CONTENT.items()]
    rows.append(("black_mass", "Li", BM_LI, "t/t"))
    rows.append(("black_mass", "Ni", BM_LI / CAM_LI * CAM_CONTENT["Ni"], "t/t"))
    return pd.DataFrame(rows, columns=["commodity", "element", "value", "unit"])


def _processes() -> pd.DataFrame:
    rows = [
        ("mine.spodumene", "mining", "t", "Spodumene mining and concentration"),
        ("refine.hydroxide", "refining", "t", "Refining to lithium hydroxide"),
        ("cam.NMC811", "manufacturing", "t", "NMC811 cathode active material"),
        ("cell.NMC811", "manufacturing", "GWh", "NMC811 cell manufacturing"),
        ("pack.EV", "manufacturing", "GWh", "EV battery pack assembly"),
        ("collect.battery", "collection", "GWh", "Collection and dismantling"),
        ("recycle.hydro", "recycling", "t", "Hydrometallurgical recycling"),
    ]
    return pd.DataFrame(rows, columns=["process", "kind", "activity_unit", "name"])


def example_tables() -> dict[str, pd.DataFrame]:
    """Synthetic result tables in the format of ``Results.tables`` (lithium system).

    Returns
    -------
    dict
        Table name to tidy DataFrame: ``activity, capacity, new_capacity, flows, trade,
        demand, unmet, excess, eol, stock, prices, costs, emissions, duals_supplier_share,
        duals_emission_cap, indicators, commodities, processes, regions, commodity_content``.
    """
    flows: list[tuple[str, str, str, int, str, float, str]] = []
    trade: list[tuple[str, str, str, int, float, str]] = []
    demand: list[tuple[str, str, int, float, str]] = []
    excess: list[tuple[str, str, int, float, str]] = []
    eol: list[tuple[str, str, int, float, str]] = []
    activity: list[tuple[str, str, int, float, str]] = []

    def flow(p: str, r: str, c: str, y: int, d: str, v: float, u: str = "t") -> None:
        flows.append((p, r, c, y, d, v, u))

    for y in YEARS:
        g = 1.0 + 0.06 * (y - 2025)
        k = y - 2025
        # mining (t Li in concentrate)
        au, ca = 40_000 * g, 10_000 * g * (1 + 0.04 * k)
        flow("mine.spodumene", "AU", "Li.concentrate", y, "out", au)
        flow("mine.spodumene", "CA", "Li.concentrate", y, "out", ca)
        trade.append(("Li.concentrate", "AU", "CN", y, au, "t"))
        trade.append(("Li.concentrate", "CA", "KR", y, 0.6 * ca, "t"))
        # refining
        ref = {"CN": au, "CA": 0.4 * ca, "KR": 0.6 * ca}
        hyd = {r: 0.95 * v for r, v in ref.items()}
        for r, v in ref.items():
            flow("refine.hydroxide", r, "Li.concentrate", y, "in", v)
            flow("refine.hydroxide", r, "Li.hydroxide", y, "out", hyd[r])
            activity.append(("refine.hydroxide", r, y, hyd[r], "t"))
        cn_to_kr = 0.5 * hyd["CN"]
        trade.append(("Li.hydroxide", "CN", "KR", y, cn_to_kr, "t"))
        demand.append(("CN", "Li.hydroxide", y, hyd["CN"] - cn_to_kr, "t"))
        ca_to_kr = 0.5 * hyd["CA"]
        trade.append(("Li.hydroxide", "CA", "KR", y, ca_to_kr, "t"))
        # CAM in CA (no loss), shipped to KR
        ca_cam_li = hyd["CA"] - ca_to_kr
        flow("cam.NMC811", "CA", "Li.hydroxide", y, "in", ca_cam_li)
        flow("cam.NMC811", "CA", "CAM.NMC811", y, "out", ca_cam_li / CAM_LI)
        activity.append(("cam.NMC811", "CA", y, ca_cam_li / CAM_LI, "t"))
        trade.append(("CAM.NMC811", "CA", "KR", y, ca_cam_li / CAM_LI, "t"))
        # end of life and recycling (GWh of packs)
        eol_kr, eol_ca = 5.0 + 2.0 * k, 1.0 + 0.5 * k
        eol.append(("KR", "battery.EV.eol", y, eol_kr, "GWh"))
        eol.append(("CA", "battery.EV.eol", y, eol_ca, "GWh"))
        col = {"KR": 0.8 * eol_kr, "CA": 0.6 * eol_ca}
        for r, v in col.items():
            flow("collect.battery", r, "battery.EV.eol", y, "in", v, "GWh")
            flow("collect.battery", r, "black_mass", y, "out", v * BM_PER_GWH)
            activity.append(("collect.battery", r, y, v, "GWh"))
        excess.append(("KR", "battery.EV.eol", y, eol_kr - col["KR"], "GWh"))
        excess.append(("CA", "battery.EV.eol", y, eol_ca - col["CA"], "GWh"))
        trade.append(("black_mass", "CA", "KR", y, col["CA"] * BM_PER_GWH, "t"))
        bm = (col["KR"] + col["CA"]) * BM_PER_GWH
        sec = bm * BM_LI * 0.9
        flow("recycle.hydro", "KR", "black_mass", y, "in", bm)
        flow("recycle.hydro", "KR", "Li.secondary", y, "out", sec)
        activity.append(("recycle.hydro", "KR", y, bm, "t"))
        # CAM in KR from hydroxide + secondary
        kr_hyd = cn_to_kr + ca_to_kr + hyd["KR"]
        kr_cam_li = 0.98 * (kr_hyd + sec)
        flow("cam.NMC811", "KR", "Li.hydroxide", y, "in", kr_hyd)
        flow("cam.NMC811", "KR", "Li.secondary", y, "in", sec)
        flow("cam.NMC811", "KR", "CAM.NMC811", y, "out", kr_cam_li / CAM_LI)
        activity.append(("cam.NMC811", "KR", y, kr_cam_li / CAM_LI, "t"))
        # cells and packs in KR
        cam_in = (kr_cam_li + ca_cam_li) / CAM_LI
        gwh = 0.99 * cam_in * CAM_LI / CELL_LI
        flow("cell.NMC811", "KR", "CAM.NMC811", y, "in", cam_in)
        flow("cell.NMC811", "KR", "cell.NMC811", y, "out", gwh, "GWh")
        flow("pack.EV", "KR", "cell.NMC811", y, "in", gwh, "GWh")
        flow("pack.EV", "KR", "battery.EV", y, "out", gwh, "GWh")
        activity.append(("cell.NMC811", "KR", y, gwh, "GWh"))
        activity.append(("pack.EV", "KR", y, gwh, "GWh"))
        trade.append(("battery.EV", "KR", "CA", y, 0.3 * gwh, "GWh"))
        demand.append(("KR", "battery.EV", y, 0.7 * gwh, "GWh"))
        demand.append(("CA", "battery.EV", y, 0.3 * gwh, "GWh"))
        activity.append(("mine.spodumene", "AU", y, au, "t"))
        activity.append(("mine.spodumene", "CA", y, ca, "t"))

    t = {
        "flows": pd.DataFrame(
            flows, columns=["process", "region", "commodity", "year", "direction", "value", "unit"]
        ),
        "trade": pd.DataFrame(
            trade, columns=["commodity", "origin", "destination", "year", "value", "unit"]
        ),
        "demand": pd.DataFrame(demand, columns=["region", "commodity", "year", "value", "unit"]),
        "excess": pd.DataFrame(excess, columns=["region", "commodity", "year", "value", "unit"]),
        "eol": pd.DataFrame(eol, columns=["region", "commodity", "year", "value", "unit"]),
        "activity": pd.DataFrame(activity, columns=["process", "region", "year", "value", "unit"]),
    }
    act = t["activity"]
    t["capacity"] = act.assign(value=act["value"] * 1.15)
    new = act.sort_values("year").groupby(["process", "region"])["value"].diff().clip(lower=0)
    t["new_capacity"] = act.assign(value=new.fillna(act["value"]).to_numpy() * 1.15)
    t["unmet"] = pd.DataFrame(
        {"region": "KR", "commodity": "battery.EV", "year": YEARS, "value": 0.0, "unit": "GWh"}
    )
    stock = []
    for r, share in (("KR", 0.7), ("CA", 0.3)):
        d = t["demand"].query("region == @r and commodity == 'battery.EV'")["value"].to_numpy()
        e = t["eol"].query("region == @r")["value"].to_numpy()
        s = 400.0 * share + np.cumsum(d - e)
        stock += [(r, "battery.EV", y, float(v), "GWh") for y, v in zip(YEARS, s, strict=True)]
    t["stock"] = pd.DataFrame(stock, columns=["region", "commodity", "year", "value", "unit"])
    prices = []
    for y in YEARS:
        k = y - 2025
        prices += [
            ("Li.concentrate", "AU", y, 9000.0 + 60 * k, "USD/t"),
            ("Li.hydroxide", "CN", y, 14000.0 + 120 * k, "USD/t"),
            ("Li.hydroxide", "KR", y, 15500.0 + 140 * k, "USD/t"),
            ("Li.secondary", "KR", y, 15000.0 + 130 * k, "USD/t"),
        ]
    t["prices"] = pd.DataFrame(prices, columns=["commodity", "region", "year", "value", "unit"])
    costs = []
    for y in YEARS:
        g = 1.0 + 0.06 * (y - 2025)
        for r, base in (("CA", 0.6e9), ("KR", 2.4e9), ("AU", 0.5e9), ("CN", 1.2e9)):
            costs += [
                ("operating", r, y, base * g, "USD"),
                ("investment", r, y, 0.3 * base * (1.0 + 0.02 * (y - 2025)), "USD"),
                ("transport", r, y, 0.05 * base * g, "USD"),
                ("tariff", r, y, 0.01 * base if r == "CN" else 0.0, "USD"),
                ("unmet_penalty", r, y, 0.0, "USD"),
            ]
    t["costs"] = pd.DataFrame(costs, columns=["component", "region", "year", "value", "unit"])
    intensity = {  # tCO2e per unit activity: (direct, electricity)
        ("mine.spodumene", "AU"): (3.0, 1.5),
        ("mine.spodumene", "CA"): (2.0, 0.3),
        ("refine.hydroxide", "CN"): (9.0, 7.0),
        ("refine.hydroxide", "CA"): (4.0, 0.5),
        ("refine.hydroxide", "KR"): (6.0, 4.0),
        ("cam.NMC811", "CA"): (0.8, 0.1),
        ("cam.NMC811", "KR"): (1.0, 1.2),
        ("cell.NMC811", "KR"): (2000.0, 9000.0),
        ("pack.EV", "KR"): (500.0, 1000.0),
        ("collect.battery", "CA"): (300.0, 50.0),
        ("collect.battery", "KR"): (300.0, 400.0),
        ("recycle.hydro", "KR"): (0.4, 0.3),
    }
    em = []
    for row in act.itertuples(index=False):
        d, e = intensity[(row.process, row.region)]
        em.append((row.process, row.region, row.year, "direct", row.value * d, "tCO2e"))
        em.append((row.process, row.region, row.year, "electricity", row.value * e, "tCO2e"))
        em.append((row.process, row.region, row.year, "transport", row.value * 0.05 * d, "tCO2e"))
    t["emissions"] = pd.DataFrame(
        em, columns=["process", "region", "year", "scope", "value", "unit"]
    )
    t["duals_supplier_share"] = pd.DataFrame(
        {
            "region": "KR",
            "commodity": "Li.hydroxide",
            "origin": "CN",
            "year": YEARS,
            "value": [0.0 if y < 2030 else 800.0 + 90 * (y - 2030) for y in YEARS],
            "unit": "USD/t",
        }
    )
    t["duals_emission_cap"] = pd.DataFrame(
        {
            "region": "KR",
            "year": YEARS,
            "value": [0.0 if y < 2035 else 25.0 + 4 * (y - 2035) for y in YEARS],
            "unit": "USD/tCO2e",
        }
    )
    t["commodities"] = _commodities()
    t["commodity_content"] = _content()
    t["processes"] = _processes()
    t["regions"] = pd.DataFrame(
        {
            "region": ["AU", "CA", "CN", "KR"],
            "name": ["Australia", "Canada", "China", "South Korea"],
        }
    )
    t["indicators"] = example_indicators(t)
    return t


def example_indicators(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Indicators (import dependency, largest-supplier share, HHI, recycled input share) of
    the example, computed from the supply table for CA and KR."""
    from mfa.report.element import supply_table

    sup = supply_table(tables, "Li", ["CA", "KR"])
    rows = []
    for (r, y), g in sup.groupby(["region", "year"]):
        total = g["value"].sum()
        by_src = g.groupby("source")["value"].sum() / total
        imports = g[~g["source"].isin([r, "recycled"])]["value"].sum() / total
        rows += [
            ("import_dependency", r, "Li", y, imports, "fraction"),
            ("largest_supplier_share", r, "Li", y, float(by_src.max()), "fraction"),
            ("hhi", r, "Li", y, float((by_src**2).sum() * 10_000), "index (0-10000)"),
            (
                "recycled_input_share",
                r,
                "Li",
                y,
                float(g[g["type"] == "secondary"]["value"].sum() / total),
                "fraction",
            ),
        ]
    return pd.DataFrame(rows, columns=["indicator", "region", "element", "year", "value", "unit"])


def example_frontier() -> pd.DataFrame:
    """A synthetic cost-emissions frontier (points, total cost in USD, emissions in tCO2e)."""
    e = np.linspace(60e6, 20e6, 8)
    cost = 90e9 + 2.5e18 / e - 2.5e18 / 60e6
    return pd.DataFrame(
        {
            "point": range(8),
            "cost": cost,
            "emissions": e,
            "cost_unit": "USD",
            "emissions_unit": "tCO2e",
        }
    )


def example_ensemble(n: int = 200, seed: int = 1) -> pd.DataFrame:
    """A synthetic ensemble: KR Li import dependency by sample and year."""
    rng = np.random.default_rng(seed)
    rows = []
    for s in range(n):
        slope = rng.normal(-0.008, 0.004)
        noise = rng.normal(0, 0.01, len(YEARS))
        for i, y in enumerate(YEARS):
            v = float(np.clip(0.95 + slope * (y - 2025) + noise[i], 0, 1))
            rows.append((s, y, v, "fraction"))
    return pd.DataFrame(rows, columns=["sample", "year", "value", "unit"])
