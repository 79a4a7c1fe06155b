# make demo : set up .venv and compare every named strategy with the baseline (sesim compare),
#             printing the headline table and writing results/compare-all/report.html
# make test : set up .venv and run the tests
# make quick: the tests but those marked slow or browser (a few minutes); make lint: ruff check and mypy
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python

# Find a Python >= 3.12 by test-running candidates (pyenv shims fail without PYENV_VERSION).
find_python = $(shell for c in python3.13 python3.12 python3 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null); do \
	if $$c -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo $$c; break; fi; done)

STRATEGIES := baseline communication goal_alignment school_cooperation firm_support party_alliance \
	party_talent craftsman huli_tongqiang_qirong party_led full

.PHONY: docs demo test quick lint format constraints setup clean bench bench-sweep calibration calibration-store calibration-baseline calibration-history carriers sizes

# The demo needs only sesim's own dependencies; the tests add their extras (browser, Dask, PRIM, linters).
# Both install the versions pinned in constraints.txt (make constraints), the ones the golden baseline ran with.
$(VENV)/.installed-core: pyproject.toml constraints.txt
	@PYTHON="$(find_python)"; \
	if [ -z "$$PYTHON" ]; then echo "make: no Python >= 3.12 found (tried python3.13, python3.12, python3, ~/.pyenv/versions/3.1x)" >&2; exit 2; fi; \
	echo "Using $$PYTHON ($$($$PYTHON --version))"; \
	$$PYTHON -m venv $(VENV) && $(PY) -m pip install -q --upgrade pip && $(PY) -m pip install -q -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed-core
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	@touch $@

setup: $(VENV)/.installed-test

demo: $(VENV)/.installed-core
	$(VENV)/bin/sesim compare $(STRATEGIES) --seeds 10 --workers 2 --out results/compare-all

# The README's generated blocks: the demo's headline table (make demo, stored in docs/demo/ and rendered as the
# terminal prints it), the lever table and docs/parameters.md's behaviour table (analysis/readme.py);
# tests/test_docs.py checks that they agree with what they are generated from.
docs: demo
	$(PY) -m analysis.readme results/compare-all

test: $(VENV)/.installed-test
	$(PY) -m pytest -q -n 2 --dist loadfile   # two test processes, a test file per process (its fixtures run once)

quick: $(VENV)/.installed-test   # unit tests: not the slow pattern/end-to-end runs, not the headless browser
	$(PY) -m pytest -q -m "not slow and not browser" -n 2

lint: $(VENV)/.installed-test    # configured in pyproject.toml ([tool.ruff], [tool.mypy])
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(VENV)/.installed-test  # import order and ruff's formatter, over the whole code base
	$(VENV)/bin/ruff check --select I --fix .
	$(VENV)/bin/ruff format .

constraints: $(VENV)/.installed-test   # after changing a dependency: pin what this .venv runs
	$(PY) .ci/constraints.py

bench: setup
	$(PY) benchmarks/bench_model.py

bench-sweep: setup   # sweep throughput: serial vs local pool vs Dask (about 13 minutes here; needs a quiet machine; --rounds R repeats it)
	$(PY) benchmarks/bench_sweep.py

