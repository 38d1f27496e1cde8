"""The bad-input corpus: one broken thing per case, and the problem it must produce.

Every case starts from a copy of the shipped example ``models/examples/tiny.yaml``
and its tables (a valid model), placed in a project folder as
``models/tiny.yaml`` + ``models/tiny/*.csv``, then applies its ``edits``. The
expected problem names the file (a substring of ``Problem.file``), the line
(``None`` where the file has none, e.g. a whole-file problem), the column or
YAML key path, a substring of the message and a substring of the expected
form. :mod:`tests.test_bad_inputs` runs each case through ``mfa validate``,
``mfa run -o OUT`` (which must write nothing) and the Python API.

Paths in edits are relative to the project's ``models`` folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[2] / "models" / "examples"

Edit = tuple[str, ...]
"""``("replace", path, old, new)``, ``("append", path, line)``, ``("write", path, text)``,
``("bytes", path, text_latin1)`` or ``("delete", path)``."""


@dataclass(frozen=True)
class Case:
    """One broken model and the problem it must be reported with."""

    name: str
    edits: tuple[Edit, ...]
    file: str
    message: str
    line: int | None
    column: str | None
    expected: str | None = None
    scenario: str | None = None
    value: object = field(default=None)


def materialise(case: Case, folder: Path) -> Path:
    """Write the base model plus the case's edits under ``folder``; return the model file."""
    models = folder / "models"
    models.mkdir(parents=True)
    (folder / "pyproject.toml").write_text("# project root for path checks\n")
    shutil.copy(EXAMPLE / "tiny.yaml", models / "tiny.yaml")
    shutil.copytree(EXAMPLE / "tiny", models / "tiny")
    for edit in case.edits:
        kind, rel, *args = edit
        path = models / rel
        if kind == "replace":
            text = path.read_text(encoding="utf-8")
            old, new = args
            assert text.count(old) == 1, f"{case.name}: '{old}' not once in {rel}"
            path.write_text(text.replace(old, new), encoding="utf-8")
        elif kind == "append":
            text = path.read_text(encoding="utf-8")
            path.write_text(text.rstrip("\n") + "\n" + args[0] + "\n", encoding="utf-8")
        elif kind == "write":
            path.write_text(args[0], encoding="utf-8")
        elif kind == "bytes":
            path.write_bytes(args[0].encode("latin-1"))
        elif kind == "delete":
            path.unlink()
        else:  # pragma: no cover - a typo in the corpus
            raise ValueError(f"unknown edit {kind}")
    return models / "tiny.yaml"


# short-hands for the base files -------------------------------------------------------------
Y = "tiny.yaml"
DEMAND = "tiny/demand.csv"
CAPACITY = "tiny/capacity.csv"
COMMODITIES = "tiny/commodities.csv"
PROCESSES = "tiny/processes.csv"
PROCESS_IO = "tiny/process_io.csv"
VARCOST = "tiny/variable_cost.csv"
ROUTES = "tiny/trade_routes.csv"
LIFE = "tiny/process_lifetime.csv"

DEMAND_ROW = "KR,cell,2025,100,GWh,example,"
MINE_CAP = "mine,CA,2025,North mine,100,t,example,"
CELL = "cell,Li,component,GWh,false,false,1,,,example,"
CELL_WITH_EOL = "cell,Li,component,GWh,false,false,1,,cell.eol,example,"
EOL = "cell.eol,Li,eol,GWh,true,false,1,,,example,"
LIFETIMES_HEAD = "commodity,region,distribution,mean,std,shape,source,note\n"
SHARE_HEAD = "region,commodity,year,value,unit,source,note\n"
HISTORY = ("historical_inflow.csv", "region,commodity,year,value,unit,source,note\n")
WITH_EOL = (("replace", COMMODITIES, CELL, CELL_WITH_EOL), ("append", COMMODITIES, EOL))


def _demand(row: str) -> Edit:
    return ("replace", DEMAND, DEMAND_ROW, row)


def _cap(row: str) -> Edit:
    return ("replace", CAPACITY, MINE_CAP, row)


def _yaml(old: str, new: str) -> Edit:
    return ("replace", Y, old, new)


OPTIONS = "options:\n  discount_rate: 0.0\n"
OVERRIDE = "      - {table: demand, where: {region: KR}, scale: 1.5}\n"

