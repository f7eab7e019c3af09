# The two commands a newcomer needs: `make report` and `make test`.
# Both create the virtual environment and install the project when needed.

PYTHON  ?= python3
VENV    ?= .venv
SOURCES ?= sources
# Each committee's documents go into its own folder: build/ for the example in sources/, else DIR/build.
BUILD   ?= $(if $(filter sources sources/ ./sources,$(SOURCES)),build,$(SOURCES)/build)
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
LOCK    := requirements.lock
# axe-core, which the accessibility test runs in Debian's chromium; pinned by its package-lock.json.
AXE     := tests/axe/node_modules/.installed
# The lock tool, pinned like everything else; only `make lock` needs it.
UV      := uv==0.13.9
LOCKER  := .venv-lock
PIP     := $(BIN)/python -m pip --quiet --disable-pip-version-check --no-input

.DEFAULT_GOAL := help
.PHONY: help report distribute check new schema test proptest bench clean templates lock guide

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

report: $(STAMP) ## Check the sources and build every document (SOURCES=sources BUILD=build PDF_ENGINE=auto STRICT=1)
	@$(BIN)/beredning build --sources "$(SOURCES)" --build "$(BUILD)"

distribute: $(STAMP) ## Build, then pack build/utskick/<group>/ and a zip for every party group
	@$(BIN)/beredning distribute --sources "$(SOURCES)" --build "$(BUILD)"

check: $(STAMP) ## Check the sources without building anything
	@$(BIN)/beredning check --sources "$(SOURCES)"

new: $(STAMP) ## Start a new committee's folder: make new DIR=../demokratiberedningen
	@$(if $(DIR),,echo "Ange mappen för den nya beredningen: make new DIR=../namn" >&2; exit 2)
	@$(BIN)/beredning new "$(DIR)"

schema: $(STAMP) ## Write the JSON Schemas of the source files into schema/
	@$(BIN)/beredning schema

test: $(STAMP) $(AXE) ## Run the test suite
	$(BIN)/python -m pytest -q

proptest: $(STAMP) ## Build many random whole committees with both PDF engines (EXAMPLES=200); CI runs a few
	BEREDNING_EXAMPLES=$(or $(EXAMPLES),200) $(BIN)/python -m pytest -q -W ignore::hypothesis.errors.HypothesisWarning tests/test_committees.py

bench: $(STAMP) ## Builds of 20, 200 and 2,000 meetings against the peers; writes build/bench/results.json and docs/benchmarks.md
	$(BIN)/python bench/run.py

templates: $(STAMP) ## Write fresh Word templates (overwrites templates/*.docx!)
	$(BIN)/python scripts/make_templates.py

guide: $(STAMP) ## Render the pictures of docs/guide.md from the current build of the example
	$(BIN)/python scripts/guide_pictures.py

clean: ## Remove the build folder
	rm -rf "$(BUILD)"

lock: ## Refresh requirements.lock to the newest versions pyproject.toml allows, then run the suite
	$(PYTHON) -m venv $(LOCKER)
	$(LOCKER)/bin/python -m pip install --quiet --disable-pip-version-check '$(UV)'
	$(LOCKER)/bin/uv pip compile pyproject.toml --extra test --group build --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --custom-compile-command 'make lock' -o $(LOCK)
	$(MAKE) test

# A fresh environment from the lock: exact versions, every file checked against its hash, nothing else.
# One Swedish line while it installs; the installers' own output only when they fail.
$(STAMP): $(LOCK) pyproject.toml
	@echo "Installerar verktygen i $(VENV) (första gången, ungefär en minut) ..."
	@$(PYTHON) -m venv --clear $(VENV)
	@$(PIP) install --require-hashes --no-deps -r $(LOCK) >$(VENV)/installation.log 2>&1 \
		|| { cat $(VENV)/installation.log; exit 1; }
	@$(PIP) install --no-deps --no-build-isolation --editable . >>$(VENV)/installation.log 2>&1 \
		|| { cat $(VENV)/installation.log; exit 1; }
	@touch $@

$(AXE): tests/axe/package-lock.json
	@cd tests/axe && npm ci --silent >/dev/null 2>&1 || npm ci
	@touch $@
