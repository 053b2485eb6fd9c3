# boardshift — two commands: `make demo` (set up + run the pipeline on raw/) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test lint docs clean browser java calc

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/boardshift run

lint: setup
	$(BIN)/ruff check pipelines dashboard tests

# The dashboard's browser test drives Debian's Chromium (never `playwright install`); the CJK
# fonts make the Chinese readable in its screenshots. Installed when missing and we are root.
CHROMIUM  := /usr/bin/chromium
CJK_FONT  := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
browser:
	@if [ -x $(CHROMIUM) ] && [ -f $(CJK_FONT) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium + fonts-noto-cjk (apt-get)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	else \
	  echo "chromium or fonts-noto-cjk missing and not root: the browser test will be skipped" \
	       "(as root, 'make test' installs them: apt-get install chromium fonts-noto-cjk)"; \
	fi

# The Spark half of tests/test_portability.py runs pyspark, which needs Java 17+ (the
# machines have OpenJDK 17). Installed when missing and we are root; else that test fails
# and says why.
java:
	@if command -v java >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing a Java runtime for pyspark (apt-get)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless; \
	else \
	  echo "java missing and not root: tests/test_portability.py's Spark test will fail" \
	       "(as root, 'make test' installs it: apt-get install default-jre-headless)"; \
	fi

# tests/test_exports.py reads the exported workbooks in LibreOffice Calc (headless, no GUI
# libraries) as well as in openpyxl. Installed when missing and we are root; else those tests
# are skipped (and fail when CI is set).
calc:
	@if command -v soffice >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing LibreOffice Calc, headless (apt-get)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends libreoffice-calc-nogui; \
	else \
	  echo "soffice missing and not root: the LibreOffice workbook tests will be skipped" \
	       "(as root, 'make test' installs it: apt-get install libreoffice-calc-nogui)"; \
	fi

test: setup lint browser java calc
	$(BIN)/python -m pytest

docs: setup
	$(BIN)/python -m pipelines.contract_doc --write
	$(BIN)/python -m pipelines.marts_doc --write
	$(BIN)/python -m tests.corpus --readme

clean:
	rm -rf $(VENV) data exports dbt_project/target dbt_project/logs
