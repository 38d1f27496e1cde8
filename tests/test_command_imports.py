"""Each command imports only what it uses: the command line itself loads no solver,
statistics, plotting or Dask; ``mfa run``'s stack (``mfa.api``) loads SciPy's sparse
matrices but not SciPy's statistics, which Pyomo's import hook would otherwise pull in
(``mfa/sparse.py``); Pyomo still gets them when it asks for SciPy itself."""

from __future__ import annotations

import subprocess
import sys


def _loaded(code: str, names: tuple[str, ...]) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {names!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


HEAVY = ("scipy", "scipy.stats", "dask", "matplotlib", "pyomo", "pandas", "mfa.sweep")


def test_the_command_line_imports_no_heavy_package():
    assert _loaded("import mfa.cli", HEAVY) == []


def test_the_run_stack_imports_sparse_matrices_but_not_statistics():
    loaded = _loaded("import mfa.api", (*HEAVY, "scipy.sparse", "scipy.sparse.linalg"))
    assert "scipy.sparse" in loaded and "scipy.sparse.linalg" in loaded
    assert "scipy.stats" not in loaded
    assert "dask" not in loaded and "matplotlib" not in loaded and "mfa.sweep" not in loaded


def test_pyomo_still_imports_what_it_needs_of_scipy():
    code = (
        "import mfa.sparse\n"
        "from pyomo.common.dependencies import scipy, scipy_available\n"
        "assert 'scipy.stats' not in sys.modules\n"
        "assert bool(scipy_available)\n"
        "assert scipy.stats.norm.cdf(0.0) == 0.5"
    )
    assert "scipy.stats" in _loaded(code, ("scipy.stats",))
