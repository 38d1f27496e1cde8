"""Trust: infeasibility explained, checks after every solve, nothing lost, inputs read safely."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyomo.environ as pyo
import pytest
from typer.testing import CliRunner

import mfa
from mfa import cli
from mfa.cli import app
from mfa.diagnose import diagnose_unbounded
from mfa.errors import CheckError, ConfigError, InfeasibleError, InputError, ResultsExistError
from mfa.results import BALANCE_TOLERANCE, balance_residual, check, write_atomically
from tests.modelkit import write_model

runner = CliRunner()
LI = "Li,mining,t,true,false,1,,"
ROOT = Path(__file__).resolve().parents[1]


def _short_model(folder: Path, allow_unmet: bool = False, **extra: list[str]) -> Path:
    """Capacity 70 t against a demand of 100 t in region A, 2025."""
    tables = {
        "regions": ["A,Alpha"],
        "commodities": [f"ore,{LI}"],
        "processes": ["mine,mining,t,Mine"],
        "process_io": ["mine,ore,out,,1,t/t"],
        "capacity": ["mine,A,2025,a1,70,t"],
        "variable_cost": ["mine,A,2025,10,USD/t"],
        "demand": ["A,ore,2025,100,t"],
    }
    tables.update(extra)
    model = write_model(folder, tables)
    text = model.read_text()
    flag = str(allow_unmet).lower()
    model.write_text(
        text.replace("unmet_penalty: 1.0e6}", f"unmet_penalty: 1.0e6, allow_unmet: {flag}}}")
    )
    return model


# -- infeasibility explained -------------------------------------------------------------------


def test_infeasible_names_shortfall_and_binding_capacity(tmp_path):
    model = _short_model(tmp_path)
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(model)
    d = exc.value.diagnosis
    assert d.status == "infeasible"
    assert "30 t short" in d.summary
    assert "ore in Alpha (A) in 2025" in d.summary
    assert "capacity of mine in A in 2025" in d.summary
    short = [x for x in d.details if x["kind"] == "shortfall"]
    assert len(short) == 1
    assert short[0]["short"] == pytest.approx(30.0)
    assert (short[0]["region"], short[0]["commodity"], short[0]["year"]) == ("A", "ore", 2025)
    binding = [x for x in d.details if x["kind"] == "binding"]
    assert [(b["family"], b["process"], b["region"], b["year"]) for b in binding] == [
        ("capacity", "mine", "A", 2025)
    ]
    conflict = {x["constraint"] for x in d.details if x["kind"] == "conflict"}
    assert "capacity of mine in A in 2025 (70 t)" in conflict
    assert "balance of ore in A in 2025 (demand 100 t)" in conflict
    assert all("message" in x for x in d.details)


def test_allow_unmet_true_prices_the_same_shortfall(tmp_path):
    """With unmet demand allowed the same model solves, with 30 t unmet."""
    r = mfa.run(_short_model(tmp_path, allow_unmet=True))
    assert float(r["unmet"]["value"].sum()) == pytest.approx(30.0)


def test_demand_met_gives_empty_unmet_table(tmp_path):
    """allow_unmet: false on a feasible model: an all-zero unmet table, balances closed."""
    model = _short_model(tmp_path, capacity=["mine,A,2025,a1,150,t"])
    r = mfa.run(model)
    assert float(r["unmet"]["value"].abs().sum()) == 0.0
    assert float(r["demand"]["value"].sum()) == pytest.approx(100.0)
    assert r.summary["max_balance_residual"] < 1e-9


def test_reserves_and_build_limit_are_named(tmp_path):
    """Two years of 100 t: reserves 150 t; B could build 20 t/yr but the build limit binds."""
    model = write_model(
        tmp_path,
        {
            "regions": ["A,Alpha"],
            "commodities": [f"ore,{LI}"],
            "processes": ["mine,mining,t,Mine", "mine2,mining,t,New mine"],
            "process_io": ["mine,ore,out,,1,t/t", "mine2,ore,out,,1,t/t"],
            "capacity": ["mine,A,2025,a1,200,t"],
            "build_limit": ["mine2,A,2025,10,t"],
            "reserves": ["mine,A,150,t"],
            "variable_cost": ["mine,A,2025,10,USD/t", "mine2,A,2025,10,USD/t"],
            "demand": ["A,ore,2025,100,t"],
        },
        years=(2025, 2026),
        extra_yaml="",
    )
    model.write_text(model.read_text().replace("1.0e6}", "1.0e6, allow_unmet: false}"))
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(model)
    d = exc.value.diagnosis
    short = {(x["year"]): x["short"] for x in d.details if x["kind"] == "shortfall"}
    assert sum(short.values()) == pytest.approx(200 - 150 - 10 - 20)
    limits = {x["limit"] for x in d.details if x["kind"] == "binding"}
    assert "reserves of mine in A" in limits
    assert (
        "build limit of mine2 in A in 2025" in limits
        or "build limit of mine2 in A in 2026" in limits
    )


def test_demand_without_any_supply_is_infeasible_not_dropped(tmp_path):
    """B demands ore but has no mine and no route: with demand required this cannot vanish."""
    model = _short_model(
        tmp_path,
        regions=["A,Alpha", "B,Beta"],
        capacity=["mine,A,2025,a1,500,t"],
        demand=["A,ore,2025,100,t", "B,ore,2025,40,t"],
    )
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(model)
    assert (
        "demand for ore in Beta (B) in 2025 cannot be met: 40 t short"
        in exc.value.diagnosis.summary
    )


def test_infeasible_variant_of_shipped_example(tmp_path):
    """tiny.yaml with demand required and no refinery expansion: the refinery limits cells."""
    import shutil

    project = tmp_path / "p"
    (project / "models").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    shutil.copytree(ROOT / "models/examples/tiny", project / "models/tiny")
    text = (ROOT / "models/examples/tiny.yaml").read_text()
    text = text.replace("unmet_penalty: 1.0e6", "unmet_penalty: 1.0e6\n  allow_unmet: false")
    (project / "models/tiny.yaml").write_text(text)
    (project / "models/tiny/build_limit.csv").write_text(
        "process,region,year,value,unit,source,note\nrefine,CA,2025,0,t,example,\n"
    )
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(project / "models/tiny.yaml", "reference")
    d = exc.value.diagnosis
    # 40 t of hydroxide make 80 GWh of cells: 20 GWh of the 100 GWh demand are short each year
    assert "cell in South Korea (KR) in 2025 cannot be met: 20 GWh short of 100 GWh" in d.summary
    assert "capacity of refine in KR in 2025" in d.summary


def _capped_suppliers(folder: Path, allow_unmet: bool) -> Path:
    """KR needs 100 t Li; AU can refine 20 t, CN 1000 t, but at most 50 % may come from one
    origin: CN <= AU = 20, so 60 t are short. Keeping demand whole needs CN at 80 t, 30 t
    above the cap (80 - 0.5 x 100)."""
    from tests.test_policy_lp import _suppliers

    model = _suppliers(
        folder,
        {
            "capacity": ["refine,CN,2025,c,1000,t", "refine,AU,2025,a,20,t"],
            "supplier_cap": ["KR,Li,2025,0.5,dimensionless"],
        },
    )
    flag = str(allow_unmet).lower()
    model.write_text(model.read_text().replace("1.0e6}", f"1.0e6, allow_unmet: {flag}}}"))
    return model


def test_infeasible_under_a_supplier_cap_names_the_cap_and_the_relaxation(tmp_path):
    with pytest.raises(InfeasibleError) as exc:
        mfa.run(_capped_suppliers(tmp_path, allow_unmet=False))
    d = exc.value.diagnosis
    assert "demand for li in Korea (KR) in 2025 cannot be met: 60 t short of 100 t" in d.summary
    cap = "the single-supplier cap on Li into KR from CN in 2025 (50%)"
    binding = {x["limit"] for x in d.details if x["kind"] == "binding"}
    assert cap in binding
    assert "capacity of refine in AU in 2025" in binding
    relax = [x for x in d.details if x["kind"] == "relax"]
    assert [(x["family"], x["index"]) for x in relax] == [
        ("supplier_cap", ["KR", "Li", 2025, "CN"])
    ]
    assert relax[0]["amount"] == pytest.approx(30.0)
    assert f"Every demand could be met by relaxing: {cap} must be loosened by 30 t" in d.summary


def test_unmet_demand_in_an_optimal_run_is_explained(tmp_path):
    r = mfa.run(_capped_suppliers(tmp_path, allow_unmet=True))
    assert float(r["unmet"]["value"].sum()) == pytest.approx(60.0)
    explained = r.summary["unmet_explained"]
    assert "60 t short of 100 t" in explained["summary"]
    assert "single-supplier cap on Li into KR from CN in 2025" in explained["summary"]
    short = [x for x in explained["details"] if x["kind"] == "shortfall"]
    assert [(x["region"], x["year"], x["short"]) for x in short] == [
        ("KR", 2025, pytest.approx(60.0))
    ]
    out = runner.invoke(app, ["run", str(tmp_path / "model.yaml"), "-o", str(tmp_path / "res")])
    assert out.exit_code == 0, out.output
    assert "unmet demand" in out.output and "single-supplier cap" in out.output


def test_no_explanation_when_every_demand_is_served(root):
    r = mfa.run(root / "models/examples/tiny.yaml", "reference")
    assert "unmet_explained" not in r.summary


def test_cli_writes_diagnosis_atomically(tmp_path):
    model = _short_model(tmp_path / "m")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(model), "-o", str(out)])
    assert result.exit_code == 2
    assert "30 t short" in result.output
    diag = json.loads((out / "diagnosis.json").read_text())
    assert diag["status"] == "infeasible"
    assert any(x["kind"] == "shortfall" for x in diag["details"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m", "out"]


def test_cli_diagnosis_keeps_previous_results(tmp_path):
    model = _short_model(tmp_path / "m")
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text('{"previous": true}')
    result = runner.invoke(app, ["run", str(model), "-o", str(out), "--force"])
    assert result.exit_code == 2
    assert (out / "summary.json").read_text() == '{"previous": true}'
    assert not (out / "diagnosis.json").exists()
    assert (tmp_path / "out.diagnosis" / "diagnosis.json").is_file()


def test_unbounded_names_the_family():
    m = pyo.ConcreteModel()
    m.sale = pyo.Var(["x", "y"], domain=pyo.NonNegativeReals)
    m.buy = pyo.Var(domain=pyo.NonNegativeReals)
    m.link = pyo.Constraint(expr=m.sale["x"] - m.buy >= 0)
    m.cost = pyo.Objective(expr=-5 * m.sale["x"] + m.buy + m.sale["y"])
    d = diagnose_unbounded(m)
    assert d.status == "unbounded"
    assert "'sale'" in d.summary
    family = [x for x in d.details if x["kind"] == "unbounded_family"]
    assert family[0]["family"] == "sale" and "[x]" in family[0]["message"]


# -- checks after every solve ------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved():
    return mfa.run(ROOT / "models/examples/tiny.yaml", "reference")


def _tables(r):
    return {k: v.copy() for k, v in r.tables.items()}


def test_checks_pass_and_summary_records_solver(solved):
    s = solved.summary
    assert s["status"] == "Optimal"
    assert s["max_balance_residual"] <= BALANCE_TOLERANCE
    assert s["cost_reconciliation"] <= BALANCE_TOLERANCE
    for key in (
        "primal_feasibility_tolerance",
        "dual_feasibility_tolerance",
        "max_primal_infeasibility",
        "highs_version",
    ):
        assert key in s["solver"]
    assert s["solver"]["primal_feasibility_tolerance"] > 0


def test_broken_balance_is_caught(solved):
    tables = _tables(solved)
    flows = tables["flows"]
    flows.loc[flows.index[0], "value"] += 5.0
    assert balance_residual(tables) > BALANCE_TOLERANCE
    with pytest.raises(CheckError, match="a commodity balance does not close"):
        check(tables, solved.objective, {2025: 1.0, 2026: 1.0})


def test_dropped_trade_breaks_balance(solved):
    tables = _tables(solved)
    tables["trade"] = tables["trade"].assign(value=0.0)
    with pytest.raises(CheckError, match="balance does not close"):
        check(tables, solved.objective, {2025: 1.0, 2026: 1.0})


def test_negative_value_is_caught(solved):
    tables = _tables(solved)
    tables["new_capacity"].loc[tables["new_capacity"].index[0], "value"] = -0.5
    with pytest.raises(CheckError, match="a variable is negative beyond tolerance"):
        check(tables, solved.objective, {2025: 1.0, 2026: 1.0})


def test_costs_not_reconciling_are_caught(solved):
    with pytest.raises(CheckError, match="do not add up to the objective"):
        check(_tables(solved), solved.objective * 1.01, {2025: 1.0, 2026: 1.0})


def test_wrong_discount_breaks_reconciliation(solved):
    with pytest.raises(CheckError, match="relative gap"):
        check(_tables(solved), solved.objective, {2025: 1.0, 2026: 0.5})


def test_intact_tables_pass(solved):
    out = check(_tables(solved), solved.objective, {2025: 1.0, 2026: 1.0})
    assert out["max_balance_residual"] <= BALANCE_TOLERANCE


# -- nothing lost ------------------------------------------------------------------------------


def _previous(folder: Path) -> dict[str, str]:
    folder.mkdir()
    (folder / "summary.json").write_text('{"objective": 1}')
    (folder / "tables").mkdir()
    (folder / "tables" / "trade.parquet").write_bytes(b"old bytes")
    return _snapshot(folder)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): p.read_bytes().decode("latin-1")
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError, SystemExit])
def test_interrupted_save_leaves_previous_intact(tmp_path, error):
    folder = tmp_path / "results"
    before = _previous(folder)

    def write(tmp: Path) -> None:
        (tmp / "summary.json").write_text('{"objective": 2}')
        (tmp / "tables").mkdir()
        raise error()

    with pytest.raises(error):
        write_atomically(folder, True, write)
    assert _snapshot(folder) == before
    assert [p.name for p in tmp_path.iterdir()] == ["results"]


def test_interrupted_first_save_leaves_nothing(tmp_path):
    def write(tmp: Path) -> None:
        (tmp / "half.json").write_text("{")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "new", False, write)
    assert list(tmp_path.iterdir()) == []


def test_completed_save_replaces_with_force(tmp_path):
    folder = tmp_path / "results"
    _previous(folder)
    write_atomically(folder, True, lambda tmp: (tmp / "summary.json").write_text("{}"))
    assert _snapshot(folder) == {"summary.json": "{}"}
    assert [p.name for p in tmp_path.iterdir()] == ["results"]
    with pytest.raises(ResultsExistError):
        write_atomically(folder, False, lambda tmp: None)


def test_run_into_existing_folder_without_force(tmp_path):
    out = tmp_path / "out"
    before = _previous(out)
    result = runner.invoke(app, ["run", str(ROOT / "models/examples/tiny.yaml"), "-o", str(out)])
    assert result.exit_code != 0
    assert "already exists" in result.output
    assert _snapshot(out) == before
    with pytest.raises(ResultsExistError):
        mfa.run(ROOT / "models/examples/tiny.yaml", "reference").save(out)
    assert _snapshot(out) == before


def test_sigterm_handler_raises_keyboard_interrupt():
    with pytest.raises(KeyboardInterrupt):
        cli._on_sigterm(signal.SIGTERM, None)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_sigterm_during_save_keeps_previous_results(tmp_path):
    """A real ``mfa run --force`` process killed with SIGTERM while it writes its results."""
    out = tmp_path / "out"
    before = _previous(out)
    started = tmp_path / "started"
    script = tmp_path / "slow_run.py"
    script.write_text(
        textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from mfa import cli
        from mfa.results import Results

        original = Results._write_into

        def slow(self, tmp):
            original(self, tmp)              # the new results are complete in the temp folder
            Path({str(started)!r}).write_text("writing")
            time.sleep(60)                   # ... and SIGTERM arrives before the move

        Results._write_into = slow
        sys.argv = ["mfa", "run", {str(ROOT / "models/examples/tiny.yaml")!r}, "-s",
                    "reference", "-o", {str(out)!r}, "--force"]
        cli.main()
    """)
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the run never started writing"
            time.sleep(0.05)
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, output
    assert "interrupted" in output
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "slow_run.py", "started"]