CASES: tuple[Case, ...] = (
    # --- header -------------------------------------------------------------------------------
    Case(
        "missing_column",
        (
            (
                "write",
                DEMAND,
                "region,commodity,year,value,source,note\nKR,cell,2025,100,example,\n",
            ),
        ),
        "demand.csv",
        "missing column",
        1,
        "unit",
        "columns region, commodity, year, value, unit",
    ),
    Case(
        "extra_column",
        (("replace", CAPACITY, "source,note\n", "source,note,comment\n"),),
        "capacity.csv",
        "unknown column",
        1,
        "comment",
        "columns process, region, year, plant",
    ),
    Case(
        "duplicate_column",
        (("replace", "tiny/regions.csv", "region,name,", "region,name,name,"),),
        "regions.csv",
        "column appears twice",
        1,
        "name",
    ),
    Case(
        "empty_table",
        (("write", DEMAND, ""),),
        "demand.csv",
        "the file is empty",
        None,
        None,
        "a header row",
    ),
    Case(
        "header_only_table",
        (("write", CAPACITY, "process,region,year,plant,value,unit,source,note\n"),),
        "capacity.csv",
        "header but no rows",
        1,
        None,
    ),
    Case(
        "not_utf8_csv",
        (
            (
                "bytes",
                "tiny/regions.csv",
                "region,name,source,note\nCA,Canad\xe1,example,\nKR,Korea,example,\n",
            ),
        ),
        "regions.csv",
        "not UTF-8",
        2,
        None,
        "a UTF-8 file",
    ),
    # --- rows and cells ----------------------------------------------------------------------
    Case(
        "too_many_fields",
        (_demand("KR,cell,2025,100,GWh,example,,surplus"),),
        "demand.csv",
        "row has 8 fields, the header 7",
        2,
        None,
        "one field per header column",
    ),
    Case(
        "too_few_fields",
        (_demand("KR,cell,2025,100"),),
        "demand.csv",
        "row has 4 fields, the header 7",
        2,
        None,
        "one field per header column",
    ),
    Case(
        "nan_value",
        (_cap("mine,CA,2025,North mine,nan,t,example,"),),
        "capacity.csv",
        "not a number",
        2,
        "value",
        "a finite number",
        value="nan",
    ),
    Case(
        "inf_value",
        (_cap("mine,CA,2025,North mine,inf,t,example,"),),
        "capacity.csv",
        "not a number",
        2,
        "value",
        "a finite number",
        value="inf",
    ),
    Case(
        "text_value",
        (_demand("KR,cell,2025,lots,GWh,example,"),),
        "demand.csv",
        "not a number",
        2,
        "value",
        "a finite number",
        value="lots",
    ),
    Case(
        "empty_value",
        (_demand("KR,cell,2025,,GWh,example,"),),
        "demand.csv",
        "not a number",
        2,
        "value",
        "a finite number",
        value="(empty)",
    ),
    Case(
        "text_in_float_column",
        (("replace", ROUTES, "8000", "far"),),
        "trade_routes.csv",
        "not a number",
        2,
        "distance_km",
        "a number >= 0",
        value="far",
    ),
    Case(
        "empty_required_cell",
        (("replace", "tiny/regions.csv", "KR,South Korea", "KR,"),),
        "regions.csv",
        "empty cell",
        3,
        "name",
        "text",
    ),
    Case(
        "bool_maybe",
        (("replace", COMMODITIES, "Li.ore,Li,mining,t,true", "Li.ore,Li,mining,t,maybe"),),
        "commodities.csv",
        "not true/false",
        2,
        "tradable",
        "true or false",
        value="maybe",
    ),
    Case(
        "year_not_whole",
        (_demand("KR,cell,2025.5,100,GWh,example,"),),
        "demand.csv",
        "not a whole number",
        2,
        "year",
        "such as 2030",
    ),
    Case(
        "year_is_text",
        (_demand("KR,cell,next year,100,GWh,example,"),),
        "demand.csv",
        "not a whole number",
        2,
        "year",
        "such as 2030",
    ),
    Case(
        "year_outside_horizon",
        (_demand("KR,cell,2300,100,GWh,example,"),),
        "demand.csv",
        "year far outside the horizon",
        2,
        "year",
        "a year between 1925 and 2126",
    ),
    Case(
        "history_year_outside_history",
        (("write", "tiny/" + HISTORY[0], HISTORY[1] + "KR,cell,2030,5,GWh,example,\n"),),
        "historical_inflow.csv",
        "historical year outside the history",
        2,
        "year",
        "a year from 1965 to 2024",
    ),
    # --- sets and references ------------------------------------------------------------------
    Case(
        "unknown_region",
        (_demand("XX,cell,2025,100,GWh,example,"),),
        "demand.csv",
        "unknown region",
        2,
        "region",
        "one of CA, KR",
        value="XX",
    ),
    Case(
        "unknown_region_in_route",
        (("replace", ROUTES, "CA,KR,", "CA,JP,"),),
        "trade_routes.csv",
        "unknown region",
        2,
        "destination",
        "one of CA, KR",
    ),
    Case(
        "unknown_commodity",
        (_demand("KR,cells,2025,100,GWh,example,"),),
        "demand.csv",
        "unknown commodity",
        2,
        "commodity",
        "one of Li.hydroxide, Li.ore, cell",
    ),
    Case(
        "unknown_process",
        (("append", CAPACITY, "smelt,CA,2025,Smelter,10,t,example,"),),
        "capacity.csv",
        "unknown process",
        5,
        "process",
        "one of cells, mine, refine",
    ),
    Case(
        "unknown_region_in_model_file",
        (_yaml("years:", "regions: [CA, JP]\nyears:"),),
        "tiny.yaml",
        "regions ['JP'] are not in",
        None,
        "regions",
    ),
    Case(
        "duplicate_row",
        (("append", VARCOST, "mine,*,2025,900,USD/t,example,"),),
        "variable_cost.csv",
        "duplicate row for process=mine, region=*, year=2025",
        2,
        None,
        "one row per index",
    ),
    Case(
        "ambiguous_wildcards",
        (("append", VARCOST, "*,CA,2025,5,USD/t,example,"),),
        "variable_cost.csv",
        "with the same number of '*'",
        2,
        None,
        "one more specific row",
    ),
    Case(
        "bad_choice",
        (("replace", PROCESSES, "mine,mining,", "mine,smelting,"),),
        "processes.csv",
        "not an allowed value",
        2,
        "kind",
        "one of mining, refining",
    ),
    Case(
        "bad_direction",
        (("replace", PROCESS_IO, "mine,Li.ore,out", "mine,Li.ore,both"),),
        "process_io.csv",
        "not an allowed value",
        2,
        "direction",
        "one of in, out",
    ),
    Case(
        "bad_certification_status",
        (
            (
                "write",
                "tiny/certification.csv",
                "process,region,plant,scheme,status,year,value,unit,source,note\n"
                "mine,CA,North mine,IRMA,certified,2025,100,t,example,\n",
            ),
        ),
        "certification.csv",
        "not an allowed value",
        2,
        "status",
        "one of audited, in_progress, none",
    ),
    Case(
        "bad_trade_mode",
        (("replace", ROUTES, ",sea,", ",air,"),),
        "trade_routes.csv",
        "not an allowed value",
        2,
        "mode",
        "one of sea, rail, road",
    ),
    # --- ranges -------------------------------------------------------------------------------
    Case(
        "negative_capacity",
        (_cap("mine,CA,2025,North mine,-100,t,example,"),),
        "capacity.csv",
        "value out of range",
        2,
        "value",
        "a number >= 0",
    ),
    Case(
        "negative_demand",
        (_demand("KR,cell,2025,-5,GWh,example,"),),
        "demand.csv",
        "value out of range",
        2,
        "value",
        "a number >= 0",
    ),
    Case(
        "collection_rate_above_one",
        (("write", "tiny/collection_rate.csv", SHARE_HEAD + "KR,cell,2025,1.5,share,example,\n"),),
        "collection_rate.csv",
        "value out of range",
        2,
        "value",
        "<= 1",
    ),
    Case(
        "collection_rate_negative",
        (("write", "tiny/collection_rate.csv", SHARE_HEAD + "KR,cell,2025,-0.2,share,example,\n"),),
        "collection_rate.csv",
        "value out of range",
        2,
        "value",
        ">= 0",
    ),
    Case(
        "tariff_above_one",
        (
            (
                "write",
                "tiny/tariff.csv",
                "commodity,origin,destination,year,value,unit,source,note\n"
                "Li.ore,CA,KR,2025,120,%,example,\n",
            ),
        ),
        "tariff.csv",
        "value out of range",
        2,
        "value",
        "<= 1",
    ),
    Case(
        "process_lifetime_zero",
        (("replace", LIFE, "refine,10,", "refine,0,"),),
        "process_lifetime.csv",
        "value out of range",
        2,
        "value",
        "a number > 0",
    ),
    Case(
        "process_lifetime_negative",
        (("replace", LIFE, "refine,10,", "refine,-3,"),),
        "process_lifetime.csv",
        "value out of range",
        2,
        "value",
        "a number > 0",
    ),
    Case(
        "lifetime_mean_zero",
        (
            *WITH_EOL,
            ("write", "tiny/lifetimes.csv", LIFETIMES_HEAD + "cell,KR,fixed,0,,,example,\n"),
        ),
        "lifetimes.csv",
        "value out of range",
        2,
        "mean",
        "a number > 0",
    ),
    Case(
        "lifetime_std_negative",
        (
            *WITH_EOL,
            ("write", "tiny/lifetimes.csv", LIFETIMES_HEAD + "cell,KR,normal,12,-1,,example,\n"),
        ),
        "lifetimes.csv",
        "value out of range",
        2,
        "std",
        "a number > 0",
    ),
    Case(
        "zero_coefficient",
        (("replace", PROCESS_IO, "refine,Li.ore,in,,1.25,", "refine,Li.ore,in,,0,"),),
        "process_io.csv",
        "value out of range",
        3,
        "value",
        "a number > 0",
    ),
    Case(
        "zero_gross_factor",
        (("replace", COMMODITIES, "mining,t,true,false,35.8,", "mining,t,true,false,0,"),),
        "commodities.csv",
        "value out of range",
        2,
        "gross_factor",
        "a number > 0",
    ),
    # --- units --------------------------------------------------------------------------------
    Case(
        "unit_usd_for_tonnes",
        (_cap("mine,CA,2025,North mine,100,USD,example,"),),
        "capacity.csv",
        "'USD' cannot be converted to 't'",
        2,
        "unit",
        "a unit convertible to 't'",
    ),
    Case(
        "unit_lce_for_li",
        (_cap("mine,CA,2025,North mine,100,t LCE,example,"),),
        "capacity.csv",
        "lithium carbonate equivalent",
        2,
        "unit",
        "a unit convertible to 't'",
    ),
    Case(
        "unit_tonnes_for_gwh",
        (("replace", CAPACITY, "200,GWh", "200,t"),),
        "capacity.csv",
        "'t' cannot be converted to 'GWh'",
        4,
        "unit",
        "a unit convertible to 'GWh'",
    ),
    Case(
        "unit_unknown",
        (_cap("mine,CA,2025,North mine,100,bags,example,"),),
        "capacity.csv",
        "unknown unit 'bags'",
        2,
        "unit",
        "a unit convertible to 't'",
    ),
    Case(
        "unit_wrong_denominator",
        (("replace", VARCOST, "mine,*,2025,1000,USD/t", "mine,*,2025,1000,USD/GWh"),),
        "variable_cost.csv",
        "cannot be converted to 'USD/t'",
        2,
        "unit",
        "a unit convertible to 'USD/t'",
    ),
    # --- sources ------------------------------------------------------------------------------
    Case(
        "source_not_in_sources",
        (_demand("KR,cell,2025,100,GWh,iea2099,"),),
        "demand.csv",
        "source id not in sources.csv",
        2,
        "source",
        "an id of sources.csv or 'assumption'",
        value="iea2099",
    ),
    Case(
        "assumption_without_note",
        (_demand("KR,cell,2025,100,GWh,assumption,"),),
        "demand.csv",
        "an assumption needs its reasoning in 'note'",
        2,
        "note",
        "a sentence of reasoning",
    ),
    Case(
        "sources_missing",
        (("delete", "tiny/sources.csv"),),
        "sources.csv",
        "bibliography not found",
        None,
        None,
        "sources.csv with columns id",
    ),
    Case(
        "sources_duplicate_id",
        (("append", "tiny/sources.csv", "example,again,Another,2026,-,-,nothing"),),
        "sources.csv",
        "duplicate source id",
        3,
        "id",
    ),
    # --- structure ----------------------------------------------------------------------------
    Case(
        "substitutes_differ",
        (
            ("replace", PROCESS_IO, "cells,Li.hydroxide,in,,0.5,", "cells,Li.hydroxide,in,li,0.5,"),
            ("append", PROCESS_IO, "cells,Li.ore,in,li,0.6,t/GWh,example,"),
        ),
        "process_io.csv",
        "substitutes in group 'li' of 'cells' must share one coefficient",
        7,
        "value",
        "equal values",
    ),
    Case(
        "substitute_group_of_one",
        (("replace", PROCESS_IO, "cells,Li.hydroxide,in,,0.5,", "cells,Li.hydroxide,in,li,0.5,"),),
        "process_io.csv",
        "group 'li' of 'cells' has one member",
        5,
        "group",
        "two or more substitute inputs",
    ),
    Case(
        "process_without_output",
        (("append", PROCESSES, "smelt,refining,t,Smelter,example,"),),
        "processes.csv",
        "process 'smelt' has no output in process_io",
        5,
        "process",
        "at least one row with direction 'out'",
    ),
    Case(
        "lifetime_normal_without_std",
        (
            *WITH_EOL,
            ("write", "tiny/lifetimes.csv", LIFETIMES_HEAD + "cell,KR,normal,12,,,example,\n"),
        ),
        "lifetimes.csv",
        "distribution 'normal' needs 'std'",
        2,
        "std",
        "a number > 0",
    ),
    Case(
        "lifetime_weibull_without_shape",
        (
            *WITH_EOL,
            ("write", "tiny/lifetimes.csv", LIFETIMES_HEAD + "cell,KR,weibull,12,,,example,\n"),
        ),
        "lifetimes.csv",
        "distribution 'weibull' needs 'shape'",
        2,
        "shape",
        "a number > 0",
    ),
    Case(
        "lifetime_without_eol_commodity",
        (("write", "tiny/lifetimes.csv", LIFETIMES_HEAD + "cell,KR,fixed,12,,,example,\n"),),
        "lifetimes.csv",
        "'cell' has a lifetime but no eol_commodity",
        2,
        "commodity",
        "a product with an eol_commodity",
    ),
    Case(
        "eol_commodity_not_eol",
        (("replace", COMMODITIES, CELL, "cell,Li,component,GWh,false,false,1,,Li.ore,example,"),),
        "commodities.csv",
        "eol_commodity of 'cell' must be a commodity of stage 'eol'",
        4,
        "eol_commodity",
        "a commodity with stage eol",
        value="Li.ore",
    ),
    Case(
        "demand_nobody_produces",
        (
            ("append", COMMODITIES, "Ni.sulfate,Ni,refining,t,true,false,1,,,example,"),
            ("append", DEMAND, "KR,Ni.sulfate,2025,10,t,example,"),
        ),
        "demand.csv",
        "demand for 'Ni.sulfate' but no process produces it",
        3,
        "commodity",
        "a commodity that is an output in process_io",
    ),
    # --- files and paths ----------------------------------------------------------------------
    Case(
        "table_file_missing",
        (_yaml("years:", "tables: {demand: demand_2024.csv}\nyears:"),),
        "demand_2024.csv",
        "table 'demand' not found",
        None,
        None,
    ),
    Case(
        "required_table_deleted",
        (("delete", PROCESSES),),
        "processes.csv",
        "table 'processes' not found",
        None,
        None,
    ),
    Case(
        "data_folder_missing",
        (_yaml("data: tiny", "data: nowhere"),),
        "tiny.yaml",
        "data folder not found",
        6,
        "data",
    ),
    Case(
        "data_leaves_project",
        (_yaml("data: tiny", "data: ../../elsewhere"),),
        "tiny.yaml",
        "path leaves the project folder",
        6,
        "data",
        "a path inside the project, or allow_external_paths: true",
    ),
    Case(
        "table_leaves_project",
        (_yaml("years:", "tables: {demand: ../../../d.csv}\nyears:"),),
        "tiny.yaml",
        "path leaves the project folder",
        7,
        "tables.demand",
        "allow_external_paths: true",
    ),
    Case(
        "unknown_table_name",
        (_yaml("years:", "tables: {demands: d.csv}\nyears:"),),
        "tiny.yaml",
        "unknown table(s) ['demands']",
        7,
        "tables",
    ),
    # --- YAML ---------------------------------------------------------------------------------
    Case(
        "yaml_duplicate_key",
        (_yaml("years:", "years: {start: 2025, end: 2030}\nyears:"),),
        "tiny.yaml",
        'found duplicate key "years"',
        8,
        None,
    ),
    Case(
        "yaml_not_utf8",
        (("bytes", Y, "name: tiny\ndescription: Montr\xe9al\ndata: tiny\n"),),
        "tiny.yaml",
        "not UTF-8",
        2,
        None,
        "a UTF-8 file",
    ),
    Case(
        "yaml_syntax", (_yaml("data: tiny", "data: [tiny"),), "tiny.yaml", "invalid YAML", 7, None
    ),
    Case(
        "yaml_not_a_mapping",
        (("write", Y, "- tiny\n- data\n"),),
        "tiny.yaml",
        "must be a mapping of keys",
        None,
        None,
    ),
    Case(
        "yaml_python_tag",
        (_yaml("name: tiny", "name: !!python/object/apply:os.system [id]"),),
        "tiny.yaml",
        "YAML tag '!!python/object/apply:os.system' is not allowed",
        4,
        "name",
        "without '!' tags",
    ),
    Case(
        "unknown_top_level_key",
        (_yaml("years:", "solver_options: {threads: 2}\nyears:"),),
        "tiny.yaml",
        "unknown key",
        7,
        "solver_options",
    ),
    Case(
        "unknown_nested_key",
        (_yaml(OPTIONS, OPTIONS + "  discount: 0.1\n"),),
        "tiny.yaml",
        "unknown key",
        10,
        "options.discount",
    ),
    Case(
        "unknown_key_in_override",
        (_yaml("  no_trade:\n", "  no_trade:\n    constraint: {}\n"),),
        "tiny.yaml",
        "unknown key",
        16,
        "overrides.no_trade.constraint",
    ),
    Case(
        "unknown_key_in_adjust",
        (_yaml(OVERRIDE, "      - {table: demand, wher: {}, scale: 2}\n"),),
        "tiny.yaml",
        "unknown key",
        14,
        "overrides.high_demand.adjust.0.wher",
    ),
    Case(
        "set_by_mfa_key",
        (_yaml("years:", "scenario: reference\nyears:"),),
        "tiny.yaml",
        "'scenario' is set by mfa, not in the file",
        7,
        None,
    ),
    Case(
        "option_out_of_range",
        (_yaml("discount_rate: 0.0", "discount_rate: 0.9"),),
        "tiny.yaml",
        "less than or equal to 0.5",
        9,
        "options.discount_rate",
        value=0.9,
    ),
    Case(
        "option_wrong_type",
        (_yaml("unmet_penalty: 1.0e6", "unmet_penalty: lots"),),
        "tiny.yaml",
        "valid number",
        10,
        "options.unmet_penalty",
        value="lots",
    ),
    Case(
        "years_reversed",
        (_yaml("years: {start: 2025, end: 2026}", "years: {start: 2030, end: 2025}"),),
        "tiny.yaml",
        "end (2025) must not be before start (2030)",
        7,
        "years",
    ),
    Case(
        "year_before_1900",
        (_yaml("years: {start: 2025, end: 2026}", "years: {start: 1800, end: 2026}"),),
        "tiny.yaml",
        "greater than or equal to 1900",
        7,
        "years.start",
        value=1800,
    ),
    # --- overrides and scenarios --------------------------------------------------------------
    Case(
        "adjust_selects_nothing",
        (_yaml("region: KR}", "region: JP}"),),
        "tiny.yaml",
        "adjust[0] on table 'demand' selects no row",
        14,
        "overrides.high_demand.adjust.0.where",
        "dimension values present in the table",
        scenario="high_demand",
    ),
    Case(
        "adjust_unknown_dimension",
        (_yaml("where: {region: KR}", "where: {plant: X}"),),
        "tiny.yaml",
        "table 'demand' has no dimension 'plant'",
        14,
        "overrides.high_demand.adjust.0.where",
        "one of ['region', 'commodity', 'year']",
        scenario="high_demand",
    ),
    Case(
        "adjust_two_operations",
        (_yaml("scale: 1.5}", "scale: 1.5, set: 3}"),),
        "tiny.yaml",
        "give exactly one of scale, add, set",
        14,
        "overrides.high_demand.adjust.0",
    ),
    Case(
        "adjust_unknown_table",
        (_yaml("{table: demand,", "{table: demands,"),),
        "tiny.yaml",
        "unknown parameter table 'demands'",
        14,
        "overrides.high_demand.adjust.0",
    ),
    Case(
        "scenario_names_unknown_override",
        (_yaml("high_demand: [high_demand]", "high_demand: [high_demand, hihg]"),),
        "tiny.yaml",
        "names 'hihg', which is neither an override nor a scenario",
        19,
        "scenarios.high_demand",
    ),
    Case(
        "unknown_scenario_requested",
        (),
        "tiny.yaml",
        "unknown scenario 'hihg_demand'",
        None,
        "scenarios",
        scenario="hihg_demand",
    ),
    Case(
        "circular_scenarios",
        (_yaml("  reference: []\n", "  reference: [loop]\n  loop: [reference]\n"),),
        "tiny.yaml",
        "scenario references form a cycle: reference -> loop -> reference",
        18,
        "scenarios.reference",
        scenario="reference",
    ),
)

