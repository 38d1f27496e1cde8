"""Content tests of the Sankey links: every link value must come from the result tables."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from mfa.report import plot_sankey, plotly_sankey, sankey_html, sankey_links
from mfa.report.example import BM_LI, CAM_LI, CELL_LI, example_tables

YEAR = 2040


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return example_tables()


def _flow(t, process, region, direction, commodity=None, year=YEAR) -> float:
    f = t["flows"]
    m = (f["process"] == process) & (f["region"] == region) & (f["direction"] == direction)
    m &= f["year"] == year
    if commodity is not None:
        m &= f["commodity"] == commodity
    return float(f.loc[m, "value"].sum())


def _trade(t, commodity, origin, destination, year=YEAR) -> float:
    tr = t["trade"]
    m = (tr["commodity"] == commodity) & (tr["origin"] == origin)
    m &= (tr["destination"] == destination) & (tr["year"] == year)
    return float(tr.loc[m, "value"].sum())


def _link(links, source, target) -> float:
    return float(links[(links["source"] == source) & (links["target"] == target)]["value"].sum())


@pytest.fixture(scope="module")
def partnership(tables) -> pd.DataFrame:
    return sankey_links(tables, "Li", YEAR, ["CA", "KR"])


def test_columns_and_units(partnership):
    for col in ("source", "target", "value", "unit", "color_key", "kind", "origin"):
        assert col in partnership.columns
    assert (partnership["unit"] == "t").all()
    assert (partnership["value"] > 0).all()


def test_mining_links_equal_mining_output(tables, partnership):
    out = partnership[partnership["source"] == "Mining CA"]["value"].sum()
    assert out == pytest.approx(_flow(tables, "mine.spodumene", "CA", "out"))


def test_shipment_inside_scope_links_producer_to_user(tables, partnership):
    # CA concentrate shipped to KR feeds the Korean refinery
    assert _link(partnership, "Mining CA", "Refining KR") == pytest.approx(
        _trade(tables, "Li.concentrate", "CA", "KR")
    )
    kinds = partnership[
        (partnership["source"] == "Mining CA") & (partnership["target"] == "Refining KR")
    ]["kind"]
    assert set(kinds) == {"trade"}


def test_import_link_equals_trade(tables, partnership):
    assert _link(partnership, "Import CN", "Materials KR") == pytest.approx(
        _trade(tables, "Li.hydroxide", "CN", "KR")
    )


def test_process_node_balance_with_losses(tables, partnership):
    into = partnership[partnership["target"] == "Refining KR"]["value"].sum()
    out = partnership[partnership["source"] == "Refining KR"]
    assert into == pytest.approx(_flow(tables, "refine.hydroxide", "KR", "in"))
    loss = out[out["kind"] == "loss"]["value"].sum()
    assert loss == pytest.approx(
        _flow(tables, "refine.hydroxide", "KR", "in")
        - _flow(tables, "refine.hydroxide", "KR", "out")
    )
    assert out["value"].sum() == pytest.approx(into)


def test_recycling_loop_exists_and_equals_secondary_output(tables, partnership):
    loop = partnership[partnership["kind"] == "loop"]
    assert len(loop) == 1
    row = loop.iloc[0]
    assert (row["source"], row["target"]) == ("Recycling KR", "Materials KR")
    assert row["value"] == pytest.approx(
        _flow(tables, "recycle.hydro", "KR", "out", "Li.secondary")
    )
    assert row["target_layer"] < row["source_layer"]
    assert row["color_key"] == "secondary"


def test_use_eol_and_landfill_links(tables, partnership):
    d = tables["demand"]
    kr_demand = d[(d["region"] == "KR") & (d["year"] == YEAR)]["value"].sum() * CELL_LI
    assert _link(partnership, "Products KR", "Use KR") == pytest.approx(kr_demand)
    e = tables["eol"]
    eol_kr = e[(e["region"] == "KR") & (e["year"] == YEAR)]["value"].sum() * CELL_LI
    assert _link(partnership, "Use KR", "End of life KR") == pytest.approx(eol_kr)
    x = tables["excess"]
    landfill = x[(x["region"] == "KR") & (x["year"] == YEAR)]["value"].sum() * CELL_LI
    assert _link(partnership, "End of life KR", "Landfill KR") == pytest.approx(landfill)
    # CA black mass goes to the Korean recycler (trade inside the scope)
    assert _link(partnership, "Collection CA", "Recycling KR") == pytest.approx(
        _trade(tables, "black_mass", "CA", "KR") * BM_LI
    )


def test_every_process_node_conserves_mass(partnership):
    nodes = partnership.attrs["nodes"]
    for name, node in nodes.items():
        if node.type != "process":
            continue
        vin = partnership[partnership["target"] == name]["value"].sum()
        vout = partnership[partnership["source"] == name]["value"].sum()
        if vin > 0:  # mining has no element input
            assert vout == pytest.approx(vin, rel=1e-9), name


def test_single_region_scope_imports_and_exports(tables):
    links = sankey_links(tables, "Li", YEAR, "KR")
    imports_ca = links[links["kind"] == "import"]
    imports_ca = imports_ca[imports_ca["origin"] == "CA"]["value"].sum()
    expected = (
        _trade(tables, "Li.concentrate", "CA", "KR")
        + _trade(tables, "Li.hydroxide", "CA", "KR")
        + _trade(tables, "CAM.NMC811", "CA", "KR") * CAM_LI
        + _trade(tables, "black_mass", "CA", "KR") * BM_LI
    )
    assert imports_ca == pytest.approx(expected)
    exports = links[links["kind"] == "export"]
    assert set(exports["target"]) == {"Export to CA"}
    assert exports["value"].sum() == pytest.approx(
        _trade(tables, "battery.EV", "KR", "CA") * CELL_LI
    )


def test_all_scope_has_no_imports_and_totals_match(tables):
    links = sankey_links(tables, "Li", YEAR, "all")
    assert not links["kind"].isin(["import", "export"]).any()
    mined = _flow(tables, "mine.spodumene", "AU", "out") + _flow(
        tables, "mine.spodumene", "CA", "out"
    )
    assert links[links["source"] == "Mining"]["value"].sum() == pytest.approx(mined)
    by_origin = links[links["source"] == "Mining"].groupby("origin")["value"].sum()
    assert by_origin["AU"] == pytest.approx(_flow(tables, "mine.spodumene", "AU", "out"))
    assert (links["kind"] == "loop").sum() == 1


def test_color_by_origin(tables):
    links = sankey_links(tables, "Li", YEAR, ["CA", "KR"], color_by="origin")
    normal = links[~links["kind"].isin(["loss", "landfill", "excess"])]
    assert (normal["color_key"] == normal["origin"]).all()
    with pytest.raises(ValueError, match="color_by"):
        sankey_links(tables, "Li", YEAR, "KR", color_by="colour")


def test_element_without_flows_gives_empty_links(tables):
    links = sankey_links(tables, "Dy", YEAR, "all")
    assert links.empty
    fig = plot_sankey(tables, "Dy", YEAR, "all")
    assert "Dy" in fig.axes[0].get_title()
    plt.close(fig)


def test_static_sankey_draws_every_link_and_the_loop(tables, partnership):
    fig = plot_sankey(tables, "Li", YEAR, ["CA", "KR"])
    ax = fig.axes[0]
    assert "(kt Li)" in ax.get_title() and str(YEAR) in ax.get_title()
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("Recycling loop") for t in texts)
    assert any(t.startswith("Mining CA") for t in texts)
    assert ax.get_legend() is not None
    plt.close(fig)


def test_static_sankey_into_given_axes(tables):
    fig, ax = plt.subplots(figsize=(7, 4))
    out = plot_sankey(tables, "Li", YEAR, "KR", ax=ax)
    assert out is fig
    plt.close(fig)


def test_plotly_sankey_matches_links(tables, partnership, tmp_path):
    fig = plotly_sankey(tables, "Li", YEAR, ["CA", "KR"])
    trace = fig.data[0]
    assert sum(trace.link.value) == pytest.approx(partnership["value"].sum())
    labels = list(trace.node.label)
    pairs = {
        (labels[s], labels[t]) for s, t in zip(trace.link.source, trace.link.target, strict=True)
    }
    assert ("Recycling KR", "Materials KR") in pairs
    path = sankey_html(tables, "Li", YEAR, tmp_path / "s.html", ["CA", "KR"])
    text = path.read_text(encoding="utf-8")
    assert "plotly" in text.lower() and "Recycling KR" in text
