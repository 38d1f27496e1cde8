"""The house style of every `mfa` figure.

One colour-blind-safe palette (Okabe & Ito 2008, extended by Paul Tol's "muted" set where more
categories are needed), fixed colours per region, element and life-cycle stage, one matplotlib rc
dictionary (sans-serif, sizes readable at journal column width, TrueType fonts embedded in PDF, no
LaTeX) and helpers for axis labels and unit scaling.

Examples
--------
>>> from mfa.report.style import house_style, unit_label
>>> with house_style():
...     fig = make_some_figure()          # doctest: +SKIP
>>> unit_label("Supply", "kt Li")
'Supply (kt Li)'
"""

from __future__ import annotations

import contextlib
import math
import re
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.rcsetup import cycler

if TYPE_CHECKING:
    import pandas as pd

MM_PER_INCH = 25.4
SINGLE_WIDTH_IN = 3.5
"""Width of a one-column figure (89 mm: Elsevier, Nature, ACS accept 3.5 in)."""
DOUBLE_WIDTH_IN = 7.2
"""Width of a full-page (two-column) figure (183 mm)."""
MAX_HEIGHT_IN = 9.0
"""Tallest figure a journal page takes (with its caption)."""
SINGLE_COLUMN_MM = SINGLE_WIDTH_IN * MM_PER_INCH
DOUBLE_COLUMN_MM = DOUBLE_WIDTH_IN * MM_PER_INCH

OKABE_ITO: dict[str, str] = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
"""The eight Okabe-Ito colours, distinguishable under the common colour-vision deficiencies."""

TOL_MUTED: dict[str, str] = {
    "indigo": "#332288",
    "cyan": "#88CCEE",
    "teal": "#44AA99",
    "green": "#117733",
    "olive": "#999933",
    "sand": "#DDCC77",
    "rose": "#CC6677",
    "wine": "#882255",
    "purple": "#AA4499",
}
"""Paul Tol's muted qualitative set, used after Okabe-Ito when more categories are needed."""

GREY = "#999999"
DARK_GREY = "#4D4D4D"
LIGHT_GREY = "#D9D9D9"

CYCLE: list[str] = [
    OKABE_ITO[k]
    for k in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "yellow",
        "black",
    )
]
"""Default colour cycle for lines and bars (Okabe-Ito, blue first)."""

TOL_LIGHT: dict[str, str] = {
    "light_blue": "#77AADD",
    "light_cyan": "#99DDFF",
    "mint": "#44BB99",
    "pear": "#BBCC33",
    "olive": "#AAAA00",
    "light_yellow": "#EEDD88",
    "orange": "#EE8866",
    "pink": "#FFAABB",
    "pale_grey": "#DDDDDD",
}
"""Paul Tol's "light" qualitative set: the stage colours (never a region's colour)."""

_FALLBACK: list[str] = [TOL_MUTED[k] for k in ("cyan", "sand", "purple")] + ["#5D3A9B", "#1B7837"]

REGION_COLOURS: dict[str, str] = {
    "CA": OKABE_ITO["vermillion"],
    "KR": OKABE_ITO["blue"],
    "CN": OKABE_ITO["orange"],
    "AU": OKABE_ITO["bluish_green"],
    "CL": OKABE_ITO["sky_blue"],
    "AR": OKABE_ITO["yellow"],
    "ID": OKABE_ITO["reddish_purple"],
    "CD": TOL_MUTED["wine"],
    "PH": TOL_MUTED["teal"],
    "ZA": TOL_MUTED["olive"],
    "US": TOL_MUTED["indigo"],
    "JP": TOL_MUTED["rose"],
    "EU": TOL_MUTED["green"],
    "MZ": "#8C510A",  # brown: no other region's hue
    "ROW": GREY,
}
"""Fixed colour of each region, the same in every figure."""

ELEMENT_COLOURS: dict[str, str] = {
    "Li": OKABE_ITO["sky_blue"],
    "Ni": OKABE_ITO["bluish_green"],
    "Co": OKABE_ITO["blue"],
    "Mn": OKABE_ITO["reddish_purple"],
    "C": "#333333",
    "graphite": "#333333",
    "Cu": OKABE_ITO["vermillion"],
    "Nd": OKABE_ITO["orange"],
    "Pr": TOL_MUTED["sand"],
    "Dy": TOL_MUTED["wine"],
    "Tb": TOL_MUTED["rose"],
    "REE": TOL_MUTED["purple"],
    "NdPr": OKABE_ITO["orange"],
    "DyTb": TOL_MUTED["wine"],
    "Ga": TOL_MUTED["rose"],
    "Ge": TOL_MUTED["sand"],
    "W": TOL_MUTED["indigo"],
    "Si": TOL_MUTED["olive"],
}
"""Fixed colour of each element."""

STAGE_COLOURS: dict[str, str] = {
    "resource": DARK_GREY,
    "mining": TOL_LIGHT["orange"],
    "refining": TOL_LIGHT["light_yellow"],
    "material": TOL_LIGHT["pink"],
    "component": TOL_LIGHT["light_cyan"],
    "product": TOL_LIGHT["light_blue"],
    "eol": TOL_LIGHT["olive"],
    "scrap": TOL_LIGHT["pear"],
    "secondary": TOL_LIGHT["mint"],
    "loss": TOL_LIGHT["pale_grey"],
    "landfill": TOL_LIGHT["pale_grey"],
    "stock": "#B3B3B3",
}
"""Colour of flows by the life-cycle stage of the commodity they carry (Tol's light set, so
that no stage shares a colour with a region); ``scrap`` is manufacturing scrap."""

SCENARIO_COLOURS: dict[str, str] = {
    "reference": "#000000",
    "aps": OKABE_ITO["sky_blue"],
    "kr_security": OKABE_ITO["blue"],
    "recycled_content": OKABE_ITO["bluish_green"],
    "partnership": OKABE_ITO["vermillion"],
    "supply_shock": OKABE_ITO["orange"],
    "net_zero": TOL_MUTED["green"],
    "circular": TOL_MUTED["teal"],
    "partnership_security": OKABE_ITO["reddish_purple"],
    "responsible_sourcing": TOL_MUTED["wine"],
}
"""Fixed colour of each scenario of ``models/canada_korea.yaml`` (the reference in black)."""

SUPPLY_TYPE_COLOURS: dict[str, str] = {
    "primary": OKABE_ITO["orange"],
    "secondary": OKABE_ITO["bluish_green"],
}

STAGE_LABELS: dict[str, str] = {
    "resource": "Resource",
    "mining": "Mining",
    "refining": "Refining",
    "material": "Materials",
    "component": "Components",
    "product": "Products",
    "use": "Use",
    "eol": "End of life",
    "collection": "Collection",
    "recycling": "Recycling",
    "repurposing": "Repurposing",
    "secondary": "Secondary",
    "manufacturing": "Manufacturing",
}
"""Display names of stages and process kinds."""

RC: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Liberation Sans", "TeX Gyre Heros", "Helvetica", "DejaVu Sans"],
    "font.size": 8,
    "axes.titlesize": 8.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7.5,
    "legend.frameon": False,
    "figure.titlesize": 9,
    "figure.dpi": 110,
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.grid": False,
    "grid.linewidth": 0.4,
    "grid.color": "#E0E0E0",
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3,
    "ytick.major.size": 3,
    "lines.linewidth": 1.3,
    "lines.markersize": 4,
    "patch.linewidth": 0.4,
    "savefig.dpi": 300,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.02,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.fonttype": "none",
    "text.usetex": False,
    "mathtext.default": "regular",
    "axes.formatter.use_mathtext": False,
    "axes.unicode_minus": True,
}
"""matplotlib rc settings of the house style (no LaTeX; fonts embedded as TrueType)."""


@contextlib.contextmanager
def house_style(**overrides: object) -> Iterator[None]:
    """Apply the house style (``RC``) inside a ``with`` block.

    Parameters
    ----------
    **overrides
        rc settings that replace those of ``RC`` (dots written as ``__``, e.g.
        ``font__size=9``).

    Yields
    ------
    None
    """
    rc = dict(RC)
    rc.update({k.replace("__", "."): v for k, v in overrides.items()})
    with mpl.rc_context(rc):
        yield


def figsize(width: str | float = "single", aspect: float = 0.62) -> tuple[float, float]:
    """Figure size in inches for a journal width.

    Parameters
    ----------
    width
        ``"single"`` (3.5 in), ``"double"`` (7.2 in) or a width in millimetres.
    aspect
        Height divided by width (the height is capped at :data:`MAX_HEIGHT_IN`).

    Returns
    -------
    tuple of float
        (width, height) in inches.
    """
    if width == "single":
        w = SINGLE_WIDTH_IN
    elif width == "double":
        w = DOUBLE_WIDTH_IN
    else:
        w = float(width) / MM_PER_INCH
    return (w, min(w * aspect, MAX_HEIGHT_IN))


