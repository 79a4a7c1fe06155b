"""Process settings for running many replicates: measured, not guessed (benchmarks/bench_sweep.py).

A run allocates and frees many NumPy arrays of a few hundred kilobytes each month (one row per
student).  Two settings of the process decide how much that costs (default run, this machine):

- **BLAS threads.**  The model's arrays are too small for threaded BLAS to pay, and worker
  processes run side by side: with one thread each a run takes about 1.6 s instead of 2.1 s.
- **glibc's malloc.**  By default glibc raises its mmap threshold as large blocks are freed, so
  such arrays come to be reused from the heap.  Dask's nanny starts its workers with
  ``MALLOC_TRIM_THRESHOLD_=65536``, which fixes the threshold at 128 KiB: every student-sized
  array is then mapped and unmapped from the kernel, and a run takes about 4.4 s.  Where that
  variable is set, we fix a high mmap threshold and trim threshold instead (1.6 s again); where
  it is not, glibc's own adaptive behaviour is left alone.

- **Arrow's allocator.**  pyarrow allocates through mimalloc by default, which kept the buffers of
  the spell rows a run writes as it goes (sim.spells) and of the tables read back: the peak grew
  with the rows written (a province's ten years vs twenty: 372 and 460 MB at a tenth of its
  size), not with what is held at once.  With the system allocator it stays flat (339 MB for
  both) and no slower.

Results do not depend on any of these settings (the same seeds give the same numbers).  The settings
are process-wide: a Python session that runs replicates in-process keeps one BLAS thread.
"""

from __future__ import annotations

import ctypes
import functools
import os
import platform

M_TRIM_THRESHOLD = -1  # mallopt parameters, from glibc's malloc.h
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest dynamic mmap threshold (64-bit)
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD  # glibc keeps the trim threshold at twice the mmap threshold
BLAS_THREADS = 1


@functools.cache
def tune_process() -> None:
    """Apply the settings above to this process, once (each part skipped where threadpoolctl or glibc is absent)."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(BLAS_THREADS)
    except ImportError:
        pass
    arrow_system_allocator()
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ or platform.libc_ver()[0] != "glibc":
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)


@functools.cache
def arrow_system_allocator() -> None:
    """Let pyarrow allocate through the system allocator (see above), once per process."""
    try:
        import pyarrow as pa
    except ImportError:
        return
    pa.set_memory_pool(pa.system_memory_pool())


def exit_with_parent(parent_pid: int) -> None:
    """End this worker process as soon as ``parent_pid`` (the sesim command) has ended.

    Worker processes are started by the forkserver, not by the command itself, so the kernel's
    parent-death signal would watch the wrong process; a daemon thread waits on a pidfd of the
    command instead (polling once a second where pidfds are missing) and ends the worker with
    ``os._exit`` (a killed command had left its workers running for minutes).
    """
    import threading

    def wait() -> None:
        try:
            import select

            fd = os.pidfd_open(parent_pid)
            select.select([fd], [], [])
        except (AttributeError, OSError):
            import time

            while True:
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    break
                except PermissionError:
                    pass
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=wait, name="sesim-exit-with-parent", daemon=True).start()


def worker_init(parent_pid: int) -> None:
    """Initialiser of sesim's worker processes: the settings above; Ctrl-C is the command's to
    handle (a worker hit by the terminal's SIGINT would print its own traceback); end with the command."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    tune_process()
    exit_with_parent(parent_pid)
