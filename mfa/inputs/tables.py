"""The catalogue of input tables: what each CSV under ``data/`` must look like.

Every table is tidy. A *set table* defines the members of a set and their
attributes (``regions``, ``commodities``, ``processes``, ``trade_routes``,
``lifetimes``). A *parameter table* has one column per dimension, then
``value``, ``unit`` and ``source`` (plus an optional free-text ``note``).

Conventions shared by all parameter tables
-------------------------------------------
* ``*`` in a dimension column means "every member of that set"; a row with
  fewer ``*`` wins over a row with more when both name the same index.
* Year columns hold the years the source gives; values in between are
  filled by the table's ``interpolation`` rule:

  - ``linear``: straight line between given years, flat before the first and
    after the last;
  - ``step``: a value holds from its year until the next given year, zero
    before the first (used for capacities: a plant exists from its start
    year; a later row with 0 retires it);
  - ``hold``: as ``step``, but no value at all before the first given year
    (used for policy limits: no limit before the policy starts);
  - ``ramp``: as ``linear``, but no value before the first given year (caps
    that tighten along a path from the year they start);
  - ``none``: only the years given.

* ``unit`` is parsed with :mod:`pint` and converted to the model's unit of the
  table (``canonical_unit``); a unit of another dimension is an error. The
  placeholder ``{activity}`` stands for the activity unit of the row's process
  and ``{commodity}`` for the unit of the row's commodity (``t`` or ``GWh``).
* ``source`` must name a row of ``sources.csv`` or be ``assumption`` (then
  ``note`` must say why).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Interpolation = Literal["linear", "ramp", "step", "hold", "none"]
SetName = Literal[
    "region",
    "commodity",
    "process",
    "year",
    "history_year",
    "mode",
    "element",
    "age",
    "item",
    "indicator",
]


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name
        Column header in the CSV.
    kind
        ``dim`` (a set member, ``*`` allowed), ``key`` (a set member defined by
        this table), ``str``, ``float``, ``int`` or ``bool``.
    refers_to
        For ``dim`` columns: the set whose members are allowed.
    required
        Whether the column must be present (``False``: may be absent or blank).
    choices
        Allowed values for ``str`` columns.
    lower, upper
        Bounds for numeric columns (inclusive).
    """

    name: str
    kind: Literal["dim", "key", "str", "float", "int", "bool"]
    refers_to: SetName | None = None
    required: bool = True
    choices: tuple[str, ...] | None = None
    lower: float | None = None
    upper: float | None = None
    lower_exclusive: bool = False


