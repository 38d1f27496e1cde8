"""Model files: YAML definitions of a model and its scenarios.

A model file names the data folder, the tables, the horizon, the constraint
families, the solver options, reusable ``overrides`` (partial model files) and
named ``scenarios`` (ordered lists of overrides, or of other scenarios), in the
style of Calliope. :func:`load_model` reads a file, applies a scenario and
returns a validated, frozen :class:`ModelConfig`.

YAML is read with ruamel.yaml's safe round-trip loader (YAML 1.2: ``5e-2`` is a
number, ``NO`` is a string, duplicate keys are errors, nothing is evaluated) so
that every problem can name its line.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from mfa.errors import ConfigError, Problem
from mfa.inputs.tables import TABLES
from mfa.paths import PROJECT_RULE, outside, project_root

LARGEST = 1.0e15
"""Largest magnitude of any number in a model file (see :data:`mfa.inputs.read.LARGEST`)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Years(_Strict):
    """Model horizon."""

    start: int = Field(2025, ge=1900, le=2200)
    """First model year."""
    end: int = Field(2050, ge=1900, le=2200)
    """Last model year (inclusive)."""

    @model_validator(mode="after")
    def _ordered(self) -> Years:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) must not be before start ({self.start})")
        return self

    @property
    def all(self) -> tuple[int, ...]:
        """Every model year, in order."""
        return tuple(range(self.start, self.end + 1))


class Options(_Strict):
    """Economic settings of the objective."""

    discount_rate: float = Field(0.05, ge=0.0, le=0.5)
    """Real discount rate per year; costs in year t are weighted by (1+r)^-(t-start)."""
    unmet_penalty: float = Field(1.0e6, gt=0.0, le=1.0e12)
    """Cost per unit of final demand not served (USD per t or per GWh)."""
    excess_cost: float = Field(0.0, ge=0.0, le=1.0e12)
    """Cost per unit of unused by-product or landfilled end-of-life material (USD)."""
    partnership: list[str] = Field(default_factory=lambda: ["CA", "KR"])
    """Regions whose joint self-sufficiency and mutual supply shares are reported."""
    free_trade_routes: bool = False
    """Whether a trade route without a ``trade_cost`` row for a tradable commodity ships it
    for free (``false``: such a route is an input error naming the route and commodities)."""
    allow_unmet: bool = True
    """Whether final demand may go unserved at ``unmet_penalty`` (``false``: demand must be met,
    and a model that cannot meet it is infeasible and explained by :mod:`mfa.diagnose`)."""
    trace_origin: list[str] = Field(default_factory=list)
    """Elements whose mine and processing origin the LP traces (:mod:`mfa.model.origin`; off by
    default: it multiplies the element's flows by the number of origins). Elements that an
    ``origin_share`` row names are traced too."""
    trace_certified: list[str] = Field(default_factory=list)
    """Elements whose certified and uncertified material the LP keeps apart
    (:mod:`mfa.model.certified`; off by default). Elements that a ``certified_share`` row
    names are traced too."""


class Families(_Strict):
    """Constraint families switched on (commodity balance is always on).

    The model file's ``constraints:`` section. Each family names the switch that turns it
    off in its ``FAMILY`` record (:mod:`mfa.model.families`; ``security`` turns off both the
    stockpile and the supply-share families); the process and demand families are always on.
    """

    capacity: bool = True
    """Activity limited by existing plus newly built capacity."""
    resources: bool = True
    """Cumulative extraction limited by reserves."""
    trade: bool = True
    """Shipments along trade routes (off: every region is on its own)."""
    stock: bool = True
    """Products in use and their end-of-life outflows."""
    security: bool = True
    """Supplier caps, offtake shares, sourcing limits, stockpiles and supply shocks."""
    partnership: bool = True
    """Joint-venture capacity and route limits."""
    environment: bool = True
    """Emissions, energy and water: caps and the carbon price."""


SmoothedFamily = Literal["trade", "activity"]
"""A variable family whose year-to-year changes the tie-break minimises."""

HighsOption = str | int | float | bool
"""The value of one HiGHS option."""


def _all_smoothed_families() -> list[SmoothedFamily]:
    return ["trade", "activity"]


def _default_highs_options() -> dict[str, HighsOption]:
    return {"solver": "auto"}


