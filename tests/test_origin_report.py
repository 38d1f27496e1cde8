"""What one region supplies another, by route, and the Sankey split by origin."""

from __future__ import annotations

import pytest

from mfa.report.origin import (
    origin_sankey_links,
    plot_origin_sankey,
    plot_supplier_routes,
    supplier_routes,
)
from mfa.report.sankey import sankey_links
from tests.test_origin import _blend


@pytest.fixture(scope="module")
def re_export(tmp_path_factory):
    """A and B mine, C refines, E re-exports C's metal to D (tests/test_origin.py)."""
    return _blend(tmp_path_factory.mktemp("re_export"), ["C,E,1000,sea", "E,D,1000,sea"])


def _route(routes, route: str) -> float:
    return float(routes.loc[routes["route"] == route, "value"].sum())


def test_routes_tell_mined_processed_and_re_exported(re_export):
    """E ships 80 t to D, none mined or processed in E: all re-exported. C ships 80 t to
    E, processed in C from A's and B's ore. A ships 60 t of ore it mined to C."""
    by_e = supplier_routes(re_export, supplier="E", buyer="D")
    assert _route(by_e, "re-exported") == pytest.approx(80.0)
    assert _route(by_e, "mined") + _route(by_e, "processed") == pytest.approx(0.0)
    by_c = supplier_routes(re_export, supplier="C", buyer="E")
    assert _route(by_c, "processed") == pytest.approx(80.0)
    by_a = supplier_routes(re_export, supplier="A", buyer="C")
    assert _route(by_a, "mined") == pytest.approx(60.0)
    assert by_a.loc[by_a["route"] == "mined", "share"].iloc[0] == pytest.approx(1.0)
    fig = plot_supplier_routes(by_c, supplier="C", buyer="E")
    assert len(fig.axes) == 1


def test_sankey_bands_split_by_mine_origin_keep_their_totals(re_export):
    """Every band of the plain Sankey is split, not changed: per (source, target) the split
    bands add up to it; the refined metal (all regions merged) is 60 % A-mined, 40 % B-mined."""
    plain = sankey_links(re_export, "X", 2025)
    split = origin_sankey_links(re_export, "X", 2025)
    keys = ["source", "target"]
    a = plain.groupby(keys)["value"].sum()
    b = split.groupby(keys)["value"].sum()
    assert b.reindex(a.index).to_numpy() == pytest.approx(a.to_numpy())
    out_of_c = split[split["source"] == "Refining"].groupby("color_key")["value"].sum()
    assert out_of_c["A"] / out_of_c.sum() == pytest.approx(0.6)
    fig = plot_origin_sankey(re_export, "X", 2025)
    assert "mine origin" in fig.axes[0].get_legend().get_title().get_text()
