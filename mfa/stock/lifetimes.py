"""Product lifetime distributions and their mass-conserving annual discretisation.

A :class:`Lifetime` describes how long a product stays in use. It is turned into the two
discrete sequences that the linear program needs (see :mod:`mfa.stock.kernel`):

``outflow_shares(H)``
    ``s[a]``, a = 0..H: the share of a cohort that leaves use in the year in which it has age
    ``a`` (age = calendar year of outflow minus calendar year of inflow).
``in_use_shares(H)``
    ``sigma[a]``, a = 0..H: the share of a cohort still in use at the *end* of that year.

Conventions (identical to flodym's ``InflowDrivenDSM`` with its default lifetime-model settings
``inflow_at="middle"`` and ``n_pts_per_interval=1``, checked to 1e-9 relative in
``tests/test_stock_kernels.py``):

* **Mid-year inflow.** A cohort entering in year tau enters at tau + 1/2; year t spans
  [t - 1/2, t + 1/2] on the continuous age axis of that cohort shifted by tau. Hence the share
  of the cohort still in use at the end of year tau + a is ``S(a + 1/2)``, where ``S`` is the
  survival function of the lifetime ``S(x) = P(L > x)``.
* **Outflow shares.** ``s[0] = 1 - S(1/2)`` (leaves in the year of inflow) and
  ``s[a] = S(a - 1/2) - S(a + 1/2)`` for a >= 1.
* **Negative ages (normal distribution).** The normal distribution puts mass
  ``Phi(-mean/std)`` on negative lifetimes. flodym never evaluates ``S`` below age 1/2, so that
  mass is counted in ``s[0] = 1 - S(1/2)``: it leaves in the year of inflow and mass is
  conserved. :meth:`Lifetime.survival` mirrors this by returning 1 for ages < 0 (the negative
  mass is collapsed onto age 0).
* **Truncation.** The support is truncated at the horizon ``H`` (:meth:`Lifetime.horizon`):
  the smallest whole age ``a`` with ``S(a + 1/2) <= TAIL_TOLERANCE`` (1e-12), capped at
  ``MAX_AGE`` (200 years). Whatever is still in use at the end of age ``H - 1`` leaves at age
  ``H``: ``s[H] = S(H - 1/2)``, ``sigma[H] = 0``. The shares therefore telescope to exactly
  ``sum_a s[a] = 1``: what enters leaves exactly once. flodym does not truncate; the two agree
  to within ``TAIL_TOLERANCE`` times the inflow of the oldest cohort involved.
* **Fixed lifetime L.** ``S(x) = 1 if x < L else 0`` (as flodym's ``FixedLifetime``). For a
  whole number ``L`` the cohort of year tau leaves entirely in year tau + L.
* **Survival table.** ``survival[k]`` (k = 0..A) is the share of a cohort still in use at age
  ``k`` years; units leave at whole ages, so ``S(x) = survival[floor(x)]`` for 0 <= x < A + 1
  and ``S(x) = 0`` for x >= A + 1 (whatever is still in use at age A leaves at age A + 1).
  With mid-year inflow this gives ``sigma[a] = survival[a]`` for a <= A and
  ``s[a] = survival[a - 1] - survival[a]`` (``s[0] = 0`` because ``survival[0] = 1``),
  ``s[A + 1] = survival[A]``. A fixed lifetime L equals the table ``[1] * L + [0]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = ["DISTRIBUTIONS", "MAX_AGE", "TAIL_TOLERANCE", "Lifetime"]

DISTRIBUTIONS: Final[tuple[str, ...]] = ("fixed", "normal", "lognormal", "weibull", "table")
"""Accepted values of :attr:`Lifetime.distribution`."""

TAIL_TOLERANCE: Final[float] = 1e-12
"""Survival share below which the remaining tail is cut off and added to the last age."""

MAX_AGE: Final[int] = 200
"""Hard cap on the truncation horizon, in years."""

_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "fixed": ("mean",),
    "normal": ("mean", "std"),
    "lognormal": ("mean", "std"),
    "weibull": ("mean", "shape"),
    "table": ("survival_table",),
}
_PARAMETERS: Final[tuple[str, ...]] = ("mean", "std", "shape", "survival_table")


@dataclass(frozen=True, init=False)
class Lifetime:
    """Lifetime distribution of a product in use.

    Parameters
    ----------
    distribution
        One of ``"fixed"``, ``"normal"``, ``"lognormal"``, ``"weibull"``, ``"table"``.
    mean
        Mean lifetime in years (> 0). Used by fixed (the lifetime itself), normal, lognormal and
        weibull.
    std
        Standard deviation of the lifetime in years (> 0), for normal and lognormal. For the
        lognormal these are the mean and standard deviation *of the lifetime itself*, not of
        its logarithm (as in flodym's ``LogNormalLifetime``).
    shape
        Weibull shape parameter k (> 0). The Weibull scale is derived from the mean,
        ``scale = mean / Gamma(1 + 1/k)`` (see :attr:`weibull_scale`).
    survival
        For ``"table"``: survival shares by whole age 0..A; must start at 1, be non-increasing
        and lie in [0, 1]. Stored as the tuple :attr:`survival_table`.
    survival_table
        Alias of ``survival`` under the stored field name (so that ``dataclasses.replace``
        works); give at most one of the two.

    Raises
    ------
    ValueError
        If the distribution is unknown, a required parameter is missing, a parameter that the
        distribution does not use is given, or a value is out of range. The message names the
        problem.

    Notes
    -----
    Parameter conventions follow flodym 1.1 so that the discretised outflows match its
    ``InflowDrivenDSM``:

    * normal: ``S(x) = 1 - Phi((x - mean) / std)`` for x >= 0 and 1 for x < 0.
    * lognormal: if ``ln L ~ N(mu, s^2)`` then ``E[L] = exp(mu + s^2/2)`` and
      ``Var[L] = (exp(s^2) - 1) exp(2 mu + s^2)``, so
      ``s^2 = ln(1 + std^2 / mean^2)`` and ``mu = ln(mean^2 / sqrt(mean^2 + std^2))``;
      ``S(x) = 1 - Phi((ln x - mu) / s)``.
    * weibull: ``S(x) = exp(-(x / scale)^k)``, ``E[L] = scale * Gamma(1 + 1/k)``.
    * fixed: ``S(x) = 1 if x < mean else 0``.
    * table: ``S(x) = survival[floor(x)]`` for 0 <= x < A + 1, else 0 (1 for x < 0).

    Examples
    --------
    >>> lt = Lifetime("fixed", mean=3)
    >>> lt.outflow_shares().tolist()
    [0.0, 0.0, 0.0, 1.0]
    >>> lt.in_use_shares().tolist()
    [1.0, 1.0, 1.0, 0.0]
    """

    distribution: str
    mean: float | None = None
    std: float | None = None
    shape: float | None = None
    survival_table: tuple[float, ...] | None = field(default=None)

    def __init__(
        self,
        distribution: str,
        mean: float | None = None,
        std: float | None = None,
        shape: float | None = None,
        survival: Sequence[float] | npt.ArrayLike | None = None,
        *,
        survival_table: Sequence[float] | npt.ArrayLike | None = None,
    ) -> None:
        if survival is not None and survival_table is not None:
            raise ValueError("give the survival table as either 'survival' or 'survival_table'")
        table = survival if survival is not None else survival_table
        set_ = object.__setattr__
        set_(self, "distribution", distribution)
        set_(self, "mean", _as_float(mean, "mean"))
        set_(self, "std", _as_float(std, "std"))
        set_(self, "shape", _as_float(shape, "shape"))
        set_(self, "survival_table", _as_table(table))
        self._validate()

    # ------------------------------------------------------------------ validation
    def _validate(self) -> None:
        dist = self.distribution
        if dist not in DISTRIBUTIONS:
            raise ValueError(
                f"unknown lifetime distribution {dist!r}; expected one of {DISTRIBUTIONS}"
            )
        required = _REQUIRED[dist]
        for name in _PARAMETERS:
            value = getattr(self, name)
            shown = "survival" if name == "survival_table" else name
            if name in required and value is None:
                raise ValueError(f"{dist} lifetime requires '{shown}'")
            if name not in required and value is not None:
                raise ValueError(f"{dist} lifetime does not use '{shown}' (got {value!r})")
        for name in ("mean", "std", "shape"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise ValueError(f"{dist} lifetime: '{name}' must be finite and > 0, got {value}")
        if dist == "table":
            _validate_table(self.survival_table)

    # ------------------------------------------------------------------ parameters
    @property
    def weibull_scale(self) -> float:
        """Weibull scale ``lambda = mean / Gamma(1 + 1/shape)`` (weibull only).

        Returns
        -------
        float
            Scale parameter in years, as passed to ``scipy.stats.weibull_min`` and to flodym's
            ``WeibullLifetime(weibull_scale=...)``.
        """
        if self.distribution != "weibull":
            raise ValueError(f"weibull_scale is only defined for weibull, not {self.distribution}")
        assert self.mean is not None and self.shape is not None
        try:
            gamma = math.gamma(1.0 + 1.0 / self.shape)
        except OverflowError:  # shape near 0: Gamma beyond floats, the scale 0
            gamma = math.inf
        return float(self.mean / gamma)

    @property
    def lognormal_parameters(self) -> tuple[float, float]:
        """Parameters ``(mu, s)`` of the underlying normal of a lognormal lifetime.

        Returns
        -------
        tuple of float
            ``mu = ln(mean^2 / sqrt(mean^2 + std^2))`` and ``s = sqrt(ln(1 + std^2 / mean^2))``,
            computed with the same floating-point expressions as flodym's
            ``LogNormalLifetime``.
        """
        if self.distribution != "lognormal":
            raise ValueError(
                f"lognormal_parameters is only defined for lognormal, not {self.distribution}"
            )
        assert self.mean is not None and self.std is not None
        mean_square = self.mean * self.mean
        std_square = self.std * self.std
        mu = float(np.log(mean_square / np.sqrt(mean_square + std_square)))
        sigma = float(np.sqrt(np.log(1 + std_square / mean_square)))
        return mu, sigma

    # ------------------------------------------------------------------ continuous survival
    def survival(self, ages: npt.ArrayLike) -> np.ndarray:
        """Survival function ``S(x) = P(L > x)`` at (real-valued) ages in years.

        Parameters
        ----------
        ages
            Ages in years, any shape.

        Returns
        -------
        numpy.ndarray
            ``S(ages)`` as float array of the same shape; 1 for negative ages (the normal
            distribution's mass below 0 is collapsed onto age 0, as flodym's discretisation
            does), non-increasing in age.
        """
        x = np.asarray(ages, dtype=float)
        dist = self.distribution
        if dist == "fixed":
            out = (x < self.mean).astype(float)
        elif dist == "normal":
            assert self.mean is not None and self.std is not None
            out = _normal_sf((x - self.mean) / self.std)
        elif dist == "lognormal":
            mu, sigma = self.lognormal_parameters
            if not 0.0 < sigma < math.inf:  # std too small for floats: no distribution
                out = np.full(x.shape, np.nan)
            else:
                with np.errstate(divide="ignore"):  # log(0) = -inf: S(0) = 1
                    z = (np.log(np.maximum(x, 0.0)) - mu) / sigma
                out = np.where(x > 0, _normal_sf(z), 1.0)
        elif dist == "weibull":
            scale = self.weibull_scale
            if not 0.0 < scale < math.inf:  # shape too small for floats: no distribution
                out = np.full(x.shape, np.nan)
            else:
                out = np.exp(-((np.maximum(x, 0.0) / scale) ** self.shape))
        else:  # table
            table = np.asarray(self.survival_table, dtype=float)
            extended = np.append(table, 0.0)
            idx = np.floor(np.where(np.isfinite(x), x, 0.0)).astype(np.int64)
            idx = np.clip(idx, 0, len(table))
            out = extended[idx]
            out = np.where(x >= len(table), 0.0, out)
        return np.where(x < 0, 1.0, np.asarray(out, dtype=float))

    # ------------------------------------------------------------------ discretisation
    def horizon(self, tail_tolerance: float = TAIL_TOLERANCE, max_age: int = MAX_AGE) -> int:
        r"""Truncation horizon H: the last age at which a cohort can leave use.

        .. math:: H = \min\{a \in \{0, .., max\_age\} : S(a + 1/2) \le tail\_tolerance\}

        or ``max_age`` if no such age exists.

        Parameters
        ----------
        tail_tolerance
            Survival share treated as nil (default :data:`TAIL_TOLERANCE` = 1e-12).
        max_age
            Cap on the horizon in years (default :data:`MAX_AGE` = 200).

        Returns
        -------
        int
            The horizon H >= 0.
        """
        if max_age < 0:
            raise ValueError(f"max_age must be >= 0, got {max_age}")
        sf_end_of_year = self.survival(np.arange(max_age + 1) + 0.5)
        below = np.flatnonzero(sf_end_of_year <= tail_tolerance)
        return int(below[0]) if below.size else int(max_age)

    def _end_of_year_survival(self, horizon: int | None) -> np.ndarray:
        """``r[a] = S(a - 1/2)`` for a = 0..H+1 with ``r[0] = 1`` and ``r[H+1] = 0``."""
        h = self.horizon() if horizon is None else int(horizon)
        if h < 0:
            raise ValueError(f"horizon must be >= 0, got {horizon}")
        r = np.empty(h + 2)
        r[0] = 1.0
        r[1 : h + 1] = self.survival(np.arange(h) + 0.5)
        r[h + 1] = 0.0
        return r

    def outflow_shares(self, horizon: int | None = None) -> np.ndarray:
        r"""Share of a cohort leaving use at each whole age 0..H.

        .. math::

            s_0 = 1 - S(1/2), \quad s_a = S(a - 1/2) - S(a + 1/2) \ (1 \le a < H),
            \quad s_H = S(H - 1/2)

        so that :math:`\sum_{a=0}^{H} s_a = 1` (the tail beyond H is added to age H).

        Parameters
        ----------
        horizon
            Truncation horizon H in years; default :meth:`horizon`.

        Returns
        -------
        numpy.ndarray
            Array of length H + 1, non-negative, summing to 1.
        """
        r = self._end_of_year_survival(horizon)
        return r[:-1] - r[1:]

    def in_use_shares(self, horizon: int | None = None) -> np.ndarray:
        r"""Share of a cohort still in use at the end of the year in which it has age a = 0..H.

        .. math:: \sigma_a = S(a + 1/2) \ (a < H), \quad \sigma_H = 0,
                  \quad \sigma_a = 1 - \sum_{k \le a} s_k

        Parameters
        ----------
        horizon
            Truncation horizon H in years; default :meth:`horizon`.

        Returns
        -------
        numpy.ndarray
            Array of length H + 1, non-increasing, ending with 0.
        """
        return self._end_of_year_survival(horizon)[1:].copy()


# ---------------------------------------------------------------------- helpers
def _as_float(value: object, name: str) -> float | None:
    if value is None:
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"lifetime parameter '{name}' must be a number, got {value!r}") from None


def _as_table(table: object) -> tuple[float, ...] | None:
    if table is None:
        return None
    try:
        arr = np.asarray(table, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"survival table must be a sequence of numbers, got {table!r}") from None
    if arr.ndim != 1:
        raise ValueError(f"survival table must be one-dimensional, got shape {arr.shape}")
    return tuple(float(v) for v in arr)


def _validate_table(table: tuple[float, ...] | None) -> None:
    if table is None or len(table) == 0:
        raise ValueError("survival table is empty; it must start with 1 at age 0")
    arr = np.asarray(table)
    if not np.all(np.isfinite(arr)):
        raise ValueError("survival table contains non-finite values")
    if arr[0] != 1.0:
        raise ValueError(f"survival table must start at 1 at age 0, got {arr[0]}")
    if np.any((arr < 0) | (arr > 1)):
        bad = int(np.flatnonzero((arr < 0) | (arr > 1))[0])
        raise ValueError(f"survival table values must lie in [0, 1]; age {bad} has {arr[bad]}")
    increases = np.flatnonzero(np.diff(arr) > 0)
    if increases.size:
        a = int(increases[0])
        raise ValueError(
            f"survival table must be non-increasing; it rises from {arr[a]} at age {a} "
            f"to {arr[a + 1]} at age {a + 1}"
        )


_erfc = np.frompyfunc(math.erfc, 1, 1)


def _normal_sf(z: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Standard normal survival ``P(Z > z) = erfc(z / sqrt 2) / 2``, elementwise.

    The closed form ``scipy.stats.norm.sf`` evaluates, without importing SciPy's
    statistics (0.65 s of CPU at start-up); ``erfc`` keeps the far tail exact. As in SciPy,
    parameters beyond floating point (lognormal sigma 0, Weibull scale 0) give NaN, which
    the input checks report.
    """
    return np.asarray(_erfc(np.asarray(z, dtype=float) / math.sqrt(2.0)), dtype=float) / 2.0
