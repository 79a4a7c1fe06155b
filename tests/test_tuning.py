"""Process settings for replicate workers (sim/tuning.py): one BLAS thread, and the same numbers."""

from __future__ import annotations

import subprocess
import sys


def test_tuned_process_has_one_blas_thread_and_gives_the_same_run():
    code = (
        "from threadpoolctl import threadpool_info\n"
        "from sim import load_scenario\nfrom sim.runner import run_replicate\nfrom sim.tuning import tune_process\n"
        "scn = load_scenario('baseline', {'population.schools': 2, 'population.cohort_size': 40, "
        "'population.firms': 12, 'population.partners_per_school': 6, 'run.years': 2, 'run.warmup_months': 12})\n"
        "import sim.runner as r\n"
        "r.tune_process = lambda: None\n"  # first run untuned
        "a = run_replicate(scn.params, 3, 0, 'x')[0]\n"
        "tune_process()\n"
        "assert all(i['num_threads'] == 1 for i in threadpool_info() if i['user_api'] == 'blas'), threadpool_info()\n"
        "b = run_replicate(scn.params, 3, 0, 'x')[0]\n"
        "assert a == b or all(a[k] == b[k] or (a[k] != a[k] and b[k] != b[k]) for k in a), (a, b)\n"
        "print('ok')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"MALLOC_TRIM_THRESHOLD_": "65536", "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr
