"""SciPy's sparse matrices, without SciPy's statistics.

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

import scipy.sparse as sp  # noqa: E402  (after the hook is gone)
import scipy.sparse.linalg as spla  # noqa: E402

__all__ = ["sp", "spla"]
