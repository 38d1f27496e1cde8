"""One function computed in a forked child process while this process does other work.

``mfa run`` computes the origin attribution (:mod:`mfa.origin`, about half of its derived
tables' CPU time) in a child while it computes the other derived tables: on two cores or
more the two overlap. The child is a fork, so it starts with this process's memory (the
result tables) and sends back only its result, pickled, through a pipe.

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
from typing import Any

PATIENCE = 300.0
"""Seconds to wait for the child's result before computing it here instead."""


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
