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


def test_binding_limits_are_relevant_from_the_per_unit_penalties_of_the_data(tmp_path):
    """Ore (1,000 USD/t unserved, data/unmet_penalty.csv) and gem (options.unmet_penalty,
    1e6 USD/t) are short: mines of 70 t and 5 t at 10 USD/t against 100 t and 10 t. Sand is
    served: 5 t from a 1 USD/t mine at its capacity, 5 t from a 1.5 USD/t one.

    Capacity duals: ore 1,000 - 10 = 990, gem 1e6 - 10, sand 0.5 USD/t. The relevance
    threshold is 1e-3 of the smallest penalty of what is short (discount factor 1): 1 USD/t.
    Ore's and gem's capacities are named, sand's is not (the global 1e6 USD/t penalty gave a
    threshold of 1,000 USD/t and dropped ore's mine, the cause of its shortfall)."""
    mines = {"ore": ("Li", 70, 10), "gem": ("Co", 5, 10), "sand": ("Ni", 5, 1)}
    model = write_model(
        tmp_path,
        {
            "regions": ["A,Alpha"],
            "commodities": [f"{c},{el},mining,t,true,false,1,," for c, (el, _, _) in mines.items()],
            "processes": [f"mine_{c},mining,t,Mine" for c in mines] + ["mine_sand2,mining,t,Mine"],
            "process_io": [f"mine_{c},{c},out,,1,t/t" for c in mines]
            + ["mine_sand2,sand,out,,1,t/t"],
            "capacity": [f"mine_{c},A,2025,{c}1,{cap},t" for c, (_, cap, _) in mines.items()]
            + ["mine_sand2,A,2025,s2,100,t"],
            "variable_cost": [f"mine_{c},A,2025,{vc},USD/t" for c, (_, _, vc) in mines.items()]
            + ["mine_sand2,A,2025,1.5,USD/t"],
            "demand": ["A,ore,2025,100,t", "A,gem,2025,10,t", "A,sand,2025,10,t"],
            "unmet_penalty": ["ore,1000,USD/t"],
        },
    )
    r = mfa.run(model)
    unmet = r["unmet"].set_index("commodity")["value"]
    assert (unmet["ore"], unmet["gem"], unmet["sand"]) == pytest.approx((30.0, 5.0, 0.0))
    duals = r["duals_capacity_limit"].set_index("process")["value"].abs()
    assert duals["mine_sand"] == pytest.approx(0.5, rel=1e-9)
    assert duals["mine_ore"] == pytest.approx(990.0, rel=1e-9)
    binding = [x for x in r.summary["unmet_explained"]["details"] if x["kind"] == "binding"]
    assert {x["process"] for x in binding} == {"mine_ore", "mine_gem"}


def test_no_explanation_when_every_demand_is_served(root):
    r = mfa.run(root / "models/examples/tiny.yaml", "reference")
    assert "unmet_explained" not in r.summary


def test_cli_writes_diagnosis_atomically(tmp_path):
    model = _short_model(tmp_path / "m")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(model), "-o", str(out)])
    assert result.exit_code == cli.EXIT_NO_OPTIMUM
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
    assert result.exit_code == cli.EXIT_NO_OPTIMUM
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
    outside = tmp_path / "outside_data"
    shutil.copytree(model.parent / "tiny", outside)
    text = model.read_text().replace("data: tiny", "data: ../../outside_data")
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


# -- issue 20: nothing lost, nothing garbage called optimal, nothing read from outside ---------


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "out",
    [".", "..", "models", "models/tiny", "models/results", "models/tiny/out", "models/tiny.yaml"],
)
def test_output_folder_holding_inputs_is_refused_even_with_force(tmp_path, monkeypatch, out):
    """`mfa run models/tiny.yaml -o . --force` once deleted the whole project."""
    model = _tiny_project(tmp_path)
    project = model.parents[1]
    (project / "notes.txt").write_text("unrelated work")
    monkeypatch.chdir(project)
    before = _files(project)
    result = runner.invoke(app, ["run", "models/tiny.yaml", "-o", out, "--force"])
    assert result.exit_code == cli.EXIT_INPUT, result.output
    assert "refusing to write to" in result.output
    assert _files(project) == before
    assert sorted(p.name for p in project.iterdir()) == ["models", "notes.txt", "pyproject.toml"]


