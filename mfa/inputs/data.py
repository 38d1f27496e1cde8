"""Load every table of a model into one frozen :class:`ModelData`.

The pipeline per table: read the CSV as text (:func:`read_csv`), parse and
check it on its own (:func:`parse_table`), check references to other tables
and to ``sources.csv`` (:mod:`mfa.inputs.references`), check that no recipe creates
an element (:mod:`mfa.inputs.conservation`), expand wildcards and
fill years (:mod:`mfa.inputs.expand`), then apply the model's adjustments.
Problems of all tables are collected and raised together as an
:class:`~mfa.errors.InputError`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import numpy as np
import pandas as pd

from mfa.config import Adjustment, ModelConfig, adjust_origins, key_line
from mfa.errors import InputError, Problem
from mfa.inputs.certification import check_certified_capacity
from mfa.inputs.conservation import check_conservation
from mfa.inputs.expand import expand_wildcards, to_series
from mfa.inputs.read import LARGEST, LINE, parse_table, read_csv
from mfa.inputs.references import check_references, check_sources, read_sources
from mfa.inputs.tables import TABLES, TableSpec

MODES = ("sea", "rail", "road", "pipeline")
HISTORY_SPAN = 60
"""Oldest historical inflow accepted, in years before the first model year."""


@dataclass(frozen=True)
class ModelData:
    """Everything the optimisation model needs, validated and on the model's index.

    Attributes
    ----------
    config
        The model definition with its scenario applied.
    years
        Model years, in order.
    history_years
        Years of historical inflows before the first model year, in order.
    regions
        Region codes kept by the model.
    commodities, processes, regions_table, trade_routes, lifetimes
        Set tables indexed by their key (trade routes by origin, destination).
    params
        Parameter tables as float Series indexed by their dimensions, in the
        canonical units of :mod:`mfa.inputs.tables`.
    sources
        ``sources.csv`` indexed by ``id``.
    data_hash
        SHA-256 of every file read, to tie results to the exact inputs.
    """

    config: ModelConfig
    years: tuple[int, ...]
    history_years: tuple[int, ...]
    regions: tuple[str, ...]
    commodities: pd.DataFrame
    processes: pd.DataFrame
    regions_table: pd.DataFrame
    trade_routes: pd.DataFrame
    lifetimes: pd.DataFrame
    params: Mapping[str, pd.Series]
    sources: pd.DataFrame
    data_hash: str

    def param(self, name: str) -> pd.Series:
        """Return parameter table ``name`` (empty if the model has none)."""
        return self.params[name]

    def unit_of(self, commodity: str) -> str:
        """Unit of a commodity (``t``, ``GWh`` or ``unit``)."""
        return str(self.commodities.at[commodity, "unit"])

    @property
    def name(self) -> str:
        """Model name."""
        return self.config.name


class Memo(Protocol):
    """Checked tables kept between runs under a key that names everything they were made
    from (:class:`mfa.inputs.cache.TableMemo`)."""

    def recall(self, key: str) -> Any | None:
        """The value kept under ``key``, or None."""

    def keep(self, key: str, value: Any) -> None:
        """Keep a copy of ``value`` under ``key`` (later changes to ``value`` do not reach it)."""


class _Forget:
    """No memo: every table is read and checked."""

    def recall(self, key: str) -> Any | None:
        return None

    def keep(self, key: str, value: Any) -> None:
        return None


def _digest(*parts: object) -> str:
    """A memo key: SHA-256 of the parts' ``repr`` (strings, numbers and tuples, lists and
    dicts of them, whose ``repr`` is the same in every process)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def load_data(config: ModelConfig, memo: Memo | None = None) -> ModelData:
    """Read, check and assemble every table of ``config``.

    Parameters
    ----------
    memo
        Where each table, read and checked on its own, and each parameter table, expanded
        and on the model's years, are kept and found again (:mod:`mfa.inputs.cache`). The
        key of the first holds the table's name, path and the SHA-256 of its bytes and the
        units of the commodities and processes it was read with; the key of the second that
        key, the members of every set, the regions and the years. The checks across
        tables, the adjustments and the routes' prices run every time. Only tables without
        problems are kept.

    Raises
    ------
    InputError
        Listing every problem of every table (file, line, column, value, expected).
    """
    memo = _Forget() if memo is None else memo
    root = config.source_file.parent if config.source_file else Path.cwd()
    hasher = hashlib.sha256()
    problems: list[Problem] = []
    sources_path = config.data / "sources.csv"
    sources, source_problems = read_sources(sources_path, _shown(sources_path, root))
    problems += source_problems
    source_ids = set(sources.index) if not sources.empty else set()

    typed: dict[str, pd.DataFrame] = {}
    shown: dict[str, str] = {}
    # sets first: their units and members are needed to read the parameter tables
    order = ["regions", "commodities", "processes"] + [
        n for n in TABLES if n not in ("regions", "commodities", "processes")
    ]
    unit_context: dict[str, dict[str, str]] = {"commodity": {}, "activity": {}}
    read_as: dict[str, str] = {}  # memo key of each table read
    for name in order:
        spec = TABLES[name]
        path = config.table_path(name)
        shown[name] = _shown(path, root)
        if not path.is_file() and not spec.required and name not in config.tables:
            continue
        raw = path.read_bytes() if path.is_file() else None
        if raw is not None:
            hasher.update(name.encode())
            hasher.update(raw)
        digest = None if raw is None else hashlib.sha256(raw).hexdigest()
        read_as[name] = _digest("table", name, str(path), shown[name], digest, unit_context)
        frame = memo.recall(read_as[name])
        file_problems: list[Problem] = []
        if frame is None:
            frame, file_problems = read_csv(path, spec, shown[name], raw)
            if not file_problems:
                frame, file_problems = parse_table(frame, spec, shown[name], unit_context)
            if not file_problems:
                memo.keep(read_as[name], frame)
        problems += file_problems
        if file_problems or frame.empty:
            continue
        problems += check_sources(frame, source_ids, shown[name])
        typed[name] = frame
        if name == "commodities":
            unit_context["commodity"] = dict(zip(frame["commodity"], frame["unit"], strict=True))
        elif name == "processes":
            unit_context["activity"] = dict(
                zip(frame["process"], frame["activity_unit"], strict=True)
            )
    if problems:
        raise InputError(problems)

    years = config.years.all
    history = tuple(range(years[0] - HISTORY_SPAN, years[0]))
    all_regions = list(typed["regions"]["region"])
    regions = tuple(config.regions) if config.regions is not None else tuple(all_regions)
    unknown_regions = sorted(set(regions) - set(all_regions))
    unknown_partners = [  # the default (CA, KR) may name regions a small model lacks
        r
        for r in config.options.partnership
        if r not in regions and "partnership" in config.options.model_fields_set
    ]
    if unknown_partners:
        raise InputError(
            [
                Problem(
                    str(config.source_file),
                    f"partnership names {unknown_partners}, not regions of the model",
                    key_line(config, ("options", "partnership")),
                    "options.partnership",
                    ", ".join(unknown_partners),
                    "region codes of " + shown["regions"] + ": " + ", ".join(regions),
                )
            ]
        )
    if unknown_regions:
        raise InputError(
            [
                Problem(
                    str(config.source_file),
                    f"regions {unknown_regions} are not in {shown['regions']}",
                    column="regions",
                )
            ]
        )
    members = {
        "region": all_regions,
        "commodity": list(typed["commodities"]["commodity"]),
        "process": list(typed["processes"]["process"]),
        "mode": list(MODES),
        "element": sorted(set(typed["commodities"]["element"])),
    }
    members["item"] = members["commodity"] + members["element"]
    if "origin_risk" in typed:
        members["indicator"] = sorted(set(typed["origin_risk"]["indicator"]))
    else:
        members["indicator"] = []
    problems += check_references(typed, members, shown, years, history)
    if not problems and "process_io" in typed:
        problems += check_conservation(typed, shown)
    if problems:
        raise InputError(problems)

    params: dict[str, pd.Series] = {}
    on = _digest(members, regions, years, history)
    for name, spec in TABLES.items():
        if not spec.parameter:
            continue
        key = _digest("series", read_as.get(name) if name in typed else None, name, on)
        series = memo.recall(key)
        if series is not None:
            params[name] = series
            continue
        frame = typed.get(name, pd.DataFrame(columns=[*[c.name for c in spec.columns], "value"]))
        frame, wild_problems = expand_wildcards(frame, spec, members, shown[name])
        problems += wild_problems
        frame = _keep_regions(frame, spec, regions)
        past = any(c.name == "year" and c.refers_to == "history_year" for c in spec.columns)
        params[name] = to_series(frame, spec, history if past else years)
        if not wild_problems:
            memo.keep(key, params[name])
    if problems:
        raise InputError(problems)
    problems += apply_adjustments(params, config.adjust, str(config.source_file))
    if problems:  # name where each failing adjustment was written (override, line)
        problems = _locate_adjustments(problems, adjust_origins(config))
    if problems:
        raise InputError(problems)
    problems += check_certified_capacity(params, shown)
    if problems:
        raise InputError(problems)

    routes = typed.get(
        "trade_routes", pd.DataFrame(columns=["origin", "destination", "distance_km", "mode", LINE])
    )
    routes = routes[routes["origin"].isin(regions) & routes["destination"].isin(regions)]
    if config.constraints.trade and not config.options.free_trade_routes:
        problems += _unpriced_routes(routes, typed["commodities"], params["trade_cost"], shown)
        if problems:
            raise InputError(problems)
    lifetimes = typed.get(
        "lifetimes", pd.DataFrame(columns=["commodity", "region", "distribution"])
    )
    return ModelData(
        config=config,
        years=years,
        history_years=history,
        regions=regions,
        commodities=typed["commodities"].drop(columns=[LINE]).set_index("commodity"),
        processes=typed["processes"].drop(columns=[LINE]).set_index("process"),
        regions_table=typed["regions"].drop(columns=[LINE]).set_index("region"),
        trade_routes=routes.drop(columns=[LINE], errors="ignore").set_index(
            ["origin", "destination"]
        ),
        lifetimes=lifetimes.drop(columns=[LINE], errors="ignore"),
        params=MappingProxyType(params),
        sources=sources,
        data_hash=hasher.hexdigest(),
    )


