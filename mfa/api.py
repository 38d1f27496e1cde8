"""The Python API: one function per job, as the command line offers them."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter
from typing import Any

import pandas as pd

from mfa import manifest, pipeline
from mfa.config import ModelConfig, load_model
from mfa.frontier import frontier_results as _frontier_results
from mfa.inputs.data import ModelData
from mfa.paths import check_output
from mfa.results import Results, write_atomically


def validate(model: str | Path, scenario: str | None = None) -> ModelData:
    """Read and check a model file and all its tables; no solve.

    Raises
    ------
    ConfigError, InputError
        Naming file, line, column and what was expected for every problem.
    """
    return pipeline.validate(model, scenario)


def run(model: str | Path | ModelConfig | ModelData, scenario: str | None = None) -> Results:
    """Build, solve and check a model; return its results.

    Parameters
    ----------
    model
        A model file, a loaded :class:`ModelConfig`, or validated :class:`ModelData`.
    scenario
        Scenario name (when ``model`` is a file).

    When some demand is left unserved (``allow_unmet: true``), the summary's
    ``unmet_explained`` says where, how much and which limits cause it (read from the
    same solve).

    Raises
    ------
    InputError
        Bad model file or tables.
    SolveError
        No optimum (infeasible, unbounded, limit); carries a diagnosis.
    CheckError
        The solution fails a post-solve check.
    """
    start = perf_counter()
    data = pipeline.data_of(model, scenario)
    return pipeline.run(data, load_s=perf_counter() - start)


def write_report(folder: str | Path, **options: Any) -> dict[str, Any]:
    """Write figures, tables, the Excel workbook and ``summary.md`` into a results folder.

    The report is written into a temporary folder inside ``folder`` and its parts
    (``figures/``, ``results.xlsx``, ``summary.md`` and the CSV tables) replace earlier
    ones only when all of it is written. The CSV tables join the saved Parquet tables
    in ``tables/`` (``trade.parquet`` beside ``trade.csv``): the results themselves are
    never touched, so :meth:`Results.load` reads the folder as before. ``options`` go to
    :func:`mfa.report.write_report` (``elements``, ``years``, ``formats``, ``html``).
    """
    from mfa.report import write_report as _write_report

    folder = Path(folder)
    manifest.check(folder, "run")  # complete and unchanged, before anything is read
    results = Results.load(folder)
    tmp = Path(tempfile.mkdtemp(prefix=".report-", dir=folder))
    try:
        written = _write_report(results, tmp, sources=results.tables.get("sources"), **options)
        for part in sorted(tmp.iterdir()):
            target = folder / part.name
            if part.name == "tables":
                _replace_csv_tables(part, target)
                continue
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
            part.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return written


def _replace_csv_tables(new: Path, tables: Path) -> None:
    """Put the report's CSV tables into ``tables/`` in place of earlier CSVs, keeping Parquet."""
    tables.mkdir(exist_ok=True)
    for old in tables.glob("*.csv"):
        old.unlink()
    for csv in sorted(new.iterdir()):
        csv.rename(tables / csv.name)


def compare(folders: Sequence[str | Path], out: str | Path, force: bool = False) -> pd.DataFrame:
    """Compare saved results: ``comparison.csv`` and figures in ``out`` (written atomically)."""
    from mfa.report import compare_table, write_comparison

    for folder in folders:
        manifest.check(folder, "run")
    check_output(out, inputs=folders)
    runs = {}
    for folder in folders:
        results = Results.load(folder)
        name = results.summary.get("scenario") or Path(folder).name
        runs[name if name not in runs else f"{name} ({Path(folder).name})"] = results
    identity = {
        "compared": [str(Path(f).resolve()) for f in folders],
        "model_hash": [r.summary.get("model_hash") for r in runs.values()],
        "data_hash": [r.summary.get("data_hash") for r in runs.values()],
        "options": [r.summary.get("options") for r in runs.values()],
    }

    def write(tmp: Path) -> None:
        write_comparison(runs, tmp)
        manifest.write_all(tmp, "compare", identity)

    write_atomically(Path(out), force, write)
    return compare_table(runs)


