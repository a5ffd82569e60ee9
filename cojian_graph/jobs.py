"""Heavy work outside the server's interpreter: each computation runs in its own child process, so
that one person's cold rank table never holds the interpreter lock that every other session (and
the server's health check) needs.

Why a process per computation, forked from the server, rather than a ``ProcessPoolExecutor``: a
pool's worker cannot be stopped in the middle of a task, and the explorer must stop work nobody waits
for any more (a person who leaves the page, or changes a filter). A forked child also starts with the
server's ledger and graphs already in memory (shared copy-on-write), so nothing is pickled on the way
in; only the result comes back, through a pipe. The standard library's ``multiprocessing`` does the
work; this module adds what the explorer needs around it:

- **one computation per result**: a second session asking for the same key waits for the same job;
- **progress**: ``progress(done, total, step)`` in the child reaches every waiting session;
- **cancel**: a job is stopped (SIGKILL to its process group) when its last waiter leaves;
- **limits**: at most ``workers`` jobs run at once (the others queue), each under a memory ceiling
  (``RLIMIT_AS``) and a time limit, with a clear message when one is reached;
- **the server first**: a child runs at a lower CPU priority (``nice`` 10), so that on a busy machine
  the server's answers and the other sessions' pages do not wait for it;
- **no borrowed connections**: a child closes the server's sockets it inherited, so that no browser
  waits on a connection the server has closed;
- **clean exit**: a child exits when the server does (it watches its parent), and :func:`stop_all`
  stops every job at once (registered with ``atexit``: Streamlit exits through it on SIGTERM).

The command line does not use this: ``cojian rank`` computes in its own process already.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from .analysis.engine import fork_safe
from .errors import CojianError

__all__ = ["Job", "JobLimitError", "Jobs", "jobs", "stop_all"]

#: How much lower a computation's CPU priority is than the server's (``nice``).
NICENESS = 10
#: Environment variables that set the limits (see docs/deployment.md).
ENV_WORKERS, ENV_SECONDS, ENV_MEMORY = "COJIAN_WORKERS", "COJIAN_JOB_SECONDS", "COJIAN_JOB_MEMORY_MB"


class JobLimitError(CojianError):
    """A computation reached its time or memory limit and was stopped."""


class Job:
    """One computation in a child process, and the sessions waiting for it."""

    def __init__(self, key, function: Callable, owner: Jobs):
        self.key, self.function, self.owner = key, function, owner
        self.progress: tuple[int, int, str] = (0, 1, "")
        self.value: Any = None
        self.error: BaseException | None = None
        self.state = "queued"  # queued → running → done | cancelled
        self.done = threading.Event()
        self.waiters = 0
        self.process: multiprocessing.Process | None = None
        self.lock = threading.Lock()

    # -- the server's side ----------------------------------------------------------------------

    def attach(self) -> None:
        with self.lock:
            self.waiters += 1

    def detach(self) -> None:
        """A waiter leaves; the job is stopped when it was the last one and the job is not done."""
        with self.lock:
            self.waiters -= 1
            last = self.waiters <= 0 and not self.done.is_set()
        if last:
            self.cancel()

    def cancel(self) -> None:
        with self.lock:
            if self.done.is_set():
                return
            self.state = "cancelled"
            self.error = CojianError("计算已取消 / the computation was cancelled")
            process = self.process
        _kill(process)
        self._finish()

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    def result(self):
        """The value, once done; raises the computation's error (a CojianError for a limit)."""
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value

    def _finish(self) -> None:
        self.done.set()
        self.owner._forget(self)

    def _run(self, slots: threading.Semaphore) -> None:
        """In a server thread: wait for a free slot, start the child, read what it sends."""
        with slots:
            with self.lock:
                if self.done.is_set():  # cancelled while queued
                    return
                reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
                self.process = multiprocessing.get_context("fork").Process(
                    target=_child, args=(writer, self.function, self.owner.memory_bytes, self.owner.seconds,
                                         os.getpid()),
                    daemon=True, name=f"cojian-job-{abs(hash(self.key)) % 10**6}")
                self.process.start()
                self.state = "running"
            writer.close()
            try:
                while True:
                    try:
                        kind, *payload = reader.recv()
                    except (EOFError, OSError):  # the child died without a word (killed, out of memory)
                        kind, payload = "died", []
                    except Exception as error:
                        kind, payload = "error", [CojianError(f"{type(error).__name__}: {error}")]
                    if kind == "progress":
                        self.progress = tuple(payload)
                        continue
                    with self.lock:
                        if not self.done.is_set():
                            if kind == "result":
                                self.value, self.state = payload[0], "done"
                            elif kind == "error":
                                self.error, self.state = payload[0], "done"
                            else:
                                self.error, self.state = self._died(), "done"
                    break
            finally:
                reader.close()
                self.process.join(timeout=5)
                _kill(self.process)
                self._finish()

    def _died(self) -> CojianError:
        code = self.process.exitcode if self.process is not None else None
        if code is not None and code < 0 and -code == signal.SIGKILL:
            return JobLimitError("计算进程被系统终止（内存不足？）；请用筛选缩小视图 / the computation was killed by "
                                 "the system (out of memory?); narrow the view with a filter")
        return CojianError(f"计算进程意外退出（代码 {code}）/ the computation's process ended unexpectedly "
                           f"(exit code {code})")