def _shown(path: Path, root: Path) -> str:
    """Path as shown in messages: relative to the model's project when possible."""
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)


def _unpriced_routes(
    routes: pd.DataFrame, commodities: pd.DataFrame, cost: pd.Series, shown: dict[str, str]
) -> list[Problem]:
    """Trade routes on which some tradable commodity has no ``trade_cost`` row.

    Such a shipment would cost nothing, silently: a missing freight row must be an
    error unless the model says ``options.free_trade_routes: true``.
    """
    tradable = list(commodities.loc[commodities["tradable"].astype(bool), "commodity"])
    priced = set(cost.index)
    problems = []
    for o, d, line in zip(routes["origin"], routes["destination"], routes[LINE], strict=True):
        free = [c for c in tradable if (c, o, d) not in priced]
        if free:
            more = f" and {len(free) - 6} more" if len(free) > 6 else ""
            shown_free = ", ".join(free[:6]) + more
            problems.append(
                Problem(
                    shown["trade_routes"],
                    f"route {o} -> {d} has no row in {shown['trade_cost']} for {shown_free}: "
                    "shipping would be free",
                    int(line),
                    "origin",
                    expected=f"a trade_cost row (commodity or '*', {o}, {d}) per tradable "
                    "commodity, or options.free_trade_routes: true",
                )
            )
    return problems