@dataclass(frozen=True)
class TableSpec:
    """The schema of one input table.

    Parameters
    ----------
    name
        Table name; the default file is ``<name>.csv`` under the data folder.
    description
        One line for ``data/README.md`` and error messages.
    columns
        Dimension and attribute columns (``value``/``unit``/``source``/``note``
        are added for parameter tables).
    parameter
        ``True`` for parameter tables (``value`` + ``unit``).
    canonical_unit
        The unit the model uses; input units are converted to it.
    value_lower, value_upper
        Allowed range of ``value`` after conversion (inclusive).
    interpolation
        How year gaps are filled (parameter tables with a ``year`` column).
    required
        Whether a model must have this table.
    sum_over
        Extra dimension summed away after validation (e.g. ``plant``).
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    parameter: bool = True
    canonical_unit: str | None = None
    value_lower: float | None = None
    value_upper: float | None = None
    value_lower_exclusive: bool = False
    interpolation: Interpolation = "none"
    required: bool = False
    sum_over: tuple[str, ...] = field(default_factory=tuple)

    @property
    def dims(self) -> tuple[str, ...]:
        """Names of the dimension columns that index the parameter."""
        return tuple(
            c.name for c in self.columns if c.kind == "dim" and c.name not in self.sum_over
        )


STAGES = (
    "resource",
    "mining",
    "refining",
    "material",
    "component",
    "product",
    "eol",
    "secondary",
)
"""Life-cycle stage of a commodity, in the order a Sankey diagram draws them."""

PROCESS_KINDS = (
    "mining",
    "refining",
    "manufacturing",
    "collection",
    "recycling",
    "repurposing",
)

ORIGIN_BASES = ("mine", "processing")
"""Bases of origin attribution besides shipping (table ``origin_rules``, :mod:`mfa.origin`)."""

ORIGIN_STEPS = (
    "mining",
    "refining",
    "manufacturing_material",
    "manufacturing_component",
    "manufacturing_product",
    "collection",
    "recycling",
    "repurposing",
)
"""Steps of the chain an origin rule names: a process kind, manufacturing split by the stage
it makes (materials such as pCAM and CAM, components such as cells, products such as packs)."""

CERTIFICATION_SCHEMES = ("IRMA", "RMAP", "LME", "TSM", "ICMM", "none")
"""Ethical-sourcing schemes a plant's status is held under (table ``certification``): the
Initiative for Responsible Mining Assurance, the RMI's Responsible Minerals Assurance Process,
the LME's responsible-sourcing requirements for listed brands, the Mining Association of
Canada's Towards Sustainable Mining, ICMM's Mining Principles (site validation), or none."""

CERTIFICATION_STATUSES = ("audited", "in_progress", "none")
"""A plant's status under its scheme: audited (conformant, verified), in progress (committed,
assessment under way), none (on no list)."""

DISTRIBUTIONS = ("fixed", "normal", "lognormal", "weibull", "table")


def _dim(name: str, refers_to: SetName) -> Column:
    return Column(name, "dim", refers_to=refers_to)


_REGION = _dim("region", "region")
_COMMODITY = _dim("commodity", "commodity")
_PROCESS = _dim("process", "process")
_YEAR = _dim("year", "year")
_ORIGIN = _dim("origin", "region")
_DESTINATION = _dim("destination", "region")
_SOURCE_COLS = (Column("source", "str"), Column("note", "str", required=False))

TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "regions",
            "Regions of the network: countries, blocs and a rest of world.",
            (Column("region", "key"), Column("name", "str"), *_SOURCE_COLS),
            parameter=False,
            required=True,
        ),
        TableSpec(
            "commodities",
            "Commodities: an element in a form (t contained element) or a product (own unit).",
            (
                Column("commodity", "key"),
                Column("element", "str"),
                Column("stage", "str", choices=STAGES),
                Column("unit", "str", choices=("t", "GWh", "unit")),
                Column("tradable", "bool"),
                Column("secondary", "bool"),
                Column("gross_factor", "float", lower=0.0, lower_exclusive=True),
                Column("gross_form", "str", required=False),
                Column("eol_commodity", "str", required=False),
                *_SOURCE_COLS,
            ),
            parameter=False,
            required=True,
        ),
        TableSpec(
            "processes",
            "Processes: mining, refining, manufacturing, collection, recycling.",
            (
                Column("process", "key"),
                Column("kind", "str", choices=PROCESS_KINDS),
                Column("activity_unit", "str", choices=("t", "GWh", "unit")),
                Column("name", "str"),
                *_SOURCE_COLS,
            ),
            parameter=False,
            required=True,
        ),
        TableSpec(
            "process_io",
            "Input and output coefficients per unit of process activity.",
            (
                _PROCESS,
                _COMMODITY,
                Column("direction", "dim", choices=("in", "out")),
                Column("group", "dim", required=False),
            ),
            canonical_unit="{commodity}/{activity}",
            value_lower=0.0,
            value_lower_exclusive=True,
            required=True,
        ),
        TableSpec(
            "commodity_content",
            "Element content of multi-element or product commodities.",
            (_COMMODITY, _dim("element", "element")),
            canonical_unit="t/{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "capacity",
            "Existing and announced capacity by plant (summed per process, region, year).",
            (_PROCESS, _REGION, _YEAR, Column("plant", "str")),
            canonical_unit="{activity}",
            value_lower=0.0,
            interpolation="step",
            sum_over=("plant",),
        ),
        TableSpec(
            "build_limit",
            "Largest new capacity that may be built per year; no row (or a year before the "
            "first row) means no expansion.",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="{activity}",
            value_lower=0.0,
            interpolation="ramp",
        ),
        TableSpec(
            "investment_cost",
            "Overnight investment cost per unit of annual capacity.",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="USD/{activity}",
            value_lower=0.0,
            interpolation="linear",
        ),
        TableSpec(
            "process_lifetime",
            "Technical lifetime of new capacity (also its annuity period).",
            (_PROCESS,),
            canonical_unit="year",
            value_lower=0.0,
            value_lower_exclusive=True,
        ),
        TableSpec(
            "variable_cost",
            "Operating cost per unit of activity (excluding purchased commodities).",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="USD/{activity}",
            value_lower=0.0,
            interpolation="linear",
        ),
        TableSpec(
            "reserves",
            "Cumulative extraction limit of a mining process over the horizon.",
            (_PROCESS, _REGION),
            canonical_unit="{activity}",
            value_lower=0.0,
        ),
        TableSpec(
            "demand",
            "Final demand for a commodity in a region and year.",
            (_REGION, _COMMODITY, _YEAR),
            canonical_unit="{commodity}",
            value_lower=0.0,
            interpolation="linear",
            required=True,
        ),
        TableSpec(
            "unmet_penalty",
            "Cost of a unit of final demand not served (default: options.unmet_penalty).",
            (_COMMODITY,),
            canonical_unit="USD/{commodity}",
            value_lower=0.0,
            value_lower_exclusive=True,
        ),
        TableSpec(
            "trade_routes",
            "Routes along which tradable commodities may move, with distance and mode.",
            (
                _ORIGIN,
                _DESTINATION,
                Column("distance_km", "float", lower=0.0),
                Column("mode", "str", choices=("sea", "rail", "road", "pipeline")),
                *_SOURCE_COLS,
            ),
            parameter=False,
        ),
        TableSpec(
            "trade_cost",
            "Freight and handling cost per unit shipped on a route.",
            (_COMMODITY, _ORIGIN, _DESTINATION),
            canonical_unit="USD/{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "tariff",
            "Ad-valorem import tariff on a route (share of the reference price).",
            (_COMMODITY, _ORIGIN, _DESTINATION, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="step",
        ),
        TableSpec(
            "reference_price",
            "Reference market price, used to turn ad-valorem tariffs into USD.",
            (_COMMODITY,),
            canonical_unit="USD/{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "emission_factor",
            "Direct (scope 1) GHG emissions per unit of activity.",
            (_PROCESS, _REGION),
            canonical_unit="tCO2e/{activity}",
            value_lower=0.0,
        ),
        TableSpec(
            "electricity_use",
            "Electricity use per unit of activity.",
            (_PROCESS, _REGION),
            canonical_unit="MWh/{activity}",
            value_lower=0.0,
        ),
        TableSpec(
            "energy_use",
            "Total final energy use per unit of activity.",
            (_PROCESS, _REGION),
            canonical_unit="GJ/{activity}",
            value_lower=0.0,
        ),
        TableSpec(
            "water_use",
            "Water withdrawal per unit of activity.",
            (_PROCESS, _REGION),
            canonical_unit="m3/{activity}",
            value_lower=0.0,
        ),
        TableSpec(
            "grid_intensity",
            "GHG intensity of grid electricity.",
            (_REGION, _YEAR),
            canonical_unit="tCO2e/MWh",
            value_lower=0.0,
            interpolation="linear",
        ),
        TableSpec(
            "transport_emission",
            "GHG emissions of freight per tonne-kilometre by mode.",
            (_dim("mode", "mode"),),
            canonical_unit="tCO2e/t/km",
            value_lower=0.0,
        ),
        TableSpec(
            "lifetimes",
            "Lifetime distribution of products in use (years).",
            (
                _COMMODITY,
                _REGION,
                Column("distribution", "str", choices=DISTRIBUTIONS),
                Column("mean", "float", lower=0.0, lower_exclusive=True, required=False),
                Column("std", "float", lower=0.0, lower_exclusive=True, required=False),
                Column("shape", "float", lower=0.0, lower_exclusive=True, required=False),
                *_SOURCE_COLS,
            ),
            parameter=False,
        ),
        TableSpec(
            "survival",
            "Survival shares by age, for products whose distribution is 'table'.",
            (_COMMODITY, _REGION, Column("age", "dim", refers_to="age")),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
        TableSpec(
            "historical_inflow",
            "Products that entered use before the first model year.",
            (_REGION, _COMMODITY, _dim("year", "history_year")),
            canonical_unit="{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "collection_rate",
            "Largest share of end-of-life arising that can be collected.",
            (_REGION, _COMMODITY, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="linear",
        ),
        TableSpec(
            "recycled_content",
            "Smallest share of secondary material in an element's input to a process.",
            (_PROCESS, _REGION, _dim("element", "element"), _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "supplier_cap",
            "Largest share of a region's supply of an item (commodity or element) from any "
            "one origin (Korea: 50 % by 2030).",
            (_REGION, _dim("item", "item"), _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "offtake_share",
            "Smallest share of a region's supply of an item that comes from one origin "
            "(offtake agreements, e.g. Korea from Canada).",
            (_REGION, _dim("item", "item"), _ORIGIN, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "stockpile_days",
            "Strategic stockpile to hold, in days of the region's consumption.",
            (_REGION, _COMMODITY, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=3650.0,
            interpolation="hold",
        ),
        TableSpec(
            "stockpile_initial",
            "Strategic stockpile held at the start of the first model year.",
            (_REGION, _COMMODITY),
            canonical_unit="{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "holding_cost",
            "Cost of holding one unit in a stockpile for a year.",
            (_COMMODITY, _REGION),
            canonical_unit="USD/{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "supply_shock",
            "Share of an origin's exports of a commodity cut in a year, relative to its "
            "exports in the year before the shock.",
            (_ORIGIN, _COMMODITY, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
        TableSpec(
            "trade_limit",
            "Largest shipment of a commodity on a route in a year (0 blocks the route).",
            (_COMMODITY, _ORIGIN, _DESTINATION, _YEAR),
            canonical_unit="{commodity}",
            value_lower=0.0,
            interpolation="hold",
        ),
        TableSpec(
            "emission_cap",
            "Largest GHG emissions of a region in a year (processes plus imports' transport).",
            (_REGION, _YEAR),
            canonical_unit="tCO2e",
            value_lower=0.0,
            interpolation="ramp",
        ),
        TableSpec(
            "energy_cap",
            "Largest final energy use of a region's processes in a year.",
            (_REGION, _YEAR),
            canonical_unit="GJ",
            value_lower=0.0,
            interpolation="ramp",
        ),
        TableSpec(
            "water_cap",
            "Largest water withdrawal of a region's processes in a year.",
            (_REGION, _YEAR),
            canonical_unit="m3",
            value_lower=0.0,
            interpolation="ramp",
        ),
        TableSpec(
            "carbon_price",
            "Price on GHG emissions in the objective.",
            (_REGION, _YEAR),
            canonical_unit="USD/tCO2e",
            value_lower=0.0,
            interpolation="linear",
        ),
        TableSpec(
            "input_saving",
            "Share by which a process needs less of every input (technology transfer).",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=0.9,
            interpolation="linear",
        ),
        TableSpec(
            "energy_saving",
            "Share by which a process needs less electricity and energy (technology transfer).",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=0.9,
            interpolation="linear",
        ),
        TableSpec(
            "dedicated_capacity",
            "Capacity of a process in a region whose output must be shipped to one destination "
            "(joint ventures built for a partner's demand).",
            (_PROCESS, _REGION, _DESTINATION, _YEAR),
            canonical_unit="{activity}",
            value_lower=0.0,
            interpolation="step",
        ),
        TableSpec(
            "origin_risk",
            "Sourcing risk indicators of an origin (governance, ESG, artisanal share, "
            "uncertified = 1 - certified).",
            (_REGION, _dim("indicator", "indicator")),
            canonical_unit="dimensionless",
        ),
        TableSpec(
            "origin_rules",
            "Which steps of the chain confer origin on the element they output: 1 if a "
            "process of this step makes its region the origin on this basis (mine: where "
            "extracted; processing: where last substantially transformed), 0 if its output "
            "keeps the origin of its feed (mfa.origin).",
            (
                Column("basis", "dim", choices=ORIGIN_BASES),
                Column("step", "dim", choices=ORIGIN_STEPS),
            ),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
        TableSpec(
            "origin_groups",
            "Groups of origins a rule names (e.g. foreign entities of concern, free-trade "
            "partners): 1 if the region belongs to the group.",
            (Column("group", "dim"), _REGION),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
        TableSpec(
            "origin_share",
            "Largest (max) or smallest (min) share of a region's supply of an element that "
            "may come from a group of origins, counted where mined or processed "
            "(mfa.model.origin).",
            (
                _REGION,
                _dim("item", "item"),
                Column("basis", "dim", choices=ORIGIN_BASES),
                Column("group", "dim"),
                Column("bound", "dim", choices=("max", "min")),
                _YEAR,
            ),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "certification",
            "Capacity of each plant by its ethical-sourcing certification status (audited, "
            "in progress, none) under a scheme (IRMA, RMAP, LME, TSM, ICMM), from the year "
            "the status holds; the audited capacity bounds certified activity "
            "(mfa.model.certified).",
            (
                _PROCESS,
                _REGION,
                Column("plant", "dim"),
                Column("scheme", "dim", choices=CERTIFICATION_SCHEMES),
                Column("status", "dim", choices=CERTIFICATION_STATUSES),
                _YEAR,
            ),
            canonical_unit="{activity}",
            value_lower=0.0,
            interpolation="step",
        ),
        TableSpec(
            "certified_share",
            "Smallest share of the element a region's process takes in that must be "
            "certified (traced in the LP from audited plants, mfa.model.certified); no "
            "limit before its first year.",
            (_dim("element", "element"), _REGION, _PROCESS, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "sourcing_limit",
            "Largest supply-weighted risk indicator of a region's imports of an item.",
            (_REGION, _dim("item", "item"), _dim("indicator", "indicator"), _YEAR),
            canonical_unit="dimensionless",
            interpolation="hold",
        ),
        TableSpec(
            "fixed_cost_share",
            "Fixed operating cost a year, paid whether or not the plant runs, as a share of "
            "the investment cost per unit of installed capacity.",
            (_PROCESS, _REGION),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
        TableSpec(
            "disposal_cost",
            "Cost of disposing of (landfilling) one unit of an end-of-life commodity.",
            (_COMMODITY, _REGION),
            canonical_unit="USD/{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "treatment_obligation",
            "Smallest share of the collected end-of-life arising that must be recycled or "
            "repurposed (landfill bans, producer responsibility).",
            (_REGION, _COMMODITY, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "market_limit",
            "Largest quantity a region may sell to (or buy from) the rest-of-world market at "
            "the reference price in a year.",
            (
                _COMMODITY,
                _REGION,
                Column("direction", "dim", choices=("sell", "buy")),
                _YEAR,
            ),
            canonical_unit="{commodity}",
            value_lower=0.0,
            interpolation="hold",
        ),
        TableSpec(
            "second_life_cap",
            "Largest share of a region's stationary-storage demand served by second-life packs.",
            (_REGION, _YEAR),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
            interpolation="hold",
        ),
        TableSpec(
            "second_life_lifetime",
            "Remaining service life of a repurposed pack in stationary storage.",
            (_REGION,),
            canonical_unit="year",
            value_lower=0.0,
            value_lower_exclusive=True,
        ),
        TableSpec(
            "transfer_cost",
            "Licence fee per unit of activity of a process that receives technology transfer.",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="USD/{activity}",
            value_lower=0.0,
            interpolation="hold",
        ),
        TableSpec(
            "max_capacity",
            "Largest installed capacity of a process in a region (technology readiness).",
            (_PROCESS, _REGION, _YEAR),
            canonical_unit="{activity}",
            value_lower=0.0,
            interpolation="ramp",
        ),
        TableSpec(
            "share_corridor",
            "Corridor around observed import shares by origin: its half-width in the first "
            "model year and how much it widens a year.",
            (
                _REGION,
                _dim("item", "item"),
                Column("bound", "dim", choices=("width", "drift")),
            ),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
        TableSpec(
            "observed",
            "Observed figures of the years before the model (output, trade by partner, sales) "
            "that the calibration table compares with the first model year; not a model input.",
            (
                Column(
                    "quantity",
                    "dim",
                    choices=("mine_output", "refinery_output", "imports", "exports", "sales"),
                ),
                _REGION,
                _dim("partner", "region"),
                _COMMODITY,
                _dim("year", "history_year"),
                Column("scope", "dim", choices=("model", "wider")),
            ),
            canonical_unit="{commodity}",
            value_lower=0.0,
        ),
        TableSpec(
            "observed_share",
            "Observed shares of a region's imports of an item (commodity or element) by "
            "origin, by value or volume; compared with the first model year, not a model input.",
            (
                _REGION,
                _dim("item", "item"),
                _dim("partner", "region"),
                _dim("year", "history_year"),
                Column("basis", "dim", choices=("volume", "value")),
            ),
            canonical_unit="dimensionless",
            value_lower=0.0,
            value_upper=1.0,
        ),
    )
}
"""Every table mfa knows, by name."""
