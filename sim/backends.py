"""Where runs run: one backend layer for every command that runs replicates or sweeps.

A backend is a context manager with ``workers``, ``name`` and ``imap(fn, base, batches)``, which
yields ``fn(base, batch)`` for every batch as batches finish (in any order).  ``base`` goes to
every worker once; a batch is a list of small job descriptions.  :class:`LocalBackend` is a
process pool of long-lived workers on this machine (in-process with one worker);
:class:`DaskBackend` a Dask client: to a running scheduler, a ``LocalCluster``, or SLURM/PBS jobs
from dask-jobqueue.  ``sesim run``, ``compare``, ``sweep``, ``calibrate``, ``carriers`` and
``compare --uncertainty`` all run through them, so every command takes the same
``--backend``/``--cluster`` flags and a result does not depend on the backend (docs/odd.md §13).

A finished batch's result is handed on and not kept here: memory does not grow with the
number of batches.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from .extras import install_hint
from .inputs import shown
from .scenario import ScenarioError

# Dask's housekeeping, slowed down for tasks that compute for seconds.  By default every worker
# samples its task thread's stack every 10 ms (the statistical profiler), wakes its event loop
# every 20 ms (the blocked-loop watchdog) and measures its memory every 100 ms, and the
# scheduler ticks every 20 ms too: measured here on an idle 2-worker LocalCluster that is 20% of
# a core (scheduler 9%, each worker 5.5%), and a run took 15-25% longer on a busy worker.  With
# these settings the idle cluster costs 2% of a core.  Nothing here changes results.
DASK_SETTINGS = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
}


def dask_environment() -> dict[str, str]:
    """:data:`DASK_SETTINGS` as the environment variables that set them in a Dask process
    started elsewhere (a dask-jobqueue job, or ``dask worker`` started by hand)."""
    return {"DASK_" + k.upper().replace(".", "__").replace("-", "_"): str(v) for k, v in DASK_SETTINGS.items()}


@contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while worker processes are started, so they inherit its being ignored."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)


class LocalBackend:
    """A process pool of long-lived workers on this machine (in-process when workers = 1)."""

    name = "local"

    def __init__(self, workers: int = 1) -> None:
        self.workers = max(1, workers)
        self._ex: Any = None

    def __enter__(self) -> "LocalBackend":
        if self.workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from sim.tuning import worker_init  # Ctrl-C is the sweep's; workers end with it

            self._ex = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("forkserver"),
                initializer=worker_init,
                initargs=(os.getpid(),),
            )
        return self

    def __exit__(self, *exc: object) -> None:
        if self._ex is not None:
            if exc[0] is not None:  # interrupted or failed: batches in flight are not waited for
                stop = getattr(self._ex, "terminate_workers", None)  # Python >= 3.14
                if stop is not None:
                    stop()
                else:
                    for p in list((self._ex._processes or {}).values()):
                        p.terminate()
            self._ex.shutdown(wait=True, cancel_futures=True)

    def imap(self, fn: Callable, base: Any, batches: list[list[Any]]) -> Iterator[Any]:
        """Results of ``fn(base, batch)`` as batches finish; a result handed on is not kept here
        (``as_completed`` drops each future it yields, and no list of them is held)."""
        if self._ex is None:
            for b in batches:
                yield fn(base, b)
            return
        from concurrent.futures import as_completed

        for f in as_completed([self._ex.submit(fn, base, b) for b in batches]):
            result = f.result()
            del f
            yield result


class DaskBackend:
    """A Dask ``distributed.Client``: to a scheduler address, a SLURM/PBS cluster from
    dask-jobqueue, or a ``LocalCluster`` of single-threaded worker processes (on loopback, or on
    ``interface`` when given)."""

    name = "dask"

    def __init__(
        self,
        workers: int = 1,
        scheduler: str | None = None,
        cluster: str | None = None,
        cluster_options: dict[str, Any] | None = None,
    ) -> None:
        self.workers = max(1, workers)
        self.scheduler = scheduler
        self.cluster_kind = cluster
        self.cluster_options = cluster_options or {}
        self._client: Any = None
        self._cluster: Any = None
        self._settings: Any = None

    def __enter__(self) -> "DaskBackend":
        distributed = import_dask()
        import dask

        self._settings = dask.config.set(DASK_SETTINGS)  # this process: scheduler, nannies, client
        try:
            if self.scheduler:
                self._client = distributed.Client(self.scheduler)
                self._hint_settings()
            else:
                if self.cluster_kind:
                    self._cluster = make_jobqueue_cluster(self.cluster_kind, self.cluster_options)
                    self._cluster.scale(n=self.workers)
                else:
                    # the scheduler's HTTP server (health, metrics; no dashboard) on a free loopback
                    # port: not 8787, which another cluster on this machine may hold
                    with _sigint_ignored():
                        self._cluster = distributed.LocalCluster(
                            n_workers=self.workers,
                            threads_per_worker=1,
                            processes=True,
                            dashboard_address=None,
                            interface=self.cluster_options.get("interface"),
                            scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                        )
                self._client = distributed.Client(self._cluster)
        except BaseException:
            self.__exit__(*sys.exc_info())  # with-statements do not call __exit__ when __enter__ raises
            raise
        return self

    def _hint_settings(self) -> None:
        """Workers started by hand cannot get :data:`DASK_SETTINGS` from here: say so, once."""
        loud = self._client.run(lambda dask_worker: "profile" in dask_worker.periodic_callbacks)
        if any(loud.values()):
            names = " ".join(f"{k}={v}" for k, v in dask_environment().items())
            print(
                f"sesim: {sum(loud.values())} of the scheduler's {len(loud)} workers run Dask's 10 ms profiler, "
                f"which slows long runs; start them with {names}",
                file=sys.stderr,
            )

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._settings is not None:
            self._settings.__exit__(None, None, None)
        self._client = self._cluster = self._settings = None

    def imap(self, fn: Callable, base: Any, batches: list[list[Any]]) -> Iterator[Any]:
        distributed = import_dask()
        base_f = self._client.scatter(base, broadcast=True)
        for f in distributed.as_completed([self._client.submit(fn, base_f, b, pure=False) for b in batches]):
            result = f.result()
            f.release()  # the cluster forgets it; nothing here holds it after the yield
            del f
            yield result


def check_interface(name: str) -> None:
    """Refuse, in one line, a network interface this machine does not have (Dask's own error is a
    traceback); the scheduler runs here, so the interface must exist here."""
    import socket

    import psutil

    have = {k for k, addrs in psutil.net_if_addrs().items() if any(a.family == socket.AF_INET for a in addrs)}
    if name not in have:
        raise ScenarioError(
            f"--interface {shown(name, raw=True)} (or interface in [cluster]): no such network interface with an "
            f"IPv4 address on this machine; allowed: {', '.join(sorted(have))}"
        )


def import_dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise ScenarioError(install_hint("--backend dask", "Dask", "cluster")) from None
    return distributed


JOBQUEUE = {"slurm": "SLURMCluster", "pbs": "PBSCluster"}
PLACEHOLDER_SCHEDULER = "tcp://<insert-scheduler-address-here>:8786"  # as dask-jobqueue's own job_script()


def import_jobqueue(kind: str = "slurm") -> Any:
    """``dask_jobqueue``, with Python's SIGINT handler put back: dask-jobqueue 0.9 replaces it on
    import with one that exits quietly with status 0 (dask/dask-jobqueue#696), so Ctrl-C would
    end a sweep as if it had succeeded."""
    before = signal.getsignal(signal.SIGINT)
    try:
        import dask_jobqueue
    except ImportError:
        raise ScenarioError(install_hint(f"--cluster {kind}", "Dask and dask-jobqueue", "cluster")) from None
    finally:
        if before is not None and signal.getsignal(signal.SIGINT) is not before:
            signal.signal(signal.SIGINT, before)
    return dask_jobqueue


def jobqueue_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of a dask-jobqueue job: one job per ``cores`` single-threaded worker
    processes, sesim's Dask settings in the job's environment, workers on ``interface``."""
    import_jobqueue(kind)  # without the extra: the one-line install hint
    opts = dict(options)
    missing = [k for k in ("cores", "memory") if k not in opts]
    if missing:
        raise ScenarioError(
            f"--cluster {kind}: set {' and '.join(missing)} in the sweep file's [cluster] table or with --{missing[0]}"
        )
    opts.setdefault("processes", opts["cores"])  # one single-threaded process per core
    opts.setdefault("python", sys.executable)
    # sesim's Dask settings first, then the prologue the user configured for dask-jobqueue (or its
    # older env-extra), which passing a prologue would otherwise replace
    import dask

    user = (
        opts.get("job_script_prologue")
        or dask.config.get(f"jobqueue.{kind}.job-script-prologue", None)
        or dask.config.get(f"jobqueue.{kind}.env-extra", None)
        or []
    )
    user = [user] if isinstance(user, str) else list(user)
    opts["job_script_prologue"] = [*(f"export {k}={v}" for k, v in dask_environment().items()), *user]
    return opts


def make_jobqueue_cluster(kind: str, options: dict[str, Any]) -> Any:
    """A dask-jobqueue cluster (its scheduler starts here, on ``interface`` when given: dask-jobqueue
    uses one interface for the scheduler and the workers)."""
    cls = getattr(import_jobqueue(kind), JOBQUEUE[kind])
    return cls(**jobqueue_options(kind, options), scheduler_options={"dashboard_address": None})


def job_script(kind: str, options: dict[str, Any]) -> str:
    """The job script dask-jobqueue would submit for each job of workers, rendered by its own Job
    class with the placeholder scheduler address its ``job_script()`` uses: no scheduler starts."""
    job_cls = getattr(import_jobqueue(kind), JOBQUEUE[kind]).job_cls
    return job_cls(PLACEHOLDER_SCHEDULER, name="dummy-name", **jobqueue_options(kind, options)).job_script()


# --- results in the order of the jobs ------------------------------------------------------------
ORDERED_BATCH = 4  # jobs per task at most in map_ordered


def _call_batch(fn: Callable[[Any], Any], batch: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
    from .tuning import tune_process

    tune_process()
    return [(i, fn(job)) for i, job in batch]


def map_ordered(backend: Any, fn: Callable[[Any], Any], jobs: list[Any], bar: Any = None) -> list[Any]:
    """``fn(job)`` for every job on an entered backend, returned in the order of the jobs whatever
    order they finish in (``fn`` must be importable).  For jobs whose results are small (a row):
    every result is held until all are in."""
    items = list(enumerate(jobs))
    per_task = max(1, min(ORDERED_BATCH, -(-len(items) // (4 * max(1, backend.workers)))))
    batches = [items[i : i + per_task] for i in range(0, len(items), per_task)]
    out: list[Any] = [None] * len(items)
    for results in backend.imap(_call_batch, fn, batches):
        for i, r in results:
            out[i] = r
        if bar is not None:
            bar.update(len(results))
    return out