# -- input safety ------------------------------------------------------------------------------


def _tiny_project(tmp_path: Path) -> Path:
    import shutil

    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "pyproject.toml").write_text("")
    shutil.copytree(ROOT / "models/examples/tiny", project / "models/tiny")
    shutil.copy(ROOT / "models/examples/tiny.yaml", project / "models/tiny.yaml")
    return project / "models/tiny.yaml"


def test_python_tag_is_rejected_not_executed(tmp_path):
    model = _tiny_project(tmp_path)
    marker = tmp_path / "executed"
    text = model.read_text().replace(
        "name: tiny", f"name: !!python/object/apply:os.system ['touch {marker}']"
    )
    model.write_text(text)
    with pytest.raises(
        ConfigError, match=re.escape("YAML tag '!!python/object/apply:os.system' is not allowed")
    ):
        mfa.validate(model)
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!!binary aGVsbG8=", "!env HOME"])
def test_other_tags_are_rejected(tmp_path, tag):
    model = _tiny_project(tmp_path)
    model.write_text(model.read_text() + f"description2: {tag}\n")
    with pytest.raises(ConfigError, match="is not allowed"):
        mfa.validate(model)


@pytest.mark.parametrize("cell", ["2*50", "__import__('os').getpid()", "=100", "1e2+0"])
def test_no_expression_in_a_table_is_evaluated(tmp_path, cell):
    model = _tiny_project(tmp_path)
    demand = model.parent / "tiny/demand.csv"
    demand.write_text(demand.read_text().replace("KR,cell,2025,100,", f'KR,cell,2025,"{cell}",'))
    with pytest.raises(InputError) as exc:
        mfa.validate(model)
    assert any(p.message == "not a number" and p.line == 2 for p in exc.value.problems)


