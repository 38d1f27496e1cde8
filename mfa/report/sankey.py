"""Sankey diagrams of one element's flows in one year: a table of links, a static matplotlib
figure (vector, no browser needed) and an interactive plotly figure.

How links are built
-------------------
Nodes are stages in a region: ``Mining CA``, ``Refining KR``, ``Materials KR`` (cathode
active material and other manufactured materials), ``Components KR``, ``Products KR``, ``Use
KR`` (final demand served), ``End of life KR`` (end-of-life arising), ``Collection KR``,
``Recycling KR``; plus ``Import AU`` sources, ``Export to CN``, ``Landfill``, ``Unused
by-product`` and ``Losses`` sinks. With ``by_region=False`` the stages of all regions in the scope
are merged (``Refining``), which keeps the ``all`` scope readable.

Every commodity quantity is converted to tonnes of the element. For each commodity and region the
table of flows gives who produced it (process outputs, imports, end-of-life arising) and who took
it (process inputs, exports, final demand, landfill or unused excess). Producers are linked to
users in proportion (a well-mixed market, the usual assumption of MFA Sankeys). Hence:

* the links out of a process node sum to the element in its outputs, and the links into it
  (plus its ``Losses`` link) to the element in its inputs;
* links from an ``Import`` node sum to the imports from that origin; links into ``Export``
  nodes to the exports;
* a shipment between two regions of the scope links the producers in the origin region to the
  users in the destination (``kind`` = ``trade``);
* a process fed by its own stage's output (pCAM into CAM) sits one step to the right of the
  processes that make it, so every flow within a stage runs forward between two columns;
* a link back to an earlier column has the kind of what returns: ``recycling`` (recycled
  material back to refining or materials), ``repurposing`` (second-life products back to
  use), ``scrap`` (manufacturing scrap) or ``return``; it is drawn as a return path below;
* what enters use and does not reach end of life in the year goes to ``Added to in-use
  stock`` (or comes from ``Released from in-use stock``), so the ``Use`` node balances;
* where a market does not balance (stock changes, a table missing) the difference goes to a
  ``Stock change`` node, so nothing is hidden.
"""

from __future__ import annotations

import functools
import math
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextToPath

from mfa.escape import html_text
from mfa.report.element import (
    PRODUCER_LAYER,
    TablesLike,
    commodity_stages,
    element_content,
    process_stages,
    table,
    to_element,
)
from mfa.report.style import (
    DARK_GREY,
    DOUBLE_WIDTH_IN,
    ELEMENT_NAMES,
    GREY,
    LCE_PER_LI,
    MAX_HEIGHT_IN,
    STAGE_LABELS,
    element_name,
    figsize,
    figure_of,
    format_value,
    house_style,
    region_colour,
    scale_unit,
    stage_colour,
)

Scope = str | Sequence[str]

LINK_COLUMNS = [
    "source",
    "target",
    "value",
    "unit",
    "element",
    "stage",
    "origin",
    "kind",
    "color_key",
    "source_layer",
    "target_layer",
    "source_region",
    "target_region",
]
"""Columns of the table returned by :func:`sankey_links`."""

_TOL = 1e-9


@dataclass(frozen=True)
class _Node:
    type: str  # process, import, use, eol, export, landfill, unused, loss, stock_*
    stage: str
    region: str | None
    tier: int = 0  # step within the stage (a process fed by its own stage's output)
    step: str = ""  # what the step makes, for its label

    @property
    def layer(self) -> float:
        if self.type == "process":
            return PRODUCER_LAYER.get(self.stage, 1) + self.tier / 10.0
        if self.type == "import":
            return PRODUCER_LAYER.get(self.stage, 1)
        if self.type == "stock_add":
            return PRODUCER_LAYER["eol"]
        if self.type == "stock_release":
            return PRODUCER_LAYER["product"]
        if self.type == "use":
            return PRODUCER_LAYER["use"]
        if self.type == "other_use" and not self.tier:
            return min(PRODUCER_LAYER.get(self.stage, 1) + 1, PRODUCER_LAYER["use"])
        if self.type == "eol":
            return PRODUCER_LAYER["eol"]
        if self.type == "landfill":
            return PRODUCER_LAYER["collection"]
        if self.type in _SINK_TYPES and self.tier:
            return PRODUCER_LAYER["sink"]
        if self.type in ("export", "unused", "loss", "stock_out"):
            return min(PRODUCER_LAYER.get(self.stage, 1) + 1, PRODUCER_LAYER["sink"])
        if self.type == "stock_in":
            return PRODUCER_LAYER.get(self.stage, 1)
        return PRODUCER_LAYER["sink"]

    @property
    def group(self) -> int:
        return {
            "process": 0,
            "use": 0,
            "eol": 0,
            "import": 1,
            "stock_in": 2,
            "stock_release": 2,
            "other_use": 3,
            "stock_out": 3,
            "stock_add": 3,
            "export": 4,
            "unused": 5,
            "landfill": 5,
            "loss": 6,
        }.get(self.type, 7)


_SINK_TYPES = ("export", "other_use", "unused", "stock_out")
"""Sinks that a late source (recycling) reaches through a copy in the last column."""


def _base_label(node: _Node) -> str:
    reg = f" {node.region}" if node.region else ""
    if node.type in _SINK_TYPES and node.tier:
        return _base_label(replace(node, tier=0)) + " (recycled)"
    if node.type == "process":
        step = f" ({node.step})" if node.step else ""
        return f"{STAGE_LABELS.get(node.stage, node.stage.title())}{step}{reg}"
    if node.type == "use":
        return f"Use{reg}"
    if node.type == "other_use":
        return f"Demand for {STAGE_LABELS.get(node.stage, node.stage).lower()}{reg}"
    if node.type == "eol":
        return f"End of life{reg}"
    if node.type == "import":
        return f"Import {node.region}"
    if node.type == "export":
        return f"Export to {node.region}"
    if node.type == "landfill":
        return f"Landfill{reg}"
    if node.type == "unused":
        return f"Unused by-product{reg}"
    if node.type == "loss":
        return "Losses"
    if node.type == "stock_out":
        return f"Added to stockpile{reg}"
    if node.type == "stock_in":
        return f"From stockpile{reg}"
    if node.type == "stock_add":
        return f"Added to in-use stock{reg}"
    if node.type == "stock_release":
        return f"Released from in-use stock{reg}"
    return node.type


