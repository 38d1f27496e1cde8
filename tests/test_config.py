"""Model files: scenario merging, adjustments, path resolution."""

from __future__ import annotations

import pytest

import mfa
from mfa.config import deep_merge, load_model


def test_deep_merge_replaces_values_merges_mappings_and_appends_adjust():
    base = {
        "options": {"discount_rate": 0.05, "unmet_penalty": 1.0},
        "adjust": [{"a": 1}],
        "regions": ["CA", "KR"],
    }
    over = {"options": {"discount_rate": 0.03}, "adjust": [{"b": 2}], "regions": ["KR"]}
    merged = deep_merge(base, over)
    assert merged["options"] == {"discount_rate": 0.03, "unmet_penalty": 1.0}
    assert merged["adjust"] == [{"a": 1}, {"b": 2}]
    assert merged["regions"] == ["KR"]
    assert base["adjust"] == [{"a": 1}]  # the base is not changed


def test_scenarios_apply_overrides_in_order_and_nest(tmp_path, root):
    text = (root / "models/examples/tiny.yaml").read_text()
    text = text.replace("data: tiny", f"data: {root / 'models/examples/tiny'}")
    text = text.replace(
        "overrides:\n",
        (
            "allow_external_paths: true\noverrides:\n"
            "  low_rate:\n    options: {discount_rate: 0.01}\n"
            "  high_rate:\n    options: {discount_rate: 0.09}\n"
        ),
    )
    text = text.replace(
        "scenarios:\n",
        "scenarios:\n  ordered: [low_rate, high_rate]\n  nested: [ordered, high_demand]\n",
    )
    model = tmp_path / "model.yaml"
    model.write_text(text)
    assert load_model(model, "ordered").options.discount_rate == 0.09
    nested = load_model(model, "nested")
    assert nested.options.discount_rate == 0.09
    assert [a.scale for a in nested.adjust] == [1.5]


def test_adjust_scales_selected_rows(root):
    base = mfa.validate(root / "models/examples/tiny.yaml", "reference")
    high = mfa.validate(root / "models/examples/tiny.yaml", "high_demand")
    assert high.param("demand").sum() == pytest.approx(1.5 * base.param("demand").sum())


def test_data_path_is_resolved_relative_to_the_model_file(root, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    cfg = load_model(root / "models/examples/tiny.yaml", "reference")
    assert cfg.data == (root / "models/examples/tiny").resolve()
    assert cfg.scenario == "reference"


def test_interpolation_rules(root):
    """Step capacity holds from its year; linear demand holds flat past its last year."""
    data = mfa.validate(root / "models/examples/tiny.yaml", "reference")
    cap = data.param("capacity")
    assert cap[("mine", "CA", 2026)] == pytest.approx(100.0)
    assert data.param("demand")[("KR", "cell", 2026)] == pytest.approx(100.0)
    # wildcard region expands to every region
    assert data.param("variable_cost")[("mine", "KR", 2025)] == pytest.approx(1000.0)
