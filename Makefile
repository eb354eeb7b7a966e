# The README's commands. Each one installs the Debian packages it needs first.
BUILD_DIR ?= build
export FRAMEBRIDGE_BUILD_DIR := $(CURDIR)/$(BUILD_DIR)
BUILD_TYPE ?= Release
PYTHON := /usr/bin/python3
JOBS ?= 2
ARGS ?=
SOAK_SECONDS ?= 600
SOAK_ARGS ?=

export FRAMEBRIDGE_SERVER := $(CURDIR)/$(BUILD_DIR)/bin/framebridge-server
export FRAMEBRIDGE_LAYOUT_DUMP := $(CURDIR)/$(BUILD_DIR)/bin/framebridge-layout-dump
export PYTHONPATH := $(CURDIR)/python_sdk

.PHONY: all deps build run test bench soak fuzz sanitize format lint clean

all: build

deps:
	@scripts/install-deps.sh test

build: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@scripts/run.sh $(ARGS)

test: build
	@scripts/test.sh $(BUILD_DIR)

bench: build
	$(PYTHON) tests/bench/bench.py --build-dir $(BUILD_DIR)
	$(PYTHON) tests/bench/latency_bench.py --build-dir $(BUILD_DIR)
	$(PYTHON) tests/bench/app_bench.py --build-dir $(BUILD_DIR)
	$(PYTHON) tests/bench/cpp_client_bench.py --build-dir $(BUILD_DIR)
	$(PYTHON) tests/bench/round_trip_bench.py --build-dir $(BUILD_DIR)
	$(PYTHON) tests/bench/results_bench.py --build-dir $(BUILD_DIR)
	$(PYTHON) tests/bench/rtsp_bench.py --build-dir $(BUILD_DIR)

soak: build
	$(PYTHON) tests/soak/soak.py --build-dir $(BUILD_DIR) --seconds $(SOAK_SECONDS) $(SOAK_ARGS)

format:
	clang-format -i $$(find shm protocol client app tests ui -name '*.cpp' -o -name '*.hpp' 2>/dev/null)

fuzz: deps
	scripts/fuzz.sh 300

sanitize: deps
	scripts/sanitizers.sh

lint:
	flake8 python_sdk tests

clean:
	rm -rf $(BUILD_DIR)