def test_results_beside_the_models_are_fine(tmp_path, monkeypatch):
    model = _tiny_project(tmp_path)
    monkeypatch.chdir(model.parents[1])
    result = runner.invoke(app, ["run", "models/tiny.yaml", "-o", "results/reference"])
    assert result.exit_code == 0, result.output
    assert (model.parents[1] / "results/reference/manifest.json").is_file()


def test_python_api_save_refuses_the_project_folder(tmp_path, monkeypatch):
    from mfa.errors import OutputError

    model = _tiny_project(tmp_path)
    results = mfa.run(model)
    before = _files(model.parents[1])
    for out in (model.parents[1], model.parent / "tiny", model.parent / "x", tmp_path):
        with pytest.raises(OutputError, match="refusing to write"):
            results.save(out, force=True)
    monkeypatch.chdir(model.parent / "tiny")
    with pytest.raises(OutputError, match="working directory"):
        write_atomically(Path("."), True, lambda tmp: None)
    assert _files(model.parents[1]) == before


def test_frontier_and_compare_refuse_inputs(tmp_path):
    from mfa.errors import OutputError

    model = _tiny_project(tmp_path)
    with pytest.raises(OutputError):
        mfa.frontier(model, None, 2, model.parent, force=True)
    a = mfa.run(model).save(tmp_path / "a")
    with pytest.raises(OutputError, match="is an input"):
        mfa.compare([a], a, force=True)


def test_unwritable_output_fails_before_the_solve(tmp_path, monkeypatch):
    """An output folder that cannot be made is reported before anything is solved."""
    model = _tiny_project(tmp_path)
    (tmp_path / "afile").write_text("x")
    solved = []
    monkeypatch.setattr(mfa.pipeline, "build_model", lambda *a, **k: solved.append(1))
    result = runner.invoke(app, ["run", str(model), "-o", str(tmp_path / "afile/out")])
    assert result.exit_code == cli.EXIT_INPUT, result.output
    assert "not a writable folder" in result.output
    assert solved == []
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(app, ["run", str(model), "-o", str(tmp_path / "afile"), "--force"])
    assert result.exit_code == cli.EXIT_INPUT and "is a file" in result.output
    assert (tmp_path / "afile").read_text() == "x"
    assert not list(tmp_path.glob(".afile*"))


def test_nan_scale_is_never_reported_as_optimal(tmp_path):
    model = _tiny_project(tmp_path)
    model.write_text(
        model.read_text()
        + "adjust:\n  - {table: variable_cost, where: {process: mine}, scale: .nan}\n"
    )
    result = runner.invoke(app, ["run", str(model), "-o", str(tmp_path / "out")])
    assert result.exit_code == cli.EXIT_INPUT
    assert "line 21" in result.output and "finite number" in result.output
    assert "Optimal" not in result.output and not (tmp_path / "out").exists()


def test_summary_json_is_strict_json(tmp_path):
    """summary.json holds no NaN/Infinity literals (a time limit of inf is written as text)."""
    folder = mfa.run(_tiny_project(tmp_path)).save(tmp_path / "out")
    text = (folder / "summary.json").read_text()
    json.loads(text, parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))


def test_check_fails_on_a_nan_objective(solved):
    discount = {y: 1.0 for y in solved["costs"]["year"]}
    check(solved.tables, solved.objective, discount)  # as solved: passes
    with pytest.raises(CheckError, match="non-finite"):
        check(solved.tables, float("nan"), discount)


@pytest.fixture
def saved(tmp_path):
    return mfa.run(_tiny_project(tmp_path)).save(tmp_path / "out")


def _truncate(folder: Path) -> None:
    path = folder / "tables/flows.parquet"
    path.write_bytes(path.read_bytes()[:100])


def _wrong_columns(folder: Path) -> None:
    import pandas as pd

    pd.DataFrame({"x": [1.0]}).to_parquet(folder / "tables/flows.parquet")


