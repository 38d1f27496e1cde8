"""Export saved results in the IAMC format that scenario databases and ``pyam`` read.

The IAMC format has one row per time series: ``model, scenario, region, variable, unit``
followed by one column per year (the *wide* layout; :func:`iamc_long` gives the same data
with ``year`` and ``value`` columns). Variables are named in IAMC style, from general to
specific with ``|`` between levels, and units are written so that ``pint`` (and
``iam_units``, which ``pyam`` uses to convert units) parse them; flows are per year.

Headline variables (``<E>``: an element's name, e.g. ``Lithium``; ``<P>``: a region's name):

========================================  ========  ================================================
variable                                  unit      what
========================================  ========  ================================================
``Production|Mining|<E>``                 t/yr      element in the output of mining processes
``Production|Refining|<E>|<form>``        t/yr      element in each refined commodity (forms are not
                                                    summed: carbonate is refined into hydroxide)
``Production|Recycling|<E>``              t/yr      element in the output of recycling processes
``Production|Material|<commodity>``       t/yr      pCAM, CAM, anode graphite (t of the material)
``Production|Component|<commodity>``      GWh/yr    cells (GWh) and magnets (t)
``Production|Product|<commodity>``        GWh/yr    packs (GWh) and assembled magnets (t)
``Imports|<E>`` and ``Imports|<E>|<P>``   t/yr      element in everything imported (from ``<P>``)
``Exports|<E>`` and ``Exports|<E>|<P>``   t/yr      element in everything exported (to ``<P>``)
``Demand|<commodity>``                    GWh/yr    final demand (in the commodity's unit per year)
``Unmet Demand|<commodity>``              GWh/yr    final demand the chain did not serve
``Stock|In Use|<commodity>``              GWh       products in use at the end of the year
``End of Life|<commodity>``               GWh/yr    products reaching end of life
``Emissions|CO2e|<scope>``                t/yr      greenhouse gases in t CO2-equivalent, by scope
``Energy|Supply Chain``                   GJ/yr     energy use of all processes
``Water|Supply Chain``                    m^3/yr    water use of all processes
``Import Dependency|<E>``                 %         indicators of the results (no World value)
``Secondary Supply Share|<E>``            %
``Largest Supplier Share|<E>``            %
========================================  ========  ================================================

Commodity names become levels: ``ev_battery.NMC811`` is ``ev_battery|NMC811``. Element
tonnes are contained element, as everywhere in the model. Quantities are also given for the
region ``World`` (the sum over the model's regions, so ``pyam``'s regional aggregation check
holds); shares are not summed. Costs are left out: the cost data are nominal US dollars of
each source's year (``data/README.md``), which no IAMC currency unit states truthfully, and
the objective holds the unmet-demand penalty, which is not a cost (unmet demand is exported
as a quantity instead). Time series that are zero in every year are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from mfa.errors import MfaError
from mfa.indicators import content_long
from mfa.results import Results

IAMC_COLUMNS = ["model", "scenario", "region", "variable", "unit"]
"""The index columns of an IAMC table, in pyam's order."""
WORLD = "World"
"""Region name of the sum over all regions."""
ZERO = 1e-9
"""Time series whose largest absolute value is at most this are left out."""
SHARE_INDICATORS = {
    "import_dependency": "Import Dependency",
    "secondary_supply_share": "Secondary Supply Share",
    "largest_supplier_share": "Largest Supplier Share",
}
"""Indicators (unit ``share``) exported as percentages, with their IAMC names."""
EMISSION_SCOPES = {"direct": "Direct", "electricity": "Electricity", "transport": "Transport"}
FLOW_UNITS = {"t": "t/yr", "GWh": "GWh/yr", "GJ": "GJ/yr", "m3": "m^3/yr", "tCO2e": "t/yr"}
"""Model unit of a yearly quantity -> its IAMC unit (pint-parsable, per year)."""


def element_name(element: str) -> str:
    """The report's name of an element (``Li`` -> ``Lithium``); matplotlib loads only on use."""
    from mfa.report.style import element_name as report_name

    return report_name(element)


def _level(name: str) -> str:
    """A commodity code as variable levels: ``ev_battery.NMC811`` -> ``ev_battery|NMC811``."""
    return str(name).replace(".", "|")


