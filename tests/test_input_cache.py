"""The cache of validated inputs (mfa.inputs.cache): used only while nothing changed.

Each test edits what a researcher edits (one cell of a table, the model file, a table
added) or breaks the cache entry, and checks the next validate sees exactly that.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from mfa.inputs import cache
from mfa.inputs import data as data_module
from mfa.inputs import units as unit_module
from mfa.inputs.cache import validated
from tests.modelkit import write_one_mine_model

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A one-region model whose demand is 40 t, with its own cache folder."""
    monkeypatch.setenv("MFA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MFA_CACHE", raising=False)
    return write_one_mine_model(tmp_path / "project")


def _demand(data: object) -> float:
    return float(data.param("demand").sum())  # type: ignore[attr-defined]


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.pickle"))


def test_second_validate_is_read_from_the_cache(model: Path, tmp_path: Path) -> None:
    first = validated(model)
    assert _demand(first) == 40.0
    assert len(_entries(tmp_path)) == 1
    calls = []
    original = cache.load_data
    cache.load_data = lambda config, memo: calls.append(config) or original(config, memo)  # type: ignore
    try:
        second = validated(model)
    finally:
        cache.load_data = original
    assert calls == []  # nothing was read again
    assert _demand(second) == 40.0
    assert second.data_hash == first.data_hash
    assert list(second.params) == list(first.params)
    with pytest.raises(TypeError):  # read-only mapping as from load_data
        second.params["demand"] = None  # type: ignore[index]


def test_an_edited_cell_is_seen_by_the_next_validate(model: Path) -> None:
    assert _demand(validated(model)) == 40.0
    demand = model.parent / "data" / "demand.csv"
    demand.write_text(demand.read_text().replace("2025,40,t", "2025,55,t"))
    assert _demand(validated(model)) == 55.0


def test_an_edited_model_file_is_seen(model: Path) -> None:
    validated(model)
    text = model.read_text().replace("discount_rate: 0.0", "discount_rate: 0.05")
    model.write_text(text)
    assert validated(model).config.options.discount_rate == 0.05


def test_a_table_added_after_caching_is_read(model: Path) -> None:
    assert _demand(validated(model)) == 40.0
    (model.parent / "data" / "build_limit.csv").write_text(
        "process,region,year,value,unit,source,note\nmine,A,2025,7,t,test,\n"
    )
    assert float(validated(model).param("build_limit").sum()) == 7.0


def test_a_bad_edit_raises_every_time(model: Path) -> None:
    validated(model)
    demand = model.parent / "data" / "demand.csv"
    demand.write_text(demand.read_text().replace("2025,40,t", "2025,forty,t"))
    for _ in range(2):  # errors are never cached
        with pytest.raises(Exception, match="forty"):
            validated(model)


