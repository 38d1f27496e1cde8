"""One function computed in a forked child process while this process does other work.

``mfa run`` computes the origin attribution (:mod:`mfa.origin`, about half of its derived
tables' CPU time) in a child while it computes the other derived tables, when a core is free
for it (:func:`spare_core`): the two then overlap. The child is a fork, so it starts with
this process's memory (the result tables) and sends back only its result, pickled, through a
pipe. On a machine whose cores are all busy a child only competes with its parent (measured
on a shared 2-core machine at load 6-9: no shorter wall time, 0.1-0.3 s more CPU), so there
the function is computed in this process.

The result is the function's, computed the same way: when the platform cannot fork, when
the child fails (its error is then raised here, by the same call), is killed or does not
answer within :data:`PATIENCE` seconds, the function is called again in this process.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

PATIENCE = 300.0
"""Seconds to wait for the child's result before computing it here instead."""
LOADAVG = Path("/proc/loadavg")
"""Linux's load file: its fourth field is ``runnable tasks/all tasks`` at this moment."""


def spare_core() -> bool:
    """Whether a core is free for a child now: fewer tasks runnable (this one included) than
    cores this process may use (Linux), else a 1-minute load average one core below them."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    try:
        return int(LOADAVG.read_text().split()[3].split("/")[0]) < (cores or 1)
    except (OSError, IndexError, ValueError):  # not Linux
        return hasattr(os, "getloadavg") and os.getloadavg()[0] <= (cores or 1) - 1


class Forked:
    """``function(*args)``, started in a forked child at creation; :meth:`result` returns it.

    Only for pure functions of their arguments whose result pickles; the child must not
    print, write files or use locks that another thread of this process may hold.
    """

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function, self.args = function, args
        self.pid: int | None = None
        self.pipe = -1
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running the parent's exit code
            status = 1
            try:
                os.close(read)
                payload = pickle.dumps(function(*args), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        self.pid, self.pipe = pid, read

    @classmethod
    def here(cls, function: Callable[..., Any], *args: Any) -> Forked:
        """``function(*args)`` computed in this process when :meth:`result` is called."""
        unforked = cls.__new__(cls)
        unforked.function, unforked.args, unforked.pid, unforked.pipe = function, args, None, -1
        return unforked

    def result(self) -> Any:
        """The function's result: the child's, or computed here when there is none."""
        if self.pid is None:
            return self.function(*self.args)
        chunks = []
        try:
            while select.select([self.pipe], [], [], PATIENCE)[0]:
                chunk = os.read(self.pipe, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
            else:  # no answer in time: stop waiting
                os.kill(self.pid, signal.SIGKILL)
        finally:
            os.close(self.pipe)
            _, status = os.waitpid(self.pid, 0)
        if status != 0 or not chunks:
            return self.function(*self.args)
        return pickle.loads(b"".join(chunks))