class TieBreakOptions(_Strict):
    """A second solve that picks the smoothest of the (near-)optimal solutions
    (:mod:`mfa.tie_break`)."""

    tolerance: float = Field(1e-6, ge=0.0, le=0.1)
    """Cost allowed above the optimum, relative to it."""
    families: list[SmoothedFamily] = Field(default_factory=_all_smoothed_families, min_length=1)
    """Variables whose year-to-year changes are minimised."""
    iteration_limit: int = Field(20_000, ge=1)
    """Simplex iterations of the second solve; when it needs more, the cost-optimal
    solution is kept and the summary's ``tie_break.status`` says so (an iteration limit,
    unlike a time limit, gives the same answer on every machine)."""


class Solver(_Strict):
    """HiGHS settings."""

    options: dict[str, HighsOption] = Field(default_factory=_default_highs_options)
    """Passed to HiGHS as they are (see HiGHS' option list), except ``solver: auto`` (the
    default): mfa picks the dual simplex or the interior-point method with crossover by the
    LP's size (:func:`mfa.solve.choose_method`, measured in ``benchmarks/ALGORITHM.md``)."""
    time_limit_s: float | None = Field(None, gt=0)
    """Wall-clock limit of one solve; ``None`` means no limit."""
    threads: int = Field(1, ge=1)
    """HiGHS threads (1 keeps results reproducible and suits parallel sweeps)."""
    tie_break: TieBreakOptions | None = None
    """Off by default; e.g. ``tie_break: {tolerance: 1.0e-6}`` smooths the solution."""


class Adjustment(_Strict):
    """A change to rows of one parameter table, applied after interpolation.

    Exactly one of ``scale``, ``add`` or ``set`` is given; ``where`` selects the
    rows by dimension values (a value or a list of values per dimension) and
    must select at least one row.
    """

    table: str
    where: dict[str, str | int | list[str] | list[int]] = Field(default_factory=dict)
    scale: float | None = Field(None, ge=0.0, le=LARGEST)
    """Factor on the selected values (>= 0: a negative factor would flip their sign)."""
    add: float | None = Field(None, ge=-LARGEST, le=LARGEST)
    set: float | None = Field(None, ge=-LARGEST, le=LARGEST)

    @model_validator(mode="after")
    def _one_operation(self) -> Adjustment:
        given = [k for k in ("scale", "add", "set") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"give exactly one of scale, add, set (got {given or 'none'})")
        if self.table not in TABLES or not TABLES[self.table].parameter:
            names = ", ".join(sorted(n for n, s in TABLES.items() if s.parameter))
            raise ValueError(f"unknown parameter table '{self.table}' (known: {names})")
        return self


DISTRIBUTIONS = ("uniform", "triangular", "normal", "lognormal", "choice")
"""Distributions an uncertain parameter may follow (see :class:`UncertainParameter`)."""

_DIST_FIELDS = {
    "uniform": ({"low", "high"}, set()),
    "triangular": ({"low", "mode", "high"}, set()),
    "normal": ({"mean", "std"}, {"low", "high"}),
    "lognormal": ({"mean", "std"}, {"low", "high"}),
    "choice": ({"files"}, {"weights"}),
}
"""distribution -> (required fields, optional fields)."""


