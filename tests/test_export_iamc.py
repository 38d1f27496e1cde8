"""IAMC export: `mfa export DIR --format iamc` writes a table that pyam reads back, with
pint-parsable units, values equal to the result tables, and regional sums that close."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pint
import pyam
import pytest
from typer.testing import CliRunner

import mfa
from mfa.cli import app

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2040


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[mfa.Results, Path]:
    results = mfa.run(ROOT / "models" / "canada_korea.yaml", "reference")
    folder = tmp_path_factory.mktemp("iamc") / "reference"
    results.save(folder)
    return results, folder


@pytest.fixture(scope="module")
def iamc(saved: tuple[mfa.Results, Path]) -> pyam.IamDataFrame:
    _, folder = saved
    out = folder.parent / "iamc.csv"
    result = CliRunner().invoke(app, ["export", str(folder), "--format", "iamc", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return pyam.IamDataFrame(out)


def value(df: pyam.IamDataFrame, variable: str, region: str, year: int = YEAR) -> float:
    series = df.filter(variable=variable, region=region, year=year).data["value"]
    assert len(series) == 1, f"{variable} / {region} / {year}: {len(series)} rows"
    return float(series.iloc[0])


def test_pyam_reads_the_index_and_every_unit_parses(iamc: pyam.IamDataFrame):
    assert iamc.model == ["mfa 0.1.0 canada_korea"]
    assert iamc.scenario == ["reference"]
    assert {"Canada", "South Korea", "World"} <= set(iamc.region)
    assert iamc.year == list(range(2025, 2051))
    registry = pint.UnitRegistry()
    for unit in iamc.unit:
        registry.Unit(unit)  # raises UndefinedUnitError for a unit pint does not know
    assert iamc.filter(variable="Production|Mining|Lithium").unit == ["t/yr"]


def test_mining_and_trade_equal_the_result_tables(saved, iamc):
    res, _ = saved
    flows = res["flows"]
    mined = flows[
        (flows["direction"] == "out")
        & flows["process"].isin(["li_spodumene_mining", "li_brine_carbonate"])
        & (flows["region"] == "CA")
        & (flows["year"] == YEAR)
    ]["value"].sum()
    assert mined > 0
    assert value(iamc, "Production|Mining|Lithium", "Canada") == pytest.approx(mined, rel=1e-9)

    content = res["commodity_content"].query("element == 'Ni'").set_index("commodity")["value"]
    ni_commodities = res["commodities"].query("element == 'Ni' and unit == 't'")["commodity"]
    trade = res["trade"].query("destination == 'KR' and origin != 'KR' and year == @YEAR")
    factor = (
        trade["commodity"]
        .map(content)
        .fillna(trade["commodity"].isin(ni_commodities).astype(float))
    )
    by_origin = (trade["value"] * factor).groupby(trade["origin"]).sum()
    origin = by_origin.idxmax()  # Korea's largest nickel supplier in YEAR
    assert by_origin[origin] > 0
    name = res["regions"].set_index("region").loc[origin, "name"]
    assert value(iamc, f"Imports|Nickel|{name}", "South Korea") == pytest.approx(
        by_origin[origin], rel=1e-9
    )
    assert value(iamc, "Exports|Nickel|South Korea", name) == pytest.approx(
        by_origin[origin], rel=1e-9
    )
    assert value(iamc, "Imports|Nickel", "South Korea") == pytest.approx(by_origin.sum(), rel=1e-9)


def test_demand_emissions_and_shares_equal_the_result_tables(saved, iamc):
    res, _ = saved
    demand = res["demand"].query("region == 'KR' and year == @YEAR")
    cam = demand.query("commodity == 'CAM.NMC811'")["value"].sum()
    assert value(iamc, "Demand|CAM|NMC811", "South Korea") == pytest.approx(cam, rel=1e-9)

    emissions = res["emissions"].query("region == 'CA' and year == @YEAR")
    assert value(iamc, "Emissions|CO2e", "Canada") == pytest.approx(
        emissions["value"].sum(), rel=1e-9
    )
    assert value(iamc, "Emissions|CO2e|Transport", "Canada") == pytest.approx(
        emissions.query("scope == 'transport'")["value"].sum(), rel=1e-9
    )

    share = res["indicators"].query(
        "indicator == 'import_dependency' and region == 'KR' and element == 'Li' and year == @YEAR"
    )["value"]
    assert value(iamc, "Import Dependency|Lithium", "South Korea") == pytest.approx(
        100 * float(share.iloc[0]), rel=1e-9
    )


def test_world_and_partner_sums_close(iamc):
    for variable in ["Production|Mining|Lithium", "Imports|Nickel", "Emissions|CO2e"]:
        assert iamc.check_aggregate_region(variable) is None, variable
    for variable in ["Imports|Lithium", "Exports|Nickel", "Emissions|CO2e"]:
        assert iamc.check_aggregate(variable) is None, variable  # in every region
    imports = iamc.filter(variable="Imports|Lithium|*", region="World").data
    world = iamc.filter(variable="Imports|Lithium", region="World").data
    assert imports.groupby("year")["value"].sum().to_numpy() == pytest.approx(
        world.set_index("year")["value"].to_numpy(), rel=1e-9
    )


def test_no_series_is_all_zero_and_shares_have_no_world(iamc):
    data = iamc.data
    peak = data.groupby(["region", "variable"])["value"].apply(lambda v: v.abs().max())
    assert (peak > 0).all()
    assert not iamc.filter(variable="Import Dependency|*", region="World").data.size


def test_excel_has_data_and_meta_sheets(saved, tmp_path):
    res, folder = saved
    out = mfa.export_iamc(folder, tmp_path / "iamc.xlsx", model="mfa test")
    df = pyam.IamDataFrame(out)
    assert df.model == ["mfa test"]
    assert df.meta.loc[("mfa test", "reference"), "data_hash"] == res.summary["data_hash"]
    assert isinstance(df.timeseries(), pd.DataFrame)


def test_bad_arguments_are_named(saved, tmp_path):
    _, folder = saved
    runner = CliRunner()
    missing = runner.invoke(app, ["export", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "nowhere is not a results folder" in missing.output
    fmt = runner.invoke(app, ["export", str(folder), "--format", "csv"])
    assert fmt.exit_code == 1 and "unknown export format 'csv'" in fmt.output
    with pytest.raises(mfa.MfaError, match="same model and scenario"):
        mfa.export_iamc([folder, folder], tmp_path / "twice.csv")
    with pytest.raises(mfa.MfaError, match=r"must end in \.csv or \.xlsx"):
        mfa.export_iamc(folder, tmp_path / "iamc.json")
