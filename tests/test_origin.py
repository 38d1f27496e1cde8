"""Mine- and processing-origin attribution after the solve (mfa.origin), solved by hand."""

from __future__ import annotations

import pandas as pd
import pytest

import mfa
from mfa.errors import InputError
from mfa.inputs.tables import ORIGIN_STEPS
from mfa.origin import OriginRules, attribute
from tests.modelkit import write_model

ORE = "x.ore,X,mining,t,true,false,1,,"
METAL = "x.metal,X,refining,t,true,false,1,,"

# mining confers both origins, refining and making materials the processing origin, recycling
# both (as the default data/origin_rules.csv); every other step keeps the feed's origin
CONFERS = {("mine", "mining"), ("mine", "recycling"), ("processing", "mining")}
CONFERS |= {("processing", "refining"), ("processing", "recycling")}
CONFERS |= {("processing", "manufacturing_material")}
RULES = [
    f"{basis},{kind},{int((basis, kind) in CONFERS)},dimensionless"
    for basis in ("mine", "processing")
    for kind in ORIGIN_STEPS
]


def _blend(tmp_path, routes: list[str]) -> mfa.Results:
    """Mines in A (1 USD/t, at most 60 t) and B (2 USD/t); a refinery in C blends their
    ore, 1.25 t ore per t metal; 80 t of metal demanded in D. E has an idle
    refinery (no ore reaches it): mfa ships a commodity only from where it can be made, so
    this is what lets E re-export."""
    tables = {
        "regions": ["A,Mine A", "B,Mine B", "C,Refiner", "D,Buyer", "E,Trader"],
        "commodities": [ORE, METAL],
        "processes": ["mine,mining,t,Mining", "refine,refining,t,Refining"],
        "process_io": [
            "mine,x.ore,out,,1,t/t",
            "refine,x.ore,in,,1.25,t/t",
            "refine,x.metal,out,,1,t/t",
        ],
        "capacity": [
            "mine,A,2025,a,60,t",
            "mine,B,2025,b,1000,t",
            "refine,C,2025,c,1000,t",
            "refine,E,2025,e,1000,t",
        ],
        "variable_cost": ["mine,A,2025,1,USD/t", "mine,B,2025,2,USD/t"],
        "demand": ["D,x.metal,2025,80,t"],
        "trade_routes": ["A,C,1000,sea", "B,C,1000,sea", *routes],
        "origin_rules": RULES,
    }
    return mfa.run(write_model(tmp_path, tables))


def _split(table: pd.DataFrame, **where: object) -> dict[tuple[str, str], float]:
    for key, value in where.items():
        table = table[table[key] == value]
    grouped = table.groupby(["mine_origin", "processing_origin"])["value"].sum()
    return {k: pytest.approx(v) for k, v in grouped.items()}


def test_blending_refinery_passes_on_its_mines_in_proportion(tmp_path):
    """A mines 60 t (cheaper, at capacity), B 40 t; C refines 100 t ore into 80 t metal,
    60 % A and 40 % B ore: the 80 t shipped to D are 48 t A-mined and 32 t B-mined, all
    processed in C. Supply of D: 80 t shipped by C; of C: 60 t from A, 40 t from B."""
    r = _blend(tmp_path, ["C,D,1000,sea"])
    assert r.objective == pytest.approx(60 * 1 + 40 * 2)
    assert _split(r["trade_by_origin"], commodity="x.metal", destination="D") == {
        ("A", "C"): 48.0,
        ("B", "C"): 32.0,
    }
    assert _split(r["flows_by_origin"], process="refine", direction="in") == {
        ("A", "A"): 60.0,
        ("B", "B"): 40.0,
    }
    assert _split(r["demand_by_origin"], region="D") == {("A", "C"): 48.0, ("B", "C"): 32.0}
    mine = r["supply_by_mine_origin"].set_index(["region", "origin"])["value"]
    assert mine[("D", "A")] == pytest.approx(48.0)
    assert mine[("D", "B")] == pytest.approx(32.0)
    assert mine[("A", "domestic")] == pytest.approx(60.0)
    processing = r["supply_by_processing_origin"].set_index(["region", "origin"])["value"]
    assert processing[("D", "C")] == pytest.approx(80.0)
    assert processing[("C", "A")] == pytest.approx(60.0)


