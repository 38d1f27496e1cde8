"""Tests of mfa.stock: lifetime discretisation, kernels, and the cross-check against flodym."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from mfa.stock import (
    Lifetime,
    initial_stock,
    outflow_matrix,
    outflow_triplets,
    remaining_after_horizon,
    stock_matrix,
    to_triplets,
)

LIFETIMES = {
    "fixed": Lifetime("fixed", mean=8),
    "fixed_fractional": Lifetime("fixed", mean=3.5),
    "normal": Lifetime("normal", mean=12.0, std=4.0),
    "normal_negative_mass": Lifetime("normal", mean=3.0, std=3.0),
    "lognormal": Lifetime("lognormal", mean=15.0, std=8.0),
    "lognormal_heavy_tail": Lifetime("lognormal", mean=20.0, std=30.0),
    "weibull": Lifetime("weibull", mean=10.0, shape=2.5),
    "weibull_short": Lifetime("weibull", mean=1.5, shape=0.8),
    "table": Lifetime("table", survival=[1.0, 0.9, 0.6, 0.6, 0.2]),
}

HISTORY = np.arange(2010, 2025)
MODEL = np.arange(2025, 2051)
ALL_YEARS = np.arange(2010, 2051)


def _inflows(seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 2.0, size=ALL_YEARS.size) * 100.0
    return x[: HISTORY.size], x[HISTORY.size :]


# ---------------------------------------------------------------------- lifetimes
@pytest.mark.parametrize("name", LIFETIMES)
def test_outflow_shares_sum_to_one_and_survival_non_increasing(name: str) -> None:
    lt = LIFETIMES[name]
    shares = lt.outflow_shares()
    assert abs(shares.sum() - 1.0) < 1e-12
    assert np.all(shares >= 0)
    in_use = lt.in_use_shares()
    assert in_use[-1] == 0.0
    assert np.all(np.diff(in_use) <= 0)
    np.testing.assert_allclose(in_use, 1.0 - np.cumsum(shares), rtol=0, atol=1e-14)
    ages = np.linspace(-2, 250, 5001)
    sf = lt.survival(ages)
    assert np.all(np.diff(sf) <= 0)
    assert np.all((sf >= 0) & (sf <= 1))
    assert np.all(sf[ages < 0] == 1.0)
    # explicit shorter horizon: the tail goes to the last age, still conserving mass
    short = lt.outflow_shares(horizon=3)
    assert short.size == 4 and abs(short.sum() - 1.0) < 1e-12
    np.testing.assert_allclose(short[:3], shares[:3], rtol=0, atol=0)


@pytest.mark.parametrize("name", LIFETIMES)
def test_horizon_is_where_survival_falls_below_tolerance(name: str) -> None:
    lt = LIFETIMES[name]
    h = lt.horizon()
    assert 0 <= h <= 200
    sf_end = lt.survival(np.arange(h + 1) + 0.5)
    if h < 200:
        assert sf_end[h] <= 1e-12
    assert np.all(sf_end[:h] > 1e-12)


def test_heavy_tail_is_capped_at_max_age() -> None:
    lt = LIFETIMES["lognormal_heavy_tail"]
    assert lt.horizon() == 200
    shares = lt.outflow_shares()
    # the tail beyond 200 years is added to age 200
    assert shares[-1] == pytest.approx(float(lt.survival(199.5)), rel=1e-15)
    assert abs(shares.sum() - 1.0) < 1e-12


def test_normal_negative_mass_leaves_in_year_of_inflow() -> None:
    from scipy.stats import norm

    lt = LIFETIMES["normal_negative_mass"]
    s = lt.outflow_shares()
    assert s[0] == pytest.approx(norm.cdf(0.5, loc=3.0, scale=3.0), rel=1e-14)
    assert norm.cdf(0.0, loc=3.0, scale=3.0) < s[0]  # includes the mass below age 0


def test_parameter_conversions() -> None:
    from scipy.integrate import trapezoid
    from scipy.special import gamma

    wb = Lifetime("weibull", mean=10.0, shape=2.5)
    assert wb.weibull_scale == pytest.approx(10.0 / gamma(1.4), rel=1e-15)
    # the mean of the weibull is recovered
    ages = np.linspace(0, 200, 400001)
    assert trapezoid(wb.survival(ages), ages) == pytest.approx(10.0, rel=1e-6)
    ln = Lifetime("lognormal", mean=15.0, std=8.0)
    mu, s = ln.lognormal_parameters
    assert np.exp(mu + s**2 / 2) == pytest.approx(15.0, rel=1e-14)
    assert np.sqrt((np.exp(s**2) - 1) * np.exp(2 * mu + s**2)) == pytest.approx(8.0, rel=1e-14)


def test_table_hand_computed_example() -> None:
    # survival[k]: share in use at age k years; units leave at whole ages
    lt = Lifetime("table", survival=[1.0, 0.9, 0.6, 0.6, 0.2])
    assert lt.horizon() == 5
    np.testing.assert_allclose(lt.outflow_shares(), [0.0, 0.1, 0.3, 0.0, 0.4, 0.2], atol=1e-15)
    np.testing.assert_allclose(lt.in_use_shares(), [1.0, 0.9, 0.6, 0.6, 0.2, 0.0], atol=1e-15)
    np.testing.assert_allclose(
        lt.survival([0, 0.5, 1, 2.99, 3, 4.5, 5, 9]), [1, 1, 0.9, 0.6, 0.6, 0.2, 0, 0]
    )
    # inflows 10 in 2025 and 20 in 2026 -> outflows by hand
    m, _ = outflow_matrix(lt, range(2025, 2033))
    out = m @ np.array([10.0, 20.0, 0, 0, 0, 0, 0, 0])
    expected = [0.0, 1.0, 3.0 + 2.0, 0.0 + 6.0, 4.0 + 0.0, 2.0 + 8.0, 4.0, 0.0]
    np.testing.assert_allclose(out, expected, atol=1e-12)
    k, _ = stock_matrix(lt, range(2025, 2033))
    stock = k @ np.array([10.0, 20.0, 0, 0, 0, 0, 0, 0])
    np.testing.assert_allclose(stock, [10, 29, 24, 18, 14, 4, 0, 0], atol=1e-12)


def test_table_with_trailing_zero_equals_fixed() -> None:
    fixed = Lifetime("fixed", mean=4)
    table = Lifetime("table", survival=[1, 1, 1, 1, 0])
    np.testing.assert_array_equal(fixed.outflow_shares(), table.outflow_shares())
    np.testing.assert_array_equal(fixed.in_use_shares(), table.in_use_shares())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distribution": "gamma", "mean": 3}, "unknown lifetime distribution"),
        ({"distribution": "normal", "mean": 3}, "requires 'std'"),
        ({"distribution": "fixed", "mean": 3, "std": 1}, "does not use 'std'"),
        ({"distribution": "fixed", "mean": 0}, "'mean' must be finite and > 0"),
        ({"distribution": "weibull", "mean": 3, "shape": -1}, "'shape' must be finite and > 0"),
        ({"distribution": "lognormal", "mean": 3, "std": float("nan")}, "'std' must be finite"),
        ({"distribution": "table"}, "requires 'survival'"),
        ({"distribution": "table", "survival": []}, "empty"),
        ({"distribution": "table", "survival": [0.9, 0.5]}, "must start at 1"),
        ({"distribution": "table", "survival": [1, 0.5, 0.7]}, "non-increasing"),
        ({"distribution": "table", "survival": [1, -0.1]}, r"\[0, 1\]"),
        ({"distribution": "table", "survival": [[1, 0.5]]}, "one-dimensional"),
    ],
)
def test_validation_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Lifetime(**kwargs)


def test_lifetime_is_frozen_hashable_and_replaceable() -> None:
    lt = Lifetime("table", survival=np.array([1.0, 0.5]))
    assert lt.survival_table == (1.0, 0.5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        lt.mean = 3.0  # type: ignore[misc]
    assert hash(lt) == hash(Lifetime("table", survival=[1.0, 0.5]))
    lt2 = dataclasses.replace(lt, survival_table=(1.0, 0.25))
    assert lt2.survival_table == (1.0, 0.25)
    n = dataclasses.replace(LIFETIMES["normal"], std=2.0)
    assert (n.mean, n.std) == (12.0, 2.0)


# ---------------------------------------------------------------------- kernels
@pytest.mark.parametrize("name", LIFETIMES)
def test_stock_plus_cumulative_outflow_equals_cumulative_inflow(name: str) -> None:
    lt = LIFETIMES[name]
    x_hist, x_model = _inflows()
    m_model, m_hist = outflow_matrix(lt, MODEL, HISTORY)
    k_model, k_hist = stock_matrix(lt, MODEL, HISTORY)
    outflow = m_model @ x_model + m_hist @ x_hist
    stock = k_model @ x_model + k_hist @ x_hist
    stock0 = initial_stock(lt, MODEL, HISTORY) @ x_hist
    scale = x_model.sum() + x_hist.sum()
    # every year: stock0 + cumulative inflow = cumulative outflow + stock
    balance = stock0 + np.cumsum(x_model) - np.cumsum(outflow) - stock
    assert np.max(np.abs(balance)) < 1e-12 * scale
    # over the horizon: inflows = outflows within horizon + stock at the end
    r_model, r_hist = remaining_after_horizon(lt, MODEL, HISTORY)
    np.testing.assert_allclose(r_model, k_model[-1], rtol=0, atol=0)
    assert (
        abs(stock0 + x_model.sum() - outflow.sum() - (r_model @ x_model + r_hist @ x_hist))
        < 1e-12 * scale
    )
    # model cohorts alone: each cohort leaves within the horizon or remains at the end
    cohort_balance = m_model.sum(axis=0) + r_model
    np.testing.assert_allclose(cohort_balance, 1.0, rtol=0, atol=1e-12)
    # long enough horizon: every cohort leaves exactly once
    years = np.arange(2025, 2025 + lt.horizon() + 30)
    m_long, _ = outflow_matrix(lt, years)
    n_full = years.size - lt.horizon()
    np.testing.assert_allclose(m_long.sum(axis=0)[:n_full], 1.0, rtol=0, atol=1e-12)


@pytest.mark.parametrize("lifetime_years", [1, 4, 8, 15])
def test_fixed_lifetime_pulse_leaves_exactly_l_years_later(lifetime_years: int) -> None:
    lt = Lifetime("fixed", mean=lifetime_years)
    x_hist = np.zeros(HISTORY.size)
    x_model = np.zeros(MODEL.size)
    x_model[3] = 42.0  # pulse in 2028
    m_model, m_hist = outflow_matrix(lt, MODEL, HISTORY)
    outflow = m_model @ x_model + m_hist @ x_hist
    expected = np.zeros(MODEL.size)
    expected[3 + lifetime_years] = 42.0
    np.testing.assert_array_equal(outflow, expected)
    # historical pulse in 2020 -> 2020 + L (only if that is a model year)
    x_hist[10] = 5.0
    outflow = m_hist @ x_hist
    expected = np.zeros(MODEL.size)
    if 2020 + lifetime_years >= 2025:
        expected[2020 + lifetime_years - 2025] = 5.0
    np.testing.assert_array_equal(outflow, expected)
    # and the triplets hold only that coefficient per cohort
    trip_model, _ = outflow_triplets(lt, MODEL, HISTORY)
    assert np.all(trip_model.t_index - trip_model.tau_index == lifetime_years)
    np.testing.assert_array_equal(trip_model.coefficient, 1.0)


def test_triplets_reproduce_dense_matrices() -> None:
    lt = LIFETIMES["lognormal"]
    m_model, m_hist = outflow_matrix(lt, MODEL, HISTORY)
    assert m_model.shape == (26, 26) and m_hist.shape == (26, 15)
    assert np.all(np.triu(m_model, 1) == 0)
    for dense, trip in zip((m_model, m_hist), outflow_triplets(lt, MODEL, HISTORY), strict=True):
        rebuilt = np.zeros_like(dense)
        rebuilt[trip.t_index, trip.tau_index] = trip.coefficient
        assert np.all(np.abs(trip.coefficient) >= 1e-12)
        np.testing.assert_allclose(rebuilt, dense, rtol=0, atol=1e-12)
    assert to_triplets(np.array([[0.0, 1e-13], [2.0, 0.0]])).coefficient.tolist() == [2.0]


def test_year_validation() -> None:
    lt = LIFETIMES["normal"]
    with pytest.raises(ValueError, match="consecutive"):
        outflow_matrix(lt, [2025, 2030, 2035])
    with pytest.raises(ValueError, match="end the year before"):
        outflow_matrix(lt, MODEL, np.arange(2010, 2020))
    with pytest.raises(ValueError, match="whole calendar years"):
        outflow_matrix(lt, [2025.5, 2026.5])
    with pytest.raises(ValueError, match="empty"):
        outflow_matrix(lt, [])
    _, m_hist = outflow_matrix(lt, MODEL)
    assert m_hist.shape == (26, 0)
    assert initial_stock(lt, MODEL).shape == (0,)


# ---------------------------------------------------------------------- flodym cross-check
def _flodym_model(fd: Any, lt: Lifetime, dims: Any) -> Any:
    if lt.distribution == "fixed":
        return fd.FixedLifetime(dims=dims, mean=lt.mean)
    if lt.distribution == "normal":
        return fd.NormalLifetime(dims=dims, mean=lt.mean, std=lt.std)
    if lt.distribution == "lognormal":
        return fd.LogNormalLifetime(dims=dims, mean=lt.mean, std=lt.std)
    if lt.distribution == "weibull":
        return fd.WeibullLifetime(dims=dims, weibull_scale=lt.weibull_scale, weibull_shape=lt.shape)
    raise AssertionError(lt.distribution)


def _flodym_run(lt: Lifetime, inflow: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    fd = pytest.importorskip("flodym")
    dims = fd.DimensionSet(
        dim_list=[fd.Dimension(name="Time", letter="t", items=[int(y) for y in ALL_YEARS])]
    )
    dsm = fd.InflowDrivenDSM(
        dims=dims,
        lifetime_model=_flodym_model(fd, lt, dims),
        inflow=fd.StockArray(dims=dims, values=inflow.copy()),
    )
    dsm.compute()
    return dsm.outflow.values.copy(), dsm.stock.values.copy()


def _max_rel(ours: np.ndarray, theirs: np.ndarray) -> float:
    both_zero = (ours == 0) & (theirs == 0)
    rel = np.abs(ours - theirs) / np.where(both_zero, 1.0, np.abs(theirs))
    return float(np.max(rel))


FLODYM_CASES = [n for n, lt in LIFETIMES.items() if lt.distribution != "table"]


@pytest.mark.parametrize("name", FLODYM_CASES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_outflows_match_flodym_inflow_driven_dsm(name: str, seed: int) -> None:
    lt = LIFETIMES[name]
    x_hist, x_model = _inflows(seed)
    fd_outflow, fd_stock = _flodym_run(lt, np.concatenate([x_hist, x_model]))

    # history 2010-2024 + model 2025-2050: outflows of the model years
    m_model, m_hist = outflow_matrix(lt, MODEL, HISTORY)
    ours = m_model @ x_model + m_hist @ x_hist
    assert _max_rel(ours, fd_outflow[HISTORY.size :]) <= 1e-9

    # all years as model years: outflows of every year, and the in-use stock
    m_all, _ = outflow_matrix(lt, ALL_YEARS)
    x_all = np.concatenate([x_hist, x_model])
    assert _max_rel(m_all @ x_all, fd_outflow) <= 1e-9
    k_all, _ = stock_matrix(lt, ALL_YEARS)
    assert _max_rel(k_all @ x_all, fd_stock) <= 1e-9
    k_model, k_hist = stock_matrix(lt, MODEL, HISTORY)
    assert _max_rel(k_model @ x_model + k_hist @ x_hist, fd_stock[HISTORY.size :]) <= 1e-9
    assert (
        _max_rel(
            np.atleast_1d(initial_stock(lt, MODEL, HISTORY) @ x_hist),
            fd_stock[HISTORY.size - 1 :][:1],
        )
        <= 1e-9
    )
