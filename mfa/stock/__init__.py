"""Dynamic stock model of products in use: lifetimes and the linear kernels the LP uses.

Pure NumPy. :class:`Lifetime` describes a product lifetime distribution and its
mass-conserving annual discretisation; :mod:`mfa.stock.kernel` turns it into the matrices that map
past inflows (historical and model years) to end-of-life outflows and in-use stocks.
"""

from mfa.stock.kernel import (
    TRIPLET_TOLERANCE,
    Triplets,
    initial_stock,
    outflow_matrix,
    outflow_triplets,
    remaining_after_horizon,
    stock_matrix,
    to_triplets,
)
from mfa.stock.lifetimes import DISTRIBUTIONS, MAX_AGE, TAIL_TOLERANCE, Lifetime

__all__ = [
    "DISTRIBUTIONS",
    "MAX_AGE",
    "TAIL_TOLERANCE",
    "TRIPLET_TOLERANCE",
    "Lifetime",
    "Triplets",
    "initial_stock",
    "outflow_matrix",
    "outflow_triplets",
    "remaining_after_horizon",
    "stock_matrix",
    "to_triplets",
]
