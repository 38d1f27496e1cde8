"""Validation: no process recipe creates an element."""

from __future__ import annotations

import pytest

import mfa
from mfa.errors import InputError
from mfa.inputs.conservation import TOLERANCE
from tests.modelkit import write_model

COMMODITIES = [
    "ore,Li,mining,t,true,false,1,,",
    "li,Li,refining,t,true,false,1,,",
    "li2,Li,secondary,t,true,true,1,,",
    "cell,Li,component,GWh,true,false,1,,",
]


def _model(tmp_path, recipe: list[str]):
    """A mine (no Li input: where Li enters, never checked) and the recipes given."""
    tables = {
        "regions": ["KR,Korea"],
        "commodities": COMMODITIES,
        "processes": [
            "mine,mining,t,Mine",
            "refine,refining,t,Refining",
            "make,manufacturing,GWh,Cells",
        ],
        "process_io": ["mine,ore,out,,1,t/t", *recipe],
        "commodity_content": ["cell,Li,100,t/GWh"],
        "capacity": ["mine,KR,2025,m,1000,t"],
        "demand": ["KR,ore,2025,1,t"],
    }
    return write_model(tmp_path, tables)


CONSERVING = [
    "refine,ore,in,,1.25,t/t",
    "refine,li,out,,1,t/t",  # 80 % recovery: a loss, allowed
    "make,li,in,Li,100,t/GWh",
    "make,li2,in,Li,100,t/GWh",
    "make,cell,out,,1,GWh/GWh",  # 100 t Li in, 100 t Li out
]


def test_conserving_recipes_pass(tmp_path):
    mfa.validate(_model(tmp_path, CONSERVING))


def test_recipe_that_creates_an_element_is_named_with_file_line_and_amounts(tmp_path):
    """The cell holds 100 t Li/GWh but the recipe takes 99.9 t: 0.1 % Li from nothing."""
    recipe = [r.replace(",100,t/GWh", ",99.9,t/GWh") for r in CONSERVING]
    with pytest.raises(InputError) as err:
        mfa.validate(_model(tmp_path, recipe))
    problems = err.value.problems
    assert len(problems) == 1
    p = problems[0]
    assert p.file.endswith("process_io.csv")
    assert p.line == 7  # header, mine, 2 refine rows, 2 make inputs, then the cell output
    assert "'make' creates Li" in p.message
    assert "100 t out" in p.message and "99.9 t in" in p.message


def test_surplus_within_the_tolerance_passes_and_above_it_fails(tmp_path):
    inside = 100 * (1 - 0.5 * TOLERANCE)
    outside = 100 * (1 - 2 * TOLERANCE)
    ok = [r.replace(",100,t/GWh", f",{inside!r},t/GWh") for r in CONSERVING]
    mfa.validate(_model(tmp_path / "ok", ok))
    bad = [r.replace(",100,t/GWh", f",{outside!r},t/GWh") for r in CONSERVING]
    with pytest.raises(InputError, match="creates Li"):
        mfa.validate(_model(tmp_path / "bad", bad))


def test_refining_more_than_its_feed_fails(tmp_path):
    """1 t ore in, 1.01 t Li out."""
    recipe = ["refine,ore,in,,1,t/t", "refine,li,out,,1.01,t/t", *CONSERVING[2:]]
    with pytest.raises(InputError, match="'refine' creates Li"):
        mfa.validate(_model(tmp_path, recipe))


def test_default_model_conserves_every_element():
    mfa.validate("models/canada_korea.yaml")