def _flow_unit(unit: str) -> str:
    if unit not in FLOW_UNITS:
        raise MfaError(f"IAMC export: no IAMC unit for model unit {unit!r}")
    return FLOW_UNITS[unit]


def _rows(frame: pd.DataFrame, variable: pd.Series | str, unit: pd.Series | str) -> pd.DataFrame:
    """``region, variable, unit, year, value`` summed over everything else."""
    out = frame.assign(variable=variable, unit=unit)
    return out.groupby(["region", "variable", "unit", "year"], as_index=False)["value"].sum()


def _in_element(frame: pd.DataFrame, content: pd.DataFrame) -> pd.DataFrame:
    out = frame.merge(content, on="commodity", how="inner")
    return out.assign(value=out["value"] * out["content"], name=out["element"].map(element_name))


def _production(tables: Mapping[str, pd.DataFrame], content: pd.DataFrame) -> list[pd.DataFrame]:
    flows = tables["flows"]
    out = flows[flows["direction"] == "out"]
    kind = out["process"].map(tables["processes"].set_index("process")["kind"])
    com = tables["commodities"].set_index("commodity")
    stage = out["commodity"].map(com["stage"])
    parts = []
    for process_kind, level in (("mining", "Mining"), ("recycling", "Recycling")):
        rows = _in_element(out[kind == process_kind], content)
        parts.append(_rows(rows, f"Production|{level}|" + rows["name"], "t/yr"))
    refined = out[stage == "refining"].merge(
        com[["element"]], left_on="commodity", right_index=True
    )
    form = refined["commodity"].str.split(".", n=1).str[1].str.replace("_", " ")
    form = form.str[:1].str.upper() + form.str[1:]
    parts.append(
        _rows(
            refined,
            "Production|Refining|" + refined["element"].map(element_name) + "|" + form,
            "t/yr",
        )
    )
    made = out[stage.isin(["material", "component", "product"])]
    made_stage = made["commodity"].map(com["stage"]).str.capitalize()
    parts.append(
        _rows(
            made,
            "Production|" + made_stage + "|" + made["commodity"].map(_level),
            made["unit"].map(_flow_unit),
        )
    )
    return parts


def _trade(tables: Mapping[str, pd.DataFrame], content: pd.DataFrame) -> list[pd.DataFrame]:
    names = tables["regions"].set_index("region")["name"]
    trade = _in_element(tables["trade"], content)
    trade = trade[trade["origin"] != trade["destination"]]
    parts = []
    for flow, region, partner in (
        ("Imports", "destination", "origin"),
        ("Exports", "origin", "destination"),
    ):
        rows = trade.rename(columns={region: "region"})
        parts.append(_rows(rows, f"{flow}|" + rows["name"], "t/yr"))
        by_partner = f"{flow}|" + rows["name"] + "|" + rows[partner].map(names)
        parts.append(_rows(rows, by_partner, "t/yr"))
    return parts


def _commodity_rows(frame: pd.DataFrame, prefix: str, per_year: bool = True) -> pd.DataFrame:
    unit = frame["unit"].map(_flow_unit) if per_year else frame["unit"]
    return _rows(frame, prefix + frame["commodity"].map(_level), unit)


def _footprints(tables: Mapping[str, pd.DataFrame]) -> list[pd.DataFrame]:
    emissions = tables["emissions"]
    energy = tables["energy"]
    water = tables["water"]
    return [
        _rows(emissions, "Emissions|CO2e", emissions["unit"].map(_flow_unit)),
        _rows(
            emissions,
            "Emissions|CO2e|" + emissions["scope"].map(EMISSION_SCOPES),
            emissions["unit"].map(_flow_unit),
        ),
        _rows(energy, "Energy|Supply Chain", energy["unit"].map(_flow_unit)),
        _rows(water, "Water|Supply Chain", water["unit"].map(_flow_unit)),
    ]