def _labels(nodes: set[_Node]) -> dict[_Node, str]:
    """One distinct label per node: the base label, then the stage where two nodes share it,
    then (two steps of one stage making the same thing) the step's place in the stage.

    Labels name the nodes of the links table, so two nodes must never share one.
    """
    base = {n: _base_label(n) for n in nodes}
    count: dict[str, int] = defaultdict(int)
    for lab in base.values():
        count[lab] += 1
    out = {}
    for n, lab in base.items():
        if count[lab] > 1:
            stage = STAGE_LABELS.get(n.stage, n.stage).lower()
            lab = f"{lab} ({stage})"
        out[n] = lab
    seen: dict[str, list[_Node]] = defaultdict(list)
    for n, lab in out.items():
        seen[lab].append(n)
    for same in seen.values():
        if len(same) > 1:
            for n in same:
                out[n] = f"{_base_label(n)}, step {n.tier + 1}"
    if len(set(out.values())) < len(out):  # nothing above told them apart: number them
        seen.clear()
        for n in sorted(out, key=lambda n: (out[n], n.type, n.tier)):
            seen[out[n]].append(n)
        for lab, same in seen.items():
            for i, n in enumerate(same[1:], start=2):
                out[n] = f"{lab} #{i}"
    return out


def _scope_regions(tables: TablesLike, scope: Scope) -> list[str]:
    if isinstance(scope, str) and scope.lower() != "all":
        return [scope]
    if not isinstance(scope, str):
        return list(scope)
    found: list[str] = []
    regs = table(tables, "regions")
    if not regs.empty:
        found.extend(regs["region"].astype(str))
    for name, cols in (
        ("flows", ["region"]),
        ("trade", ["origin", "destination"]),
        ("demand", ["region"]),
        ("eol", ["region"]),
    ):
        t = table(tables, name)
        for c in cols:
            if c in t:
                found.extend(t[c].astype(str))
    return list(dict.fromkeys(found))


def scope_label(scope: Scope) -> str:
    """Readable name of a scope: ``"CA"``, ``"CA + KR"`` or ``"all regions"``."""
    if isinstance(scope, str):
        return "all regions" if scope.lower() == "all" else scope
    return " + ".join(scope)


def scope_tag(scope: Scope) -> str:
    """The scope as it appears in file names: ``"CA"``, ``"CA+KR"`` or ``"all"``."""
    if isinstance(scope, str):
        return "all" if scope.lower() == "all" else scope
    return "+".join(scope)


def _process_tiers(flows: pd.DataFrame, pstage: pd.Series, cstage: pd.Series) -> dict[str, int]:
    """Step of every process within its stage, so that no flow runs inside one column.

    A process that takes a commodity of its own stage (pCAM into CAM, matte into sulphate)
    sits one step after the in-scope processes of that stage that make the commodity (step 1
    when only imports or stocks supply it); every other process is step 0. A cycle within a
    stage stops the count where it closes.
    """
    if flows.empty:
        return {}
    proc = flows["process"].astype(str)
    stage = proc.map(pstage).fillna("material")
    com_stage = flows["commodity"].astype(str).map(cstage)
    own = flows[(flows["direction"] == "in") & (com_stage == stage)]
    feeds: dict[str, set[str]] = defaultdict(set)  # process -> own-stage commodities it takes
    for p, c in zip(own["process"].astype(str), own["commodity"].astype(str), strict=True):
        feeds[p].add(c)
    outs = flows[flows["direction"] == "out"]
    makers: dict[str, set[str]] = defaultdict(set)
    for p, c in zip(outs["process"].astype(str), outs["commodity"].astype(str), strict=True):
        makers[c].add(p)
    tiers: dict[str, int] = {}

    def tier(p: str, seen: frozenset[str]) -> int:
        if p in tiers:
            return tiers[p]
        if not feeds.get(p):
            return 0
        before = [
            q
            for c in feeds[p]
            for q in makers.get(c, ())
            if q != p and q not in seen and pstage.get(q) == pstage.get(p)
        ]
        t = 1 + max((tier(q, seen | {p}) for q in before), default=0)
        if not seen:
            tiers[p] = t
        return t

    for p in dict.fromkeys(proc):
        tiers[p] = tier(p, frozenset())
    return tiers


def _step_names(
    flows: pd.DataFrame, pstage: pd.Series, tiers: dict[str, int]
) -> dict[tuple[str, int], str]:
    """Label of each step of a stage that has more than one: the short names of what its
    processes make (``pCAM`` of ``pCAM.NMC811``, ``hydroxide`` of ``Li.hydroxide``)."""
    outs = flows[flows["direction"] == "out"]
    made: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p, c in zip(outs["process"].astype(str), outs["commodity"].astype(str), strict=True):
        head, _, rest = c.partition(".")
        short = rest.split(".")[0] if head in ELEMENT_NAMES and rest else head
        made[(str(pstage.get(p, "material")), tiers.get(p, 0))].append(short)
    steps: dict[str, set[int]] = defaultdict(set)
    for st, t in made:
        steps[st].add(t)
    names = {}
    for (st, t), coms in made.items():
        if len(steps[st]) > 1:
            short = list(dict.fromkeys(coms))
            names[(st, t)] = "/".join(short) if len(short) <= 2 else f"step {t + 1}"
    return names


def _scrap_commodities(flows: pd.DataFrame, tables: TablesLike, cstage: pd.Series) -> set[str]:
    """End-of-life commodities that manufacturing makes: manufacturing scrap."""
    proc = table(tables, "processes", required=True)
    manu = set(proc.loc[proc["kind"].astype(str) == "manufacturing", "process"].astype(str))
    if flows.empty:
        return set()
    made = flows[(flows["direction"] == "out") & flows["process"].astype(str).isin(manu)]
    return {c for c in made["commodity"].astype(str) if cstage.get(c) == "eol"}