class UncertainParameter(_Strict):
    """One uncertain quantity of a sweep: rows of a parameter table and how they vary.

    The rows are chosen by ``where`` as in ``adjust``. A drawn number is applied
    as a multiplicative factor on those rows (``apply: scale``, the default) or
    as their absolute value in the table's unit (``apply: set``). ``choice``
    instead picks one of several alternative files for the whole table.
    ``range`` gives the low and high values of a one-at-a-time sensitivity
    (default: the distribution's low/high, or its 5th/95th percentiles).
    ``normal`` and ``lognormal`` take the mean and standard deviation of the
    drawn number itself, optionally truncated to ``[low, high]``.
    """

    table: str
    where: dict[str, str | int | list[str] | list[int]] = Field(default_factory=dict)
    apply: Literal["scale", "set"] = "scale"
    distribution: Literal["uniform", "triangular", "normal", "lognormal", "choice"] | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    std: float | None = Field(None, gt=0.0)
    files: dict[str, str] | None = None
    """``choice``: label -> file name under the data folder."""
    weights: dict[str, float] | None = None
    """``choice``: label -> probability weight (default: equal)."""
    range: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> UncertainParameter:
        spec = TABLES.get(self.table)
        if spec is None or not spec.parameter:
            names = ", ".join(sorted(n for n, s in TABLES.items() if s.parameter))
            raise ValueError(f"unknown parameter table '{self.table}' (known: {names})")
        dims = [c.name for c in spec.columns if c.kind == "dim"]
        bad = sorted(set(self.where) - set(dims))
        if bad:
            raise ValueError(
                f"table '{self.table}' has no dimension(s) {bad} in 'where' (dimensions: {dims})"
            )
        if self.distribution is None and self.range is None:
            raise ValueError(
                "give a 'distribution' (Monte Carlo) or a 'range' "
                "(one-at-a-time sensitivity), or both"
            )
        given = {
            k
            for k in ("low", "high", "mode", "mean", "std", "files", "weights")
            if getattr(self, k) is not None
        }
        if self.distribution is not None:
            required, optional = _DIST_FIELDS[self.distribution]
            missing = sorted(required - given)
            if missing:
                raise ValueError(f"distribution '{self.distribution}' needs {missing}")
            extra = sorted(given - required - optional)
            if extra:
                raise ValueError(
                    f"{extra} do not apply to distribution '{self.distribution}' "
                    f"(it takes {sorted(required | optional)})"
                )
        elif given:
            raise ValueError(f"{sorted(given)} need a 'distribution'")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) must not be above high ({self.high})")
        if self.mode is not None and not (self.low <= self.mode <= self.high):  # type: ignore
            raise ValueError(f"mode ({self.mode}) must lie between low and high")
        if self.distribution == "lognormal" and (self.mean or 0.0) <= 0.0:
            raise ValueError("a lognormal needs a positive mean")
        if self.distribution == "choice":
            self._check_choice()
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)} must be [low, high]")
        return self

    def _check_choice(self) -> None:
        if self.where or self.apply != "scale":
            raise ValueError("'choice' replaces the whole table: no 'where' or 'apply'")
        if self.range is not None:
            raise ValueError("'choice' takes no 'range' (a sensitivity runs each file)")
        if not self.files:
            raise ValueError("'choice' needs at least one file")
        if self.weights is not None:
            if set(self.weights) != set(self.files):
                raise ValueError(
                    f"'weights' must name the same labels as 'files' ({sorted(self.files)})"
                )
            if any(w < 0 for w in self.weights.values()) or not sum(self.weights.values()):
                raise ValueError("'weights' must be non-negative and not all zero")


class Uncertainty(_Strict):
    """Uncertain parameters for sweeps (``mfa sweep``); a normal run ignores them."""

    parameters: dict[str, UncertainParameter] = Field(default_factory=dict)
    """Name -> uncertain parameter (names label the sample table columns)."""
    seed: int = Field(0, ge=0)
    """Default seed (``--seed`` overrides): sample i depends only on the seed and i."""
    focus: list[str] = Field(default_factory=lambda: ["KR"])
    """Regions whose imports each sample records by origin and commodity."""


AGGREGATE_FILTERS = {
    "production": {"region", "process", "kind", "element", "years"},
    "activity": {"region", "process", "kind", "years"},
    "new_capacity": {"region", "process", "kind", "years"},
    "imports": {"region", "origin", "commodity", "stage", "element", "years"},
    "exports": {"region", "destination", "commodity", "stage", "element", "years"},
    "emissions": {"region", "years"},
}
"""Aggregate quantity -> the filters it takes (see :class:`Aggregate`)."""

Names = str | list[str] | None


