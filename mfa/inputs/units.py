"""Units of the input tables, parsed with a small pint registry of our own.

pint's default registry reads ``kt`` as knots and ``unit`` as a micro-unit, so
mfa defines only the units its tables need. Base dimensions keep apart what
must not mix: tonnes of material (``t``), tonnes of CO2-equivalent
(``tCO2e``), energy, money, water volume, distance, time and counts.
Lithium carbonate equivalent and oxide tonnages are deliberately unknown:
inside the model everything is tonnes of contained element.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pint

_DEFINITIONS = """
t = [mass] = tonne
kg = 1e-3 t
g = 1e-6 t
kt = 1e3 t
Mt = 1e6 t
MWh = [energy]
kWh = 1e-3 MWh
GWh = 1e3 MWh
TWh = 1e6 MWh
GJ = MWh / 3.6
MJ = 1e-3 GJ
TJ = 1e3 GJ
PJ = 1e6 GJ
USD = [currency]
kUSD = 1e3 USD
MUSD = 1e6 USD
BUSD = 1e9 USD
tCO2e = [emission]
kgCO2e = 1e-3 tCO2e
ktCO2e = 1e3 tCO2e
MtCO2e = 1e6 tCO2e
m3 = [volume]
L = 1e-3 m3
ML = 1e3 m3
km = [length]
year = [time] = yr = a
item = [count] = unit
percent = 0.01
"""

_SPECIAL_HINTS = {
    "LCE": "lithium carbonate equivalent; the model uses t of contained Li "
    "(1 t LCE = 0.1879 t Li): convert in the table and say so in 'note'",
    "oxide": "an oxide basis; the model uses t of contained element: convert with the "
    "stoichiometric factor and say so in 'note'",
    "REO": "rare-earth-oxide basis; the model uses t of contained element (about 0.85 t per t REO)",
}


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """Return mfa's unit registry (built once; pint is imported here, on first use)."""
    import pint

    reg: pint.UnitRegistry = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=False)
    for line in _DEFINITIONS.strip().splitlines():
        reg.define(line)
    return reg


class UnitProblem(ValueError):
    """A unit string that cannot be read or converted; the message says why."""


_FACTORS: dict[tuple[str, str], float] = {}
"""Factors found so far, by (unit, target): only conversions that succeeded."""


def conversion_factor(unit: str, target: str) -> float:
    """Return the factor that turns a value in ``unit`` into ``target``.

    A factor found before (in this process, or given by :func:`remember`) is not
    computed again, so that pint is imported only for a unit not seen before.

    Raises
    ------
    UnitProblem
        If ``unit`` is unknown or of another dimension than ``target``.
    """
    known = _FACTORS.get((unit, target))
    if known is None:
        known = _FACTORS[(unit, target)] = _pint_factor(unit, target)
    return known


def known_factors() -> dict[tuple[str, str], float]:
    """Every factor :func:`conversion_factor` found or was given so far."""
    return dict(_FACTORS)


def remember(factors: Mapping[tuple[str, str], float]) -> None:
    """Take factors found before (by this code and this version of pint: the input cache,
    :mod:`mfa.inputs.cache`, keys them so) as known."""
    _FACTORS.update(factors)


def _pint_factor(unit: str, target: str) -> float:
    for marker, hint in _SPECIAL_HINTS.items():
        if marker in unit:
            raise UnitProblem(f"'{unit}' is {hint}")
    import pint

    reg = registry()
    try:
        source = reg.Quantity(1.0, _normalise(unit))
    except Exception:  # pint raises many kinds (syntax, zero division, key errors) on bad text
        raise UnitProblem(f"unknown unit '{unit}'") from None
    try:
        factor = float(source.to(reg.Quantity(1.0, _normalise(target)).units).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitProblem(f"'{unit}' cannot be converted to '{target}'") from None
    except Exception:
        raise UnitProblem(f"unknown unit '{unit}'") from None
    if not math.isfinite(factor) or factor <= 0.0:
        raise UnitProblem(f"'{unit}' gives the conversion factor {factor} to '{target}'")
    return factor


def _normalise(unit: str) -> str:
    """Accept 'dimensionless', 'share' and '%' besides pint syntax."""
    text = unit.strip()
    if text in ("", "dimensionless", "share", "1", "fraction"):
        return "dimensionless"
    return text.replace("%", "percent")