def _year(df: pd.DataFrame, year: int) -> pd.DataFrame:
    if df.empty or "year" not in df:
        return df
    return df[df["year"].astype(int) == int(year)]


def sankey_links(
    tables: TablesLike,
    element: str,
    year: int,
    scope: Scope = "all",
    by_region: bool | None = None,
    color_by: str = "stage",
) -> pd.DataFrame:
    """Links of the Sankey diagram of one element in one year.

    Parameters
    ----------
    tables
        ``Results`` or mapping with ``flows``, ``trade``, ``demand``, ``excess``, ``eol``,
        ``commodities``, ``processes`` and ``commodity_content``.
    element
        Element symbol, e.g. ``"Li"``.
    year
        Model year.
    scope
        A region code (``"KR"``), a list of regions (``["CA", "KR"]``) or ``"all"``. Flows from
        outside the scope enter as ``Import <origin>`` nodes; flows leaving it end in
        ``Export to <destination>`` nodes.
    by_region
        One node per stage and region (``True``) or per stage (``False``); default: ``True``
        when the scope has at most two regions.
    color_by
        Which column fills ``color_key``: ``"stage"`` (stage of the commodity carried;
        ``loss`` for losses and landfill) or ``"origin"`` (region the flow leaves from; for
        imports the exporting region).

    Returns
    -------
    pandas.DataFrame
        One row per link with columns ``source, target, value, unit, element, stage, origin,
        kind, color_key, source_layer, target_layer, source_region, target_region``; ``value``
        in t of element (``unit`` = ``"t"``). ``kind`` is one of ``flow``, ``trade``,
        ``import``, ``export``, ``use`` (to final demand), ``eol`` (use to end of life),
        one of :data:`RETURN_KINDS` (a link back to an earlier column), ``loss``,
        ``landfill``, ``excess`` or ``stock`` (stockpile and in-use stock changes).
        ``color_key`` ``scrap`` marks manufacturing scrap.
    """
    if color_by not in ("stage", "origin"):
        raise ValueError(f"color_by must be 'stage' or 'origin', got {color_by!r}")
    regions = _scope_regions(tables, scope)
    in_scope = set(regions)
    if by_region is None:
        by_region = len(regions) <= 2
    cstage = commodity_stages(tables)
    pstage = process_stages(tables)
    content = element_content(tables, element)
    carriers = set(content.index[content != 0])
    com = table(tables, "commodities", required=True)
    eol_of = {}
    if "eol_commodity" in com:
        eol_of = {
            str(c): str(e)
            for c, e in zip(com["commodity"], com["eol_commodity"], strict=True)
            if isinstance(e, str) and e
        }

    def reg(r: str) -> str | None:
        return r if by_region else None

    def elem(name: str) -> pd.DataFrame:
        df = _year(table(tables, name), year)
        if df.empty:
            return df
        return to_element(df[df["commodity"].astype(str).isin(carriers)], tables, element)

    flows = elem("flows")
    if not flows.empty:
        flows = flows[flows["region"].isin(in_scope)]
        flows = flows[flows["commodity"].astype(str).map(cstage) != "resource"]
    trade = elem("trade")
    if not trade.empty:
        trade = trade[
            (trade["origin"] != trade["destination"])
            & (trade["origin"].isin(in_scope) | trade["destination"].isin(in_scope))
        ]
    demand = elem("demand")
    excess = elem("excess")
    eol_raw = _year(table(tables, "eol"), year)
    if not eol_raw.empty:
        eol_raw = eol_raw.assign(
            commodity=[
                eol_of.get(str(c), str(c)) if cstage.get(str(c)) == "product" else str(c)
                for c in eol_raw["commodity"]
            ]
        )
        eol_raw = eol_raw[eol_raw["commodity"].isin(carriers)]
    eol = to_element(eol_raw, tables, element) if not eol_raw.empty else eol_raw

    Source = tuple[_Node, str]  # (node, origin region)
    sources: dict[tuple[str, str], dict[Source, float]] = defaultdict(lambda: defaultdict(float))
    sinks: dict[tuple[str, str], dict[_Node, float]] = defaultdict(lambda: defaultdict(float))
    internal_in: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    internal_out: dict[tuple[str, str], float] = defaultdict(float)
    links: dict[tuple[_Node, _Node, str, str], float] = defaultdict(float)
    node_in: dict[tuple[_Node, str], float] = defaultdict(float)
    node_out: dict[tuple[_Node, str], float] = defaultdict(float)

    tiers = _process_tiers(flows, pstage, cstage)
    steps = _step_names(flows, pstage, tiers) if not flows.empty else {}
    scrap = _scrap_commodities(flows, tables, cstage)
    for row in flows.itertuples(index=False):
        c, r, v = str(row.commodity), str(row.region), float(row.value)
        st = str(pstage.get(str(row.process), "material"))
        tier = tiers.get(str(row.process), 0)
        node = _Node("process", st, reg(r), tier, steps.get((st, tier), ""))
        if row.direction == "out":
            sources[(c, r)][(node, r)] += v
            node_out[(node, r)] += v
        else:
            sinks[(c, r)][node] += v
            node_in[(node, r)] += v
    for row in trade.itertuples(index=False):
        c, o, d, v = str(row.commodity), str(row.origin), str(row.destination), float(row.value)
        st = str(cstage.get(c, "refining"))
        if o in in_scope and d in in_scope:
            internal_in[(c, d)][o] += v
            internal_out[(c, o)] += v
        elif d in in_scope:
            sources[(c, d)][(_Node("import", st, o), o)] += v
        else:
            sinks[(c, o)][_Node("export", st, d)] += v
    for row in demand.itertuples(index=False) if not demand.empty else ():
        if row.region in in_scope:
            c, r = str(row.commodity), str(row.region)
            st = str(cstage.get(c, "product"))
            node = (
                _Node("use", "use", reg(r)) if st == "product" else _Node("other_use", st, reg(r))
            )
            sinks[(c, r)][node] += float(row.value)
    for row in excess.itertuples(index=False) if not excess.empty else ():
        if row.region in in_scope:
            c, r = str(row.commodity), str(row.region)
            st = str(cstage.get(c, "refining"))
            node = _Node("landfill", "eol", reg(r)) if st == "eol" else _Node("unused", st, reg(r))
            sinks[(c, r)][node] += float(row.value)
    for row in eol.itertuples(index=False) if not eol.empty else ():
        if row.region in in_scope:
            c, r, v = str(row.commodity), str(row.region), float(row.value)
            use, end = _Node("use", "use", reg(r)), _Node("eol", "eol", reg(r))
            links[(use, end, "eol", r)] += v
            sources[(c, r)][(end, r)] += v

    # balance every market; a residual goes to or comes from a stock-change node
    markets = set(sources) | set(sinks) | set(internal_in) | set(internal_out)
    for m in markets:
        c, r = m
        supply = sum(sources[m].values()) + sum(internal_in[m].values())
        demand = sum(sinks[m].values()) + internal_out[m]
        diff = supply - demand
        if abs(diff) > 1e-6 * max(supply, demand, 1e-12) and abs(diff) > _TOL:
            st = str(cstage.get(c, "refining"))
            if diff > 0:
                sinks[m][_Node("stock_out", st, reg(r))] += diff
            else:
                sources[m][(_Node("stock_in", st, reg(r)), r)] += -diff

    memo: dict[tuple[str, str], dict[Source, float]] = {}

    def composition(
        m: tuple[str, str], visiting: frozenset[tuple[str, str]]
    ) -> dict[Source, float]:
        if m in memo:
            return memo[m]
        total = sum(sources[m].values()) + sum(internal_in[m].values())
        comp: dict[Source, float] = defaultdict(float)
        if total <= 0:
            return comp
        for s, v in sources[m].items():
            comp[s] += v / total
        for o, v in internal_in[m].items():
            om = (m[0], o)
            if om in visiting:
                continue
            for s, sh in composition(om, visiting | {m}).items():
                comp[s] += v / total * sh
        norm = sum(comp.values())
        comp = defaultdict(float, {s: sh / norm for s, sh in comp.items()}) if norm > 0 else comp
        if not visiting:
            memo[m] = comp
        return comp

    for m in markets:
        c, r = m
        st = "scrap" if c in scrap else str(cstage.get(c, "refining"))
        comp = composition(m, frozenset())
        for sink, v in sinks[m].items():
            for (src, origin), sh in comp.items():
                late = sink.type in _SINK_TYPES and src.layer >= sink.layer
                target = replace(sink, tier=1) if late else sink
                links[(src, target, st, origin)] += v * sh

    # losses: element in minus element out of each process node
    for (node, r), vin in node_in.items():
        lost = vin - node_out.get((node, r), 0.0)
        if lost > 1e-6 * vin and lost > _TOL:
            links[(node, _Node("loss", node.stage, None), "loss", r)] += lost

    # in-use stock: what enters use and does not reach end of life stays in (or leaves) stock
    use_in: dict[tuple[_Node, str], float] = defaultdict(float)
    use_out: dict[tuple[_Node, str], float] = defaultdict(float)
    for (s, t, _, _), v in links.items():
        if t.type == "use":
            use_in[(t, t.region or "")] += v
        if s.type == "use":
            use_out[(s, s.region or "")] += v
    for key in set(use_in) | set(use_out):
        node, r = key
        net = use_in.get(key, 0.0) - use_out.get(key, 0.0)
        if abs(net) <= 1e-9 * max(use_in.get(key, 0.0), 1.0):
            continue
        if net > 0:
            links[(node, _Node("stock_add", "use", node.region), "stock", r)] += net
        else:
            links[(_Node("stock_release", "use", node.region), node, "stock", r)] += -net

    nodes = {n for (s, t, _, _) in links for n in (s, t)}
    labels = _labels(nodes)
    rows = []
    for (s, t, st, origin), v in links.items():
        if v <= _TOL:
            continue
        kind = _link_kind(s, t, st)
        if color_by == "stage":
            colour_key = "loss" if kind in ("loss", "landfill", "excess") else st
        else:
            colour_key = origin
        rows.append(
            {
                "source": labels[s],
                "target": labels[t],
                "value": v,
                "unit": "t",
                "element": element,
                "stage": st,
                "origin": origin,
                "kind": kind,
                "color_key": colour_key,
                "source_layer": s.layer,
                "target_layer": t.layer,
                "source_region": s.region or "",
                "target_region": t.region or "",
                "_s": s,
                "_t": t,
            }
        )
    if not rows:
        return pd.DataFrame(columns=LINK_COLUMNS)
    out = pd.DataFrame(rows)
    out = out.sort_values(["source_layer", "source", "target_layer", "target", "origin"])
    out = out.reset_index(drop=True)[LINK_COLUMNS]
    out.attrs["nodes"] = _NodeMap({labels[n]: n for n in nodes})
    out.attrs["scope"] = regions
    return out


