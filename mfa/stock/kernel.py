r"""Linear operators of the inflow-driven dynamic stock model, for the LP.

With annual inflows ``x[tau]`` into use (historical years before the model and model years) and a
:class:`~mfa.stock.lifetimes.Lifetime` discretised into outflow shares ``s[a]`` and in-use
shares ``sigma[a]`` (a = 0..H, see :mod:`mfa.stock.lifetimes` for the conventions), the
end-of-life outflow and the in-use stock at the end of each model year t are

.. math::

    outflow_t = \sum_{\tau \le t} s_{t - \tau} x_\tau
              = (M^{model} x^{model})_t + (M^{hist} x^{hist})_t,

    stock_t   = \sum_{\tau \le t} \sigma_{t - \tau} x_\tau
              = (K^{model} x^{model})_t + (K^{hist} x^{hist})_t,

with ``s[a] = sigma[a] = 0`` outside 0 <= a <= H. Because ``sigma[a] = 1 - sum_{k<=a} s[k]``,

.. math:: stock_{t-1} + x_t - outflow_t = stock_t

holds exactly (up to rounding) in every year, and over the model horizon

.. math:: initial\_stock + \sum_t x^{model}_t = \sum_t outflow_t + stock_{T}

where ``initial_stock`` is the stock at the end of the year before the first model year
(:func:`initial_stock`) and ``stock_T`` the stock at the end of the last model year
(:func:`remaining_after_horizon`).

Years are calendar years (integers). Model years must be consecutive; historical years, if any,
must be consecutive and end the year before the first model year (pad missing years with zero
inflow). Non-annual time steps are not supported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mfa.stock.lifetimes import Lifetime

__all__ = [
    "TRIPLET_TOLERANCE",
    "Triplets",
    "initial_stock",
    "outflow_matrix",
    "outflow_triplets",
    "remaining_after_horizon",
    "stock_matrix",
    "to_triplets",
]

TRIPLET_TOLERANCE: float = 1e-12
"""Coefficients with absolute value below this are dropped from the sparse triplet form."""


class Triplets(NamedTuple):
    """Sparse (coordinate) form of a kernel matrix.

    ``M[t_index[i], tau_index[i]] = coefficient[i]`` for every i; absent entries are zero.

    Attributes
    ----------
    t_index
        Row positions (index into the model years), int64.
    tau_index
        Column positions (index into the model or the historical years, depending on which
        matrix the triplets describe), int64.
    coefficient
        The coefficients, float64.
    """

    t_index: np.ndarray
    tau_index: np.ndarray
    coefficient: np.ndarray


def _years(years: Sequence[int] | npt.ArrayLike, name: str) -> np.ndarray:
    arr = np.asarray(years)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a one-dimensional sequence of years")
    if arr.size == 0:
        return np.zeros(0, dtype=np.int64)
    as_float = arr.astype(float)
    if not np.all(np.isfinite(as_float)) or not np.all(as_float == np.round(as_float)):
        raise ValueError(f"{name} must be whole calendar years, got {arr.tolist()}")
    out = as_float.astype(np.int64)
    if np.any(np.diff(out) != 1):
        raise ValueError(
            f"{name} must be consecutive annual years (non-annual steps are not supported), "
            f"got {out.tolist()}"
        )
    return out


def _check_years(
    model_years: Sequence[int] | npt.ArrayLike, history_years: Sequence[int] | npt.ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    model = _years(model_years, "model_years")
    if model.size == 0:
        raise ValueError("model_years is empty")
    hist = _years(history_years, "history_years")
    if hist.size and hist[-1] != model[0] - 1:
        raise ValueError(
            f"history_years must end the year before the first model year ({model[0] - 1}), "
            f"got last historical year {hist[-1]}"
        )
    return model, hist


def _age_lookup(values: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """``values[age]`` where 0 <= age < len(values), else 0."""
    inside = (ages >= 0) & (ages < len(values))
    return np.where(inside, values[np.clip(ages, 0, len(values) - 1)], 0.0)


def outflow_matrix(
    lifetime: Lifetime,
    model_years: Sequence[int] | npt.ArrayLike,
    history_years: Sequence[int] | npt.ArrayLike = (),
    horizon: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Outflow kernels: end-of-life outflow of each model year from past inflows.

    .. math::

        outflow_t = \sum_{\tau \in model} M^{model}_{t\tau} x_\tau
                  + \sum_{\tau \in hist} M^{hist}_{t\tau} x_\tau, \qquad
        M_{t\tau} = s_{t-\tau} \ (0 \le t - \tau \le H), \ 0 \ otherwise

    Parameters
    ----------
    lifetime
        Lifetime distribution of the product.
    model_years
        Consecutive model years, e.g. ``range(2025, 2051)``.
    history_years
        Consecutive historical years ending the year before the first model year (may be empty).
    horizon
        Truncation horizon H; default ``lifetime.horizon()``.

    Returns
    -------
    M_model : numpy.ndarray
        Shape ``(n_model, n_model)``, lower triangular (inflow in year t partly leaves in t).
    M_hist : numpy.ndarray
        Shape ``(n_model, n_hist)``.
    """
    model, hist = _check_years(model_years, history_years)
    shares = lifetime.outflow_shares(horizon)
    m_model = _age_lookup(shares, model[:, None] - model[None, :])
    m_hist = _age_lookup(shares, model[:, None] - hist[None, :]).reshape(model.size, hist.size)
    return m_model, m_hist