clean:
	rm -rf $(VENV) results/*/

# Calibrate to scenarios/targets/china_gaozhi.toml (ABC-SMC, about 50 minutes on 2 quiet cores: the
# screen 9, the calibration 39, the check, the docs and storing the posterior 1):
# first the screen of which assumptions the targets touch (analysis/fit_screen.py, forward-stepwise
# over 768 runs, then 96 runs checking that the rest moves the targets little; its
# results/fit-screen/touched.txt adds them to the free parameters over their plausible ranges, so the
# posterior is joint over the calibrated parameters and those assumptions — docs/calibration.md, Joint
# posterior), then the calibration of the 65 (MCMC moves with equal weights, since importance weights
# degenerate in many dimensions; the interval distance, 0 inside every weighted interval; the other
# assumptions drawn over their plausible ranges in every run, --draw-assumptions; the chains
# started about the calibrated baseline's values, --start scenario, since chains started over the
# whole box did not reach worlds inside every interval within the hour), a check of the baseline on
# 30 seeds, the tables and figure of docs/calibration.md, and the posterior stored beside the
# targets (scenarios/targets/china_gaozhi.posterior.csv, which compare --uncertainty posterior|all
# draws from; make calibration-store repeats that step alone).  A folder results/calibration of
# other settings is refused: move it away first.  make calibration-baseline writes the particle
# nearest the targets on fresh seeds into scenarios/baseline.toml, a deliberate step since it moves
# every result (regenerate the golden baseline and the README's figures after it).
CALIBRATION_FREE := --free behaviour.job_finding_rate=[0.2,0.5] --free behaviour.in_field_share=[0.45,0.75] \
	--free behaviour.offer_in_field_share=[0.3,0.6] --free behaviour.switching_cost=[0.3,1.0] \
	--free behaviour.dismissal_rate=[0.08,0.25] --free behaviour.intern_value=[0.6,0.9] \
	--free behaviour.intern_value_sd=[0,0.8] --free behaviour.social_motive=[-2,1] \
	--free behaviour.motive_sd=[0.3,1.5] --free behaviour.offer_match_known=[0.2,1] \
	--free behaviour.tenure_value=[0.02,0.1] --free behaviour.trust_weight=[1.5,6] \
	--free behaviour.craft_visibility=[0,0.6] --free behaviour.initial_trust=[0,0.2] \
	--free behaviour.initial_trust_sd=[0,0.1]

CALIBRATION_TARGETS := scenarios/targets/china_gaozhi.toml

calibration: setup
	$(PY) -m analysis.fit_screen --draws 768 --check 96 --workers 2 --out results/fit-screen
	$(VENV)/bin/sesim calibrate $(CALIBRATION_TARGETS) --scenario baseline $(CALIBRATION_FREE) \
		$$(cat results/fit-screen/touched.txt) \
		--kernel mcmc --distance intervals --draw-assumptions --start scenario --accept 0.5 --budget 4800 \
		--generations 16 --workers 2 --out results/calibration --resume
	$(VENV)/bin/sesim run baseline --seeds 30 --workers 2 --out results/baseline-check
	$(PY) -m analysis.calibration_doc results/calibration results/baseline-check docs/calibration.md
	$(PY) -m analysis.calibration_doc --screen results/fit-screen docs/calibration.md
	$(PY) -m analysis.calibration_pick results/calibration --posterior $(CALIBRATION_TARGETS)

calibration-store: setup
	$(PY) -m analysis.calibration_pick results/calibration --posterior $(CALIBRATION_TARGETS)

calibration-baseline: setup
	$(PY) -m analysis.calibration_pick results/calibration scenarios/baseline.toml --top 30 --seeds 10 --workers 2 \
		--posterior $(CALIBRATION_TARGETS)

# History matching (docs/calibration.md, History matching): 8 waves of 250 worlds, every assumption
# drawn, the first emulators trained on the runs of make calibration (results/calibration); about
# 22 minutes on 2 quiet cores; writes results/calibration-history and the block of
# docs/calibration.md.  Its posterior is stored only by hand (calibration_pick --posterior), when
# its worlds fit.
calibration-history: setup
	$(VENV)/bin/sesim calibrate $(CALIBRATION_TARGETS) --scenario baseline $(CALIBRATION_FREE) \
		$$(cat results/fit-screen/touched.txt) --kernel history --budget 2000 --generations 8 --replicates 1 \
		--warm-start results/calibration --workers 2 --out results/calibration-history --resume
	$(PY) -m analysis.calibration_doc --history results/calibration-history docs/calibration.md

# What carries each headline difference (sesim carriers): Morris screening of the differences
# strategy - baseline over every behavioural parameter with a plausible range, by mechanism family
# beside a dummy family, then a tornado of the leading families' parameters; writes
# results/carriers/ and docs/carriers.md.  At the defaults (8 trajectories, 10 seeds at the
# scenario's values, at most 130 tornado parameters, more if the cells' leading families need them,
# x 2 ends x 2 seeds; 850 + about 2,600 runs) about 35 minutes on 2 quiet cores; resumable (Ctrl-C,
# then make carriers again).  A folder results/carriers of other settings is refused: move it away.
carriers: setup
	$(VENV)/bin/sesim carriers --workers 2 --out results/carriers --doc docs/carriers.md \
		$$( [ -f results/carriers/carriers.json ] && echo --resume )

# The sizes a paper can quote (README, "Sizes over worlds that fit the data"): the named packages
# against the baseline over 64 parameter draws whose baseline fits the data (posterior for the
# calibrated parameters, plausible ranges for the assumptions; a draw kept only when its baseline is
# inside every weighted interval, --fit intervals, since the posterior started at the calibrated
# baseline meets them: docs/calibration.md, What it reached),
# joined with what carries each size (make carriers first). Resumable: rerun make sizes after a Ctrl-C.
SIZES_STRATEGIES := huli_tongqiang_qirong party_led craftsman full
sizes: setup
	$(VENV)/bin/sesim compare baseline $(SIZES_STRATEGIES) --uncertainty all --draws 64 --workers 2 \
		--out results/sizes $$( [ -f results/sizes/uncertainty.json ] && echo --resume )
	$(PY) -m analysis.sizes results/sizes results/carriers --readme README.md
