# Two entry points for a fresh machine: `make demo` and `make test`.
# Everything else (virtualenv, installs) happens here.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test typecheck venv clean schema fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# The linter on the bundled example corpus: it has a handful of deliberate defects
# (corpus/README.md lists them), so a non-zero exit here is expected and shown.
demo: $(STAMP)
	@echo "== formalai-lint check corpus/"
	-$(BIN)/formalai-lint check corpus/
	@echo
	@echo "(exit code 1 means findings were reported; corpus/README.md explains each one)"

test: $(STAMP)
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest -q

# The fuzz test with a long budget (thousands of documents; `make test` runs a few dozen).
fuzz: $(STAMP)
	FORMALAI_FUZZ=fuzz $(BIN)/python -m pytest -q tests/test_fuzz.py tests/test_bounded_equivalence.py

# Regenerate the config file's JSON Schema from the rules' option schemas, and the digests
# of the shipped schema files as validated (schemas/validated.json); a test checks both.
schema: $(STAMP)
	$(BIN)/formalai-lint config-schema --output schemas/config.schema.json
	$(BIN)/python -c "from linter.schema.shipped import main; main()"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .formalai-lint-cache