def test_re_export_keeps_mine_and_processing_origin(tmp_path):
    """D can buy only through E, which re-exports C's metal unchanged: shipped by E, mined
    48 t in A and 32 t in B, processed in C. D depends on E alone on the shipping basis
    (HHI 1) but on two mines (HHI 0.6^2 + 0.4^2 = 0.52) on the mine basis."""
    r = _blend(tmp_path, ["C,E,1000,sea", "E,D,1000,sea"])
    supply = r["supply_origin"]
    d = supply[supply["region"] == "D"]
    assert set(d["shipper"]) == {"E"}
    assert _split(d) == {("A", "C"): 48.0, ("B", "C"): 32.0}
    shipping = r["supply"].set_index(["region", "origin"])["value"]
    assert shipping[("D", "E")] == pytest.approx(80.0)
    ind = r["indicators_by_basis"]
    hhi = ind[(ind["indicator"] == "hhi") & (ind["region"] == "D")].set_index("basis")["value"]
    assert hhi["shipping"] == pytest.approx(1.0)
    assert hhi["mine"] == pytest.approx(0.52)
    assert hhi["processing"] == pytest.approx(1.0)
    largest = ind[(ind["indicator"] == "largest_supplier_share") & (ind["region"] == "D")]
    assert largest.set_index("basis").loc["mine", "value"] == pytest.approx(0.6)


def test_shipping_basis_of_the_detail_equals_the_supply_table(tmp_path):
    """``supply_origin`` summed by shipper is the ``supply`` table, row for row."""
    r = _blend(tmp_path, ["C,E,1000,sea", "E,D,1000,sea"])
    keys = ["region", "element", "origin", "year"]
    ours = mfa.origin.supply_by_basis(r["supply_origin"], "shipping").set_index(keys)["value"]
    theirs = r["supply"].set_index(keys)["value"]
    pd.testing.assert_series_equal(ours.sort_index(), theirs.sort_index(), check_names=False)


def _recycling_tables(recycling_confers: bool) -> dict[str, pd.DataFrame]:
    """Region R in 2030-2031: it imports 10 t of metal from A-mined ore processed in C,
    recycles 5 t of scrap it has in use since before 2030 (``untraced``) into 4 t of metal,
    and uses 14 t in a product whose stock grows from 100 t (2030) to 110 t (2031)."""
    rules = [
        (basis, kind, 1.0 if (basis, kind) in CONFERS else 0.0)
        for basis in ("mine", "processing")
        for kind in ORIGIN_STEPS
    ]
    if not recycling_confers:
        rules = [(b, k, 0.0 if k == "recycling" else v) for b, k, v in rules]
    flows = []
    for t in (2030, 2031):
        flows += [
            ("recycle", "R", "x.scrap", t, "in", 5.0),
            ("recycle", "R", "x.metal", t, "out", 4.0),
            ("make", "R", "x.metal", t, "in", 14.0),
            ("make", "R", "x.good", t, "out", 14.0),
        ]
    commodities = [
        ("x.metal", "X", "refining", "t", "x.scrap"),
        ("x.good", "X", "product", "t", "x.scrap"),
        ("x.scrap", "X", "eol", "t", None),
    ]
    years = ["region", "commodity", "year", "value", "unit"]
    return {
        "regions": pd.DataFrame({"region": ["A", "C", "R"]}),
        "commodities": pd.DataFrame(
            commodities, columns=["commodity", "element", "stage", "unit", "eol_commodity"]
        ),
        "commodity_content": pd.DataFrame(columns=["commodity", "element", "value"]),
        "processes": pd.DataFrame(
            [("recycle", "recycling"), ("make", "manufacturing"), ("refine", "refining")],
            columns=["process", "kind"],
        ),
        "origin_rules": pd.DataFrame(rules, columns=["basis", "step", "value"]),
        "flows": pd.DataFrame(
            flows, columns=["process", "region", "commodity", "year", "direction", "value"]
        ),
        "trade": pd.DataFrame(
            [("x.metal", "C", "R", t, 10.0) for t in (2030, 2031)],
            columns=["commodity", "origin", "destination", "year", "value"],
        ),
        "eol": pd.DataFrame([("R", "x.scrap", t, 5.0, "t") for t in (2030, 2031)], columns=years),
        "demand": pd.DataFrame(
            [("R", "x.good", t, 14.0, "t") for t in (2030, 2031)], columns=years
        ),
        "stock": pd.DataFrame(
            [("R", "x.good", 2030, 100.0, "t"), ("R", "x.good", 2031, 109.0, "t")], columns=years
        ),
    }