def stock_matrix(
    lifetime: Lifetime,
    model_years: Sequence[int] | npt.ArrayLike,
    history_years: Sequence[int] | npt.ArrayLike = (),
    horizon: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Stock kernels: in-use stock at the end of each model year from past inflows.

    .. math::

        stock_t = \sum_{\tau \in model} K^{model}_{t\tau} x_\tau
                + \sum_{\tau \in hist} K^{hist}_{t\tau} x_\tau, \qquad
        K_{t\tau} = \sigma_{t-\tau} = 1 - \sum_{a=0}^{t-\tau} s_a \ (0 \le t - \tau \le H),
        \ 0 \ otherwise

    Parameters
    ----------
    lifetime, model_years, history_years, horizon
        As in :func:`outflow_matrix`.

    Returns
    -------
    K_model : numpy.ndarray
        Shape ``(n_model, n_model)``, lower triangular.
    K_hist : numpy.ndarray
        Shape ``(n_model, n_hist)``.
    """
    model, hist = _check_years(model_years, history_years)
    in_use = lifetime.in_use_shares(horizon)
    k_model = _age_lookup(in_use, model[:, None] - model[None, :])
    k_hist = _age_lookup(in_use, model[:, None] - hist[None, :]).reshape(model.size, hist.size)
    return k_model, k_hist


def remaining_after_horizon(
    lifetime: Lifetime,
    model_years: Sequence[int] | npt.ArrayLike,
    history_years: Sequence[int] | npt.ArrayLike = (),
    horizon: int | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    r"""Share of each cohort still in use at the end of the last model year T.

    .. math:: stock_T = \sum_\tau \sigma_{T - \tau} x_\tau = r^{model} \cdot x^{model}
              + r^{hist} \cdot x^{hist}

    It is the last row of :func:`stock_matrix`. Over the model horizon,
    ``initial_stock + sum(x_model) = sum(outflow) + stock_T``.

    Parameters
    ----------
    lifetime, model_years, history_years, horizon
        As in :func:`outflow_matrix`.

    Returns
    -------
    r_model : numpy.ndarray
        Shape ``(n_model,)``.
    r_hist : numpy.ndarray
        Shape ``(n_hist,)``.
    """
    k_model, k_hist = stock_matrix(lifetime, model_years, history_years, horizon)
    return k_model[-1].copy(), k_hist[-1].copy()


def initial_stock(
    lifetime: Lifetime,
    model_years: Sequence[int] | npt.ArrayLike,
    history_years: Sequence[int] | npt.ArrayLike = (),
    horizon: int | None = None,
) -> np.ndarray:
    r"""Share of each historical cohort still in use at the end of the year before the model.

    .. math:: stock_{t_0 - 1} = \sum_{\tau \in hist} \sigma_{t_0 - 1 - \tau} x_\tau
              = r^{init} \cdot x^{hist}

    Parameters
    ----------
    lifetime, model_years, history_years, horizon
        As in :func:`outflow_matrix`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_hist,)``; empty when there are no historical years.
    """
    model, hist = _check_years(model_years, history_years)
    in_use = lifetime.in_use_shares(horizon)
    return _age_lookup(in_use, (model[0] - 1) - hist).astype(float)


def to_triplets(matrix: npt.ArrayLike, tol: float = TRIPLET_TOLERANCE) -> Triplets:
    """Sparse triplet form of a dense kernel matrix, dropping ``|coefficient| < tol``.

    Parameters
    ----------
    matrix
        Two-dimensional array (e.g. from :func:`outflow_matrix`).
    tol
        Absolute threshold below which coefficients are dropped (default 1e-12). Dropping
        changes the mass balance by at most ``tol`` per coefficient.

    Returns
    -------
    Triplets
        ``(t_index, tau_index, coefficient)`` in row-major order.
    """
    m = np.asarray(matrix, dtype=float)
    if m.ndim != 2:
        raise ValueError(f"matrix must be two-dimensional, got shape {m.shape}")
    rows, cols = np.nonzero(np.abs(m) >= tol)
    return Triplets(rows.astype(np.int64), cols.astype(np.int64), m[rows, cols])


def outflow_triplets(
    lifetime: Lifetime,
    model_years: Sequence[int] | npt.ArrayLike,
    history_years: Sequence[int] | npt.ArrayLike = (),
    horizon: int | None = None,
    tol: float = TRIPLET_TOLERANCE,
) -> tuple[Triplets, Triplets]:
    """Sparse form of :func:`outflow_matrix`, for iterating in the LP.

    ``outflow[t] = sum(c * x_model[tau] for (t, tau, c) in model_triplets if ...) + (same over
    history_triplets with x_hist)``; ``t_index`` indexes the model years, ``tau_index`` the model
    years for the first element and the historical years for the second.

    Parameters
    ----------
    lifetime, model_years, history_years, horizon
        As in :func:`outflow_matrix`.
    tol
        Coefficients below this (default 1e-12) are dropped.

    Returns
    -------
    tuple of Triplets
        ``(model_triplets, history_triplets)``.
    """
    m_model, m_hist = outflow_matrix(lifetime, model_years, history_years, horizon)
    return to_triplets(m_model, tol), to_triplets(m_hist, tol)