# --- round two (issue 20): every number reaching the LP is finite and in range -------------------
ADJUST_MINE = "adjust:\n  - {{table: variable_cost, where: {{process: mine}}, {op}}}"
DISTANCE = "CA,KR,8000,sea,example,"
LOGNORMAL_TINY = LIFETIMES_HEAD + "cell,KR,lognormal,10,1e-8,,example,\n"
WEIBULL_TINY = LIFETIMES_HEAD + "cell,KR,weibull,10,,0.001,example,\n"


def _adjust(op: str) -> Edit:
    return ("append", Y, ADJUST_MINE.format(op=op))


CASES = (
    *CASES,
    Case(
        "adjust_scale_nan",
        (_adjust("scale: .nan"),),
        "tiny.yaml",
        "finite number",
        21,
        "adjust.0.scale",
    ),
    Case(
        "adjust_scale_inf",
        (_adjust("scale: .inf"),),
        "tiny.yaml",
        "finite number",
        21,
        "adjust.0.scale",
    ),
    Case(
        "adjust_scale_negative",
        (_adjust("scale: -1"),),
        "tiny.yaml",
        "greater than or equal to 0",
        21,
        "adjust.0.scale",
    ),
    Case(
        "adjust_set_huge",
        (_adjust("set: 1.0e300"),),
        "tiny.yaml",
        "less than or equal to",
        21,
        "adjust.0.set",
    ),
    Case(
        "adjust_add_makes_cost_negative",
        (_adjust("add: -2000"),),
        "tiny.yaml",
        "adjust[0] makes variable_cost",
        21,
        "adjust.0",
        ">= 0",
    ),
    Case(
        "adjust_scale_overflows",
        (_adjust("scale: 1.0e14"),),
        "tiny.yaml",
        "adjust[0] makes variable_cost",
        21,
        "adjust.0",
        "magnitude of at most",
    ),
    Case(
        "override_adjust_scale_nan",
        (_yaml("scale: 1.5", "scale: .nan"),),
        "tiny.yaml",
        "finite number",
        14,
        "overrides.high_demand.adjust.0.scale",
    ),
    Case(
        "unmet_penalty_infinite",
        (_yaml("unmet_penalty: 1.0e6", "unmet_penalty: .inf"),),
        "tiny.yaml",
        "finite number",
        10,
        "options.unmet_penalty",
    ),
    Case(
        "unmet_penalty_huge",
        (_yaml("unmet_penalty: 1.0e6", "unmet_penalty: 1.0e30"),),
        "tiny.yaml",
        "less than or equal to",
        10,
        "options.unmet_penalty",
    ),
    Case(
        "discount_rate_nan",
        (_yaml("discount_rate: 0.0", "discount_rate: .nan"),),
        "tiny.yaml",
        "finite number",
        9,
        "options.discount_rate",
    ),
    Case(
        "value_overflows_after_conversion",
        (_demand("KR,cell,2025,1e306,TWh,example,"),),
        "demand.csv",
        "out of range after conversion from 'TWh'",
        2,
        "value",
        "magnitude of at most",
        value="1e306",
    ),
    Case(
        "value_too_large",
        (_cap("mine,CA,2025,North mine,1e16,t,example,"),),
        "capacity.csv",
        "out of range after conversion",
        2,
        "value",
        "magnitude of at most",
    ),
    Case(
        "distance_too_large",
        (("replace", ROUTES, DISTANCE, "CA,KR,1e300,sea,example,"),),
        "trade_routes.csv",
        "number too large",
        2,
        "distance_km",
        "magnitude of at most",
    ),
    Case(
        "unit_divides_by_zero",
        (_cap("mine,CA,2025,North mine,100,t/0,example,"),),
        "capacity.csv",
        "unknown unit 't/0'",
        2,
        "unit",
        "convertible to 't'",
    ),
    Case(
        "unit_to_power_zero",
        (_cap("mine,CA,2025,North mine,100,t**0,example,"),),
        "capacity.csv",
        "unknown unit 't**0'",
        2,
        "unit",
        "convertible to 't'",
    ),
    Case(
        "unit_with_zero_factor",
        (_cap("mine,CA,2025,North mine,100,0*t,example,"),),
        "capacity.csv",
        "unknown unit '0*t'",
        2,
        "unit",
        "convertible to 't'",
    ),
    Case(
        "year_huge",
        (_demand("KR,cell,1e20,100,GWh,example,"),),
        "demand.csv",
        "out of range",
        2,
        "year",
        "from 1800 to 2300",
        value="1e20",
    ),
    Case(
        "year_negative",
        (_demand("KR,cell,-2025,100,GWh,example,"),),
        "demand.csv",
        "out of range",
        2,
        "year",
        "from 1800 to 2300",
    ),
    Case(
        "lifetime_lognormal_std_tiny",
        (*WITH_EOL, ("write", "tiny/lifetimes.csv", LOGNORMAL_TINY)),
        "lifetimes.csv",
        "gives no finite cohort shares",
        2,
        "std",
        "usable lifetime",
    ),
    Case(
        "lifetime_weibull_shape_tiny",
        (*WITH_EOL, ("write", "tiny/lifetimes.csv", WEIBULL_TINY)),
        "lifetimes.csv",
        "gives no finite cohort shares",
        2,
        "shape",
        "usable lifetime",
    ),
    # --- round two: formats, YAML safety, paths, solver options, partnership ---------------------
    Case(
        "partnership_unknown_region",
        (_yaml("unmet_penalty: 1.0e6", "unmet_penalty: 1.0e6\n  partnership: [CA, KOR]"),),
        "tiny.yaml",
        "partnership names ['KOR'], not regions of the model",
        11,
        "options.partnership",
        "region codes of",
        value="KOR",
    ),
    Case(
        "csv_separated_by_semicolons",
        (
            (
                "write",
                DEMAND,
                "region;commodity;year;value;unit;source;note\nKR;cell;2025;100;GWh;example;\n",
            ),
        ),
        "demand.csv",
        "separated by ';', not by commas",
        1,
        None,
        "comma-separated values",
    ),
    Case(
        "csv_separated_by_tabs",
        (
            (
                "write",
                DEMAND,
                "region\tcommodity\tyear\tvalue\tunit\tsource\tnote\nKR\tcell\t2025\t100\tGWh\texample\t\n",
            ),
        ),
        "demand.csv",
        "separated by '\\t', not by commas",
        1,
        None,
        "comma-separated values",
    ),
    Case(
        "line_after_a_multiline_quoted_note",
        (
            _yaml("end: 2026", "end: 2027"),
            ("append", DEMAND, 'KR,cell,2026,100,GWh,example,"first line\nsecond line\nthird"'),
            ("append", DEMAND, "KR,cell,2027,lots,GWh,example,"),
        ),
        "demand.csv",
        "not a number",
        6,
        "value",
        value="lots",
    ),
    Case(
        "yaml_alias_bomb",
        (
            (
                "append",
                Y,
                "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
                + "\n".join(
                    f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)
                ),
            ),
        ),
        "tiny.yaml",
        "aliases nested 4 deep",
        24,
        None,
        "few aliases",
    ),
    Case(
        "yaml_too_many_aliases",
        (("append", Y, "a0: &a0 x\nmany: [" + ", ".join(["*a0"] * 201) + "]"),),
        "tiny.yaml",
        "more than 200 aliases",
        21,
        None,
        "few aliases",
    ),
    Case(
        "yaml_tag_on_a_key",
        (("append", Y, "!!python/name:os.system x: 1"),),
        "tiny.yaml",
        "YAML tag '!!python/name:os.system' is not allowed",
        20,
        "x",
    ),
    Case(
        "highs_option_unknown",
        (("append", Y, "solver:\n  options: {presolv: 'off'}"),),
        "tiny.yaml",
        "HiGHS rejects the option presolv",
        21,
        "solver.options.presolv",
        "HiGHS' option list",
    ),
    Case(
        "highs_option_bad_value",
        (("append", Y, "solver:\n  options: {solver: simplx}"),),
        "tiny.yaml",
        "HiGHS rejects the option solver = 'simplx'",
        21,
        "solver.options.solver",
        "HiGHS' option list",
    ),
    Case(
        "time_limit_infinite",
        (("append", Y, "solver:\n  time_limit_s: .inf"),),
        "tiny.yaml",
        "finite number",
        21,
        "solver.time_limit_s",
    ),
    Case(
        "table_leaves_the_project",
        (("append", Y, "tables: {demand: ../../../elsewhere/demand.csv}"),),
        "tiny.yaml",
        "path leaves the project folder",
        20,
        "tables.demand",
        "allow_external_paths: true",
    ),
    Case(
        "override_table_leaves_the_project",
        (_yaml("  no_trade:\n", "  other:\n    tables: {demand: ../../../x.csv}\n  no_trade:\n"),),
        "tiny.yaml",
        "pyproject.toml or .git",
        16,
        "overrides.other.tables.demand",
        "a path inside the project",
    ),
    Case(
        "choice_file_leaves_the_project",
        (
            (
                "append",
                Y,
                "uncertainty:\n  parameters:\n    d:\n      table: demand\n"
                "      distribution: choice\n      files: {a: ../../../../outside/x.csv}",
            ),
        ),
        "tiny.yaml",
        "path leaves the project folder",
        25,
        "uncertainty.parameters.d.files.a",
    ),
    Case(
        "uncertain_low_nan",
        (
            (
                "append",
                Y,
                "uncertainty:\n  parameters:\n    d: {table: demand, distribution: uniform, "
                "low: .nan, high: 1.2}",
            ),
        ),
        "tiny.yaml",
        "finite number",
        22,
        "uncertainty.parameters.d.low",
    ),
    Case(
        "excess_cost_nan",
        (_yaml("unmet_penalty: 1.0e6", "unmet_penalty: 1.0e6\n  excess_cost: .nan"),),
        "tiny.yaml",
        "finite number",
        11,
        "options.excess_cost",
    ),
    Case(
        "adjust_set_nan",
        (_adjust("set: .nan"),),
        "tiny.yaml",
        "finite number",
        21,
        "adjust.0.set",
    ),
    Case(
        "kilotonnes_overflow",
        (_cap("mine,CA,2025,North mine,1e13,kt,example,"),),
        "capacity.csv",
        "out of range after conversion from 'kt'",
        2,
        "value",
        "magnitude of at most",
    ),
    Case(
        "build_limit_year_huge",
        (("replace", "tiny/build_limit.csv", "refine,CA,2025,", "refine,CA,1e20,"),),
        "build_limit.csv",
        "out of range",
        2,
        "year",
        "from 1800 to 2300",
    ),
    Case(
        "lifetime_mean_huge",
        (
            *WITH_EOL,
            ("write", "tiny/lifetimes.csv", LIFETIMES_HEAD + "cell,KR,fixed,1e300,,,example,\n"),
        ),
        "lifetimes.csv",
        "number too large",
        2,
        "mean",
        "magnitude of at most",
    ),
    Case(
        "trade_cost_missing_for_a_commodity",
        (
            (
                "write",
                "tiny/trade_cost.csv",
                SHARE_HEAD.replace("region,commodity,year", "commodity,origin,destination")
                + "Li.ore,CA,KR,100,USD/t,example,\n",
            ),
        ),
        "trade_routes.csv",
        "route CA -> KR has no row in",
        2,
        "origin",
        "options.free_trade_routes: true",
    ),
    Case(
        "trade_cost_table_missing",
        (("delete", "tiny/trade_cost.csv"),),
        "trade_routes.csv",
        "for Li.ore, Li.hydroxide: shipping would be free",
        2,
        "origin",
        "a trade_cost row",
    ),
)