def test_recycling_confers_origin_or_passes_on_the_stock_mix():
    """With recycling conferring origin, R's 4 t recycled are R-mined and R-processed; the
    10 t imported stay A-mined, C-processed. Without it, the recycled 4 t carry the scrap's
    origin: untraced in 2030 (stock older than the model); in 2031 the scrap comes from the
    2030 year-end stock, 86 untraced + 14 t of 2030's metal mix (10/14 A|C, 4/14 untraced):
    untraced share (86 + 4) / 100 = 0.9 of 4 t = 3.6 t, A|C 0.1 x 4 = 0.4 t."""
    tables = _recycling_tables(recycling_confers=True)
    # the importer's market needs the exporter's mix: C's metal comes from A's ore
    tables["flows"] = pd.concat(
        [
            tables["flows"],
            pd.DataFrame(
                [("refine", "C", "x.metal", t, "out", 10.0) for t in (2030, 2031)]
                + [("refine", "C", "x.ore", t, "in", 10.0) for t in (2030, 2031)],
                columns=tables["flows"].columns,
            ),
        ],
        ignore_index=True,
    )
    tables["commodities"].loc[len(tables["commodities"])] = ("x.ore", "X", "mining", "t", None)
    tables["trade"] = pd.concat(
        [
            tables["trade"],
            pd.DataFrame(
                [("x.ore", "A", "C", t, 10.0) for t in (2030, 2031)],
                columns=tables["trade"].columns,
            ),
        ],
        ignore_index=True,
    )
    tables["flows"].loc[len(tables["flows"])] = ("dig", "A", "x.ore", 2030, "out", 10.0)
    tables["flows"].loc[len(tables["flows"])] = ("dig", "A", "x.ore", 2031, "out", 10.0)
    tables["processes"].loc[len(tables["processes"])] = ("dig", "mining")
    out = attribute(tables)
    recycled = out["flows_by_origin"]
    recycled = recycled[(recycled["process"] == "recycle") & (recycled["direction"] == "out")]
    assert _split(recycled, year=2030) == {("R", "R"): 4.0}
    tables["origin_rules"] = _recycling_tables(recycling_confers=False)["origin_rules"]
    out = attribute(tables)
    flows = out["flows_by_origin"]
    recycled = flows[(flows["process"] == "recycle") & (flows["direction"] == "out")]
    assert _split(recycled, year=2030) == {("untraced", "untraced"): 4.0}
    assert _split(recycled, year=2031) == {("untraced", "untraced"): 3.6, ("A", "C"): 0.4}
    stock = out["stock_by_origin"]
    assert _split(stock, year=2030) == {("untraced", "untraced"): 90.0, ("A", "C"): 10.0}
    # 2031: 5 t leave the 100 t pool (85.5 U + 9.5 A|C kept), 14 t come in with the metal
    # market's mix (3.6 U recycled; 0.4 + 10 A|C): 89.1 U + 19.9 A|C = 109 t
    assert _split(stock, year=2031) == {("untraced", "untraced"): 89.1, ("A", "C"): 19.9}
    eol = out["eol_by_origin"]
    assert _split(eol, year=2031) == {("untraced", "untraced"): 4.5, ("A", "C"): 0.5}


