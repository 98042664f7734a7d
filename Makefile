# Two entry points for a fresh machine (Python 3.11+ and make):
#   make book   set up .venv and build the HTML book into _build/html (warnings are errors)
#   make test   set up .venv and run every test: companion, pairing, book checks, every chapter (smoke)
# and the everyday loop while editing (no notebook runs, no book build; well under a minute):
#   make check  unit tests, linter, pairing, shape and stored-output checks
#   make test NB=chapters/06_dcgan_pytorch.ipynb   that chapter through nbval, with `make check`
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHAPTERS := $(wildcard chapters/*.md)

# pytest-xdist workers: both cores of the project's machines (`make test JOBS=4` on a bigger one).
# The root conftest.py says which tests must share a worker, and in what order they go out.
JOBS ?= 2
PYTEST := GAN_BOOK_PROFILE=smoke $(PY) -m pytest -n $(JOBS)
# what `make check` runs: everything in tests/ but the tests marked slow (conftest.py)
CHECKS := tests -m "not slow"

.PHONY: venv book test check sync execute gpu-bundle clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	touch $@

venv: $(STAMP)

# TF_ENABLE_ONEDNN_OPTS=0 and TF_CPP_MIN_LOG_LEVEL=2 keep TensorFlow's native start-up notices
# (printed on some CPUs while autodoc imports companion.keras_*) out of the log; the build runs
# no TensorFlow kernel, so the oneDNN switch changes nothing else. tests/book_site.py does the same.
book: $(STAMP)
	TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0 $(VENV)/bin/jupyter-book build . --builder html -W -n --keep-going

# NB given on the command line (or in the environment) narrows `make test` to those chapters
test: $(STAMP)
	$(PYTEST) $(if $(filter file undefined,$(origin NB)),,$(NB) $(CHECKS))

check: $(STAMP)
	$(PYTEST) $(CHECKS)

# Keep every chapter's .md and .ipynb equal after editing either one.
sync: $(STAMP)
	$(VENV)/bin/jupytext --sync $(CHAPTERS)

# Re-run chapters in the full profile and store their outputs in the .ipynb:
#   make execute NB=chapters/04_one_hot_pytorch.ipynb
NB ?= $(CHAPTERS:.md=.ipynb)
execute: $(STAMP)
	$(VENV)/bin/jupytext --sync $(NB:.ipynb=.md)
	cd chapters && for nb in $(notdir $(NB)); do \
	  GAN_BOOK_PROFILE=full ../$(PY) -m jupyter execute --inplace $$nb || exit 1; done
	$(PY) scripts/collapse_progress.py $(NB)

# What bench/gpu_session.sh needs on a GPU machine that has PyTorch but no network: IPython (which
# chapter 6 imports) as wheels in .whl/, and the datasets in data/ (both ignored by git).
GPU_WHEELS := ipython decorator ipython-pygments-lexers jedi parso matplotlib-inline pexpect \
	ptyprocess prompt-toolkit wcwidth stack-data executing asttokens pure-eval traitlets
GPU_DATA ?= $(or $(GAN_BOOK_DATA),$(HOME)/.cache/gan-book)
gpu-bundle: $(STAMP)
	rm -rf .whl && $(PY) -m pip download -q --only-binary=:all: --no-deps --python-version 3.12 \
	  --implementation cp --platform manylinux2014_x86_64 -d .whl $(GPU_WHEELS)
	@test -d $(GPU_DATA)/fashion-mnist || { echo "gpu-bundle: no fashion-mnist/ in $(GPU_DATA);" \
	  "set GAN_BOOK_DATA to the folder that holds the datasets (see the README)"; exit 1; }
	mkdir -p data && cp -r $(GPU_DATA)/fashion-mnist data/

clean:
	rm -rf _build
