"""API functions the notebooks need: adjust, extend_model, frontier_results (hand-solved)."""

from __future__ import annotations

from pathlib import Path

import pytest

import mfa
from mfa.frontier import compute_frontier
from tests.test_policy_lp import _two_mines

TINY = Path(__file__).resolve().parents[1] / "models" / "examples" / "tiny.yaml"


def _activity(results: mfa.Results, process: str) -> float:
    act = results["activity"]
    return float(act.loc[act["process"] == process, "value"].sum())


def test_adjust_matches_the_same_rule_in_the_model_file():
    """tiny.yaml's high_demand override is `demand, region KR, scale 1.5`: same optimum."""
    cfg = mfa.adjust(TINY, "demand", {"region": "KR"}, scale=1.5, scenario="reference")
    via_api = mfa.run(cfg)
    via_file = mfa.run(TINY, scenario="high_demand")
    assert via_api.objective == pytest.approx(via_file.objective, rel=1e-9)
    assert via_api["unmet"]["value"].sum() == pytest.approx(
        via_file["unmet"]["value"].sum(), rel=1e-9, abs=1e-9
    )
    assert cfg.adjust[-1].table == "demand" and cfg.adjust[-1].scale == 1.5


def test_adjust_on_two_mines_moves_the_optimum_as_solved_by_hand(tmp_path):
    """Mine A 10 USD/t, mine B 20 USD/t, demand 100 t: A wins; A at 25 USD/t makes B win."""
    model = _two_mines(tmp_path, {})
    base = mfa.run(model)
    assert base.objective == pytest.approx(1000.0)
    dearer = mfa.adjust(model, "variable_cost", where={"process": "mineA"}, set=25.0)
    r = mfa.run(dearer)
    assert r.objective == pytest.approx(2000.0)
    assert _activity(r, "mineB") == pytest.approx(100.0)
    # rules accumulate and the first config is left unchanged
    both = mfa.adjust(dearer, "demand", scale=2.0)
    assert len(both.adjust) == len(dearer.adjust) + 1
    assert mfa.run(both).objective == pytest.approx(2 * 100 * 20.0)
    assert mfa.run(mfa.load_model(model)).objective == pytest.approx(1000.0)
    # add shifts the value
    cheaper_b = mfa.adjust(model, "variable_cost", where={"process": "mineB"}, add=-15.0)
    assert mfa.run(cheaper_b).objective == pytest.approx(500.0)


def test_adjust_rejects_bad_rules(tmp_path):
    model = _two_mines(tmp_path, {})
    with pytest.raises(mfa.ConfigError, match="unknown parameter table"):
        mfa.adjust(model, "no_such_table", scale=2.0)
    with pytest.raises(mfa.ConfigError, match="exactly one of scale, add, set"):
        mfa.adjust(model, "demand", scale=2.0, set=1.0)
    with pytest.raises(mfa.ConfigError, match="exactly one"):
        mfa.adjust(model, "demand")
    nothing = mfa.adjust(model, "demand", where={"region": "XX"}, scale=2.0)
    with pytest.raises(mfa.InputError, match="selects no row"):
        mfa.run(nothing)


def test_extend_model_adds_sections_without_touching_the_original(tmp_path):
    out = tmp_path / "elsewhere" / "tiny_more.yaml"
    before = TINY.read_text()
    path = mfa.extend_model(
        TINY,
        out,
        scenarios={"twice": ["high_demand", "high_demand"]},
        adjust=[{"table": "demand", "scale": 2.0}],
    )
    assert path == out and out.is_file()
    assert TINY.read_text() == before
    cfg = mfa.load_model(out, "twice")
    assert cfg.data == (TINY.parent / "tiny").resolve()
    assert cfg.allow_external_paths  # written outside the repository
    assert [a.scale for a in cfg.adjust] == [2.0, 1.5, 1.5]
    base = mfa.validate(TINY, "reference").param("demand")
    doubled = mfa.validate(out, "reference").param("demand")
    assert doubled.to_numpy() == pytest.approx(2 * base.to_numpy())
    solved = mfa.run(out, "reference")  # served + unmet is the doubled demand
    total = solved["demand"]["value"].sum() + solved["unmet"]["value"].sum()
    assert total == pytest.approx(doubled.sum())
    assert not list(out.parent.glob(".*.tmp"))


def test_extend_model_gives_the_default_model_an_uncertainty_section(tmp_path):
    """The notebooks' route to a sweep: an uncertainty section added from Python."""
    spec = {
        "seed": 1,
        "parameters": {
            "demand_kr": {
                "table": "demand",
                "where": {"region": "KR"},
                "distribution": "uniform",
                "low": 0.9,
                "high": 1.1,
                "range": (0.9, 1.1),
            }
        },
    }
    path = mfa.extend_model(TINY, tmp_path / "tiny_uncertain.yaml", uncertainty=spec)
    result = mfa.sweep(
        path, "reference", samples=3, workers=0, out=tmp_path / "sweep", figures=False
    )
    assert len(result.samples) == 3
    assert (result.samples["status"] == "optimal").all()
    oat = mfa.sweep(
        path, "reference", method="one_at_a_time", workers=0, out=tmp_path / "oat", figures=False
    )
    table = mfa.sweep.tornado_table(oat.samples)
    assert list(table["parameter"]) == ["demand_kr"]
    assert float(table["low"].iloc[0]) < float(table["base"].iloc[0]) < float(table["high"].iloc[0])