def _edit_summary(folder: Path) -> None:
    path = folder / "summary.json"
    path.write_text(path.read_text().replace('"objective": ', '"objective": 1 + '))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda f: (f / "tables/flows.parquet").unlink(), "tables/flows.parquet is missing"),
        (_truncate, "tables/flows.parquet was changed or truncated"),
        (_wrong_columns, "tables/flows.parquet was changed or truncated"),
        (_edit_summary, "summary.json was changed"),
        (lambda f: (f / "manifest.json").unlink(), "has no manifest.json"),
        (
            lambda f: (f / "tables/extra.parquet").write_bytes(b"x"),
            "tables/extra.parquet is not one of the tables written",
        ),
    ],
    ids=["deleted", "truncated", "wrong_columns", "edited_summary", "no_manifest", "extra"],
)
def test_report_refuses_an_incomplete_or_edited_folder(saved, damage, message):
    damage(saved)
    before = _files(saved)
    result = runner.invoke(app, ["report", str(saved)])
    assert result.exit_code == cli.EXIT_INPUT, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert _files(saved) == before


def test_compare_refuses_a_folder_that_is_not_a_result(saved, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "summary.json").write_text("{}")
    result = runner.invoke(app, ["compare", str(saved), str(other), "-o", str(tmp_path / "c")])
    assert result.exit_code == cli.EXIT_INPUT
    assert "is not a results folder written by 'mfa run'" in result.output
    assert not (tmp_path / "c").exists()


def test_billion_laughs_fails_fast(tmp_path):
    lines = ["name: x", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    model = tmp_path / "bomb.yaml"
    model.write_text("\n".join(lines) + "\n")
    assert len(model.read_bytes()) < 1024
    start = time.perf_counter()
    with pytest.raises(ConfigError) as exc:
        mfa.validate(model)
    assert time.perf_counter() - start < 1.0
    assert exc.value.problems[0].line == 6
    assert "aliases nested 4 deep" in str(exc.value)
    wide = ["name: x", "a0: &a0 [" + ", ".join(["x"] * 200) + "]"]
    wide += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 40) + "]" for i in range(1, 3)]
    model.write_text("\n".join(wide) + "\n")
    with pytest.raises(ConfigError, match="values once aliases are expanded"):
        mfa.validate(model)


def test_table_linked_to_a_system_file_is_refused_unread(tmp_path):
    model = _tiny_project(tmp_path)
    regions = model.parent / "tiny/regions.csv"
    regions.unlink()
    os.symlink("/etc/passwd", regions)
    with pytest.raises(ConfigError) as exc:
        mfa.validate(model)
    text = str(exc.value)
    assert "a link to /etc/passwd" in text and "root:" not in text
    assert "pyproject.toml or .git" in text  # the project-root rule is explained


def test_override_table_outside_the_project_is_refused(tmp_path):
    model = _tiny_project(tmp_path)
    model.write_text(
        model.read_text().replace(
            "  no_trade:\n", "  other:\n    tables: {demand: ../../../outside.csv}\n  no_trade:\n"
        )
    )
    with pytest.raises(ConfigError) as exc:
        mfa.validate(model)
    (p,) = exc.value.problems
    assert p.column == "overrides.other.tables.demand" and p.line == 16


def test_sweep_choice_file_outside_the_project_is_refused(tmp_path):
    model = _tiny_project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.csv").write_text((model.parent / "tiny/demand.csv").read_text())
    model.write_text(
        model.read_text()
        + "uncertainty:\n  parameters:\n    d:\n      table: demand\n"
        + "      distribution: choice\n      files: {a: ../../../outside/x.csv}\n"
    )
    with pytest.raises(ConfigError) as exc:
        mfa.sweep(model, samples=1, workers=0, out=tmp_path / "sw")
    assert exc.value.problems[0].column == "uncertainty.parameters.d.files.a"
    assert not (tmp_path / "sw").exists()


def test_bad_highs_option_is_a_config_error_with_line(tmp_path):
    model = _tiny_project(tmp_path)
    model.write_text(model.read_text() + "solver:\n  options: {solver: simplx}\n")
    result = runner.invoke(app, ["run", str(model), "-o", str(tmp_path / "out")])
    assert result.exit_code == cli.EXIT_INPUT
    assert "tiny.yaml, line 21, column 'solver.options.solver'" in result.output


def test_yaml_tag_on_a_key_names_its_line(tmp_path):
    model = _tiny_project(tmp_path)
    model.write_text(model.read_text() + "!!python/name:os.system x: 1\n")
    with pytest.raises(ConfigError) as exc:
        mfa.validate(model)
    assert (exc.value.problems[0].line, exc.value.problems[0].column) == (20, "x")


