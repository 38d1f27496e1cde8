r"""Certified family (optional): certified and uncertified material kept apart in the LP.

Certification is granted per plant (``certification`` table: a plant's capacity by scheme and
status). A plant of a process whose kind the schemes audit (:data:`AUDITED_KINDS`: mines
under IRMA, TSM or ICMM; smelters, refiners and recyclers under the RMAP or the LME's
requirements) can make certified material only within its *audited* capacity; any other
process (manufacturing, collection, repurposing) passes on the status of its feed. Certified
status is an attribute the flow carries, as an origin is in :mod:`mfa.model.origin`: for each
traced element :math:`e` (``options.trace_certified`` and the elements a ``certified_share``
row names) every flow of a commodity holding :math:`e` has a certified part, in t of element,

.. math::

    0 \le z^{trade}_{cfdt} \le k_c s_{cfdt}, \quad
    0 \le z^{in}_{pcrt} \le k_c (1-\lambda_{prt}) a^{in}_{pc} x_{prt}, \quad
    0 \le z^{use}_{pgcrt} \le k_c u_{pgcrt}

(variables ``certified_part``, rows ``certified_within_flow``), the rest being uncertified.
Certified activity :math:`x^c_{prt}` of a process of an audited kind is held within the
audited capacity, and within its activity:

.. math::

    x^c_{prt} - \sum_{\tau} n_{pr\tau} \le C^{cert}_{prt} + \sum_d J_{prdt}
    \quad\text{(certified\_capacity)}, \qquad
    x^c_{prt} \le x_{prt} \quad\text{(certified\_within\_activity)}

with :math:`C^{cert}_{prt}` the capacity of the plants of ``certification`` whose status is
``audited``, :math:`n_{pr\tau}` the new capacity alive in :math:`t` and :math:`J_{prdt}` the
joint-venture capacity (an assumption: a plant built in the model years is built and audited
to the standard). Its shadow price is what one
more t of audited capacity would save: the plants to certify first. The certified output of
:math:`c` is

.. math::

    y_{pcrt} = \begin{cases}
        k_c a^{out}_{pc}\, x^c_{prt} & p \text{ mines or recycles (the status starts here)} \\
        \beta_{pc} \sum_i z^{in}_{pirt} & \text{otherwise, with }
            \beta_{pc} = k_c a^{out}_{pc} / \sum_i k_i (1-\lambda) a^{in}_{pi}
    \end{cases}

and a refiner's certified feed must go through its audited plants (a blending plant's output
is certified only as far as its certified feed, and only where the plant is audited):

.. math:: \sum_i z^{in}_{pirt} \le \textstyle\sum_i k_i (1-\lambda) a^{in}_{pi}\, x^c_{prt}
          \quad\text{(certified\_feed)}

A market cannot send on more certified material than enters it (mass balance; certified
material may be sold as uncertified, never the reverse), ``certified_balance``:

.. math:: \sum_d z^{trade}_{crdt} + \sum_p z^{in}_{pcrt} + \sum z^{use}_{\cdot crt}
          \le \sum_p y_{pcrt} + \sum_f z^{trade}_{cfrt}

The standard (table ``certified_share``, row ``certified_share_min``, its shadow price
``duals_certified_share_min`` in USD per t of element): the element process :math:`p` in
region :math:`R` takes in is at least a share :math:`\theta` certified,

.. math:: \sum_c z^{in}_{pcRt} + \sum z^{use}_{p\cdot cRt} \ge
          \theta \Bigl(\sum_c k_c (1-\lambda) a^{in}_{pc} x_{pRt} + \sum k_c u_{p\cdot cRt}\Bigr)

Size: per traced element, one variable and one row per flow of its commodities, one row per
market; one certified-activity variable and two rows per audited-kind activity.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyomo.environ as pyo
from pyomo.core.expr.numeric_expr import LinearExpression

from mfa.errors import InputError, Problem
from mfa.inputs.data import ModelData
from mfa.model.built import BuiltModel, Family, Row, tidy
from mfa.model.capacity import alive_new_capacity, dedicated_capacity
from mfa.model.supply import content_table

if TYPE_CHECKING:
    from mfa.solve import Solution

Pairs = list[tuple[float, Any]]

AUDITED_KINDS = ("mining", "refining", "recycling")
"""Process kinds whose plants the schemes audit: only their audited capacity makes (or, for
refining, passes on) certified material."""
SOURCE_KINDS = ("mining", "recycling")
"""Kinds where the status starts: the output of their audited capacity is certified whatever
the feed (a mine has none; a recycler's feed is end-of-life material the schemes accept)."""
AUDITED = "audited"
"""The status that counts as certified."""
CERTIFIED, UNCERTIFIED = "certified", "uncertified"


@dataclass
class CertifiedFlows:
    """What the family built, for its tables.

    Attributes
    ----------
    feed
        (region, element, process, year) -> (certified pairs, total pairs): the element the
        process takes in, certified and in all (coefficient, variable).
    """

    feed: dict[tuple[str, str, str, int], tuple[Pairs, Pairs]] = field(default_factory=dict)


def traced_elements(data: ModelData) -> list[str]:
    """Elements traced: ``options.trace_certified`` and those ``certified_share`` names."""
    named = set(data.config.options.trace_certified)
    share = data.param("certified_share")
    if len(share):
        named |= set(share.index.get_level_values("element"))
    return sorted(named)


def audited_capacity(data: ModelData) -> dict[tuple[str, str, int], float]:
    r""":math:`C^{cert}_{prt}`: capacity of the plants whose status is ``audited``."""
    out: dict[tuple[str, str, int], float] = defaultdict(float)
    table = data.param("certification")
    for (p, r, _plant, _scheme, status, t), v in table.items():
        if status == AUDITED:
            out[(p, r, int(t))] += float(v)
    return dict(out)


def add(built: BuiltModel) -> CertifiedFlows | None:
    """Add certified parts of the flows, certified activity, their rows and the standard.

    Returns
    -------
    CertifiedFlows or None
        The family's state (``None`` when no element is traced).
    """
    data = built.data
    elements = traced_elements(data)
    if not elements:
        return None
    content = content_table(data)
    _check(data, elements, content)
    return _Builder(built, content).build(elements)


def _check(data: ModelData, elements: list[str], content: dict[str, dict[str, float]]) -> None:
    known = {e for c in content.values() for e, k in c.items() if k > 0}
    problems = [
        Problem(
            str(data.config.source_file),
            f"certified tracing names element '{e}', which no commodity holds",
            column="trace_certified",
            expected="an element of commodities.csv",
        )
        for e in elements
        if e not in known
    ]
    if problems:
        raise InputError(problems)


class _Builder:
    """Collects the certified variables and rows of every traced element."""

    def __init__(self, built: BuiltModel, content: dict[str, dict[str, float]]) -> None:
        self.built, self.m, self.index, self.data = built, built.model, built.index, built.data
        self.content = content
        self.kind = self.data.processes["kind"].to_dict()
        self.saving = built.values.floats("input_saving")
        self.parts: list[tuple[float, Any]] = []  # certified part i <= coef * var
        self.rows: dict[str, dict[tuple, tuple[Pairs, float]]] = defaultdict(dict)
        self.flows = CertifiedFlows()

    def _part(self, coef: float, var: Any) -> int:
        self.parts.append((coef, var))
        return len(self.parts) - 1

    def _intake(self, p: str, e: str) -> float:
        """Element ``e`` taken in per unit activity of ``p`` (before input saving)."""
        spec = self.index.io[p]
        fixed = sum(self.content[c].get(e, 0.0) * a for c, a in spec.inputs)
        for a, members in spec.groups.values():
            held = {self.content.get(c, {}).get(e, 0.0) for c in members}
            if len(held) > 1:
                raise InputError(
                    [
                        Problem(
                            "process_io",
                            f"process '{p}': substitute inputs {members} hold different "
                            f"amounts of '{e}' ({sorted(held)}), so its certified output "
                            "cannot be traced",
                            column="group",
                        )
                    ]
                )
            fixed += a * held.pop()
        return fixed

    def build(self, elements: list[str]) -> CertifiedFlows:
        m, index = self.m, self.index
        audited = audited_capacity(self.data)
        dedicated = dedicated_capacity(self.data)
        makes = {
            p
            for p, spec in index.io.items()
            if self.kind.get(p) in AUDITED_KINDS
            and any(self.content[c].get(e, 0.0) > 0 for c, _ in spec.outputs for e in elements)
        }
        keys = [k for k in index.activity if k[0] in makes]
        m.certified_activity = pyo.Var(keys, domain=pyo.NonNegativeReals, doc="certified activity")
        xc = m.certified_activity
        activity = dict(zip(index.activity, m.activity.values(), strict=True))
        alive = {
            k: [self.built.resolve(n) for n in ns]
            for k, ns in alive_new_capacity(self.built).items()
        }
        for k in keys:
            new = alive.get(k, [])
            self.rows["certified_capacity"][k] = (
                [(1.0, xc[k]), *((-1.0, n) for n in new)],
                audited.get(k, 0.0) + dedicated.get(k, 0.0),
            )
            self.rows["certified_within_activity"][k] = ([(1.0, xc[k]), (-1.0, activity[k])], 0.0)
        for e in elements:
            self._element(e, activity, xc)
        return self._finish()

    def _element(self, e: str, activity: dict, xc: Any) -> None:
        index, m, k = self.index, self.m, self.content
        holds = {c for c, d in k.items() if d.get(e, 0.0) > 0}
        market: dict[tuple[str, str, int], Pairs] = defaultdict(list)  # out - in <= 0
        for (c, f, d, t), s in zip(index.trade, m.trade.values(), strict=True):
            if c in holds:
                i = self._part(k[c][e], s)
                market[(c, f, t)].append((1.0, i))
                market[(c, d, t)].append((-1.0, i))
        feeds: dict[tuple[str, str, int], list[int]] = defaultdict(list)
        totals: dict[tuple[str, str, int], Pairs] = defaultdict(list)
        for (p, r, t), x in activity.items():
            keep = 1.0 - self.saving.get((p, r, t), 0.0)
            for c, a in index.io[p].inputs:
                if c in holds:
                    i = self._part(k[c][e] * keep * a, x)
                    market[(c, r, t)].append((1.0, i))
                    feeds[(p, r, t)].append(i)
                    totals[(p, r, t)].append((k[c][e] * keep * a, x))
        for (p, _, c, r, t), u in zip(index.use, m.use.values(), strict=True):
            if c in holds:
                i = self._part(k[c][e], u)
                market[(c, r, t)].append((1.0, i))
                feeds[(p, r, t)].append(i)
                totals[(p, r, t)].append((k[c][e], u))
        for p, r, t in activity:
            spec = index.io[p]
            made = [(c, k[c].get(e, 0.0) * a) for c, a in spec.outputs if c in holds]
            made = [(c, a) for c, a in made if a > 0]
            if not made:
                continue
            keep = 1.0 - self.saving.get((p, r, t), 0.0)
            taken = keep * self._intake(p, e)
            fed = feeds.get((p, r, t), [])
            audited = (p, r, t) in xc
            for c, amount in made:
                if self.kind[p] in SOURCE_KINDS or taken <= 0:
                    if audited:
                        market[(c, r, t)].append((-amount, xc[p, r, t]))
                    continue
                market[(c, r, t)] += [(-amount / taken, i) for i in fed]
            if audited and self.kind[p] not in SOURCE_KINDS and taken > 0 and fed:
                self.rows["certified_feed"][(e, p, r, t)] = (
                    [(1.0, i) for i in fed] + [(-taken, xc[p, r, t])],
                    0.0,
                )
        for (c, r, t), pairs in market.items():
            self.rows["certified_balance"][(e, c, r, t)] = (pairs, 0.0)
        for key, fed in feeds.items():
            p, r, t = key
            self.flows.feed[(r, e, p, t)] = ([(1.0, i) for i in fed], totals[key])

    def _finish(self) -> CertifiedFlows:
        m = self.m
        m.certified_part = pyo.Var(
            range(len(self.parts)), domain=pyo.NonNegativeReals, doc="certified t element"
        )
        z = m.certified_part

        def resolve(pairs: Pairs) -> LinearExpression:
            return LinearExpression(
                linear_coefs=[a for a, _ in pairs],
                linear_vars=[z[v] if isinstance(v, int) else v for _, v in pairs],
            )

        def part_rule(_m: pyo.ConcreteModel, i: int) -> object:
            coef, var = self.parts[i]
            return resolve([(1.0, i), (-coef, var)]) <= 0.0

        m.certified_within_flow = pyo.Constraint(range(len(self.parts)), rule=part_rule)
        for name, rows in self.rows.items():
            data = rows

            def rule(_m: pyo.ConcreteModel, *key: Any, data: dict = data) -> object:
                pairs, bound = data[key]
                return resolve(pairs) <= bound

            setattr(m, name, pyo.Constraint(list(data), rule=rule))
        self.flows.feed = {
            key: ([(a, z[i]) for a, i in cert], total)
            for key, (cert, total) in self.flows.feed.items()
        }
        self._standard()
        return self.flows

    def _standard(self) -> None:
        """``certified_share_min``: the certified share of a process's feed of an element."""
        share = self.data.param("certified_share")
        rows = {}
        for (e, r, p, t), theta in share.items():
            key = (r, e, p, int(t))
            if int(t) in self.index.years and key in self.flows.feed:
                rows[(e, r, p, int(t))] = (key, float(theta))
        feed = self.flows.feed

        def rule(_m: pyo.ConcreteModel, *key: Any) -> object:
            where, theta = rows[key]
            cert, total = feed[where]
            pairs = cert + [(-theta * a, v) for a, v in total]
            body = LinearExpression(
                linear_coefs=[a for a, _ in pairs], linear_vars=[v for _, v in pairs]
            )
            return body >= 0.0

        self.m.certified_share_min = pyo.Constraint(list(rows), rule=rule)


def _value(sol: Solution, pairs: Pairs) -> float:
    col_value, column_of = sol.col_value, sol.column_of
    return sum(a * col_value[column_of[id(v)]] for a, v in pairs if id(v) in column_of)


def _tables(built: BuiltModel, sol: Solution, done: Mapping[str, Any]) -> dict[str, Any]:
    """``certified_feed``: the traced element each manufacturing process takes in, by status
    (``region, element, process, status, year, value, unit``, t of element), and
    ``certified_activity``: :math:`x^c_{prt}` (``process, region, year``, activity unit)."""
    flows = built.state("certified")
    if flows is None:
        return {}
    kind = built.data.processes["kind"].to_dict()
    rows = []
    for (region, element, process, year), (cert, total) in flows.feed.items():
        if kind.get(process) != "manufacturing":
            continue
        everything = _value(sol, total)
        certified = min(max(_value(sol, cert), 0.0), everything)
        if everything > 1e-9:
            rows.append((region, element, process, CERTIFIED, year, certified))
            rows.append((region, element, process, UNCERTIFIED, year, everything - certified))
    names = ["region", "element", "process", "status", "year"]
    frame = pd.DataFrame(rows, columns=[*names, "value"])
    frame["unit"] = "t"
    m = built.model
    keys = list(m.certified_activity)
    unit = built.data.processes["activity_unit"].to_dict()
    activity = tidy(
        keys,
        ["process", "region", "year"],
        sol.values(m.certified_activity, keys),
        [unit[p] for p, _, _ in keys],
    )
    return {"certified_feed": frame, "certified_activity": activity}


def _derived(built: BuiltModel, tables: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The certification tables of :mod:`mfa.certified` (well-mixed attribution of every
    element, the certified capacity share) and ``certify_first`` where the LP traced."""
    from mfa import certified

    data = built.data
    plants = data.param("certification")
    if not len(plants):
        return {}
    content = data.param("commodity_content").rename("value").reset_index()
    sets = {
        "commodities": data.commodities.reset_index(),
        "processes": data.processes.reset_index(),
        "commodity_content": content,
    }
    out = certified.tables(tables, plant_table(data), sets)
    duals = tables.get("duals_certified_capacity")
    if duals is not None:
        out["certify_first"] = certified.certify_first(plant_table(data), duals)
    return out


def plant_table(data: ModelData) -> pd.DataFrame:
    """The ``certification`` table over the model years, with each process's kind, activity
    unit and stage (:func:`mfa.origin.origin_step`): ``process, region, plant, scheme,
    status, year, kind, unit, value``."""
    from mfa.origin import origin_step

    frame = data.param("certification").rename("value").reset_index()
    frame["year"] = frame["year"].astype(int)
    kind = data.processes["kind"].to_dict()
    unit = data.processes["activity_unit"].to_dict()
    stage = data.commodities["stage"].to_dict()
    outputs = data.param("process_io").reset_index()
    outputs = outputs[outputs["direction"] == "out"].groupby("process")["commodity"].unique()
    step = {
        p: origin_step(k, [stage.get(c, "") for c in outputs.get(p, [])]) for p, k in kind.items()
    }
    frame["kind"] = frame["process"].map(kind)
    frame["stage"] = frame["process"].map(step)
    frame["unit"] = frame["process"].map(unit)
    return frame[frame["value"] > 0].reset_index(drop=True)


_WORDS = "the audited capacity of {0} in {1} in {2}"

FAMILY = Family(
    name="certified",
    add=add,
    switch=None,
    rows=(
        Row(
            "certified_share_min",
            ("element", "region", "process", "year"),
            "USD/t",
            ">=",
            words="the certified share of {0} into {2} in {1} in {3}",
            table="certified_share",
            order=(0, 1, 2, 3),
            shown="share",
        ),
        Row("certified_capacity", ("process", "region", "year"), "USD/unit", "<=", words=_WORDS),
    ),
    tables=_tables,
    derived=_derived,
)
"""The certified family: certified tracing only where an element is traced
(``options.trace_certified`` or a ``certified_share`` row); its reported rows are
``certified_share_min`` and ``certified_capacity``. Its derived tables (every run with a
``certification`` table) are :mod:`mfa.certified`'s."""
