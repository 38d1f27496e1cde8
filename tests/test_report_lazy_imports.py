"""``import mfa`` loads its public names on first use (mfa/__init__.py), so the report path
does not import the sweep package; every public name still resolves."""

from __future__ import annotations

import subprocess
import sys
import types


def _run(code: str) -> None:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_import_mfa_loads_no_heavy_package():
    _run(
        "import sys, mfa\n"
        "heavy = [m for m in ('mfa.sweep', 'dask', 'pyomo', 'matplotlib', 'scipy') "
        "if m in sys.modules]\n"
        "assert not heavy, heavy"
    )


def test_the_report_does_not_import_the_sweep_package():
    _run(
        "import sys, mfa.report, mfa.results\n"
        "assert 'mfa.sweep' not in sys.modules and 'distributed' not in sys.modules"
    )


def test_frontier_stays_the_function_after_its_module_is_imported():
    _run(
        "import mfa.frontier\n"
        "import mfa\n"
        "assert callable(mfa.frontier) and not isinstance(mfa.frontier, type(mfa))\n"
        "assert mfa.frontier.__name__ == 'frontier'"
    )


def test_every_public_name_resolves():
    import mfa

    for name in mfa.__all__:
        assert getattr(mfa, name) is not None, name
    assert isinstance(mfa.sweep, types.ModuleType) and callable(mfa.sweep)