def test_extend_model_reports_errors_against_the_new_file(tmp_path):
    out = tmp_path / "bad.yaml"
    with pytest.raises(mfa.ConfigError) as err:
        mfa.extend_model(
            TINY,
            out,
            uncertainty={
                "parameters": {
                    "x": {"table": "demand", "distribution": "uniform", "low": 2.0, "high": 1.0}
                }
            },
        )
    assert str(out) in str(err.value) and "low" in str(err.value)
    assert not out.exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_frontier_results_match_the_frontier_and_hand_solution(tmp_path):
    """Two mines (A 10 USD/t at 2 tCO2e/t, B 20 USD/t at 0.5 tCO2e/t, 100 t):
    200 tCO2e at 1000 USD to 50 tCO2e at 2000 USD; each point's tables agree."""
    data = mfa.validate(_two_mines(tmp_path, {}))
    table, runs = mfa.frontier_results(data, points=3)
    reference = compute_frontier(data, points=3)
    cols = ["point", "epsilon", "cost", "emissions", "abatement_cost", "unmet"]
    assert table[cols].to_numpy() == pytest.approx(reference[cols].to_numpy(), rel=1e-9, abs=1e-9)
    assert table["emissions"].to_numpy() == pytest.approx([200.0, 125.0, 50.0], rel=1e-6)
    assert sorted(runs) == [0, 1, 2]
    for k, res in runs.items():
        assert res.objective == pytest.approx(table["cost"].iloc[k], rel=1e-9)
        assert res["emissions"]["value"].sum() == pytest.approx(
            table["emissions"].iloc[k], rel=1e-6
        )
        assert res.summary["frontier_point"] == k
        assert res.check_balance() < 1e-9
    assert _activity(runs[0], "mineA") == pytest.approx(100.0)
    assert _activity(runs[1], "mineA") == pytest.approx(50.0)
    assert _activity(runs[2], "mineB") == pytest.approx(100.0)
    with pytest.raises(ValueError, match="at least 2"):
        mfa.frontier_results(data, points=1)


def test_recycled_content_matches_the_hand_solved_battery_model(tmp_path):
    """Cells (1 t Li each, life 3) from primary Li (100 USD/t) or secondary Li (10 USD/t):
    nothing retires before 2028, then 9 of 10 t are collected and give 7.2 t secondary Li,
    so recycled content is 0 in 2025-2027 and 7.2 / 10 = 72 % from 2028."""
    from tests.test_stock_lp import _battery_model

    r = mfa.run(_battery_model(tmp_path))
    rc = mfa.recycled_content(r)
    assert set(rc["process"]) == {"make"} and set(rc["element"]) == {"Li"}
    share = rc.set_index("year")["value"]
    assert share.loc[2025:2027].to_numpy() == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)
    assert share.loc[2028:2030].to_numpy() == pytest.approx([0.72] * 3, rel=1e-6)
    total = rc.set_index("year")["total"]
    assert total.to_numpy() == pytest.approx([10.0] * 6, rel=1e-9)
    assert (rc["unit"] == "share").all()
    assert mfa.recycled_content(r, processes=["other"]).empty
    assert mfa.recycled_content(r.tables, regions=["A"]).shape == rc.shape


def test_recycled_content_sits_on_a_binding_mandate(tmp_path):
    """With a 50 % mandate from 2026 and old cells retiring in 2026 (10 t sold in 2023):
    the cheap secondary Li covers 7.2 t; recycled content is at least the mandate."""
    from tests.test_stock_lp import _battery_model

    model = _battery_model(
        tmp_path,
        extra={
            "historical_inflow": ["A,cell,2023,10,t"],
            "recycled_content": ["make,A,Li,2026,0.5,dimensionless"],
        },
    )
    rc = mfa.recycled_content(mfa.run(model)).set_index("year")["value"]
    assert rc.loc[2026] >= 0.5 - 1e-9
    assert rc.loc[2026] == pytest.approx(0.72, rel=1e-6)


def test_extend_model_replace_drops_entries_of_the_file(tmp_path):
    """Merging keeps the file's uncertainty parameters; replace swaps the mapping whole."""
    first = {
        "parameters": {"a": {"table": "demand", "distribution": "uniform", "low": 0.9, "high": 1.1}}
    }
    base = mfa.extend_model(TINY, tmp_path / "base.yaml", uncertainty=first)
    second = {
        "parameters": {
            "b": {"table": "variable_cost", "distribution": "uniform", "low": 0.5, "high": 1.5}
        }
    }
    merged = mfa.load_model(mfa.extend_model(base, tmp_path / "merged.yaml", uncertainty=second))
    assert sorted(merged.uncertainty.parameters) == ["a", "b"]
    swapped = mfa.load_model(
        mfa.extend_model(
            base, tmp_path / "swapped.yaml", uncertainty=second, replace=["uncertainty.parameters"]
        )
    )
    assert sorted(swapped.uncertainty.parameters) == ["b"]
    # an entry that changes distribution must be replaced, not merged
    tri = {
        "parameters": {
            "a": {
                "table": "demand",
                "distribution": "triangular",
                "low": 0.8,
                "mode": 1.0,
                "high": 1.2,
            }
        }
    }
    with pytest.raises(mfa.ConfigError, match="do not apply"):
        mfa.extend_model(
            mfa.extend_model(TINY, tmp_path / "tri.yaml", uncertainty=tri),
            tmp_path / "bad.yaml",
            uncertainty=first,
        )
    ok = mfa.extend_model(
        tmp_path / "tri.yaml",
        tmp_path / "ok.yaml",
        uncertainty=first,
        replace=["uncertainty.parameters.a"],
    )
    assert mfa.load_model(ok).uncertainty.parameters["a"].distribution == "uniform"
    with pytest.raises(mfa.ConfigError, match="replace names"):
        mfa.extend_model(TINY, tmp_path / "x.yaml", replace=["uncertainty.parameters"])