class _NodeMap(dict):
    """Label -> node of a links table (in its ``attrs``), shared by every copy of the table.

    pandas deep-copies ``attrs`` into each frame an operation returns (each row of
    ``iterrows`` included); the nodes are frozen, so a copy may share them.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> _NodeMap:
        return self


LABEL_WRAP_COLUMNS = 7
"""Above this many columns, node labels wrap onto lines of :data:`LABEL_WRAP_CHARS` (a label
wider than its column runs into the next column's labels)."""
LABEL_WRAP_CHARS = 14

RETURN_KINDS: tuple[str, ...] = ("recycling", "repurposing", "scrap", "return")
"""Kinds of the links that run back to an earlier column (drawn as return paths below)."""


def _link_kind(s: _Node, t: _Node, carried: str) -> str:
    if t.layer <= s.layer and s.type in ("process", "eol"):
        if carried == "scrap":
            return "scrap"
        if s.stage in ("recycling", "secondary"):
            return "recycling"
        if s.stage == "repurposing":
            return "repurposing"
        return "return"
    if s.type == "import":
        return "import"
    if t.type == "export":
        return "export"
    if t.type == "loss":
        return "loss"
    if t.type == "landfill":
        return "landfill"
    if t.type == "unused":
        return "excess"
    if "stock" in t.type or "stock" in s.type:
        return "stock"
    if t.type in ("use", "other_use"):
        return "use"
    if s.type == "use":
        return "eol"
    if s.region != t.region:
        return "trade"
    return "flow"


# --------------------------------------------------------------------------------------------
# layout


@dataclass
class _Layout:
    x: dict[str, float] = field(default_factory=dict)
    top: dict[str, float] = field(default_factory=dict)
    height: dict[str, float] = field(default_factory=dict)
    size: dict[str, float] = field(default_factory=dict)
    columns: list[list[str]] = field(default_factory=list)
    scale: float = 1.0
    node_width: float = 0.02
    dx: float = 0.3
    bottom: float = 0.0
    area: float = 1.0


def _layout(
    links: pd.DataFrame,
    dx: float,
    pad: float,
    node_width: float,
    label_h: float = 0.0,
    area: float = 1.0,
) -> _Layout:
    """Place nodes in columns. Each node gets a slot at least ``label_h`` tall (room for its
    label); slots are separated by ``pad``; columns are centred in the node area."""
    nodes: dict[str, _Node] = links.attrs.get("nodes", {})
    vin = links.groupby("target")["value"].sum()
    vout = links.groupby("source")["value"].sum()
    names = list(dict.fromkeys([*links["source"], *links["target"]]))
    layer = {
        **dict(zip(links["source"], links["source_layer"], strict=True)),
        **dict(zip(links["target"], links["target_layer"], strict=True)),
    }
    used = sorted(set(layer.values()))
    col_of = {n: used.index(layer[n]) for n in names}
    scope = links.attrs.get("scope", [])
    rank = {r: i for i, r in enumerate(scope)}

    def key(n: str) -> tuple[Any, ...]:
        nd = nodes.get(n)
        if nd is None:
            return (9, 0, n)
        return (nd.group, rank.get(nd.region or "", len(rank)), n)

    columns = [sorted([n for n in names if col_of[n] == i], key=key) for i in range(len(used))]
    lay = _Layout(node_width=node_width, dx=dx, columns=columns)
    size = {n: max(float(vin.get(n, 0.0)), float(vout.get(n, 0.0))) for n in names}
    min_h = 0.004
    area = max([area] + [(len(c) * label_h + pad * (len(c) - 1)) / 0.6 for c in columns])

    def height(c: list[str], sc: float) -> float:
        return sum(max(size[n] * sc, label_h, min_h) for n in c) + pad * (len(c) - 1)

    scale = math.inf
    for c in columns:
        total = max(sum(size[n] for n in c), 1e-12)
        lo, hi = 0.0, area / total
        for _ in range(60):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if height(c, mid) <= area else (lo, mid)
        scale = min(scale, lo)
    lay.scale = scale
    for i, col in enumerate(columns):
        y = area - (area - height(col, scale)) / 2.0
        for n in col:
            h = max(size[n] * scale, min_h)
            slot = max(h, label_h)
            lay.x[n] = i * dx
            lay.top[n] = y - (slot - h) / 2.0
            lay.height[n] = h
            lay.size[n] = size[n]
            y -= slot + pad
    lay.bottom = min(lay.top[n] - max(lay.height[n], label_h) for n in names)
    lay.area = area
    return lay


def _text_width_in(texts: list[str], fontsize: float) -> float:
    """Widest line among ``texts`` in inches at ``fontsize`` (house-style font)."""
    if not texts:
        return 0.0
    prop = FontProperties(family=plt.rcParams["font.family"], size=fontsize)
    t2p = TextToPath()
    widest = 0.0
    for text in texts:
        for line in text.split("\n"):
            w, _, _ = t2p.get_text_width_height_descent(line, prop, ismath=False)
            widest = max(widest, w)
    return widest / 72.0 + 0.04


def _add_link(ax: Axes, path: MplPath, link: pd.Series, color_by: str) -> None:
    """Draw one link's ribbon, tagged with its kind and ends (the geometry tests read the tag)."""
    ax.add_patch(
        PathPatch(
            path,
            facecolor=_colour(link["color_key"], color_by),
            edgecolor="none",
            alpha=0.75,
            zorder=1,
            gid=f"link|{link['kind']}|{link['source']}|{link['target']}",
        )
    )


def _ribbon(x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float]) -> MplPath:
    """Band from the right edge x0 (y0 = bottom, top) to the left edge x1 (y1 = bottom, top)."""
    c = (x1 - x0) / 2.0
    verts = [
        (x0, y0[1]),
        (x0 + c, y0[1]),
        (x1 - c, y1[1]),
        (x1, y1[1]),
        (x1, y1[0]),
        (x1 - c, y1[0]),
        (x0 + c, y0[0]),
        (x0, y0[0]),
        (x0, y0[1]),
    ]
    codes = [
        MplPath.MOVETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.LINETO,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CURVE4,
        MplPath.CLOSEPOLY,
    ]
    return MplPath(verts, codes)


