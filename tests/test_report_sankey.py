"""Sankey diagrams on the solved report model (tests/report_model.py), numbers by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import PathPatch, Rectangle

from mfa.report import plot_sankey, sankey_html, sankey_links
from tests.report_model import YEAR, solve_report_model

SCOPE = ["CA", "KR"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    return solve_report_model(tmp_path_factory.mktemp("report_model"))


@pytest.fixture(scope="module")
def links(results) -> pd.DataFrame:
    return sankey_links(results, "Li", YEAR, SCOPE)


def _link(links: pd.DataFrame, source: str, target: str) -> pd.DataFrame:
    return links[(links["source"] == source) & (links["target"] == target)]


@pytest.mark.parametrize(
    ("source", "target", "value", "kind"),
    [
        ("Mining CA", "Refining CA", 12.0, "flow"),
        ("Refining CA", "Losses (refining)", 2.4, "loss"),
        ("Refining CA", "Materials (pcam) KR", 9.6, "trade"),
        ("Materials (pcam) KR", "Materials (cam) KR", 9.6, "flow"),  # within the stage
        ("Materials (cam) KR", "Products KR", 20.0, "flow"),
        ("Products KR", "Use KR", 16.0, "use"),
        ("Products KR", "Recycling KR", 4.0, "flow"),  # scrap
        ("Use KR", "Added to in-use stock KR", 6.0, "stock"),
        ("Use KR", "End of life KR", 10.0, "eol"),
        ("End of life KR", "Landfill KR", 1.0, "landfill"),
        ("End of life KR", "Recycling KR", 9.0, "flow"),
        ("Recycling KR", "Materials (cam) KR", 10.4, "recycling"),  # backward
        ("Recycling KR", "Losses (recycling)", 2.6, "loss"),
    ],
)
def test_links_are_the_hand_solved_flows(links, source, target, value, kind):
    got = _link(links, source, target)
    assert got["value"].sum() == pytest.approx(value)
    assert set(got["kind"]) == {kind}


def test_no_other_links(links):
    assert len(links.groupby(["source", "target"])) == 13


def test_scrap_is_coloured_as_scrap_and_end_of_life_as_end_of_life(links):
    assert set(_link(links, "Products KR", "Recycling KR")["color_key"]) == {"scrap"}
    assert set(_link(links, "End of life KR", "Recycling KR")["color_key"]) == {"eol"}


def test_every_process_and_use_node_balances(links):
    inflow = links.groupby("target")["value"].sum()
    outflow = links.groupby("source")["value"].sum()
    for node in inflow.index.intersection(outflow.index):
        assert inflow[node] == pytest.approx(outflow[node]), node


def test_no_link_stays_inside_one_column(links):
    assert (links["source_layer"] != links["target_layer"]).all()
    backward = links[links["target_layer"] < links["source_layer"]]
    assert set(backward["kind"]) == {"recycling"}


def _extent(patch: Rectangle) -> tuple[float, float, float, float]:
    x, y = patch.get_xy()
    return x, x + patch.get_width(), y, y + patch.get_height()


def test_drawn_bands_start_and_end_at_their_nodes_inside_the_frame(results):
    fig = plot_sankey(results, "Li", YEAR, SCOPE, min_share=0.0)
    ax = fig.axes[0]
    fig.canvas.draw()
    nodes = {
        p.get_gid().split("|", 1)[1]: _extent(p)
        for p in ax.patches
        if isinstance(p, Rectangle) and (p.get_gid() or "").startswith("node|")
    }
    bands = [p for p in ax.patches if isinstance(p, PathPatch)]
    kinds = {p.get_gid().split("|")[1] for p in bands}
    assert {"recycling", "stock", "trade", "flow"} <= kinds
    assert len(bands) == 13
    xlo, xhi = ax.get_xlim()
    ylo, yhi = ax.get_ylim()
    for band in bands:
        _, _, source, target = band.get_gid().split("|")
        v = band.get_path().vertices
        s, t = nodes[source], nodes[target]
        at_source = v[
            np.isclose(v[:, 0], s[1]) & (v[:, 1] >= s[2] - 1e-9) & (v[:, 1] <= s[3] + 1e-9)
        ]
        at_target = v[
            np.isclose(v[:, 0], t[0]) & (v[:, 1] >= t[2] - 1e-9) & (v[:, 1] <= t[3] + 1e-9)
        ]
        assert len(at_source) >= 2, f"{source} -> {target} does not leave its source"
        assert len(at_target) >= 2, f"{source} -> {target} does not reach its target"
        assert v[:, 0].min() >= xlo and v[:, 0].max() <= xhi, f"{source} -> {target} leaves x"
        assert v[:, 1].min() >= ylo and v[:, 1].max() <= yhi, f"{source} -> {target} leaves y"
    frame = fig.bbox
    renderer = fig.canvas.get_renderer()
    for artist in [*ax.patches, *ax.texts]:
        box = artist.get_window_extent(renderer)
        assert box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1, artist
        assert box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1, artist
    # the return path runs below every node
    back = next(p for p in bands if p.get_gid().startswith("link|recycling"))
    assert back.get_path().vertices[:, 1].min() < min(n[2] for n in nodes.values())


def test_figure_is_a_page_wide_and_not_mostly_empty(results):
    fig = plot_sankey(results, "Li", YEAR, SCOPE)
    w, h = fig.get_size_inches()
    assert w == pytest.approx(7.2)
    assert h <= 9.0
    ax = fig.axes[0]
    fig.canvas.draw()
    pos = ax.get_position()
    assert pos.height > 0.6  # the diagram fills most of the figure


def test_html_is_self_contained_and_in_the_figure_units(results, tmp_path):
    path = sankey_html(results, "Li", YEAR, tmp_path / "s.html", scope=SCOPE)
    text = path.read_text(encoding="utf-8")
    assert "<script src=" not in text and 'src="http' not in text
    assert "Plotly" in text and len(text) > 1_000_000  # the library is inlined
    assert '"valuesuffix":" t Li"' in text