def test_zero_and_entirely_unmet_demand_solve_and_report(tmp_path):
    model = _tiny_project(tmp_path)
    demand = model.parent / "tiny/demand.csv"
    demand.write_text(demand.read_text().replace("KR,cell,2025,100,", "KR,cell,2025,0,"))
    r = mfa.run(model)
    assert r.objective == 0.0 and len(r["indicators"]) == 0
    demand.write_text(demand.read_text().replace("KR,cell,2025,0,", "KR,cell,2025,100,"))
    cap = model.parent / "tiny/capacity.csv"
    cap.write_text(cap.read_text().replace("North mine,100,", "North mine,0,"))
    r = mfa.run(model)
    assert float(r["unmet"]["value"].sum()) == pytest.approx(200.0)  # 100 GWh in each year
    assert "100 GWh short" in r.summary["unmet_explained"]["summary"]
    folder = r.save(tmp_path / "out")
    assert runner.invoke(app, ["report", str(folder)]).exit_code == 0


def test_policy_relaxation_note_only_when_proven(tmp_path):
    """'relaxing policy limits does not help' only when HiGHS' relaxation finished and even
    it leaves the model infeasible; when it stops early, the note says it is not known."""
    import highspy

    from mfa import diagnose
    from mfa.model.build import build_model
    from mfa.solve import hand_over
    from mfa.standard_form import compile_lp

    class Limited:
        """A Highs object whose relaxation stops early (as at a time limit)."""

        def __init__(self, h):
            self.h = h

        def __getattr__(self, name):
            return getattr(self.h, name)

        def feasibilityRelaxation(self, *args):
            return highspy.HighsStatus.kWarning

    def relax(model: Path, limited: bool) -> tuple[list, str | None]:
        data = mfa.validate(model)
        built = build_model(data)
        form = compile_lp(built.model)
        h = hand_over(form, data.config.solver)
        return diagnose._policy_relaxation(built, data, form, Limited(h) if limited else h)

    from tests.test_policy_lp import _suppliers

    capped = _capped_suppliers(tmp_path / "a", allow_unmet=False)
    relaxed, note = relax(capped, limited=False)
    assert [x["amount"] for x in relaxed] == [pytest.approx(30.0)] and note is None
    relaxed, note = relax(capped, limited=True)
    assert relaxed == [] and "does not help" not in note and "not known" in note
    # 20 t in CN and 20 t in AU for 100 t: no cap relaxation helps, and HiGHS says so
    short = _suppliers(
        tmp_path / "b",
        {
            "capacity": ["refine,CN,2025,c,20,t", "refine,AU,2025,a,20,t"],
            "supplier_cap": ["KR,Li,2025,0.5,dimensionless"],
        },
    )
    short.write_text(short.read_text().replace("1.0e6}", "1.0e6, allow_unmet: false}"))
    relaxed, note = relax(short, limited=False)
    assert relaxed == [] and "does not help (the model stays infeasible)" in note


def _sweep_model(tmp_path: Path) -> Path:
    model = _tiny_project(tmp_path)
    model.write_text(
        model.read_text()
        + "uncertainty:\n  parameters:\n    d: {table: demand, distribution: uniform, "
        + "low: 0.8, high: 1.2}\n"
    )
    return model


def test_resume_after_the_model_or_data_changed_is_refused(tmp_path):
    from mfa.errors import ResultsError

    model = _sweep_model(tmp_path)
    out = tmp_path / "sw"
    mfa.sweep(model, samples=2, workers=0, out=out, figures=False)
    model.write_text(model.read_text().replace("discount_rate: 0.0", "discount_rate: 0.01"))
    with pytest.raises(ResultsError, match="differs in the model definition"):
        mfa.sweep(model, samples=2, workers=0, out=out, resume=True, figures=False)
    model.write_text(model.read_text().replace("discount_rate: 0.01", "discount_rate: 0.0"))
    cost = model.parent / "tiny/variable_cost.csv"
    cost.write_text(cost.read_text().replace("mine,*,2025,1000,", "mine,*,2025,1100,"))
    with pytest.raises(ResultsError, match="differs in the data tables"):
        mfa.sweep(model, samples=2, workers=0, out=out, resume=True, figures=False)


