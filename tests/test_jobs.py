"""Computations in child processes (cojian_graph.jobs): results, one computation per key, progress,
cancel, limits, errors, and children that do not outlive the server. Real processes, checked in the
process table."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

from cojian_graph.errors import CojianError
from cojian_graph.jobs import JobLimitError, Jobs


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as handle:  # a zombie is not alive
        return handle.read().split(")")[-1].split()[0] != "Z"


def gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_job_runs_in_another_process_and_returns_its_value():
    job = Jobs(2).submit("pid", lambda progress: (os.getpid(), sum(range(1000))))
    pid, total = job.result()
    assert pid != os.getpid() and total == 499500


def test_two_sessions_asking_for_the_same_result_start_one_computation(tmp_path):
    runs = tmp_path / "runs"

    def compute(progress):
        with open(runs, "a") as handle:
            handle.write("x")
        time.sleep(0.5)
        return os.getpid()

    pool = Jobs(2)
    first, second = pool.submit("same", compute), pool.submit("same", compute)
    assert first is second and first.result() == second.result()
    assert runs.read_text() == "x"
    assert pool.submit("same", compute) is not first  # a finished job is forgotten: the caller caches results


def test_progress_reaches_the_server():
    def compute(progress):
        progress(1, 4, "betweenness")
        time.sleep(1.0)
        return "done"

    job = Jobs(1).submit("progress", compute)
    deadline = time.monotonic() + 5
    while job.progress == (0, 1, "") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert job.progress == (1, 4, "betweenness")
    assert job.result() == "done"


def test_the_last_waiter_leaving_stops_the_computation():
    job = Jobs(1).submit("slow", lambda progress: time.sleep(60))
    job.attach()
    job.attach()
    deadline = time.monotonic() + 5
    while job.process is None or job.state != "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    pid = job.process.pid
    job.detach()
    time.sleep(0.3)
    assert alive(pid)  # someone still waits
    job.detach()
    assert gone_within(pid, 2.0)
    with pytest.raises(CojianError, match="cancelled"):
        job.result()


def test_a_computation_over_its_time_is_stopped_with_a_clear_message():
    job = Jobs(1, seconds=0.5).submit("forever", lambda progress: time.sleep(30))
    started = time.monotonic()
    with pytest.raises(JobLimitError, match=r"longer than [01] s"):
        job.result()
    assert time.monotonic() - started < 5


def test_a_computation_over_its_memory_is_stopped_with_a_clear_message():
    import numpy as np

    with open("/proc/self/status") as handle:  # the child starts as large as this process (a fork)
        size_mb = next(int(line.split()[1]) // 1024 for line in handle if line.startswith("VmSize:"))
    job = Jobs(1, memory_mb=size_mb + 500).submit("greedy", lambda progress: np.ones(2**31, dtype=np.uint8).sum())
    with pytest.raises(JobLimitError, match="more memory than allowed"):
        job.result()


def test_errors_come_back_as_they_were_raised():
    def fail(progress):
        raise CojianError("台账中没有组织 'x' / no organisation 'x'")

    with pytest.raises(CojianError, match="no organisation 'x'"):
        Jobs(1).submit("error", fail).result()


def test_beyond_the_worker_limit_jobs_queue():
    pool = Jobs(1)
    first = pool.submit("a", lambda progress: time.sleep(0.8) or "a")
    second = pool.submit("b", lambda progress: "b")
    time.sleep(0.3)
    assert (first.state, second.state) == ("running", "queued")
    assert (first.result(), second.result()) == ("a", "b")


def test_a_child_does_not_outlive_its_server(tmp_path):
    script = textwrap.dedent("""
        import os, signal, sys, time
        from cojian_graph.jobs import Jobs
        job = Jobs(1).submit("k", lambda progress: time.sleep(60))
        while job.process is None or job.process.pid is None:
            time.sleep(0.02)
        print(job.process.pid, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid = int(result.stdout.split()[0])
    assert gone_within(pid, 3.0)


def test_a_computation_may_share_its_work_with_a_child_of_its_own():
    """A computation's process watches the server with a thread marked fork-safe: it may still fork (the rank
    tables, timelines and summaries of large views share their work with a child), and the child's work comes
    back, also after Arrow read a file here first, as a server reads a large ledger (the computation once
    closed Arrow's self-pipe, whose numbers its own pipe then took, and Arrow closed that pipe on the fork).
    Any other thread still forbids forking."""
    import threading

    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as arrow_csv

    rows = b"a,b\n" + b"".join(b"%d,%d\n" % (i, i) for i in range(100_000))
    assert arrow_csv.read_csv(pa.py_buffer(rows)).num_rows == 100_000

    from cojian_graph.analysis.engine import can_fork, fork_safe, in_child

    def compute(progress):
        threads = threading.active_count()
        forkable = can_fork()
        found = in_child(lambda: np.array([float(os.getpid())]))()
        return threads, forkable, os.getpid(), None if found is None else int(found[0])

    threads, forkable, pid, grandchild = Jobs(2).submit("fork", compute).result()
    assert threads == 2 and forkable  # the watcher beside the computation
    assert grandchild not in (None, pid, os.getpid())
    baseline = can_fork()  # in this process (no other thread, normally)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        other.join()
    marked = fork_safe(threading.Thread(target=stop.wait))
    stop.clear()
    marked.start()
    try:
        assert can_fork() == baseline
    finally:
        stop.set()
        marked.join()
