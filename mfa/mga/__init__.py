"""Near-optimal alternatives (modelling to generate alternatives, MGA).

:func:`alternatives` explores the space of solutions whose cost is within a slack of the
optimum along aggregates the model file names (:mod:`mfa.mga.run`); the LP is compiled
once and re-solved warm (:mod:`mfa.mga.engine`); aggregates become coefficient vectors
over its columns (:mod:`mfa.mga.aggregates`); figures take the range and point tables
(:mod:`mfa.mga.plots`). The tie-break of :mod:`mfa.tie_break` is the same idea at a
tolerance near zero, with smoothness as the objective.
"""

from mfa.mga.engine import NearOptimal, Point
from mfa.mga.run import AlternativesResult, Direction, alternatives

__all__ = ["AlternativesResult", "Direction", "NearOptimal", "Point", "alternatives"]
