"""CPU seconds of one variant's phases around the solve: build, hand-over, extract.

``python -m benchmarks.overhead VARIANT MODEL [--time-limit S]`` runs, in this fresh
process, the variant's build, hand-over to a ``Highs`` object, the HiGHS run (with
``--time-limit`` it stops early: the solve is not what is compared, and at the large size
it takes minutes) and the extraction of the result tables, and prints one ``CPU {json}``
line with ``time.process_time`` per phase. On a shared machine CPU time is steadier than
wall time (issue 16; ``benchmarks/RESULTS.md``). linopy needs an optimum to assign the
solution, so give it no time limit.
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from pathlib import Path

from benchmarks.run import OPTIONS, VARIANTS, _mfa_solver
from mfa.api import validate


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.overhead")
    ap.add_argument("variant", choices=VARIANTS)
    ap.add_argument("model", type=Path)
    ap.add_argument("--time-limit", type=float, default=None)
    args = ap.parse_args()
    opts: dict = dict(OPTIONS)
    if args.time_limit is not None:
        opts.update(time_limit=args.time_limit, solver="simplex")
    data = validate(args.model, None)
    gc.collect()
    clock = time.process_time
    if args.variant == "mfa":
        from pyomo.common.gc_manager import PauseGC

        import mfa.solve as ms
        from mfa.model.build import build_model
        from mfa.pipeline import compile_form
        from mfa.results import extract

        solver = _mfa_solver(data)
        solver = solver.model_copy(
            update={"options": {k: v for k, v in opts.items() if k != "threads"}}
        )
        c0 = clock()
        built = build_model(data)
        c1 = clock()
        with PauseGC():  # as mfa.pipeline.compile_model
            form = compile_form(built)
            h = ms.hand_over(form, solver)
        c2 = clock()
        h.run()
        c3 = clock()
        sol = ms.read_solution(h, form)
        extract(built, sol, derived=False)
        c4 = clock()
    elif args.variant == "highspy":
        from benchmarks import highspy_model as hs

        c0 = clock()
        hm = hs.build(data)
        c1 = clock()
        h = hs.handover(hm, opts)
        c2 = clock()
        h.run()
        c3 = clock()
        hs.extract(hm, h)
        c4 = clock()
    else:
        from benchmarks import linopy_model as lp

        c0 = clock()
        lm = lp.build(data)
        c1 = clock()
        solver = lp.handover(lm, opts)
        c2 = clock()
        result = lp.solve(lm, solver)
        c3 = clock()
        lp.assign(lm, solver, result)
        lp.extract(lm)
        c4 = clock()
    phases = {
        "build": c1 - c0,
        "handover": c2 - c1,
        "solve": c3 - c2,
        "extract": c4 - c3,
        "overhead": (c2 - c0) + (c4 - c3),
    }
    print(
        "CPU "
        + json.dumps({"variant": args.variant, **{k: round(v, 3) for k, v in phases.items()}})
    )


if __name__ == "__main__":
    main()
