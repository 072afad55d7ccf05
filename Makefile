# Two entry points: `make run` (set up and serve on embedded defaults) and `make test` (set up and test).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.mitra-installed
SYSTEM_TOOLS := espeak-ng ffmpeg chromium

.PHONY: setup system-deps run test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, pinned: on these machines this is the local CPU wheel; a plain `torch` pulls CUDA.
	$(BIN)/pip install -q "torch==2.13.0"
	$(BIN)/pip install -q -e ".[dev]"
	# openai-whisper without its declared triton dependency, which a CPU deployment never uses
	$(BIN)/pip install -q --no-deps "openai-whisper==20250625"
	$(BIN)/mitra models prepare
	touch $(STAMP)

# Test tools from Debian: espeak-ng (test speech), ffmpeg (OGG/Opus, AMR...), chromium (page tests), a Telugu font.
system-deps:
	@missing=""; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing="$$missing $$t"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing system tools:$$missing (tests that need them are skipped)"; fi; \
	fi
	@# a Telugu font, so page screenshots taken in tests show Telugu rather than boxes
	@if ! fc-list 2>/dev/null | grep -qi telugu && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-telu >/dev/null || true; fi

run: setup
	$(BIN)/mitra serve

test: setup system-deps lint
	$(BIN)/python -m pytest -q

# ruff's rule set is in pyproject.toml; lint-imports checks the layer contracts (docs/architecture.md)
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

# The routing benchmarks; the others (voice, api, load, Rasa) are listed with their commands in docs/benchmarks.md.
bench: setup
	$(BIN)/python -m bench.route_latency
	$(BIN)/python -m bench.banking77

# Rasa 3.6 in its own venv (MITRA_RASA_VENV, default ~/.cache/mitra/rasa-venv): export, train (cached), serve on loopback
rasa: setup
	$(BIN)/mitra rasa up

clean:
	rm -rf $(VENV) var .pytest_cache