class Aggregate(_Strict):
    r"""A linear quantity of the solution that near-optimal alternatives explore.

    ``quantity`` is one of

    * ``production``: output of the selected processes, in t of contained element
      (:math:`\sum x_{prt}\, \sum_c a^{out}_{pc}\, \kappa_{c\ell}` over the selected
      elements :math:`\ell`; all elements when ``element`` is not given);
    * ``imports`` / ``exports``: shipments into / out of ``region``, in t of contained
      element (:math:`\sum s_{codt}\, \kappa_{c\ell}`);
    * ``activity`` / ``new_capacity``: activity or capacity built, in the processes'
      activity unit (the selected processes must share one);
    * ``emissions``: greenhouse-gas emissions of processes and shipments (tCO2e).

    The other fields filter the terms (a name or a list of names; ``years`` an
    inclusive ``[first, last]``); ``kind`` is a process kind, ``stage`` a commodity
    stage, ``origin``/``destination`` the trade partner.
    """

    quantity: Literal["production", "activity", "new_capacity", "imports", "exports", "emissions"]
    region: Names = None
    process: Names = None
    kind: Names = None
    element: Names = None
    origin: Names = None
    destination: Names = None
    commodity: Names = None
    stage: Names = None
    years: tuple[int, int] | None = None

    @model_validator(mode="after")
    def _filters_apply(self) -> Aggregate:
        allowed = AGGREGATE_FILTERS[self.quantity]
        given = {
            k for k in type(self).model_fields if k != "quantity" and getattr(self, k) is not None
        }
        extra = sorted(given - allowed)
        if extra:
            raise ValueError(
                f"{extra} do not apply to quantity '{self.quantity}' (it takes {sorted(allowed)})"
            )
        if self.years is not None and self.years[0] > self.years[1]:
            raise ValueError(f"years {list(self.years)} must be [first, last]")
        return self


class Alternatives(_Strict):
    r"""Near-optimal alternatives (``mfa alternatives``); a normal run ignores them.

    For each cost slack :math:`s` the near-optimal space is
    :math:`\{x \text{ feasible}: c^\top x \le (1+s)\, c^\top x^*\}`; each aggregate is
    minimised and maximised over it, then ``random_directions`` random weighted sums of
    the aggregates (see :mod:`mfa.mga`).
    """

    slacks: list[float] = Field(default_factory=lambda: [0.01, 0.05, 0.1], min_length=1)
    """Cost slacks, relative to the optimal cost (0.05: at most 5 % dearer)."""
    random_directions: int = Field(8, ge=0)
    """Random directions per run (each solved at every slack)."""
    seed: int = Field(0, ge=0)
    """Seed of the random directions."""
    hold_excess: bool = True
    """Keep each commodity's unused output and landfill at most at its least-cost total
    (unused output is free, so otherwise the largest imports within a slack are dumped)."""
    aggregates: dict[str, Aggregate] = Field(default_factory=dict)
    """Name -> aggregate (names label the tables and figures)."""

    @field_validator("slacks")
    @classmethod
    def _positive(cls, slacks: list[float]) -> list[float]:
        bad = [s for s in slacks if not 0.0 <= s <= 10.0]
        if bad:
            raise ValueError(f"slacks must lie in [0, 10] (fractions of the optimal cost): {bad}")
        return sorted(set(slacks))


class ModelConfig(_Strict):
    """A validated model definition with one scenario applied.

    Paths are absolute after loading: ``data`` is resolved relative to the
    model file.
    """

    name: str
    description: str = ""
    data: Path = Path("../data")
    """Folder holding the tables (relative to the model file)."""
    tables: dict[str, str] = Field(default_factory=dict)
    """Table name -> file name under ``data`` (default ``<name>.csv``)."""
    years: Years = Field(default_factory=Years)
    regions: list[str] | None = None
    """Regions to keep (``None``: every region in ``regions.csv``)."""
    options: Options = Field(default_factory=Options)
    constraints: Families = Field(default_factory=Families)
    solver: Solver = Field(default_factory=Solver)
    adjust: list[Adjustment] = Field(default_factory=list)
    """Changes to parameter values (scenarios append to this list)."""
    allow_external_paths: bool = False
    """Allow ``data`` and table files outside the model's project folder."""
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)
    scenarios: dict[str, list[str]] = Field(default_factory=dict)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)
    """Uncertain parameters for sweeps (ignored by a normal run)."""
    alternatives: Alternatives = Field(default_factory=Alternatives)
    """Aggregates and slacks of near-optimal alternatives (ignored by a normal run)."""
    grids: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    """Scenario grids: name -> axis -> alternatives (override or scenario names, or
    ``base`` for none); a grid runs the cartesian product of its axes."""

    # set by load_model, not by the file
    source_file: Path | None = None
    scenario: str | None = None

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, tables: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(tables) - set(TABLES))
        if unknown:
            raise ValueError(
                f"unknown table(s) {unknown} in 'tables' (known: {', '.join(sorted(TABLES))})"
            )
        return tables

    @field_validator("grids")
    @classmethod
    def _known_grid_entries(
        cls, grids: dict[str, dict[str, list[str]]], info: ValidationInfo
    ) -> dict[str, dict[str, list[str]]]:
        known = set(info.data.get("overrides") or {}) | set(info.data.get("scenarios") or {})
        known.add("base")
        for gname, axes in grids.items():
            for axis, names in axes.items():
                bad = [n for n in names if n not in known]
                if bad or not names:
                    raise ValueError(
                        f"grid '{gname}' axis '{axis}' names {bad or 'nothing'}: each entry "
                        f"must be an override, a scenario or 'base' "
                        f"(known: {', '.join(sorted(known))})"
                    )
        return grids

    def table_path(self, name: str) -> Path:
        """Return the file that holds table ``name``."""
        return self.data / self.tables.get(name, f"{name}.csv")