def adjust(
    model: str | Path | ModelConfig,
    table: str,
    where: dict[str, Any] | None = None,
    *,
    scale: float | None = None,
    add: float | None = None,
    set: float | None = None,
    scenario: str | None = None,
) -> ModelConfig:
    """Return a model with one more ``adjust`` rule: change rows of a parameter table.

    The rule is the same as an ``adjust`` entry of a model file and is applied after the
    file's own rules and the scenario's (so it acts on the scenario's values). Pass the
    result to :func:`run` to re-solve, or to :func:`adjust` again to add another rule.

    Parameters
    ----------
    model
        A model file (with ``scenario``) or a loaded :class:`ModelConfig`.
    table
        Parameter table, e.g. ``"demand"``, ``"capacity"``, ``"variable_cost"``.
    where
        Rows to change: dimension -> value or list of values (e.g.
        ``{"region": "KR", "commodity": ["cell.LFP"]}``); every row when empty.
    scale, add, set
        Exactly one: multiply, shift or replace the selected values (table units).
    scenario
        Scenario applied when ``model`` is a file.

    Returns
    -------
    ModelConfig
        A copy; ``model`` itself is unchanged.

    Raises
    ------
    ConfigError
        Unknown table, or not exactly one of ``scale``, ``add``, ``set``. A ``where`` that
        selects no row is reported by :func:`run` / :func:`mfa.load_data` (InputError).

    Examples
    --------
    >>> cfg = mfa.adjust("models/canada_korea.yaml", "demand", {"region": "KR"},
    ...                  scale=1.2, scenario="reference")              # doctest: +SKIP
    >>> results = mfa.run(cfg)                                         # doctest: +SKIP
    """
    from pydantic import ValidationError

    from mfa.config import Adjustment
    from mfa.errors import ConfigError, Problem

    cfg = model if isinstance(model, ModelConfig) else load_model(model, scenario)
    try:
        rule = Adjustment(table=table, where=dict(where or {}), scale=scale, add=add, set=set)
    except ValidationError as err:
        shown = str(cfg.source_file or "mfa.adjust")
        raise ConfigError(
            [
                Problem(shown, e["msg"].removeprefix("Value error, "), column="adjust")
                for e in err.errors()
            ]
        ) from None
    return cfg.model_copy(update={"adjust": [*cfg.adjust, rule]})