def panel_grid(
    n: int,
    ncols: int,
    row_height: float,
    extra_height: float = 0.5,
    width: str | float = "double",
    footer: str = "",
    legend_rows: int = 0,
) -> tuple[Any, list[Any]]:
    """A constrained-layout figure with ``n`` panels in rows of ``ncols``, and an optional
    note in a row of its own under them (inside the layout, so nothing overlaps it).

    Parameters
    ----------
    n
        Panels wanted (at least one is made).
    ncols
        Panels per row.
    row_height, extra_height
        Inches per row, and for titles and legends.
    width
        As for :func:`figsize`.
    footer
        Note under the panels (lines already wrapped), in grey at 6 pt.
    legend_rows
        Rows of a figure legend to keep room for under the panels: the empty axes there
        is ``fig.axes[n]`` (draw the legend with its ``legend`` method, ``loc="upper
        center"``); inside the layout, so the run caption strip never covers it.

    Returns
    -------
    tuple
        The figure and its ``n`` axes in reading order (unused cells removed).
    """
    import matplotlib.pyplot as plt

    n = max(n, 1)
    nrows = math.ceil(n / ncols)
    w, _ = figsize(width)
    note_h = (footer.count("\n") + 1) * 6 * 1.3 / 72 + 0.05 if footer else 0.0
    note_h += legend_rows * 0.17 + 0.1 if legend_rows else 0.0
    fig = plt.figure(figsize=(w, row_height * nrows + extra_height + note_h), layout="constrained")
    rows = nrows + (1 if note_h else 0)
    ratios = [row_height] * nrows + ([note_h] if note_h else [])
    gs = fig.add_gridspec(rows, ncols, height_ratios=ratios)
    axs = [fig.add_subplot(gs[i // ncols, i % ncols]) for i in range(n)]
    if note_h:
        note = fig.add_subplot(gs[nrows, :])
        note.set_axis_off()
        if footer:
            note.text(0.0, 1.0, footer, fontsize=6, color=DARK_GREY, ha="left", va="top")
    return fig, axs


def _fallback_colour(key: str) -> str:
    return _FALLBACK[zlib.crc32(key.encode("utf-8")) % len(_FALLBACK)]


def region_colour(region: str) -> str:
    """Colour of a region: fixed for the known ones, a stable hash-based pick otherwise."""
    return REGION_COLOURS.get(region, _fallback_colour(f"region:{region}"))


def element_colour(element: str) -> str:
    """Colour of an element: fixed for the known ones, a stable hash-based pick otherwise."""
    return ELEMENT_COLOURS.get(element, _fallback_colour(f"element:{element}"))


def stage_colour(stage: str) -> str:
    """Colour of a life-cycle stage (commodity stage, or ``loss``/``landfill``/``stock``)."""
    return STAGE_COLOURS.get(stage, _fallback_colour(f"stage:{stage}"))


def scenario_colour(scenario: str) -> str:
    """Colour of a scenario: fixed for the known ones, a stable hash-based pick otherwise."""
    return SCENARIO_COLOURS.get(scenario, _fallback_colour(f"scenario:{scenario}"))


COLOUR_MAPS: dict[str, dict[str, str]] = {
    "region": REGION_COLOURS,
    "stage": STAGE_COLOURS,
    "scenario": SCENARIO_COLOURS,
    "element": ELEMENT_COLOURS,
}
"""The house colour maps by kind: what report figures and notebooks use (read only)."""


def colour(kind: str, key: str) -> str:
    """Colour of ``key`` in the house map of ``kind`` (``region``, ``stage``, ``scenario`` or
    ``element``); a key not in the map gets a stable colour of the fallback set.

    Examples
    --------
    >>> colour("region", "CA")
    '#D55E00'
    """
    pickers = {
        "region": region_colour,
        "stage": stage_colour,
        "scenario": scenario_colour,
        "element": element_colour,
    }
    if kind not in pickers:
        raise ValueError(f"unknown colour kind {kind!r}; expected one of {sorted(pickers)}")
    return pickers[kind](key)


def category_colours(keys: list[str], kind: str = "region") -> dict[str, str]:
    """Colours for a list of category keys.

    Parameters
    ----------
    keys
        Category names.
    kind
        ``"region"``, ``"element"``, ``"stage"``, ``"scenario"``, ``"supply_type"`` or
        ``"cycle"`` (the
        default colour cycle in order of ``keys``).

    Returns
    -------
    dict
        Key to hex colour.
    """
    if kind in COLOUR_MAPS:
        out = {k: colour(kind, k) for k in keys}
    elif kind == "supply_type":
        out = {k: SUPPLY_TYPE_COLOURS.get(k, _fallback_colour(k)) for k in keys}
    else:
        palette = CYCLE + _FALLBACK
        out = {k: palette[i % len(palette)] for i, k in enumerate(keys)}
    return out


def unit_label(name: str, unit: str | None) -> str:
    """Axis label with its unit in parentheses.

    Parameters
    ----------
    name
        What the axis shows, e.g. ``"Supply"``.
    unit
        Unit string, e.g. ``"kt Li"``; ``None`` or ``""`` gives ``"(-)"`` (dimensionless).

    Returns
    -------
    str
        ``"name (unit)"``.
    """
    return f"{name} ({unit if unit else '-'})"


_MASS_STEPS = (("t", 1.0), ("kt", 1e3), ("Mt", 1e6), ("Gt", 1e9))
_USD_STEPS = (
    ("USD", 1.0),
    ("thousand USD", 1e3),
    ("million USD", 1e6),
    ("billion USD", 1e9),
    ("trillion USD", 1e12),
)
_ENERGY_STEPS = (("MWh", 1e-3), ("GWh", 1.0), ("TWh", 1e3))
_HEAT_STEPS = (("GJ", 1.0), ("TJ", 1e3), ("PJ", 1e6), ("EJ", 1e9))
_WATER_STEPS = (("m3", 1.0), ("thousand m3", 1e3), ("million m3", 1e6), ("billion m3", 1e9))
_STEPS_BY_HEAD = {
    "USD": _USD_STEPS,
    "GWh": _ENERGY_STEPS,
    "MWh": _ENERGY_STEPS,
    "TWh": _ENERGY_STEPS,
    "GJ": _HEAT_STEPS,
    "TJ": _HEAT_STEPS,
    "PJ": _HEAT_STEPS,
    "m3": _WATER_STEPS,
}


def scale_unit(max_abs: float, unit: str) -> tuple[float, str]:
    """Pick a unit prefix so that the largest number reads well (between 1 and 1000).

    Handles tonnes (``t``, ``t Li``, ``tCO2e``), US dollars (``USD``, ``USD/t``), energy in
    GWh or GJ and water in m3; any other unit is returned unchanged.

    Parameters
    ----------
    max_abs
        Largest absolute value to be shown, in ``unit``.
    unit
        The unit of the values.

    Returns
    -------
    tuple
        (divisor, new unit): divide values by ``divisor`` to express them in ``new unit``.

    Examples
    --------
    >>> scale_unit(25_000, "t")
    (1000.0, 'kt')
    >>> scale_unit(3.2e9, "USD")
    (1000000000.0, 'billion USD')
    >>> scale_unit(6.8e7, "GJ")
    (1000000.0, 'PJ')
    """
    if not unit or not math.isfinite(max_abs) or max_abs <= 0:
        return 1.0, unit
    u = unit.strip()
    m = re.match(r"^(Gt|Mt|kt|t)(CO2e|CO2|CO₂e)?(.*)$", u)
    steps: tuple[tuple[str, float], ...]
    if m and (m.group(2) or not m.group(3) or m.group(3)[0] in " /"):
        head, rest = m.group(1), (f" {m.group(2)}" if m.group(2) else "") + m.group(3)
        steps = _MASS_STEPS
    elif u.split(" ")[0].split("/")[0] in _STEPS_BY_HEAD:
        head = u.split(" ")[0].split("/")[0]
        rest = u[len(head) :]
        steps = _STEPS_BY_HEAD[head]
    else:
        return 1.0, unit
    base = dict(steps)[head]
    chosen = steps[0]
    for name, factor in steps:
        if max_abs * base / factor >= 1.0:
            chosen = (name, factor)
    return chosen[1] / base, f"{chosen[0]}{rest}"


def pretty_unit(unit: str) -> str:
    """Unit string for display (``tCO2e`` becomes ``t CO₂e``)."""
    unit = re.sub(r"\bm3\b", "m³", unit)
    return unit.replace("tCO2e", "t CO₂e").replace("CO2e", "CO₂e").replace("CO2", "CO₂")


LCE_PER_LI = 5.323
"""Tonnes of lithium carbonate equivalent (LCE, Li2CO3) per tonne of contained lithium.

The ratio of molar masses, M(Li2CO3) / (2 M(Li)) = 73.891 / (2 x 6.94) = 5.323, with the
standard atomic weights of IUPAC/CIAAW (Prohaska et al. 2022, "Standard atomic weights of the
elements 2021", Pure Appl. Chem. 94(5), 573-600, doi:10.1515/pac-2019-0603: Li 6.94,
C 12.011, O 15.999). The model counts tonnes of contained Li; LCE appears only in reporting,
beside Li, for readers of industry statistics (which quote lithium as LCE)."""


EMPTY_CELL = "#F2F2F2"
"""Colour of a heatmap cell where nothing flows."""


def sequential_cmap() -> Any:
    """The colour scale of quantities (heatmaps): light blue for the smallest, dark blue for
    the largest, lighter than any flow; empty (masked) cells in :data:`EMPTY_CELL`.

    Matplotlib's ``Blues`` without its near-white end, so that the smallest flow still shows
    against an empty cell and the largest is the darkest, most saturated colour.
    """
    from matplotlib.colors import ListedColormap

    blues = mpl.colormaps["Blues"]
    cmap = ListedColormap(blues([0.18 + 0.82 * i / 255 for i in range(256)]), name="mfa_blues")
    return cmap.with_extremes(bad=EMPTY_CELL)


def add_lce_axis(ax: Any, label: str, per_tonne: bool = False) -> Any:
    """A secondary y axis in lithium carbonate equivalent beside an axis in contained Li.

    Parameters
    ----------
    ax
        Axes whose y axis is in (a multiple of) t Li, or, with ``per_tonne``, in (a multiple
        of) USD per t Li.
    label
        Label of the LCE axis with its unit, e.g. ``"Price (thousand USD/t LCE)"``.
    per_tonne
        The axis is a price per t Li: the LCE axis shows per t LCE (divided by
        :data:`LCE_PER_LI`) instead of t LCE (multiplied).

    Returns
    -------
    matplotlib.axes.Axes
        The secondary axis (its label says LCE and the factor).
    """
    f = 1.0 / LCE_PER_LI if per_tonne else LCE_PER_LI
    sec = ax.secondary_yaxis("right", functions=(lambda y: y * f, lambda y: y / f))
    sec.set_ylabel(label, fontsize=6, color=DARK_GREY)
    sec.tick_params(labelsize=6, colors=DARK_GREY)
    return sec


def format_value(value: float, unit: str = "") -> str:
    """Format a number with a sensible number of digits and its unit, e.g. ``12.3 kt``."""
    if value == 0 or not math.isfinite(value):
        text = "0" if value == 0 else str(value)
    else:
        mag = abs(value)
        if mag >= 100:
            text = f"{value:,.0f}"
        elif mag >= 10:
            text = f"{value:.1f}"
        elif mag >= 1:
            text = f"{value:.2f}"
        else:
            text = f"{value:.2g}"
    return f"{text} {pretty_unit(unit)}".strip()


ELEMENT_NAMES: dict[str, str] = {
    "Li": "Lithium",
    "Ni": "Nickel",
    "Co": "Cobalt",
    "Mn": "Manganese",
    "C": "Graphite",
    "graphite": "Graphite",
    "Cu": "Copper",
    "Nd": "Neodymium",
    "Pr": "Praseodymium",
    "Dy": "Dysprosium",
    "Tb": "Terbium",
    "REE": "Rare earths",
    "Ga": "Gallium",
    "Ge": "Germanium",
    "W": "Tungsten",
    "Si": "Silicon",
}


def element_name(element: str) -> str:
    """Full name of an element symbol (the symbol itself when unknown)."""
    return ELEMENT_NAMES.get(element, element)


OTHER = "Other"
"""Name of the category that gathers the small ones."""


def other_colour() -> str:
    """Colour of the ``Other`` category (light grey, distinct from ``ROW``)."""
    return LIGHT_GREY


def group_small(
    wide: pd.DataFrame, max_n: int = 7, min_share: float = 0.02, keep: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Keep the largest columns of a wide table and sum the rest into ``Other``.

    Parameters
    ----------
    wide
        pandas DataFrame with one column per category (values summed over rows to rank).
    max_n
        Most categories kept (besides ``keep``).
    min_share
        Categories with less than this share of the total are grouped even if fewer than
        ``max_n``.
    keep
        Columns always kept (e.g. the region's own output, recycling), in front.

    Returns
    -------
    pandas.DataFrame
        The same rows; kept columns ordered by size (``keep`` first), ``Other`` last.
    """
    if wide.shape[1] == 0:
        return wide
    totals = wide.abs().sum().sort_values(ascending=False)
    grand = float(totals.sum()) or 1.0
    fixed = [c for c in keep if c in wide.columns]
    rest = [c for c in totals.index if c not in fixed]
    chosen = [c for c in rest[:max_n] if totals[c] / grand >= min_share]
    small = [c for c in rest if c not in chosen]
    out = wide[fixed + chosen].copy()
    if len(small) == 1:
        out[small[0]] = wide[small[0]]
    elif small:
        out[OTHER] = wide[small].sum(axis=1)
    return out


CAPTION_HEIGHT_IN = 0.2
"""Strip at the bottom of every saved figure that carries its run caption."""


def data_version(meta: dict[str, Any]) -> str:
    """The data version of a run: ``data_version`` when given, else the first 12 hex digits of
    the hash of its input tables (``""`` when neither is known)."""
    if meta.get("data_version"):
        return str(meta["data_version"])
    if meta.get("data_hash"):
        return f"data {str(meta['data_hash'])[:12]}"
    return ""


def run_caption(meta: dict[str, Any]) -> str:
    """One line naming the run a figure shows: scenario, data version and model.

    Examples
    --------
    >>> run_caption({"scenario": "reference", "model": "tiny", "data_hash": "930fca55d0abcd12"})
    'Scenario reference · data 930fca55d0ab · model tiny'
    """
    parts = []
    if meta.get("scenario"):
        parts.append(f"Scenario {meta['scenario']}")
    version = data_version(meta)
    if version:
        parts.append(version)
    if meta.get("model"):
        parts.append(f"model {meta['model']}")
    return " · ".join(parts) or "run not identified"


def figure_of(ax: Axes) -> Figure:
    """The figure that ``ax`` is drawn on; mfa's plots draw on a top-level figure.

    Raises
    ------
    TypeError
        If ``ax`` sits on a subfigure or on no figure.
    """
    fig = ax.get_figure()
    if not isinstance(fig, Figure):
        raise TypeError(f"the axes must be drawn on a matplotlib Figure, not on {fig!r}")
    return fig


def stamp(fig: Any, meta: dict[str, Any]) -> None:
    """Write the run caption (:func:`run_caption`) in a strip under a figure, snap its width to
    3.5 or 7.2 in and cap its height at 9 in (caption included).

    The figure's constrained layout keeps its axes out of the strip; a figure without a layout
    engine is shifted up by the strip's height.
    """
    w, h = fig.get_size_inches()
    width = SINGLE_WIDTH_IN if w < (SINGLE_WIDTH_IN + DOUBLE_WIDTH_IN) / 2 else DOUBLE_WIDTH_IN
    height = min(h + CAPTION_HEIGHT_IN, MAX_HEIGHT_IN)
    fig.set_size_inches(width, height)
    strip = CAPTION_HEIGHT_IN / height
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(rect=(0.0, strip, 1.0, 1.0 - strip))
    else:
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, strip + 0.02))
    fig.text(
        0.005,
        0.3 * strip,
        run_caption(meta),
        ha="left",
        va="bottom",
        fontsize=6,
        color=DARK_GREY,
    )


def file_metadata(meta: dict[str, Any], title: str, fmt: str) -> dict[str, str]:
    """Metadata written into a saved figure: title, run caption and creator (PNG text chunks,
    PDF document information; ``{}`` for other formats)."""
    caption = run_caption(meta)
    if fmt == "png":
        return {"Title": title, "Description": caption, "Software": "mfa"}
    if fmt == "pdf":
        return {"Title": title, "Subject": caption, "Keywords": caption, "Creator": "mfa"}
    if fmt == "svg":
        return {"Title": title, "Description": caption, "Creator": "mfa"}
    return {}