_FILE_ONLY_KEYS = ("source_file", "scenario")


def yaml_reader() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def read_yaml(path: Path) -> CommentedMap:
    """Read a YAML mapping safely, keeping line numbers.

    Raises
    ------
    ConfigError
        If the file is missing, not UTF-8, not valid YAML, has duplicate keys
        or is not a mapping.
    """
    shown = str(path)
    if not path.is_file():
        raise ConfigError([Problem(shown, "model file not found")])
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise ConfigError(
            [Problem(shown, f"not UTF-8 text (byte {err.start})", line, expected="a UTF-8 file")]
        ) from None
    try:
        alias_problem = _alias_problem(text, shown)
        if alias_problem is not None:
            raise ConfigError([alias_problem])
        doc = yaml_reader().load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        mark_line = mark.line + 1 if mark is not None else None
        message = " ".join(str(x) for x in (err.context, err.problem) if x)
        raise ConfigError([Problem(shown, f"invalid YAML: {message}", line=mark_line)]) from None
    if not isinstance(doc, CommentedMap):
        raise ConfigError([Problem(shown, "the model file must be a mapping of keys")])
    tagged = [
        Problem(
            shown,
            f"YAML tag '{tag}' is not allowed: nothing in a model file is constructed or evaluated",
            line_of(doc, where),
            ".".join(map(str, where)),
            expected="a plain value, list or mapping without '!' tags",
        )
        for where, tag in _explicit_tags(doc, ())
    ]
    if tagged:
        raise ConfigError(tagged)
    return doc


MAX_ALIASES = 200
"""Most YAML aliases (``*name``) a model file may use."""
MAX_ALIAS_DEPTH = 3
"""Deepest nesting of aliases inside anchored nodes that are themselves aliased."""
MAX_NODES = 200_000
"""Most values a model file may hold once every alias is expanded."""


def _alias_problem(text: str, shown: str) -> Problem | None:
    """Check YAML aliases on the parser's events, before anything is built or expanded.

    A few hundred bytes of nested aliases ("billion laughs") expand to billions of
    values; counting the expanded size of every anchor as it is parsed costs one pass
    over the text.
    """
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        ScalarEvent,
    )

    size: dict[str, int] = {}
    depth: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, expanded size, alias depth] of open collections
    expanded = aliases = 0
    for event in YAML(typ="safe", pure=True).parse(text):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, AliasEvent):
            aliases += 1
            n, d = size.get(event.anchor, 1), depth.get(event.anchor, 0) + 1
        elif isinstance(event, ScalarEvent):
            n, d = 1, 0
            if event.anchor:
                size[event.anchor], depth[event.anchor] = 1, 0
        elif isinstance(event, CollectionStartEvent):
            stack.append([event.anchor, 1, 0])
            expanded += 1
            continue
        elif isinstance(event, CollectionEndEvent) and stack:
            anchor, n, d = stack.pop()
            if anchor:
                size[anchor], depth[anchor] = n, d
            if stack:
                stack[-1][1] += n
                stack[-1][2] = max(stack[-1][2], d)
            continue
        else:
            continue
        expanded += n
        if stack:
            stack[-1][1] += n
            stack[-1][2] = max(stack[-1][2], d)
        why = None
        if aliases > MAX_ALIASES:
            why = f"more than {MAX_ALIASES} aliases"
        elif d > MAX_ALIAS_DEPTH:
            why = f"aliases nested {d} deep (at most {MAX_ALIAS_DEPTH})"
        elif expanded > MAX_NODES:
            why = f"more than {MAX_NODES} values once aliases are expanded"
        if why:
            return Problem(
                shown,
                f"YAML aliases refused: {why}",
                line,
                expected="a model file written out plainly, with few aliases (*name)",
            )
    return None


