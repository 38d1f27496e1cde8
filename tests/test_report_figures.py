"""Every report figure renders, labels its axes with units, and draws the numbers it is given."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

from mfa.report import (
    fan_bands,
    plot_fan_chart,
    plot_footprint_intensity,
    plot_footprints,
    plot_frontier,
    plot_indicators,
    plot_prices,
    plot_sankey,
    plot_scenario_comparison,
    plot_scenario_paths,
    plot_shadow_prices,
    plot_supply_mix,
    plot_trade_arcs,
    plot_trade_matrix,
    supply_mix,
    supply_table,
    trade_matrix,
)
from mfa.report.example import (
    BM_LI,
    CAM_LI,
    example_ensemble,
    example_frontier,
    example_tables,
)
from mfa.report.timeseries import stacked_totals

UNIT = re.compile(r"\(.+\)|\[.+\]")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return example_tables()


def _other(tables):
    t2 = dict(tables)
    t2["costs"] = tables["costs"].assign(value=tables["costs"]["value"] * 1.1)
    t2["emissions"] = tables["emissions"].assign(value=tables["emissions"]["value"] * 0.8)
    return t2


FIGURES = {
    "sankey_partnership": lambda t: plot_sankey(t, "Li", 2040, ["CA", "KR"]),
    "sankey_KR": lambda t: plot_sankey(t, "Li", 2040, "KR"),
    "sankey_all_origin": lambda t: plot_sankey(t, "Li", 2040, "all", color_by="origin"),
    "supply_KR_origin": lambda t: plot_supply_mix(t, "Li", "KR"),
    "supply_KR_type": lambda t: plot_supply_mix(t, "Li", "KR", by="type"),
    "supply_CA_origin": lambda t: plot_supply_mix(t, "Li", "CA"),
    "indicators": lambda t: plot_indicators(t, "Li"),
    "prices": lambda t: plot_prices(t),
    "shadow_prices": lambda t: plot_shadow_prices(t),
    "trade_matrix": lambda t: plot_trade_matrix(t, "Li", 2040),
    "trade_arcs": lambda t: plot_trade_arcs(t, "Li", 2040),
    "footprints_region": lambda t: plot_footprints(t, 2040),
    "footprints_scope": lambda t: plot_footprints(t, 2040, by="scope"),
    "footprint_intensity": lambda t: plot_footprint_intensity(t, 2040),
    "compare": lambda t: plot_scenario_comparison({"baseline": t, "partnership": _other(t)}),
    "compare_paths": lambda t: plot_scenario_paths(
        {"baseline": t, "partnership": _other(t)}, elements=("Li",)
    ),
    "frontier": lambda t: plot_frontier(example_frontier()),
    "fan": lambda t: plot_fan_chart(example_ensemble(), name="KR Li import dependency"),
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figure_renders_with_unit_labels(tables, name):
    fig = FIGURES[name](tables)
    assert isinstance(fig, Figure)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80)
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
    assert fig.axes
    for ax in fig.axes:
        if hasattr(ax, "_colorbar"):  # a colour bar: its long axis carries the unit
            label = ax.get_ylabel() or ax.get_xlabel()
            assert UNIT.search(label), f"{name}: colour bar label {label!r} has no unit"
            continue
        if not ax.axison:  # a Sankey has no axes scales: the unit is in the title
            assert UNIT.search(ax.get_title()), f"{name}: title without unit"
            continue
        xl, yl = ax.get_xlabel(), ax.get_ylabel()
        assert xl and yl, f"{name}: empty axis label ({xl!r}, {yl!r})"
        assert UNIT.search(xl) or UNIT.search(yl), f"{name}: no unit in {xl!r} / {yl!r}"
        assert ax.get_title(), f"{name}: axes without a title"
    plt.close(fig)


def test_figures_accept_given_axes(tables):
    fig, axs = plt.subplots(1, 3)
    assert plot_supply_mix(tables, "Li", "KR", ax=axs[0]) is fig
    assert plot_trade_matrix(tables, "Li", 2040, ax=axs[1]) is fig
    assert plot_footprints(tables, 2040, ax=axs[2]) is fig
    plt.close(fig)


def test_results_object_is_accepted(tables):
    res = SimpleNamespace(tables=tables, meta={"scenario": "baseline"})
    fig = plot_supply_mix(res, "Li", "KR")
    assert fig.axes
    plt.close(fig)


def test_supply_table_matches_raw_tables(tables):
    sup = supply_table(tables, "Li", "KR")
    s2040 = sup[sup["year"] == 2040]
    tr = tables["trade"]
    tr = tr[(tr["destination"] == "KR") & (tr["year"] == 2040)]
    content = {"Li.concentrate": 1.0, "Li.hydroxide": 1.0, "CAM.NMC811": CAM_LI}
    imports = sum(
        float(r.value) * content[r.commodity] for r in tr.itertuples() if r.commodity in content
    )  # black mass counts when recycled
    f = tables["flows"]
    rec = f[(f["process"] == "recycle.hydro") & (f["direction"] == "out") & (f["year"] == 2040)]
    assert s2040["value"].sum() == pytest.approx(imports + rec["value"].sum())
    assert s2040[s2040["type"] == "secondary"]["value"].sum() == pytest.approx(rec["value"].sum())
    # black mass imports are not counted twice
    assert not (s2040["value"] == pytest.approx(3.0 * BM_LI)).any()


@pytest.mark.parametrize("by", ["origin", "type"])
@pytest.mark.parametrize("region", ["KR", "CA"])
def test_stacked_areas_sum_to_supply_table(tables, region, by):
    sup = supply_table(tables, "Li", region)
    total = sup.groupby("year")["value"].sum()
    wide = supply_mix(tables, "Li", region, by)
    pd.testing.assert_series_equal(wide.sum(axis=1), total, check_names=False)
    fig = plot_supply_mix(tables, "Li", region, by=by)
    drawn = stacked_totals(fig)
    assert "kt" in fig.axes[0].get_ylabel()
    pd.testing.assert_series_equal(drawn, total / 1000.0, check_names=False, check_index_type=False)
    # one area per source, in the legend
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert len(labels) == wide.shape[1]
    plt.close(fig)


def test_trade_matrix_values(tables):
    mat = trade_matrix(tables, "Li", 2040)
    tr = tables["trade"]
    au_cn = tr[(tr["origin"] == "AU") & (tr["destination"] == "CN") & (tr["year"] == 2040)]
    assert mat.loc["AU", "CN"] == pytest.approx(au_cn["value"].sum())
    assert mat.loc["KR", "KR"] == 0.0
    fig = plot_trade_matrix(tables, "Li", 2040)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert f"{au_cn['value'].sum() / 1000:.1f}" in texts
    plt.close(fig)


def test_fan_bands_are_ordered():
    bands = fan_bands(example_ensemble(50))
    assert (bands["p5"] <= bands["p25"]).all() and (bands["p25"] <= bands["p50"]).all()
    assert (bands["p50"] <= bands["p75"]).all() and (bands["p75"] <= bands["p95"]).all()


def test_scenario_comparison_bars_are_the_table_values(tables):
    """Grouped bars: one per (element, scenario), heights = compare_table values (in %)."""
    from mfa.report import compare_table

    runs = {"baseline": tables, "partnership": _other(tables)}
    df = compare_table(runs)
    fig = plot_scenario_comparison(df, indicators=["import_dependency"])
    for ax in fig.axes:
        region = ax.get_title().split(", ")[1]
        rows = df[
            (df.indicator == "import_dependency") & (df.region == region) & (df.period == "2050")
        ]
        rows = rows[rows.groupby("element")["value"].transform(lambda v: v.abs().max()) > 1e-9]
        heights = sorted(round(p.get_height(), 9) for p in ax.patches)
        assert heights == sorted(round(100 * v, 9) for v in rows["value"])
        assert len(ax.patches) == 2 * rows["element"].nunique()
    plt.close(fig)