def _keep_regions(frame: pd.DataFrame, spec: TableSpec, regions: tuple[str, ...]) -> pd.DataFrame:
    """Drop rows that name regions outside the model."""
    for col in spec.columns:
        if col.kind == "dim" and col.refers_to == "region" and not frame.empty:
            frame = frame[frame[col.name].isin(regions)]
    return frame


def _locate_adjustments(
    problems: list[Problem], origins: list[tuple[str, int | None]]
) -> list[Problem]:
    """Replace ``adjust.<k>`` by the key path and line the adjustment was written at."""
    out = []
    for p in problems:
        parts = (p.column or "").split(".")
        if (
            len(parts) >= 2
            and parts[0] == "adjust"
            and parts[1].isdigit()
            and int(parts[1]) < len(origins)
        ):
            path, line = origins[int(parts[1])]
            p = dataclasses.replace(p, column=".".join([path, *parts[2:]]), line=line)
        out.append(p)
    return out


def apply_adjustments(
    params: dict[str, pd.Series], adjustments: list[Adjustment], shown: str
) -> list[Problem]:
    """Scale, shift or set selected parameter values (model file ``adjust``)."""
    problems = []
    for k, adj in enumerate(adjustments):
        series = params[adj.table]
        mask = pd.Series(True, index=series.index)
        for dim, wanted in adj.where.items():
            if dim not in (series.index.names or []):
                problems.append(
                    Problem(
                        shown,
                        f"adjust[{k}]: table '{adj.table}' has no dimension '{dim}'",
                        column=f"adjust.{k}.where",
                        expected=f"one of {list(series.index.names)}",
                    )
                )
                break
            values = wanted if isinstance(wanted, list) else [wanted]
            mask &= series.index.get_level_values(dim).isin(values)
        else:
            if not mask.any():
                problems.append(
                    Problem(
                        shown,
                        f"adjust[{k}] on table '{adj.table}' selects no row: {dict(adj.where)}",
                        column=f"adjust.{k}.where",
                        expected="dimension values present in the table",
                    )
                )
                continue
            series = series.copy()
            if adj.scale is not None:
                series[mask] = series[mask] * adj.scale
            elif adj.add is not None:
                series[mask] = series[mask] + adj.add
            else:
                series[mask] = float(adj.set)  # type: ignore[arg-type]
            problems += _check_adjusted(series[mask], TABLES[adj.table], k, shown)
            params[adj.table] = series
    return problems


def _check_adjusted(values: pd.Series, spec: TableSpec, k: int, shown: str) -> list[Problem]:
    """The values an adjustment produced must still be finite and in the table's range."""
    lower, upper = spec.value_lower, spec.value_upper
    ok = np.isfinite(values) & (values.abs() <= LARGEST)
    if lower is not None:
        ok &= values > lower if spec.value_lower_exclusive else values >= lower
    if upper is not None:
        ok &= values <= upper
    if ok.all():
        return []
    index, value = values.index[~ok][0], values[~ok].iloc[0]
    bounds = []
    if lower is not None:
        bounds.append(f"{'>' if spec.value_lower_exclusive else '>='} {lower:g}")
    if upper is not None:
        bounds.append(f"<= {upper:g}")
    bounds.append(f"a magnitude of at most {LARGEST:g}")
    key = index if isinstance(index, tuple) else (index,)
    return [
        Problem(
            shown,
            f"adjust[{k}] makes {spec.name} {dict(zip(values.index.names, key, strict=False))} "
            f"{value:g} ({int((~ok).sum())} value(s) out of range)",
            column=f"adjust.{k}",
            expected="a finite value " + " and ".join(bounds),
        )
    ]