def test_resume_into_a_run_folder_is_refused(tmp_path):
    model = _sweep_model(tmp_path)
    run_dir = mfa.run(model).save(tmp_path / "run")
    before = _files(run_dir)
    result = runner.invoke(
        app, ["sweep", str(model), "-n", "2", "-w", "0", "-o", str(run_dir), "--resume"]
    )
    assert result.exit_code == cli.EXIT_INPUT
    assert "written by 'mfa run', not a sweep folder" in result.output
    assert _files(run_dir) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--samples", "-5"], "--samples must be at least 1"),
        (["--method", "tornado"], "unknown method 'tornado'"),
        (["--workers", "-1"], "--workers must be 0"),
    ],
)
def test_bad_sweep_options_are_clear_errors(tmp_path, args, message):
    out = tmp_path / "sw"
    result = runner.invoke(app, ["sweep", str(_sweep_model(tmp_path)), "-o", str(out), *args])
    assert result.exit_code == cli.EXIT_INPUT, result.output
    assert message in result.output and not out.exists()


def test_unreachable_scheduler_is_a_clear_error(tmp_path, monkeypatch):
    from mfa.sweep import runner as sweep_runner

    monkeypatch.setattr(sweep_runner, "SCHEDULER_TIMEOUT_S", 1)
    start = time.perf_counter()
    result = runner.invoke(
        app,
        [
            "sweep",
            str(_sweep_model(tmp_path)),
            "-n",
            "2",
            "--scheduler",
            "tcp://127.0.0.1:9",
            "-o",
            str(tmp_path / "sw"),
        ],
    )
    assert result.exit_code == cli.EXIT_INPUT, result.output
    assert "cannot reach the Dask scheduler" in result.output
    assert time.perf_counter() - start < 30
    assert not (tmp_path / "sw").exists()  # checked before the folder is made


def test_a_sample_failing_on_input_makes_the_sweep_fail(tmp_path):
    """A choice file with a bad cell: that sample is an 'error', and mfa sweep exits 1."""
    model = _tiny_project(tmp_path)
    demand = model.parent / "tiny/demand.csv"
    (model.parent / "tiny/demand_bad.csv").write_text(demand.read_text().replace(",100,", ",x,"))
    model.write_text(
        model.read_text()
        + "uncertainty:\n  parameters:\n    d:\n      table: demand\n"
        + "      distribution: choice\n      files: {good: demand.csv, bad: demand_bad.csv}\n"
    )
    result = runner.invoke(
        app, ["sweep", str(model), "-n", "6", "-w", "0", "-o", str(tmp_path / "sw")]
    )
    assert result.exit_code == cli.EXIT_INPUT, result.output
    assert "ended in an error" in result.output
    assert "demand_bad.csv" in result.output


def test_exit_codes_are_documented_in_help_and_readme():
    result = runner.invoke(app, ["--help"])
    readme = (ROOT / "README.md").read_text()
    for code, meaning in cli.EXIT_CODES.items():
        assert f"{code} {meaning}" in " ".join(result.output.split()), code
        assert f"| {code} | {meaning} |" in readme, code
    assert cli.EXIT_NO_OPTIMUM != 2  # 2 is the parser's usage error
    assert runner.invoke(app, ["run"]).exit_code == cli.EXIT_USAGE


def test_internal_error_is_one_line_and_a_log(tmp_path, monkeypatch):
    def broken(*a, **k):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(cli, "validated", broken)  # what `mfa validate` calls
    result = runner.invoke(app, ["validate", str(_tiny_project(tmp_path))])
    assert result.exit_code == cli.EXIT_INTERNAL
    assert "internal error" in result.output and "Traceback" not in result.output
    log = Path(result.output.split("traceback in ")[1].split()[0])
    assert "ZeroDivisionError" in log.read_text()


def test_markup_and_emoji_codes_are_printed_as_written(tmp_path):
    model = _tiny_project(tmp_path)
    demand = model.parent / "tiny/demand.csv"
    demand.write_text(demand.read_text().replace(",100,", ",100:x:,"))
    result = runner.invoke(app, ["validate", str(model)])
    assert "'100:x:'" in result.output and "\u274c" not in result.output