def extend_model(
    model: str | Path, out: str | Path, replace: tuple[str, ...] | list[str] = (), **sections: Any
) -> Path:
    """Write a model file that is ``model`` with ``sections`` merged in, and return its path.

    The sections merge as an override does (mappings key by key, ``adjust`` lists appended,
    other values replaced), so a notebook can give the default model an ``uncertainty``
    section for :func:`mfa.sweep`, a scenario grid, or extra scenarios, without editing the
    model file. The new file reads the same data folder (written as an absolute path, with
    ``allow_external_paths: true`` when ``out`` lies outside the data's project folder). It is
    checked by :func:`load_model` before it is written.

    Parameters
    ----------
    model
        The model file to start from.
    out
        The new model file (its folder is created).
    replace
        Key paths (dotted, e.g. ``"uncertainty.parameters"``) whose value in ``sections``
        replaces the file's instead of merging into it (to drop entries of the file).
    **sections
        Top-level keys of a model file, e.g. ``uncertainty={...}``, ``grids={...}``,
        ``scenarios={...}``, ``overrides={...}``, ``options={...}``, ``adjust=[...]``.

    Raises
    ------
    ConfigError
        The merged file is not a valid model (naming the new file and key path).

    Examples
    --------
    >>> path = mfa.extend_model("models/canada_korea.yaml", "models/ck_uncertain.yaml",
    ...     uncertainty={"parameters": {"demand_kr": {"table": "demand",
    ...         "where": {"region": "KR"}, "distribution": "uniform",
    ...         "low": 0.8, "high": 1.2}}})                               # doctest: +SKIP
    >>> mfa.sweep(path, "reference", samples=20, workers=0, out="sweep")  # doctest: +SKIP
    """
    import copy
    import dataclasses
    import os

    from mfa.config import deep_merge, plain_containers, read_yaml, yaml_reader
    from mfa.errors import ConfigError, Problem
    from mfa.paths import project_root

    source = Path(model)
    raw = plain_containers(read_yaml(source))
    data = (source.parent / raw.get("data", "../data")).resolve()
    merged = deep_merge(raw, {k: v for k, v in sections.items() if v is not None})
    for path in replace:
        keys = path.split(".")
        value: Any = sections
        for key in keys:
            if not isinstance(value, dict) or key not in value:
                raise ConfigError(
                    [
                        Problem(
                            str(out),
                            f"replace names '{path}', which the given sections do not hold",
                            column=path,
                        )
                    ]
                )
            value = value[key]
        parent = merged
        for key in keys[:-1]:
            parent = parent.setdefault(key, {})
        parent[keys[-1]] = copy.deepcopy(value)
    merged["data"] = str(data)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not data.is_relative_to(project_root(out)):
        merged["allow_external_paths"] = True
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(f"# written by mfa.extend_model from {source.resolve()}\n")
            yaml_reader().dump(_listed(merged), handle)
        try:
            load_model(tmp)
        except ConfigError as err:  # name the file asked for, not the temporary one
            raise ConfigError(
                [dataclasses.replace(p, file=str(out)) for p in err.problems]
            ) from None
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _listed(node: Any) -> Any:
    """Plain YAML-writable containers (tuples become lists, paths and numpy scalars text
    and floats)."""
    if isinstance(node, dict):
        return {str(k): _listed(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [_listed(v) for v in node]
    if isinstance(node, Path):
        return str(node)
    if hasattr(node, "item") and callable(node.item):  # numpy scalar
        return node.item()
    return node


def frontier_results(
    model: str | Path | ModelData, scenario: str | None = None, points: int = 5
) -> tuple[pd.DataFrame, dict[int, Results]]:
    """The cost-emissions frontier with the full results of every point.

    The same ε-constraint sweep as :func:`mfa.frontier` (see :mod:`mfa.frontier` for the
    method: minimum cost, minimum emissions at the same unmet demand, then ``points`` caps on
    total emissions evenly spaced between the two), returning besides the frontier table the
    :class:`Results` of each point, so that what changes along the frontier (emissions by
    stage and region, supply mix, trade, indicators) can be read from the usual tables.

    Parameters
    ----------
    model
        A model file (with ``scenario``) or validated :class:`ModelData`.
    scenario
        Scenario name (when ``model`` is a file).
    points
        Points on the frontier (at least 2; point 0 is the least-cost solution, point
        ``points - 1`` the least-emission one).

    Returns
    -------
    tuple
        The frontier table (``point, epsilon, cost, emissions, abatement_cost, unmet``,
        headline indicators, units; as :func:`mfa.frontier`) and ``point -> Results``.
    """
    return _frontier_results(pipeline.data_of(model, scenario), points)


def recycled_content(
    results: Results | Any,
    processes: list[str] | None = None,
    regions: list[str] | None = None,
) -> pd.DataFrame:
    """Recycled content of each manufacturing process's inputs, element by element.

    For process :math:`p`, region :math:`r`, element :math:`\\ell` and year :math:`t`, the
    share of secondary (recycled) material in the inputs of :math:`\\ell` into :math:`p`:

    .. math:: \\frac{\\sum_{c \\in C_\\ell,\\ c\\ \\text{secondary}} u_{pcrt}}
                    {\\sum_{c \\in C_\\ell} u_{pcrt}}

    where :math:`C_\\ell` are the commodities of the single element :math:`\\ell` (e.g.
    ``Li.hydroxide`` and ``Li.secondary``; multi-element inputs such as pCAM or CAM are not
    counted, so the lithium of a cathode is counted once, where it enters as lithium). This
    is the quantity the ``recycled_content`` constraint bounds (in the default data every such
    input belongs to a substitute group), so a binding mandate shows here at its level. The
    ``recycled_input_rate`` indicator differs: it pools every manufacturing step.

    Parameters
    ----------
    results
        :class:`Results` (or a mapping of its tables: ``flows``, ``processes``,
        ``commodities``).
    processes, regions
        Keep only these (default: every manufacturing process and region with inputs).

    Returns
    -------
    DataFrame
        ``process, region, element, year, secondary, total, value, unit``: secondary and total
        inputs in t of element (the commodities' unit), ``value`` their ratio (``share``).
        Rows exist where the process has inputs of the element.
    """
    tables = results.tables if isinstance(results, Results) else results
    kind = tables["processes"].set_index("process")["kind"]
    com = tables["commodities"].set_index("commodity")
    flows = tables["flows"]
    sel = flows[(flows["direction"] == "in") & (flows["process"].map(kind) == "manufacturing")]
    if processes is not None:
        sel = sel[sel["process"].isin(processes)]
    if regions is not None:
        sel = sel[sel["region"].isin(regions)]
    element = sel["commodity"].map(com["element"])
    single = element.isin(set(com.loc[com["element"] != "multi", "element"])) & (
        sel["commodity"].map(com["unit"]) == "t"
    )
    sel = sel[single].assign(element=element[single])
    secondary = sel["commodity"].map(com["secondary"]).astype(bool)
    keys = ["process", "region", "element", "year"]
    out = (
        sel.assign(secondary=sel["value"].where(secondary, 0.0))
        .groupby(keys)
        .agg(secondary=("secondary", "sum"), total=("value", "sum"))
        .reset_index()
    )
    out = out[out["total"] > 1e-9]
    out["value"] = out["secondary"] / out["total"]
    out["unit"] = "share"
    return out.reset_index(drop=True)
