"""Bad inputs are caught with a message that names file, line, column and the expected form.

Each case of the corpus (:mod:`tests.bad_inputs.cases`) is run through the Python API
(``mfa.validate``), the command line (``mfa validate``) and ``mfa run -o OUT``, which must
fail without writing anything.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import mfa
from mfa.cli import app
from mfa.errors import InputError, Problem
from tests.bad_inputs.cases import CASES, Case, materialise

runner = CliRunner()


def _matches(p: Problem, case: Case) -> bool:
    return (
        case.file in p.file
        and case.message in p.message
        and p.line == case.line
        and p.column == case.column
        and (case.expected is None or (p.expected is not None and case.expected in p.expected))
        and (case.value is None or p.value == case.value)
    )


def _problem(case: Case, err: InputError) -> Problem:
    found = [p for p in err.problems if _matches(p, case)]
    assert found, f"{case.name}: no problem matches; got:\n" + "\n".join(map(str, err.problems))
    return found[0]


def test_corpus_is_large_and_named_uniquely():
    names = [c.name for c in CASES]
    assert len(names) >= 120
    assert len(set(names)) == len(names)


def test_base_model_is_valid(tmp_path):
    """Every case breaks one thing in a model that is otherwise valid."""
    model = materialise(Case("base", (), "", "", None, None), tmp_path)
    data = mfa.validate(model, "high_demand")
    assert data.regions == ("CA", "KR")


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported(case, tmp_path):
    model = materialise(case, tmp_path / "project")

    # the Python API
    with pytest.raises(InputError) as exc:
        mfa.validate(model, case.scenario)
    problem = _problem(case, exc.value)
    text = str(problem)
    assert case.file in text
    if case.line is not None:
        assert f"line {case.line}" in text
    if case.column is not None:
        assert f"column '{case.column}'" in text
    if case.expected is not None:
        assert "expected " in text and case.expected in text.split("expected ", 1)[1]

    # the command line names the same problem, in full
    args = ["validate", str(model)] + (["-s", case.scenario] if case.scenario else [])
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert text in result.output, result.output

    # mfa run fails and writes nothing
    out = tmp_path / "out"
    args = ["run", str(model), "-o", str(out)] + (["-s", case.scenario] if case.scenario else [])
    result = runner.invoke(app, args)
    assert result.exit_code != 0
    assert text in result.output, result.output
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_problems_of_one_file_are_reported_together(tmp_path):
    """Three independent problems in demand.csv give three problems, in line order."""
    case = Case(
        "three",
        (
            (
                "write",
                "tiny/demand.csv",
                "region,commodity,year,value,unit,source,note\n"
                "KR,cell,2025,lots,GWh,example,\n"
                "KR,cell,2026,100,t,example,\n"
                "KR,cell,20x7,100,GWh,example,\n",
            ),
        ),
        "",
        "",
        None,
        None,
    )
    model = materialise(case, tmp_path)
    with pytest.raises(InputError) as exc:
        mfa.validate(model)
    problems = [p for p in exc.value.problems if p.file.endswith("demand.csv")]
    assert sorted((p.line, p.column) for p in problems) == [(2, "value"), (3, "unit"), (4, "year")]
    result = runner.invoke(app, ["validate", str(model)])
    assert result.exit_code != 0
    assert "Input problems (3)" in result.output


def test_problems_of_several_files_are_reported_together(tmp_path):
    """Problems in different tables are collected, not stopped at the first file."""
    case = Case(
        "two_files",
        (
            (
                "replace",
                "tiny/capacity.csv",
                "mine,CA,2025,North mine,100,t",
                "mine,CA,2025,North mine,100,USD",
            ),
            ("replace", "tiny/demand.csv", "KR,cell,2025,100,GWh", "KR,cell,2025,many,GWh"),
        ),
        "",
        "",
        None,
        None,
    )
    model = materialise(case, tmp_path)
    with pytest.raises(InputError) as exc:
        mfa.validate(model)
    files = {p.file.rsplit("/", 1)[-1] for p in exc.value.problems}
    assert files == {"capacity.csv", "demand.csv"}


def test_kilotonnes_are_converted_to_tonnes(tmp_path):
    """'kt' is a unit of mass, not knots: 0.1 kt of capacity is 100 t in the model."""
    case = Case(
        "kt",
        (
            (
                "replace",
                "tiny/capacity.csv",
                "mine,CA,2025,North mine,100,t",
                "mine,CA,2025,North mine,0.1,kt",
            ),
            ("replace", "tiny/demand.csv", "KR,cell,2025,100,GWh", "KR,cell,2025,100000,MWh"),
        ),
        "",
        "",
        None,
        None,
    )
    model = materialise(case, tmp_path)
    data = mfa.validate(model)
    assert data.param("capacity")[("mine", "CA", 2025)] == pytest.approx(100.0)
    assert data.param("demand")[("KR", "cell", 2025)] == pytest.approx(100.0)
    base = materialise(Case("base", (), "", "", None, None), tmp_path / "base")
    assert mfa.run(model).objective == pytest.approx(mfa.run(base).objective, rel=1e-12)


def test_model_file_missing(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(InputError) as exc:
        mfa.validate(missing)
    assert "model file not found" in str(exc.value)
    assert "nowhere.yaml" in str(exc.value)
    result = runner.invoke(app, ["run", str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "model file not found" in result.output
    assert not (tmp_path / "out").exists()


def test_markup_like_text_is_printed_as_is(tmp_path):
    """A bad cell that looks like console markup is shown literally, not swallowed."""
    case = Case(
        "markup",
        (("replace", "tiny/demand.csv", "KR,cell,2025,100,GWh", "KR,cell,2025,[red]x,GWh"),),
        "",
        "",
        None,
        None,
    )
    model = materialise(case, tmp_path)
    result = runner.invoke(app, ["validate", str(model)])
    assert result.exit_code != 0
    assert "'[red]x'" in result.output