def test_a_process_with_two_feeds_mixes_them_by_element_taken():
    """An alloy maker in R takes 3 t of A-mined metal and 1 t of B-mined metal: its 4 t of
    alloy are 3 t A-mined and 1 t B-mined; making a material confers the processing origin,
    so all 4 t are processed in R."""
    rules = [
        (basis, kind, 1.0 if (basis, kind) in CONFERS else 0.0)
        for basis in ("mine", "processing")
        for kind in ORIGIN_STEPS
    ]
    flow = ["process", "region", "commodity", "year", "direction", "value"]
    tables = {
        "regions": pd.DataFrame({"region": ["A", "B", "R"]}),
        "commodities": pd.DataFrame(
            [
                ("a.metal", "X", "refining", "t"),
                ("b.metal", "X", "refining", "t"),
                ("alloy", "X", "material", "t"),
            ],
            columns=["commodity", "element", "stage", "unit"],
        ).assign(eol_commodity=None),
        "commodity_content": pd.DataFrame(columns=["commodity", "element", "value"]),
        "processes": pd.DataFrame(
            [("dig", "mining"), ("alloying", "manufacturing")], columns=["process", "kind"]
        ),
        "origin_rules": pd.DataFrame(rules, columns=["basis", "step", "value"]),
        "flows": pd.DataFrame(
            [
                ("dig", "A", "a.metal", 2030, "out", 3.0),
                ("dig", "B", "b.metal", 2030, "out", 1.0),
                ("alloying", "R", "a.metal", 2030, "in", 3.0),
                ("alloying", "R", "b.metal", 2030, "in", 1.0),
                ("alloying", "R", "alloy", 2030, "out", 4.0),
            ],
            columns=flow,
        ),
        "trade": pd.DataFrame(
            [("a.metal", "A", "R", 2030, 3.0), ("b.metal", "B", "R", 2030, 1.0)],
            columns=["commodity", "origin", "destination", "year", "value"],
        ),
        "demand": pd.DataFrame(
            [("R", "alloy", 2030, 4.0)], columns=["region", "commodity", "year", "value"]
        ),
    }
    out = attribute(tables)
    assert _split(out["demand_by_origin"]) == {("A", "R"): 3.0, ("B", "R"): 1.0}


def test_origin_rules_must_be_zero_or_one_and_complete():
    """A value of 0.5 and a missing step are both named."""
    rows = [(b, k, 1.0) for b in ("mine", "processing") for k in ORIGIN_STEPS]
    rows[0] = ("mine", "mining", 0.5)
    rows = rows[:-1]
    with pytest.raises(InputError) as err:
        OriginRules.from_table(pd.DataFrame(rows, columns=["basis", "step", "value"]))
    text = str(err.value)
    assert "value 0.5" in text and "'mining'" in text
    assert f"basis 'processing' and step '{ORIGIN_STEPS[-1]}'" in text


@pytest.mark.slow
def test_default_model_attribution_splits_every_table_without_losing_a_tonne():
    """On the shipped partnership scenario: each *_by_origin table adds up, per row of the
    table it splits, to that row in t of element; supply by shipper is the ``supply`` table;
    and the nickel Canada ships Korea in 2040 was not mined in Canada (re-exported)."""
    from mfa.indicators import content_long
    from tests.scenario_runs import solve

    r = solve("partnership")
    content = content_long(r.tables)
    for name, dims in (
        ("trade", ["commodity", "origin", "destination", "year"]),
        ("demand", ["region", "commodity", "year"]),
        ("eol", ["region", "commodity", "year"]),
        ("stock", ["region", "commodity", "year"]),
    ):
        whole = r[name].merge(content, on="commodity")
        whole = whole.assign(value=whole["value"] * whole["content"])
        whole = whole.groupby([*dims, "element"])["value"].sum()
        split = r[f"{name}_by_origin"].groupby([*dims, "element"])["value"].sum()
        split = split.reindex(whole.index, fill_value=0.0)
        assert (split - whole).abs().max() < 1e-6 * max(1.0, whole.abs().max()), name
    keys = ["region", "element", "origin", "year"]
    ours = mfa.origin.supply_by_basis(r["supply_origin"], "shipping").set_index(keys)["value"]
    theirs = r["supply"].set_index(keys)["value"]
    assert (ours.reindex(theirs.index, fill_value=0.0) - theirs).abs().max() < 1e-6
    supply = r["supply_origin"]
    ni = supply[
        (supply["region"] == "KR")
        & (supply["element"] == "Ni")
        & (supply["year"] == 2040)
        & (supply["shipper"] == "CA")
    ]
    assert ni["value"].sum() > 1000.0
    assert ni.loc[ni["mine_origin"] == "CA", "value"].sum() < 1e-6 * ni["value"].sum()