def test_no_expression_in_the_model_file_is_evaluated(tmp_path):
    model = _tiny_project(tmp_path)
    model.write_text(model.read_text().replace("discount_rate: 0.0", 'discount_rate: "0.01+0.02"'))
    with pytest.raises(ConfigError, match="valid number"):
        mfa.validate(model)


def test_paths_are_relative_to_the_model_file(tmp_path, monkeypatch):
    model = _tiny_project(tmp_path)
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    data = mfa.validate(model)
    assert data.config.data == (model.parent / "tiny").resolve()


def test_paths_leaving_the_project_need_permission(tmp_path):
    import shutil

    model = _tiny_project(tmp_path)
    outside = tmp_path / "shared_data"
    shutil.copytree(model.parent / "tiny", outside)
    text = model.read_text().replace("data: tiny", "data: ../../shared_data")
    model.write_text(text)
    with pytest.raises(ConfigError) as exc:
        mfa.validate(model)
    assert "path leaves the project folder" in str(exc.value)
    model.write_text(text + "allow_external_paths: true\n")
    assert mfa.validate(model).config.data == outside.resolve()


def test_symlink_out_of_the_project_is_refused(tmp_path):
    model = _tiny_project(tmp_path)
    outside = tmp_path / "outside_data"
    (model.parent / "tiny").rename(outside)
    os.symlink(outside, model.parent / "tiny")
    with pytest.raises(ConfigError, match="path leaves the project folder"):
        mfa.validate(model)