class Jobs:
    """The computations of one server process (see the module's docstring)."""

    def __init__(self, workers: int | None = None, *, seconds: float | None = None, memory_mb: int | None = None):
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        self.workers = max(1, workers or int(os.environ.get(ENV_WORKERS, 0) or max(1, cores)))
        self.seconds = float(seconds or os.environ.get(ENV_SECONDS, 0) or 600)
        memory = memory_mb or int(os.environ.get(ENV_MEMORY, 0) or 0)
        self.memory_bytes = memory * 2**20 if memory else _half_the_memory()
        self.slots = threading.Semaphore(self.workers)
        self.running: dict = {}
        self.lock = threading.Lock()

    def submit(self, key, function: Callable[[Callable[[int, int, str], None]], Any]) -> Job:
        """The job computing ``function(progress)`` for ``key``: the one under way, or a new one."""
        with self.lock:
            job = self.running.get(key)
            if job is None:
                job = self.running[key] = Job(key, function, self)
                threading.Thread(target=job._run, args=(self.slots,), daemon=True,
                                 name="cojian-job-reader").start()
            return job

    def active(self) -> list[Job]:
        with self.lock:
            return list(self.running.values())

    def stop_all(self) -> None:
        for job in self.active():
            job.cancel()

    def _forget(self, job: Job) -> None:
        with self.lock:
            if self.running.get(job.key) is job:
                del self.running[job.key]


def _half_the_memory() -> int | None:
    """Half the machine's memory, in bytes (None where the system does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):
        return None


_JOBS: Jobs | None = None
_JOBS_LOCK = threading.Lock()


def jobs() -> Jobs:
    """The server's :class:`Jobs` (made on first use, from the environment's limits); every job still
    running when the server exits is stopped."""
    global _JOBS
    with _JOBS_LOCK:
        if _JOBS is None:
            import atexit

            _JOBS = Jobs()
            atexit.register(stop_all)
        return _JOBS


def stop_all() -> None:
    """Stop every computation under way (on the server's way out)."""
    if _JOBS is not None:
        _JOBS.stop_all()


# -- the child's side -------------------------------------------------------------------------------


def _child(writer, function: Callable, memory_bytes: int | None, seconds: float, parent: int) -> None:
    """Run ``function(progress)`` and send ("result", value) or ("error", exception); never returns
    into the server's code (``os._exit``: the server's exit handlers are not the child's). ``parent`` is
    the server's pid, taken before the fork: a server killed before the child could ask would
    otherwise leave it watching its new parent."""
    # What the child inherited (the ledger, the views' graphs: millions of objects) is never its garbage:
    # out of the collector's sight, a collection walks only what the computation makes. Walked, it cost a
    # 10^4-organisation page 40 % of its time, and wrote to every inherited object's memory.
    gc.freeze()
    _close_inherited(writer.fileno())
    os.setpgid(0, 0)  # its own process group: a cancel stops whatever it started too
    for signum in (signal.SIGTERM, signal.SIGINT):  # not the server's handlers: a signal here ends the child
        signal.signal(signum, signal.SIG_DFL)
    code = 0
    try:
        os.nice(NICENESS)  # the server and every other session come first: a heavy page waits, not them
        # marked fork-safe (it only sleeps and asks for its parent's pid): the computation may still fork
        fork_safe(threading.Thread(target=_watch_parent, args=(parent,), daemon=True)).start()
        signal.signal(signal.SIGALRM, _out_of_time(seconds))
        signal.setitimer(signal.ITIMER_REAL, seconds)
        if memory_bytes:  # last: a thread started under the ceiling may not get its stack
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        last = [0.0]

        def progress(done: int, total: int, step: str) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.1 or done >= total:
                last[0] = now
                writer.send(("progress", int(done), int(total), str(step)))

        value = function(progress)
        signal.setitimer(signal.ITIMER_REAL, 0)
        writer.send(("result", value))
    except MemoryError:
        writer.send(("error", JobLimitError(
            "计算所需内存超过上限；请用筛选缩小视图 / the computation needed more memory than allowed; narrow the "
            "view with a filter")))
    except BaseException as error:
        try:
            writer.send(("error", error))
        except Exception:
            writer.send(("error", CojianError(f"{type(error).__name__}: {error}")))
    finally:
        try:
            writer.close()
        finally:
            os._exit(code)


def _close_inherited(keep: int) -> None:
    """Close every socket the child inherited from the server (``keep``: the child's own pipe).

    The server's sockets must not stay open here: a browser's keep-alive connection that the server
    closed would otherwise stay open in the child, and the browser's next page would wait on it until
    the computation ends. Other descriptors stay open. Some belong to libraries that reopen them after a
    fork: Apache Arrow's self-pipe, once its numbers were closed here and reused by a pipe of the child's,
    was closed again by Arrow when the child forked, and the child's own child lost its way back."""
    import stat

    try:
        descriptors = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:  # no /proc: every number up to the limit
        highest = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        descriptors = range(3, highest if 0 < highest < 1 << 16 else 4096)
    for descriptor in descriptors:
        if descriptor <= 2 or descriptor == keep:
            continue
        with contextlib.suppress(OSError):  # the listing's own descriptor, gone already
            if stat.S_ISSOCK(os.fstat(descriptor).st_mode):
                os.close(descriptor)


def _out_of_time(seconds: float):
    def handler(signum, frame):
        raise JobLimitError(f"计算超过 {seconds:.0f} 秒，已停止；请用筛选缩小视图 / the computation took longer than "
                            f"{seconds:.0f} s and was stopped; narrow the view with a filter")

    return handler


def _watch_parent(parent: int) -> None:
    """Exit when the server is gone (its children are re-parented)."""
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


def _kill(process: multiprocessing.Process | None) -> None:
    """Stop a job's process and anything it started (its process group)."""
    if process is None or process.pid is None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        process.kill()