def _explicit_tags(node: Any, where: tuple[Any, ...]) -> list[tuple[tuple[Any, ...], str]]:
    """Every value carrying an explicit YAML tag (``!!python/object``, ``!!binary``, ``!x``)."""
    if isinstance(node, bytes):
        return [(where, "!!binary")]
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag is not None:
        return [(where, str(tag).replace("tag:yaml.org,2002:", "!!"))]
    found: list[tuple[tuple[Any, ...], str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            key_tag = getattr(getattr(key, "tag", None), "value", None)
            if key_tag is not None:  # a tag on the key itself
                found.append(((*where, key), str(key_tag).replace("tag:yaml.org,2002:", "!!")))
                continue
            found += _explicit_tags(value, (*where, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _explicit_tags(value, (*where, i))
    return found


def line_of(node: Any, path: tuple[Any, ...]) -> int | None:
    """Return the 1-based line of ``path`` inside a ruamel node, as deep as it exists."""
    line = None
    for key in path:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def plain_containers(node: Any) -> Any:
    """Convert ruamel containers to plain dicts and lists."""
    if isinstance(node, dict):
        return {str(k): plain_containers(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain_containers(v) for v in node]
    return node


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge ``override`` into a copy of ``base``.

    Mappings merge key by key; ``adjust`` lists are appended (so scenarios
    accumulate changes); every other value is replaced.
    """
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        elif key == "adjust" and isinstance(value, list):
            merged[key] = list(merged.get(key, [])) + copy.deepcopy(value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _scenario_chain(
    name: str, scenarios: dict[str, Any], overrides: dict[str, Any], trail: tuple[str, ...] = ()
) -> list[str]:
    """Expand a scenario into the ordered list of override names it applies."""
    if name in trail:
        cycle = " -> ".join((*trail, name))
        raise ValueError(f"scenario references form a cycle: {cycle}")
    steps = scenarios[name]
    if isinstance(steps, str):
        steps = [steps]
    chain: list[str] = []
    for step in steps or []:
        if step in overrides:
            chain.append(step)
        elif step in scenarios:
            chain += _scenario_chain(step, scenarios, overrides, (*trail, name))
        else:
            known = sorted(set(overrides) | set(scenarios))
            raise ValueError(
                f"scenario '{name}' names '{step}', which is neither an override nor a "
                f"scenario (known: {', '.join(known) or 'none'})"
            )
    return chain


def load_model(path: str | Path, scenario: str | None = None) -> ModelConfig:
    """Read a model file, apply a scenario and validate the result.

    Parameters
    ----------
    path
        The model YAML file.
    scenario
        Name of a scenario in the file's ``scenarios``; ``None`` uses the base model.

    Returns
    -------
    ModelConfig
        Frozen, with ``data`` resolved to an absolute folder.

    Raises
    ------
    ConfigError
        Naming file, line and key path of every problem found.
    """
    path = Path(path)
    shown = str(path)
    doc = read_yaml(path)
    raw = plain_containers(doc)
    for key in _FILE_ONLY_KEYS:
        if key in raw:
            line = line_of(doc, (key,))
            raise ConfigError([Problem(shown, f"'{key}' is set by mfa, not in the file", line)])
    overrides = raw.get("overrides") or {}
    scenarios = raw.get("scenarios") or {}
    if (
        scenario is not None
        and isinstance(scenarios, dict)
        and scenario not in scenarios
        and ("+" in scenario or scenario in (overrides or {}))
    ):
        # "a+b" applies scenario (or override) a, then b (a cell of a scenario grid); an
        # override's name alone applies that override
        scenarios = {**scenarios, scenario: scenario.split("+")}
    problems: list[Problem] = []

    # every override on its own must fit the schema, so typos surface even when unused
    base = {k: v for k, v in raw.items() if k not in ("overrides", "scenarios")}
    if isinstance(overrides, dict):
        for oname, body in overrides.items():
            if not isinstance(body, dict):
                line = line_of(doc, ("overrides", oname))
                problems.append(
                    Problem(
                        shown, f"override '{oname}' must be a mapping", line, f"overrides.{oname}"
                    )
                )
                continue
            problems += _validate(
                deep_merge(base, body),
                doc,
                shown,
                ("overrides", oname),
                body,
                len(base.get("adjust") or []) if isinstance(base.get("adjust"), list) else 0,
            )

    chain: list[str] = []
    if scenario is not None:
        if scenario not in scenarios:
            known = ", ".join(sorted(scenarios)) or "none"
            problems.append(
                Problem(
                    shown, f"unknown scenario '{scenario}' (known: {known})", column="scenarios"
                )
            )
        else:
            try:
                chain = _scenario_chain(scenario, scenarios, overrides)
            except ValueError as err:
                line = line_of(doc, ("scenarios", scenario))
                problems.append(Problem(shown, str(err), line, f"scenarios.{scenario}"))
    if isinstance(scenarios, dict):
        for sname in scenarios:
            if sname == scenario:
                continue
            try:
                _scenario_chain(sname, scenarios, overrides)
            except ValueError as err:
                line = line_of(doc, ("scenarios", sname))
                problems.append(Problem(shown, str(err), line, f"scenarios.{sname}"))
    merged = raw
    for oname in chain:
        merged = deep_merge(merged, overrides[oname])
    problems += _validate(merged, doc, shown, (), None)
    if problems:
        raise ConfigError(_unique(problems))

    cfg = ModelConfig.model_validate(merged)
    data = (path.parent / cfg.data).resolve()
    seen: dict[Path, Path | None] = {}  # paths resolved by this call: overrides share most
    path_problems = _leaving_paths(cfg, path, doc, (), seen) + _solver_problems(cfg, doc, shown)
    for oname, body in (overrides or {}).items():  # paths of every override, used or not
        if isinstance(body, dict) and ("data" in body or "tables" in body):
            other = ModelConfig.model_validate(deep_merge(raw, body))
            path_problems += [  # only what the override itself names
                p
                for p in _leaving_paths(other, path, doc, ("overrides", oname), seen)
                if "data" in body or ".tables." in (p.column or "")
            ]
    if not data.is_dir():
        path_problems.append(
            Problem(shown, f"data folder not found: {data}", line_of(doc, ("data",)), "data")
        )
    if path_problems:
        raise ConfigError(path_problems)
    return cfg.model_copy(
        update={"data": data, "source_file": path.resolve(), "scenario": scenario}
    )


def _solver_problems(cfg: ModelConfig, doc: CommentedMap, shown: str) -> list[Problem]:
    """Solver options HiGHS itself rejects (unknown name, wrong type or value)."""
    if not cfg.solver.options:
        return []
    import highspy

    from mfa.highs import new_highs

    h = new_highs()
    problems = []
    for key, value in cfg.solver.options.items():
        if key == "solver" and value == "auto":  # mfa's own: chosen by mfa.solve.choose_method
            continue
        if h.setOptionValue(key, value) != highspy.HighsStatus.kOk:
            problems.append(
                Problem(
                    shown,
                    f"HiGHS rejects the option {key} = {value!r}",
                    line_of(doc, ("solver", "options", key)),
                    f"solver.options.{key}",
                    expected="an option name and a value of its type from HiGHS' option list",
                )
            )
    return problems


def _leaving_paths(
    cfg: ModelConfig,
    path: Path,
    doc: CommentedMap,
    prefix: tuple[str, ...],
    seen: dict[Path, Path | None],
) -> list[Problem]:
    """Problems for every data path of ``cfg`` (symbolic links followed) that leaves the
    project folder of the model file ``path`` (unless ``allow_external_paths``); ``seen``
    holds the paths resolved so far by the same load (:func:`mfa.paths.outside`)."""
    if cfg.allow_external_paths:
        return []
    root = project_root(path)
    data = (path.parent / cfg.data).resolve()
    named = [("data", path.parent / cfg.data)]
    named += [(f"tables.{t}", data / f) for t, f in cfg.tables.items()]
    defaults = [  # default table files, which may be symbolic links
        data / f"{t}.csv" for t in [*TABLES, "sources"] if t not in cfg.tables
    ]
    named += [("data", f) for f in defaults if f.exists()]
    named += [  # sweep alternatives (distribution: choice)
        (f"uncertainty.parameters.{name}.files.{label}", data / file)
        for name, p in cfg.uncertainty.parameters.items()
        for label, file in (p.files or {}).items()
    ]
    problems: list[Problem] = []
    for name, given in named:
        if given not in seen:
            seen[given] = outside(given, root)
        target = seen[given]
        if target is None or (problems and name == "data"):
            continue
        via = f" (a link to {target})" if given.is_symlink() else ""
        where = (*prefix, *name.split("."))
        problems.append(
            Problem(
                str(path),
                f"path leaves the project folder {root}: {given}{via} ({PROJECT_RULE})",
                line_of(doc, where),
                ".".join(where),
                expected="a path inside the project, or allow_external_paths: true",
            )
        )
    return problems


def _validate(
    merged: dict[str, Any],
    doc: CommentedMap,
    shown: str,
    prefix: tuple[str, ...],
    override: dict[str, Any] | None,
    base_adjust: int = 0,
) -> list[Problem]:
    """Validate a merged mapping and translate pydantic errors into problems.

    For an override, ``base_adjust`` entries of the merged ``adjust`` list come from the
    base file (reported from there); the override's own entries follow them.
    """
    try:
        ModelConfig.model_validate(merged)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            loc = tuple(x for x in e["loc"] if not str(x).startswith("function-after"))
            if override is not None and loc[:1] == ("adjust",) and len(loc) > 1:
                if not isinstance(loc[1], int) or loc[1] < base_adjust:
                    continue  # an entry of the base file's adjust list
                loc = ("adjust", loc[1] - base_adjust, *loc[2:])
            if override is not None and not _has_path(override, loc):
                continue  # the base file's own problem, reported once from the base
            path = (*prefix, *loc)
            message = e["msg"].removeprefix("Value error, ")
            if e["type"] == "extra_forbidden":
                message = "unknown key"
            problems.append(
                Problem(
                    shown,
                    message,
                    line_of(doc, path),
                    ".".join(str(p) for p in path) or None,
                    value=_scalar(e.get("input")) if e["type"] != "extra_forbidden" else None,
                )
            )
        return problems
    return []


def _has_path(mapping: Any, path: tuple[Any, ...]) -> bool:
    """Whether ``path`` (a pydantic error location) exists inside ``mapping``."""
    for key in path:
        in_dict = isinstance(mapping, dict) and key in mapping
        in_list = isinstance(mapping, list) and isinstance(key, int) and key < len(mapping)
        if in_dict or in_list:
            mapping = mapping[key]
        else:
            return False
    return True


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    out = []
    for p in problems:
        if str(p) not in seen:
            seen.add(str(p))
            out.append(p)
    return out


def _scalar(value: Any) -> Any:
    """The offending input when it is one value (a whole mapping or list says nothing more)."""
    return None if isinstance(value, (dict, list)) else value


def key_line(config: ModelConfig, path: tuple[str, ...]) -> int | None:
    """The line of key ``path`` in the model file (the deepest part of it written there)."""
    if config.source_file is None:
        return None
    try:
        return line_of(read_yaml(config.source_file), path)
    except ConfigError:
        return None


def adjust_origins(config: ModelConfig) -> list[tuple[str, int | None]]:
    """Where each entry of ``config.adjust`` was written: (key path, line) in the model file.

    The base file's ``adjust`` comes first, then the ``adjust`` of every override the
    scenario applies, in order (as :func:`deep_merge` appends them). Entries whose
    origin cannot be traced get ``("adjust.<k>", None)``.
    """
    fallback: list[tuple[str, int | None]] = [
        (f"adjust.{k}", None) for k in range(len(config.adjust))
    ]
    if config.source_file is None:
        return fallback
    try:
        doc = read_yaml(config.source_file)
        raw = plain_containers(doc)
        chain = (
            _scenario_chain(config.scenario, raw.get("scenarios") or {}, raw.get("overrides") or {})
            if config.scenario
            else []
        )
    except (ConfigError, ValueError, KeyError, TypeError):
        return fallback
    origins: list[tuple[str, int | None]] = []
    for prefix in [()] + [("overrides", name) for name in chain]:
        body = raw
        for key in prefix:
            body = body.get(key) or {}
        for k in range(len(body.get("adjust") or [])):
            path = (*prefix, "adjust", k)
            origins.append((".".join(map(str, path)), line_of(doc, path)))
    return origins if len(origins) == len(config.adjust) else fallback