def _loop_ribbon(
    xs: float, a: tuple[float, float], xt: float, b: tuple[float, float], yc: float, radius: float
) -> MplPath:
    """Band leaving the right edge of a node at ``xs`` and re-entering the left edge of an
    earlier node at ``xt`` through a channel centred at ``yc`` below the diagram."""
    w = a[1] - a[0]
    am, bm = (a[0] + a[1]) / 2.0, (b[0] + b[1]) / 2.0
    R = max(radius, w / 2.0 * 1.05)
    pts: list[tuple[float, float, float]] = []  # x, y, heading (radians)

    def arc(cx: float, cy: float, start: float, end: float) -> None:
        for t in np.linspace(start, end, 24):
            # clockwise travel: heading = angle - pi/2
            pts.append((cx + R * math.cos(t), cy + R * math.sin(t), t - math.pi / 2))

    pts.append((xs, am, 0.0))
    arc(xs, am - R, math.pi / 2, 0.0)  # right, turning down
    arc(xs, yc + R, 0.0, -math.pi / 2)  # down, turning left
    arc(xt, yc + R, -math.pi / 2, -math.pi)  # left, turning up
    arc(xt, bm - R, math.pi, math.pi / 2)  # up, turning right
    pts.append((xt, bm, 0.0))
    left, right = [], []
    for x, y, h in pts:
        nx, ny = -math.sin(h), math.cos(h)  # normal to the left of travel
        left.append((x + nx * w / 2, y + ny * w / 2))
        right.append((x - nx * w / 2, y - ny * w / 2))
    verts = left + right[::-1] + [left[0]]
    codes = [MplPath.MOVETO] + [MplPath.LINETO] * (len(verts) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def _colour(key: str, color_by: str) -> str:
    if key == "loss":
        return GREY
    if color_by == "origin":
        return region_colour(key)
    return stage_colour(key)


_KEY_LABELS = {
    "mining": "Ores & concentrates",
    "refining": "Refined chemicals",
    "material": "Materials",
    "component": "Components",
    "product": "Products",
    "eol": "End-of-life products",
    "scrap": "Manufacturing scrap",
    "secondary": "Recycled (secondary)",
    "loss": "Losses & landfill",
    "stock": "Into or out of stock",
}

_RETURN_LABELS = {
    "recycling": "Recycling",
    "repurposing": "Repurposing",
    "scrap": "Scrap",
    "return": "Return",
}


def plot_sankey(
    tables: TablesLike,
    element: str,
    year: int,
    scope: Scope = "all",
    color_by: str = "stage",
    by_region: bool | None = None,
    ax: Axes | None = None,
    links: pd.DataFrame | None = None,
    show_values: bool = True,
    min_share: float = 0.002,
) -> Figure:
    """Static Sankey diagram of one element in one year (matplotlib, vector output).

    Stages run left to right (mining, refining, materials, components, products, use, end of
    life, collection, recycling, sinks); the recycling loop leaves the right side of the
    recycling node, runs under the diagram and re-enters refining or materials from the left.
    Band widths are proportional to tonnes of element.

    Parameters
    ----------
    tables
        ``Results`` or mapping of tables (see :func:`sankey_links`).
    element
        Element symbol, e.g. ``"Li"``.
    year
        Model year.
    scope
        Region code, list of regions, or ``"all"``.
    color_by
        ``"stage"`` (commodity stage of each flow) or ``"origin"`` (region the flow leaves).
    by_region
        One node per stage and region; default ``True`` for at most two regions.
    ax
        Axes to draw in; a new double-column figure when ``None``. The axes is switched off
        (a Sankey has no x or y scale); the unit is in the title and node labels.
    links
        Precomputed output of :func:`sankey_links` (skips recomputation).
    show_values
        Write each node's throughput under its label.
    min_share
        Links smaller than this share of the largest node's throughput are not drawn (the
        figure says how many and how much); :func:`sankey_links` still has them all.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if links is None:
        links = sankey_links(tables, element, year, scope, by_region=by_region, color_by=color_by)
    hidden, hidden_t, threshold = 0, 0.0, 0.0
    if len(links) and min_share > 0:
        biggest = max(
            links.groupby("source")["value"].sum().max(),
            links.groupby("target")["value"].sum().max(),
        )
        threshold = min_share * float(biggest)
        small = links["value"] < threshold
        hidden, hidden_t = int(small.sum()), float(links.loc[small, "value"].sum())
        attrs = dict(links.attrs)
        links = links[~small].reset_index(drop=True)
        links.attrs.update(attrs)
    with house_style():
        title = f"{element_name(element)} ({element}) flows, {scope_label(scope)}, {year}"
        if links.empty:
            if ax is None:
                fig = plt.figure(figsize=figsize("double", 0.4), layout="constrained")
                ax = fig.add_subplot()
            fig = figure_of(ax)
            ax.set_axis_off()
            ax.set_title(f"{title} (t {element})")
            ax.text(
                0.5,
                0.5,
                f"No {element} flows in {year}",
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            return fig
        divisor, unit = scale_unit(float(links["value"].max()), "t")
        unit = f"{unit} {element}"
        node_of: dict[str, _Node] = links.attrs.get("nodes", {})
        sizes = pd.concat(
            [links.groupby("source")["value"].sum(), links.groupby("target")["value"].sum()], axis=1
        ).max(axis=1)
        layer = {
            **dict(zip(links["source"], links["source_layer"], strict=True)),
            **dict(zip(links["target"], links["target_layer"], strict=True)),
        }

        def display(n: str) -> str:
            nd = node_of.get(n)
            lab = (
                _base_label(nd) if nd is not None and nd.type in ("loss", "import", "export") else n
            )
            if n_columns > LABEL_WRAP_COLUMNS:  # narrow columns: labels on short lines
                lab = textwrap.fill(lab, LABEL_WRAP_CHARS, break_long_words=False)
            elif nd is not None and nd.type == "other_use":
                lab = lab.replace("Demand for ", "Demand for\n", 1)
            return f"{lab}\n{format_value(sizes[n] / divisor, unit)}" if show_values else lab

        n_columns = len(set(layer.values()))

        texts = {n: display(n) for n in layer}
        fig_new = ax is None
        if ax is None:
            fig = plt.figure(figsize=(DOUBLE_WIDTH_IN, 4.0), layout="constrained")
            ax = fig.add_subplot()
        else:
            fig = figure_of(ax)
        width_in = fig.get_figwidth() - 0.1 if fig_new else _axes_width_in(ax)
        reserve = 0.0  # inches kept for return paths that turn beyond the outer columns
        for _ in range(3):
            low, top, xmin, fontsize, inch, xmax = _draw_sankey(
                ax, links, texts, layer, width_in, reserve, divisor, unit, color_by
            )
            right = max(
                [xmax] + [float(np.asarray(p.get_path().vertices)[:, 0].max()) for p in ax.patches]
            )
            needed = (max(-xmin, 0.0) + right - xmax) / inch
            xmax = right
            if needed <= reserve + 0.03:
                break
            reserve = needed + 0.05
            for artist in [*ax.patches, *ax.texts]:
                artist.remove()
        if hidden > 0:
            ax.text(
                0.0,
                low - 0.01 * inch,
                f"Flows under {format_value(threshold / divisor, unit)}"
                f" not drawn ({hidden} links, {format_value(hidden_t / divisor, unit)} in all)",
                ha="left",
                va="top",
                fontsize=fontsize - 0.5,
                color=GREY,
            )
            low -= (0.01 + 1.4 * fontsize / 72) * inch
        top += 0.01
        ax.set_xlim(min(xmin, -0.02), xmax)
        ax.set_ylim(low - 0.01, top)
        ax.set_axis_off()
        keys = list(dict.fromkeys(links["color_key"]))
        rows = 1 if len(keys) <= 5 else 2
        if fig_new:
            # one layout unit is the same length across and down (no aspect to enforce)
            height = (top - low + 0.01) / inch + 0.35 + 0.2 + 0.16 * rows
            fig.set_figheight(min(height, MAX_HEIGHT_IN - 0.25))
        lce = f"; 1 t Li = {LCE_PER_LI} t LCE" if element == "Li" else ""
        ax.set_title(f"{title} ({unit}{lce})")
        if color_by == "stage":
            order = [k for k in _KEY_LABELS if k in keys] + [
                k for k in keys if k not in _KEY_LABELS
            ]
            handles = [
                Patch(facecolor=_colour(k, color_by), alpha=0.7, label=_KEY_LABELS.get(k, k))
                for k in order
            ]
        else:
            handles = [
                Patch(
                    facecolor=_colour(k, color_by), alpha=0.7, label="Losses" if k == "loss" else k
                )
                for k in keys
            ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, 0.0),
            ncol=len(handles) if len(handles) <= 5 else math.ceil(len(handles) / 2),
            fontsize=6.5,
            title="Flow colour: "
            + ("commodity stage" if color_by == "stage" else "region of origin"),
            title_fontsize=6.5,
            handlelength=1.2,
            columnspacing=1.0,
        )
    return fig


def _axes_width_in(ax: Axes) -> float:
    """Width of a given axes in inches (after the figure's layout)."""
    fig = figure_of(ax)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    return fig.get_figwidth() * ax.get_position().width


def _draw_sankey(
    ax: Axes,
    links: pd.DataFrame,
    texts: dict[str, str],
    layer: dict[str, float],
    width_in: float,
    reserve: float,
    divisor: float,
    unit: str,
    color_by: str,
) -> tuple[float, float, float, float, float, float]:
    """Draw nodes, bands, return paths and labels of a Sankey into ``ax`` in layout units.

    Columns and label room are fitted to ``width_in`` inches less ``reserve`` inches kept for
    return paths where they turn beyond the first or last column. Returns the lowest and
    highest y drawn, the leftmost x, the font size, the layout units per inch and the right
    edge.
    """
    last = max(layer.values())
    n_layers = len(set(layer.values()))
    inch = 1.0  # layout units are inches
    nw = 0.05  # node width
    for fontsize in (6.0, 5.5, 5.0):
        lw = _text_width_in([t for n, t in texts.items() if layer[n] != last], fontsize)
        margin = _text_width_in([t for n, t in texts.items() if layer[n] == last], fontsize)
        margin += nw + 0.01
        room = (width_in - reserve - margin - nw) / max(n_layers - 1, 1)
        dx = min(lw + nw + 0.02, room)  # labels may overlap bands only when nothing else fits
        if room >= lw + nw + 0.02:
            break
    label_h = (2 * fontsize * 1.15 + 3.0) / 72.0 * inch
    label_h *= 1.4 if any(t.count("\n") > 1 for t in texts.values()) else 1.0
    lay = _layout(links, dx=dx, pad=0.25 * label_h, node_width=nw, label_h=label_h, area=3.2)
    # aggregate bands by colour between the same nodes
    bands = (
        links.groupby(["source", "target", "color_key", "kind"], sort=False)["value"]
        .sum()
        .reset_index()
    )
    centre = {n: lay.top[n] - lay.height[n] / 2 for n in lay.x}
    back = bands["kind"].isin(RETURN_KINDS)
    loops = bands[back].copy()
    forward = bands[~back].copy()
    # outgoing order: forward bands by target height (top first), loops at the bottom
    out_pos: dict[int, tuple[float, float]] = {}
    in_pos: dict[int, tuple[float, float]] = {}
    order_out = pd.concat(
        [
            forward.assign(_o=0, _y=-forward["target"].map(centre).astype(float)),
            loops.assign(_o=1, _y=loops["target"].map(lay.x).astype(float)),
        ]
    ).sort_values(["source", "_o", "_y", "color_key"])
    cursor = {n: lay.top[n] for n in lay.x}
    for idx, r in order_out.iterrows():
        h = r["value"] * lay.scale
        out_pos[idx] = (cursor[r["source"]] - h, cursor[r["source"]])
        cursor[r["source"]] -= h
    order_in = pd.concat(
        [
            forward.assign(_o=0, _y=-forward["source"].map(centre).astype(float)),
            loops.assign(_o=1, _y=-loops["source"].map(lay.x).astype(float)),
        ]
    ).sort_values(["target", "_o", "_y", "color_key"])
    cursor = {n: lay.top[n] for n in lay.x}
    for idx, r in order_in.iterrows():
        h = r["value"] * lay.scale
        in_pos[idx] = (cursor[r["target"]] - h, cursor[r["target"]])
        cursor[r["target"]] -= h
    for idx, r in forward.iterrows():
        path = _ribbon(lay.x[r["source"]] + nw, out_pos[idx], lay.x[r["target"]], in_pos[idx])
        _add_link(ax, path, r, color_by)
    # loops: nested lanes under the diagram, shortest span innermost
    gap = 0.04 * inch
    lane_top = lay.bottom - 0.08 * inch
    loops = loops.assign(
        _span=loops["source"].map(lay.x).astype(float) - loops["target"].map(lay.x).astype(float)
    )
    offset = 0.0
    low = lay.bottom
    label_gap = 1.3 * fontsize / 72 * inch  # room for the label under each lane
    for idx, r in loops.sort_values("_span").iterrows():
        w = r["value"] * lay.scale
        yc = lane_top - offset - w / 2
        radius = 0.06 * inch + offset + w / 2
        xs, xt = lay.x[r["source"]] + nw, lay.x[r["target"]]
        path = _loop_ribbon(xs, out_pos[idx], xt, in_pos[idx], yc, radius)
        _add_link(ax, path, r, color_by)
        ax.text(
            (xs + xt) / 2,
            yc - w / 2 - 0.01 * inch,
            f"{_RETURN_LABELS.get(r['kind'], 'Return')}: {r['source']} → {r['target']}, "
            + format_value(r["value"] / divisor, unit),
            ha="center",
            va="top",
            fontsize=fontsize - 0.5,
            color=DARK_GREY,
        )
        offset += w + gap + label_gap
        low = min(low, yc - w / 2 - label_gap)
    # nodes and labels
    for n in lay.x:
        ax.add_patch(
            Rectangle(
                (lay.x[n], lay.top[n] - lay.height[n]),
                nw,
                lay.height[n],
                facecolor=DARK_GREY,
                edgecolor="none",
                zorder=3,
                gid=f"node|{n}",
            )
        )
        ax.text(
            lay.x[n] + nw + 0.008,
            centre[n],
            texts[n],
            ha="left",
            va="center",
            fontsize=fontsize,
            zorder=4,
            linespacing=1.05,
            bbox={
                "boxstyle": "round,pad=0.12",
                "facecolor": "white",
                "alpha": 0.75,
                "edgecolor": "none",
            },
        )
    xmax = max(lay.x.values()) + nw + margin
    xmin = min([0.0] + [float(np.asarray(p.get_path().vertices)[:, 0].min()) for p in ax.patches])
    return low, lay.area, xmin, fontsize, inch, xmax


def plotly_sankey(
    tables: TablesLike,
    element: str,
    year: int,
    scope: Scope = "all",
    color_by: str = "stage",
    by_region: bool | None = None,
    links: pd.DataFrame | None = None,
) -> Any:
    """Interactive Sankey diagram (plotly ``go.Sankey``) with the same links as the static one.

    Parameters
    ----------
    tables, element, year, scope, color_by, by_region, links
        As for :func:`plot_sankey`.

    Returns
    -------
    plotly.graph_objects.Figure
        Not a matplotlib figure: display it in a notebook or write it with
        :func:`sankey_html`.
    """
    import plotly.graph_objects as go

    if links is None:
        links = sankey_links(tables, element, year, scope, by_region=by_region, color_by=color_by)
    divisor, unit = scale_unit(float(links["value"].max()) if len(links) else 0.0, "t")
    unit = f"{unit} {element}"
    title = f"{element_name(element)} ({element}) flows, {scope_label(scope)}, {year} ({unit})"
    fig = go.Figure()
    if links.empty:
        fig.update_layout(title=title + " (no flows)")
        return fig
    lay = _layout(links, dx=1.0, pad=0.05, node_width=0.02)
    names = [n for col in lay.columns for n in col]
    idx = {n: i for i, n in enumerate(names)}
    ncol = max(len(lay.columns) - 1, 1)
    xs = [0.001 + 0.998 * lay.x[n] / ncol for n in names]
    span = max(1.0 - lay.bottom, 1e-9)
    ys = [min(max((1.0 - (lay.top[n] - lay.height[n] / 2)) / span, 0.001), 0.999) for n in names]

    def rgba(hex_colour: str, alpha: float) -> str:
        r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgba({r},{g},{b},{alpha})"

    hover = (
        "%{source.label} → %{target.label}<br>%{customdata[0]} (%{customdata[1]})"
        "<br>%{value:,.3g} " + unit + "<extra></extra>"
    )
    fig.add_trace(
        go.Sankey(
            arrangement="snap",
            valueformat=",.3g",
            valuesuffix=f" {unit}",
            node={
                "label": [html_text(n) for n in names],
                "x": xs,
                "y": ys,
                "pad": 14,
                "thickness": 14,
                "color": DARK_GREY,
                "line": {"width": 0},
            },
            link={
                "source": links["source"].map(idx).tolist(),
                "target": links["target"].map(idx).tolist(),
                "value": (links["value"] / divisor).tolist(),
                "color": [rgba(_colour(k, color_by), 0.5) for k in links["color_key"]],
                "customdata": np.column_stack(
                    [
                        links["stage"].map(lambda s: html_text(_KEY_LABELS.get(s, s))),
                        links["origin"].map(html_text),
                    ]
                ).tolist(),
                "hovertemplate": hover,
            },
        )
    )
    for k in dict.fromkeys(links["color_key"]):
        label = _KEY_LABELS.get(k, k) if color_by == "stage" else ("Losses" if k == "loss" else k)
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=label,
                marker={"size": 10, "color": _colour(k, color_by), "symbol": "square"},
            )
        )
    fig.update_layout(
        title=title,
        font={"family": "Arial, Liberation Sans, DejaVu Sans", "size": 12},
        width=1100,
        height=600,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.02},
    )
    return fig