def test_time_limit_is_explained(tmp_path):
    """A time limit HiGHS cannot meet gives a SolverLimitError that names the setting."""
    from mfa.errors import SolverLimitError

    model = _short_model(tmp_path, allow_unmet=True)
    model.write_text(model.read_text() + "solver: {time_limit_s: 1.0e-9}\n")
    with pytest.raises(SolverLimitError) as exc:
        mfa.run(model)
    d = exc.value.diagnosis
    assert d.status == "time_limit"
    assert "solver.time_limit_s" in d.summary
    assert {x["what"] for x in d.details} >= {"matrix coefficients", "right-hand sides"}


def test_badly_scaled_model_names_the_extreme_coefficients(tmp_path):
    """A yield of 1e-12 next to coefficients of 1: the ratio and the row are named."""
    from mfa.diagnose import diagnose_limit
    from mfa.errors import Diagnosis
    from mfa.model.build import build_model

    model = _short_model(tmp_path, allow_unmet=True, process_io=["mine,ore,out,,1e-12,t/t"])
    data = mfa.validate(model)
    d = diagnose_limit(
        build_model(data).model, data, Diagnosis("numerical", "HiGHS ended with status 'Unknown'")
    )
    assert "badly scaled" in d.summary
    matrix = next(x for x in d.details if x["what"] == "matrix coefficients")
    assert matrix["smallest"] == pytest.approx(1e-12)
    assert matrix["ratio"] == pytest.approx(1e12)
    assert "balance[ore, A, 2025]" in matrix["smallest_at"]
    assert "activity[mine, A, 2025]" in matrix["smallest_at"]