@pytest.mark.parametrize("damage", [b"", b"not a pickle", None])
def test_a_corrupt_entry_is_rebuilt_silently(model: Path, tmp_path: Path, damage) -> None:
    validated(model)
    (entry,) = _entries(tmp_path)
    whole = entry.read_bytes()
    entry.write_bytes(whole[: len(whole) // 2] if damage is None else damage)
    assert _demand(validated(model)) == 40.0
    written = cache._read(entry)  # written again, whole (its tables from the memo)
    assert written is not None and _demand(written) == 40.0


def test_an_entry_made_by_other_mfa_code_is_not_used(model: Path, tmp_path: Path) -> None:
    validated(model)
    (entry,) = _entries(tmp_path)
    with entry.open("rb") as handle:
        fingerprint, data = pickle.load(handle), pickle.load(handle)
    fingerprint["mfa code"] = "0" * 64  # as if mfa's checks had changed since
    with entry.open("wb") as handle:
        pickle.dump(fingerprint, handle)
        pickle.dump(data, handle)
    calls = []
    original = cache.load_data
    cache.load_data = lambda config, memo: calls.append(config) or original(config, memo)  # type: ignore
    try:
        validated(model)
    finally:
        cache.load_data = original
    assert len(calls) == 1


def test_the_cache_can_be_turned_off(model: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MFA_CACHE", "off")
    assert _demand(validated(model)) == 40.0
    assert _entries(tmp_path) == []


_PROBE = """
import sys
from typer.testing import CliRunner
from mfa.cli import app
result = CliRunner().invoke(app, ["validate", sys.argv[1], "-s", "reference"])
assert result.exit_code == 0, result.output
heavy = ("dask", "scipy.stats", "matplotlib", "pyomo", "mfa.sweep", "highspy", "pint", "pandera")
print(" ".join(m for m in heavy if m in sys.modules))
"""


def test_validate_imports_only_what_it_uses(tmp_path: Path) -> None:
    """``mfa validate`` of the default model loads no solver, sweep, plotting or statistics;
    a second one, from the cache, not even the unit and schema libraries."""
    env = {"MFA_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "PATH": ""}
    loaded = [
        subprocess.run(
            [sys.executable, "-c", _PROBE, str(ROOT / "models" / "canada_korea.yaml")],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        for _ in range(2)
    ]
    # pint imports dask.base when Dask is installed: only a validate that reads the tables
    assert set(loaded[0]) <= {"pint", "dask", "highspy"}  # highspy: solver options
    assert loaded[1] == []


_EDIT_AND_VALIDATE = """
import sys
from pathlib import Path
from mfa.inputs.cache import validated
model = Path(sys.argv[1])
demand = model.parent / "data" / "demand.csv"
demand.write_text(demand.read_text().replace(sys.argv[2], sys.argv[3]))
print(float(validated(model).param("demand").sum()), "pint" in sys.modules)
"""


def _edit_and_validate(model: Path, tmp_path: Path, old: str, new: str) -> list[str]:
    env = {"MFA_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "PATH": ""}
    args = [sys.executable, "-c", _EDIT_AND_VALIDATE, str(model), old, new]
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_edited_tables_are_checked_again_without_pint_when_their_units_are_known(
    model: Path, tmp_path: Path
) -> None:
    assert _edit_and_validate(model, tmp_path, "2025,40,t", "2025,40,t") == ["40.0", "True"]
    assert len(list((tmp_path / "cache").glob("units-*.json"))) == 1
    # a new number: the tables are read and checked again, their units known
    assert _edit_and_validate(model, tmp_path, "2025,40,t", "2025,55,t") == ["55.0", "False"]
    # a unit not seen before: pint converts it
    assert _edit_and_validate(model, tmp_path, "2025,55,t", "2025,55,kt") == ["55000.0", "True"]


def test_unit_factors_of_other_mfa_code_are_not_used(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated(model)
    (units,) = (tmp_path / "cache").glob("units-*.json")
    units.write_text('[["t", "t", 2.0]]')  # as if an older mfa had read 't' otherwise
    monkeypatch.setattr(cache, "_code_hash", lambda: "0" * 64)  # mfa's code changed since
    monkeypatch.setattr(unit_module, "_FACTORS", {})  # a fresh process: no factor known
    demand = model.parent / "data" / "demand.csv"
    demand.write_text(demand.read_text().replace("2025,40,t", "2025,41,t"))
    assert _demand(validated(model)) == 41.0


def _parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tables parsed (read and checked) from now on."""
    names: list[str] = []
    original = data_module.parse_table

    def counted(frame, spec, *args):  # type: ignore[no-untyped-def]
        names.append(spec.name)
        return original(frame, spec, *args)

    monkeypatch.setattr(data_module, "parse_table", counted)
    return names


def test_after_an_edit_only_the_edited_table_is_read_again(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated(model)
    parsed = _parsed(monkeypatch)
    demand = model.parent / "data" / "demand.csv"
    demand.write_text(demand.read_text().replace("2025,40,t", "2025,55,t"))
    assert _demand(validated(model)) == 55.0  # the edit is seen
    assert parsed == ["demand"]  # the other tables from the memo
    demand.write_text(demand.read_text().replace("2025,55,t", "2025,40,t"))
    assert _demand(validated(model)) == 40.0  # and edited back: seen again
    assert parsed == ["demand", "demand"]


def test_a_changed_unit_of_a_commodity_reads_its_tables_again(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table's numbers are converted to its commodity's unit: with a new unit the
    unchanged demand table is checked again (and its tonnes no longer fit)."""
    assert _demand(validated(model)) == 40.0
    parsed = _parsed(monkeypatch)
    commodities = model.parent / "data" / "commodities.csv"
    text = commodities.read_text()
    commodities.write_text(text.replace("ore,Li,mining,t,", "ore,Li,mining,unit,"))
    with pytest.raises(Exception, match=r"demand\.csv"):
        validated(model)
    assert "demand" in parsed and "commodities" in parsed


def test_the_memo_of_other_mfa_code_is_not_used(
    model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated(model)
    parsed = _parsed(monkeypatch)
    monkeypatch.setattr(cache, "_code_hash", lambda: "0" * 64)  # mfa's code changed since
    demand = model.parent / "data" / "demand.csv"
    demand.write_text(demand.read_text().replace("2025,40,t", "2025,41,t"))
    assert _demand(validated(model)) == 41.0
    assert sorted(parsed) == sorted(["regions", "commodities", "processes", *_TABLES_OF_THE_MODEL])


_TABLES_OF_THE_MODEL = ["process_io", "capacity", "variable_cost", "demand"]


def test_an_unreadable_table_in_the_memo_is_read_again(
    model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated(model)
    (memo_file,) = (tmp_path / "cache").glob("*.tables")
    memo = cache.TableMemo(memo_file)
    assert len(memo.found) > 0
    with memo_file.open("wb") as handle:  # every table unreadable, as if from other code
        pickle.dump(memo.version, handle)
        pickle.dump(dict.fromkeys(memo.found, b"not a pickle"), handle)
    parsed = _parsed(monkeypatch)
    demand = model.parent / "data" / "demand.csv"
    demand.write_text(demand.read_text().replace("2025,40,t", "2025,42,t"))
    assert _demand(validated(model)) == 42.0
    assert sorted(parsed) == sorted(["regions", "commodities", "processes", *_TABLES_OF_THE_MODEL])