def sankey_html(
    tables: TablesLike,
    element: str,
    year: int,
    path: str | Path,
    scope: Scope = "all",
    color_by: str = "stage",
    by_region: bool | None = None,
    include_plotlyjs: bool | str = True,
) -> Path:
    """Write the interactive Sankey to a self-contained HTML file.

    Parameters
    ----------
    tables, element, year, scope, color_by, by_region
        As for :func:`plot_sankey`.
    path
        Output ``.html`` file.
    include_plotlyjs
        ``True`` (default) inlines plotly.js (about 4.8 MB) so that the file opens alone and
        offline; ``"cdn"`` links it instead (smaller, needs a network).

    Returns
    -------
    pathlib.Path
        The file written.
    """
    fig = plotly_sankey(tables, element, year, scope, color_by=color_by, by_region=by_region)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if include_plotlyjs is True:  # inline the library read once per process
        text = fig.to_html(include_plotlyjs=False, full_html=True)
        text = text.replace(
            "<head>", f'<head><script type="text/javascript">{_plotly_js()}</script>', 1
        )
        path.write_text(text, encoding="utf-8")
    else:
        fig.write_html(path, include_plotlyjs=include_plotlyjs, full_html=True)
    return path


@functools.cache
def _plotly_js() -> str:
    """The plotly.js library bundled with the plotly package (read once)."""
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())