def _interrupt_report(tmp_path: Path, sig: int) -> tuple[int, str, Path]:
    """Run ``mfa report`` in a process, send ``sig`` while it writes figures."""
    folder = mfa.run(ROOT / "models/examples/tiny.yaml").save(tmp_path / "out")
    started = tmp_path / "started"
    script = tmp_path / "slow_report.py"
    script.write_text(
        textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(ROOT)!r})
        from mfa import cli
        import mfa.report as report

        original = report.write_report

        def slow(results, out, **kw):
            written = original(results, out, **kw)   # the report is complete in .report-*
            Path({str(started)!r}).write_text("writing")
            time.sleep(60)
            return written

        report.write_report = slow
        sys.argv = ["mfa", "report", {str(folder)!r}]
        cli.main()
    """)
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists():
            assert proc.poll() is None, proc.stdout.read().decode()
            assert time.monotonic() < deadline, "the report never started"
            time.sleep(0.05)
        proc.send_signal(sig)
        output = proc.communicate(timeout=60)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, output, folder


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "ctrl_c"])
def test_interrupted_report_leaves_nothing_and_says_so_once(tmp_path, sig):
    code, output, folder = _interrupt_report(tmp_path, sig)
    assert code == cli.EXIT_INTERRUPTED, output
    assert output.count("interrupted") == 1, output
    assert "Exception ignored" not in output and "Traceback" not in output
    assert not list(folder.glob(".report-*"))
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "summary.json", "tables"]


def test_force_onto_a_file_leaves_it_and_no_old_copy(tmp_path):
    from mfa.errors import OutputError

    target = tmp_path / "results.txt"
    target.write_text("keep me")
    results = mfa.run(_tiny_project(tmp_path))
    with pytest.raises(OutputError, match="is a file"):
        results.save(target, force=True)
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "results.txt"]


def test_validate_without_scenario_checks_every_scenario(tmp_path):
    """The base model is fine; only scenario high_demand reads a broken table."""
    model = _tiny_project(tmp_path)
    broken = model.parent / "tiny/demand_high.csv"
    broken.write_text((model.parent / "tiny/demand.csv").read_text().replace(",100,", ",many,"))
    model.write_text(
        model.read_text().replace(
            "  high_demand:\n    adjust:",
            "  high_demand:\n    tables: {demand: demand_high.csv}\n    adjust:",
        )
    )
    assert runner.invoke(app, ["validate", str(model), "-s", "reference"]).exit_code == 0
    result = runner.invoke(app, ["validate", str(model)])
    assert result.exit_code == cli.EXIT_INPUT
    assert "demand_high.csv, line 2, column 'value': scenario 'high_demand': not a number" in (
        " ".join(result.output.split())
    )


def test_python_adjust_gets_the_same_checks(tmp_path):
    model = _tiny_project(tmp_path)
    for bad in ({"scale": float("nan")}, {"scale": -1.0}, {"set": float("inf")}):
        with pytest.raises(ConfigError):
            mfa.adjust(model, "variable_cost", {"process": "mine"}, **bad)
    cfg = mfa.adjust(model, "variable_cost", {"process": "mine"}, add=-5000.0)
    with pytest.raises(InputError, match=r"adjust\[0\] makes variable_cost"):
        mfa.run(cfg)


def test_report_escapes_formulas_and_markup(tmp_path):
    """Input text starting with '=' stays text in results.xlsx; HTML in names stays text."""
    from openpyxl import load_workbook

    model = _tiny_project(tmp_path)
    formula = '=HYPERLINK("http://example.org","x")'
    processes = model.parent / "tiny/processes.csv"
    processes.write_text(
        processes.read_text().replace("Cell manufacturing", '"' + formula.replace('"', '""') + '"')
    )
    model.write_text(model.read_text().replace("name: tiny", "name: <script>alert(1)</script>"))
    folder = mfa.run(model).save(tmp_path / "out")
    assert runner.invoke(app, ["report", str(folder)]).exit_code == 0
    book = load_workbook(folder / "results.xlsx")
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.value for c in cells if c.data_type == "f"]
    assert formula in [c.value for c in cells]
    md = (folder / "summary.md").read_text()
    assert "<script>" not in md and "&lt;script&gt;alert(1)&lt;/script&gt;" in md


def test_free_trade_routes_are_an_explicit_choice(tmp_path):
    """Without its freight row the route is an error; opted in, it ships for free."""
    model = _tiny_project(tmp_path)
    priced = mfa.run(model).objective
    (model.parent / "tiny/trade_cost.csv").unlink()
    with pytest.raises(InputError, match="route CA -> KR has no row in"):
        mfa.validate(model)
    model.write_text(
        model.read_text().replace(
            "discount_rate: 0.0", "discount_rate: 0.0\n  free_trade_routes: true"
        )
    )
    free = mfa.run(model)
    shipped = float(free["trade"]["value"].sum())
    assert shipped > 0 and free.objective < priced
