"""mfa.forked: a function computed in a forked child gives the function's result."""

from __future__ import annotations

import os

import numpy as np
import pytest

from mfa import forked
from mfa.forked import Forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the platform cannot fork")


def _where_and_what(n: int) -> tuple[int, np.ndarray]:
    return os.getpid(), np.arange(n, dtype=float) ** 2


def _fails(where: list[int]) -> None:
    where.append(os.getpid())
    raise ValueError(f"failed in {len(where)} call(s) of this process")


def test_the_result_is_computed_in_a_child_and_sent_back_whole() -> None:
    pid, values = Forked(_where_and_what, 300_000).result()  # 2.4 MB: many pipe buffers
    assert pid != os.getpid()
    assert np.array_equal(values, np.arange(300_000, dtype=float) ** 2)


def test_here_computes_in_this_process() -> None:
    pid, values = Forked.here(_where_and_what, 3).result()
    assert pid == os.getpid()
    assert values.tolist() == [0.0, 1.0, 4.0]


def test_an_error_in_the_child_is_raised_here_by_the_same_call() -> None:
    where: list[int] = []
    job = Forked(_fails, where)
    with pytest.raises(ValueError, match=r"failed in 1 call\(s\)"):
        job.result()
    assert where == [os.getpid()]  # the child's call did not reach this list; ours did


@pytest.mark.parametrize(("runnable", "spare"), [("1/300", True), ("2/300", False)])
def test_a_core_is_spare_while_fewer_tasks_run_than_there_are_cores(
    tmp_path, monkeypatch: pytest.MonkeyPatch, runnable: str, spare: bool
) -> None:
    loadavg = tmp_path / "loadavg"
    loadavg.write_text(f"7.10 6.90 6.50 {runnable} 12345\n")
    monkeypatch.setattr(forked, "LOADAVG", loadavg)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert forked.spare_core() is spare  # the instant's count, not the busy minute's average
