"""SciPy's sparse matrices, without SciPy's statistics; closed loops of attribution systems.

Pyomo (``pyomo.common.dependencies``) registers an import hook: the moment ``scipy`` is
imported, it imports ``scipy.stats``, ``scipy.spatial`` and ``scipy.integrate`` as well,
about 1.5 s of CPU that ``mfa run`` never uses. Modules of mfa take ``sp``
(``scipy.sparse``) and ``spla`` (``scipy.sparse.linalg``) from here, which drops that
hook first. Pyomo keeps working: its deferred ``scipy`` still imports those subpackages
the first time Pyomo itself uses SciPy. Should Pyomo rename the hook, nothing breaks: SciPy
is then imported as before, only slower.
"""

from __future__ import annotations

import sys

from pyomo.common.dependencies import DeferredImportCallbackFinder

_hooks = getattr(DeferredImportCallbackFinder, "_callbacks", None)
if isinstance(_hooks, dict) and "scipy" not in sys.modules:
    _hooks.pop("scipy", None)

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402  (after the hook is gone)
import scipy.sparse.linalg as spla  # noqa: E402
from scipy.sparse import csgraph  # noqa: E402

__all__ = ["closed_loops", "cut_rows", "solve_open", "sp", "spla"]


def closed_loops(matrix: sp.csc_matrix, rhs: np.ndarray) -> np.ndarray:
    """The nodes of the strongly connected sets of ``matrix``'s off-diagonal graph (an edge
    ``j -> i`` where row ``i`` takes from column ``j``) that nothing enters: no edge from
    outside and no non-zero right-hand side ``rhs`` (a vector, or one column per case).

    In an attribution system :math:`(I - W)x = b` such a set's rows of :math:`W` sum to one
    within it, so the matrix is singular, and the only share that enters it is zero: its
    rows can be cut to :math:`x_i = 0`. Sets of one node without a self-loop are left out
    (they are sources or take from elsewhere).
    """
    graph = sp.csr_matrix(matrix)
    graph.setdiag(0.0)
    graph.eliminate_zeros()
    graph = graph.transpose().tocsr()  # edge j -> i: row j of the transposed graph, column i
    _, label = csgraph.connected_components(graph, directed=True, connection="strong")
    size = np.bincount(label)
    source, target = graph.nonzero()
    entered = np.zeros(len(size), dtype=bool)
    entered[label[target][label[source] != label[target]]] = True
    given = np.asarray(rhs).reshape(len(label), -1)
    entered[label[np.any(given != 0.0, axis=1)]] = True
    closed = (size > 1) & ~entered
    return np.flatnonzero(closed[label])


def cut_rows(matrix: sp.csc_matrix, nodes: np.ndarray) -> sp.csc_matrix:
    """``matrix`` with the off-diagonal entries of rows ``nodes`` removed (their share is
    their own right-hand side, 0 for markets and passing processes)."""
    coo = matrix.tocoo()
    drop = np.isin(coo.row, nodes) & (coo.row != coo.col)
    return sp.csc_matrix((coo.data[~drop], (coo.row[~drop], coo.col[~drop])), shape=matrix.shape)


def solve_open(matrix: sp.csc_matrix, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve the attribution system ``matrix @ x = rhs``; where it is singular because of
    :func:`closed_loops`, solve it again with their rows cut (their shares 0).

    Returns the solution and the nodes of the loops cut (none where the first solve
    succeeded, the usual case: the loops are looked for only then).

    Raises
    ------
    RuntimeError
        The system is singular for another reason.
    """
    try:
        return spla.splu(matrix).solve(rhs), np.zeros(0, dtype=int)
    except RuntimeError:
        closed = closed_loops(matrix, rhs)
        if not len(closed):
            raise
        return spla.splu(cut_rows(matrix, closed)).solve(rhs), closed
