"""Loops of flows that nothing enters, in the attribution systems (mfa.sparse)."""

import numpy as np
import pytest

from mfa.sparse import closed_loops, cut_rows, solve_open, sp, spla


def _system(weights: dict[tuple[int, int], float], n: int) -> sp.csc_matrix:
    """``I - W`` with ``W[i, j]`` the share of node i's inflow that comes from node j."""
    rows, cols, vals = list(range(n)), list(range(n)), [1.0] * n
    for (i, j), w in weights.items():
        rows.append(i)
        cols.append(j)
        vals.append(-w)
    return sp.csc_matrix((vals, (rows, cols)), shape=(n, n))


def test_a_loop_nothing_enters_is_cut_to_zero_and_the_rest_is_solved_as_before():
    # nodes 0 and 1 ship the same tonnes to each other and take nothing else (singular);
    # node 2 is a mine with share 0.6; node 3 takes 1/4 from the mine and 3/4 from node 4,
    # node 4 all from node 3 (a loop that the mine enters): s3 = 0.15 + 0.75 s3 -> 0.6
    matrix = _system({(0, 1): 1.0, (1, 0): 1.0, (3, 2): 0.25, (3, 4): 0.75, (4, 3): 1.0}, 5)
    b = np.array([0.0, 0.0, 0.6, 0.0, 0.0])
    with pytest.raises(RuntimeError):
        spla.splu(matrix)
    closed = closed_loops(matrix, b)
    assert closed.tolist() == [0, 1]
    x = spla.splu(cut_rows(matrix, closed)).solve(b)
    assert x == pytest.approx([0.0, 0.0, 0.6, 0.6, 0.6], abs=1e-15)


def test_a_loop_with_its_own_entry_is_not_cut():
    # node 0 takes half its inflow from node 1 and has a fixed entry (right-hand side 0.5),
    # node 1 takes all from node 0: s0 = 0.5 + 0.5 s0 -> 1.0, s1 = 1.0
    matrix = _system({(0, 1): 0.5, (1, 0): 1.0}, 2)
    b = np.array([[0.5], [0.0]])
    assert closed_loops(matrix, b).size == 0
    assert spla.splu(matrix).solve(b).ravel() == pytest.approx([1.0, 1.0], abs=1e-15)


def test_solve_open_cuts_only_a_singular_system_and_says_which_loop():
    looped = _system({(0, 1): 1.0, (1, 0): 1.0, (3, 2): 0.25, (3, 4): 0.75, (4, 3): 1.0}, 5)
    x, closed = solve_open(looped, np.array([0.0, 0.0, 0.6, 0.0, 0.0]))
    assert closed.tolist() == [0, 1]
    assert x == pytest.approx([0.0, 0.0, 0.6, 0.6, 0.6], abs=1e-15)
    x, closed = solve_open(_system({(1, 0): 1.0}, 2), np.array([0.3, 0.0]))
    assert closed.size == 0 and x == pytest.approx([0.3, 0.3], abs=1e-15)
    with pytest.raises(RuntimeError):  # singular, but no loop: nodes 0 and 1 are one node twice
        solve_open(sp.csc_matrix(np.array([[1.0, 1.0], [1.0, 1.0]])), np.array([1.0, 0.0]))
