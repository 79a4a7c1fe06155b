"""Test helper, active only when ``SESIM_TEST_HOLD`` is set (``tests/analysis/holding.py`` puts
this folder first on PYTHONPATH).

Python imports ``sitecustomize`` at start-up in every process, so this reaches the sweep itself,
its process-pool workers and Dask's worker processes alike.  It

* imports dask-jobqueue through sesim's own import path, as ``--cluster slurm`` would (that
  import replaces Python's SIGINT handler unless sesim puts it back);
* holds every run whose id is at least ``SESIM_TEST_HOLD`` (and, with ``SESIM_TEST_HOLD_SEEDS``,
  whose seed is one of those listed) until the file ``SESIM_TEST_RELEASE`` exists, so a test
  that kills or interrupts the sweep after its first batch file lands part-way however fast
  the machine is.
"""

import os

if os.environ.get("SESIM_TEST_HOLD"):
    import importlib.util
    import time
    from pathlib import Path

    import analysis.sweep as _sweep

    if importlib.util.find_spec("dask_jobqueue"):
        _sweep.import_jobqueue()
    _first_held = int(os.environ["SESIM_TEST_HOLD"])
    _seeds = {int(s) for s in os.environ.get("SESIM_TEST_HOLD_SEEDS", "").split(",") if s}
    _release = Path(os.environ["SESIM_TEST_RELEASE"])
    _run_one = _sweep.run_one

    def _held_run_one(base, run):
        if run.run_id >= _first_held and (not _seeds or run.seed in _seeds):
            while not _release.exists():
                time.sleep(0.05)
        return _run_one(base, run)

    _sweep.run_one = _held_run_one
