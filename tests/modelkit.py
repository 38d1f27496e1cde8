"""Write small models to a folder from a few lines of CSV each (tests only).

Tables not given get a minimal valid default; every row is sourced to the
``test`` entry of the generated ``sources.csv``.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = (
    "id,publisher,title,year,table_page,link_or_doi,what_was_taken\n"
    "test,mfa tests,Hand-solved test model,2026,-,-,numbers chosen to be solved by hand\n"
)

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
    "lifetimes": "commodity,region,distribution,mean,std,shape,source,note",
    "historical_inflow": "region,commodity,year,value,unit,source,note",
    "collection_rate": "region,commodity,year,value,unit,source,note",
    "commodity_content": "commodity,element,value,unit,source,note",
    "recycled_content": "process,region,element,year,value,unit,source,note",
    "supplier_cap": "region,item,year,value,unit,source,note",
    "offtake_share": "region,item,origin,year,value,unit,source,note",
    "stockpile_days": "region,commodity,year,value,unit,source,note",
    "stockpile_initial": "region,commodity,value,unit,source,note",
    "holding_cost": "commodity,region,value,unit,source,note",
    "supply_shock": "origin,commodity,year,value,unit,source,note",
    "trade_limit": "commodity,origin,destination,year,value,unit,source,note",
    "emission_factor": "process,region,value,unit,source,note",
    "electricity_use": "process,region,value,unit,source,note",
    "grid_intensity": "region,year,value,unit,source,note",
    "transport_emission": "mode,value,unit,source,note",
    "emission_cap": "region,year,value,unit,source,note",
    "carbon_price": "region,year,value,unit,source,note",
    "input_saving": "process,region,year,value,unit,source,note",
    "energy_saving": "process,region,year,value,unit,source,note",
    "dedicated_capacity": "process,region,destination,year,value,unit,source,note",
    "origin_risk": "region,indicator,value,unit,source,note",
    "origin_rules": "basis,step,value,unit,source,note",
    "origin_groups": "group,region,value,unit,source,note",
    "origin_share": "region,item,basis,group,bound,year,value,unit,source,note",
    "sourcing_limit": "region,item,indicator,year,value,unit,source,note",
    "fixed_cost_share": "process,region,value,unit,source,note",
    "disposal_cost": "commodity,region,value,unit,source,note",
    "treatment_obligation": "region,commodity,year,value,unit,source,note",
    "market_limit": "commodity,region,direction,year,value,unit,source,note",
    "second_life_cap": "region,year,value,unit,source,note",
    "second_life_lifetime": "region,value,unit,source,note",
    "transfer_cost": "process,region,year,value,unit,source,note",
    "max_capacity": "process,region,year,value,unit,source,note",
    "share_corridor": "region,item,bound,value,unit,source,note",
    "observed_share": "region,item,partner,year,basis,value,unit,source,note",
    "certification": "process,region,plant,scheme,status,year,value,unit,source,note",
    "certified_share": "element,region,process,year,value,unit,source,note",
    "unmet_penalty": "commodity,value,unit,source,note",
}


def write_model(
    folder: Path,
    tables: dict[str, list[str]],
    years: tuple[int, int] = (2025, 2025),
    extra_yaml: str = "",
    name: str = "test",
) -> Path:
    """Write ``folder/model.yaml`` and ``folder/data/*.csv``; return the model file.

    ``tables`` maps a table name to its data rows (without the ``source`` and
    ``note`` columns, which are appended as ``test,``).
    """
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text("# marks the project root for path checks\n")
    (data / "sources.csv").write_text(SOURCES, encoding="utf-8")
    for table, rows in tables.items():
        lines = [HEADERS[table]] + [f"{row},test," for row in rows]
        (data / f"{table}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    model = folder / "model.yaml"
    model.write_text(
        f"name: {name}\ndata: data\nyears: {{start: {years[0]}, end: {years[1]}}}\n"
        "options: {discount_rate: 0.0, free_trade_routes: true, unmet_penalty: 1.0e6}\n"
        + extra_yaml,
        encoding="utf-8",
    )
    return model


def write_one_mine_model(folder: Path) -> Path:
    """One region A whose mine (100 t a year at 10 USD/t) serves a demand of 40 t of
    ore (Li) in 2025; return the model file."""
    return write_model(
        folder,
        {
            "regions": ["A,Alpha"],
            "commodities": ["ore,Li,mining,t,true,false,1,,"],
            "processes": ["mine,mining,t,Mine"],
            "process_io": ["mine,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,100,t"],
            "variable_cost": ["mine,A,2025,10,USD/t"],
            "demand": ["A,ore,2025,40,t"],
        },
    )


def write_two_suppliers_model(folder: Path, cn_capacity: float = 1000.0) -> Path:
    """KR buys 100 t of refined Li from CN (10 USD/t, at most ``cn_capacity`` t) or AU
    (20 USD/t, 1000 t), shipped 1000 and 7000 km by sea, in 2025."""
    return write_model(
        folder,
        {
            "regions": ["KR,Korea", "CN,China", "AU,Australia"],
            "commodities": ["li,Li,refining,t,true,false,1,,"],
            "processes": ["refine,refining,t,Refining"],
            "process_io": ["refine,li,out,,1,t/t"],
            "capacity": [f"refine,CN,2025,c,{cn_capacity:g},t", "refine,AU,2025,a,1000,t"],
            "variable_cost": ["refine,CN,2025,10,USD/t", "refine,AU,2025,20,USD/t"],
            "demand": ["KR,li,2025,100,t"],
            "trade_routes": ["CN,KR,1000,sea", "AU,KR,7000,sea"],
        },
    )