def _shares(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    ind = tables["indicators"]
    ind = ind[ind["indicator"].isin(list(SHARE_INDICATORS))]
    if not (ind["unit"] == "share").all():
        raise MfaError("IAMC export: share indicators are expected with unit 'share'")
    variable = ind["indicator"].map(SHARE_INDICATORS) + "|" + ind["element"].map(element_name)
    return _rows(ind.assign(value=100 * ind["value"]), variable, "%")


def iamc_long(results: Results, model: str | None = None) -> pd.DataFrame:
    """The headline variables of one result as a long IAMC table.

    Parameters
    ----------
    results
        Solved results (``mfa.run``) or saved ones (``mfa.Results.load``).
    model
        The IAMC ``model`` name; by default ``mfa <version> <model file's name>``.

    Returns
    -------
    DataFrame
        ``model, scenario, region, variable, unit, year, value``; regions by name
        (``Canada``), plus ``World`` for quantities.
    """
    tables = results.tables
    content = content_long(tables)
    summary = results.summary
    quantities = [
        *_production(tables, content),
        *_trade(tables, content),
        _commodity_rows(tables["demand"], "Demand|"),
        _commodity_rows(tables["unmet"], "Unmet Demand|"),
        _commodity_rows(tables["stock"], "Stock|In Use|", per_year=False),
        _commodity_rows(tables["eol"], "End of Life|"),
        *_footprints(tables),
    ]
    quantities = pd.concat(quantities, ignore_index=True)
    world = quantities.groupby(["variable", "unit", "year"], as_index=False)["value"].sum()
    frame = pd.concat([quantities, world.assign(region=WORLD), _shares(tables)], ignore_index=True)
    names = tables["regions"].set_index("region")["name"].to_dict()
    frame["region"] = frame["region"].map(lambda r: names.get(r, r))
    frame["year"] = frame["year"].astype(int)
    peak = frame.groupby(["region", "variable"])["value"].transform(lambda v: v.abs().max())
    frame = frame[peak > ZERO]
    version = summary.get("versions", {}).get("mfa", "")
    frame.insert(0, "model", model or f"mfa {version} {summary.get('model', '')}".strip())
    frame.insert(1, "scenario", summary.get("scenario") or "base")
    columns = [*IAMC_COLUMNS, "year", "value"]
    return frame[columns].sort_values(columns[:-1]).reset_index(drop=True)


def iamc_wide(long: pd.DataFrame) -> pd.DataFrame:
    """A long IAMC table in the wide layout (one column per year)."""
    wide = long.pivot_table(
        index=IAMC_COLUMNS, columns="year", values="value", aggfunc="sum", sort=True
    )
    wide.columns = [int(y) for y in wide.columns]
    return wide.reset_index()


def _load(folder: Path) -> Results:
    if not (folder / "summary.json").is_file():
        raise MfaError(f"IAMC export: {folder} is not a results folder (no summary.json)")
    return Results.load(folder)


def export_iamc(
    folders: Iterable[str | Path] | str | Path,
    out: str | Path,
    model: str | None = None,
) -> Path:
    """Write the headline variables of saved results as one IAMC file.

    Parameters
    ----------
    folders
        One results folder (``mfa run -o``) or several (one scenario each).
    out
        ``.csv`` (wide IAMC table) or ``.xlsx`` (sheets ``data``, wide, and ``meta``: one row
        per model and scenario with objective, status, data hash and solver, as ``pyam``
        reads them).
    model
        The IAMC ``model`` name (default: ``mfa <version> <model file's name>``).

    Returns
    -------
    Path
        The file written.
    """
    if isinstance(folders, str | Path):
        folders = [folders]
    out = Path(out)
    if out.suffix not in (".csv", ".xlsx"):
        raise MfaError(f"IAMC export: {out} must end in .csv or .xlsx")
    results = [_load(Path(folder)) for folder in folders]
    if not results:
        raise MfaError("IAMC export: no results folder given")
    longs = [iamc_long(r, model) for r in results]
    long = pd.concat(longs, ignore_index=True)
    seen = long[["model", "scenario"]].drop_duplicates()
    if len(seen) < len(longs):
        raise MfaError("IAMC export: two results folders have the same model and scenario")
    wide = iamc_wide(long)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix == ".csv":
        wide.to_csv(out, index=False)
    else:
        meta = pd.DataFrame(
            [
                {
                    "model": lg["model"].iat[0],
                    "scenario": lg["scenario"].iat[0],
                    "status": r.summary.get("status"),
                    "data_hash": r.summary.get("data_hash"),
                    "highs_version": r.summary.get("solver", {}).get("highs_version"),
                }
                for r, lg in zip(results, longs, strict=True)
            ]
        )
        with pd.ExcelWriter(out) as writer:
            wide.to_excel(writer, sheet_name="data", index=False)
            meta.to_excel(writer, sheet_name="meta", index=False)
    return out
