# Logbook. `make demo` runs the demo sweep end to end; `make test` runs the tests. Both install the system
# packages Logbook needs when they are missing (as root; otherwise they print the command to run).

# Extra flags for `swift build` (e.g. SWIFT_BUILD_FLAGS="--scratch-path .build-other").
SWIFT_BUILD_FLAGS ?=
DEMO_DB ?= demo.sqlite
DEMO_WORKERS ?= 2
DEMO_EPOCHS ?= 30
DEMO_SEEDS ?= 3
DEMO_REPORT ?= demo-report.html
SYSTEM_PACKAGES = libopenblas-dev libsqlite3-dev zlib1g-dev libpq-dev pkg-config

.PHONY: deps readers browser build test demo bench cluster-demo

# The C libraries behind BLAS, SQLite, PostgreSQL's client (libpq) and gzip, found through pkg-config.
deps:
	@if pkg-config --exists openblas sqlite3 zlib libpq 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	else \
		echo "missing system packages; run: sudo apt-get install -y $(SYSTEM_PACKAGES)"; exit 1; \
	fi

# The tools' own readers that the export tests check against (TensorBoard, MLflow, ONNX Runtime, NumPy), in
# .venv-readers/; made once, then this returns at once.
readers:
	bash scripts/python-readers.sh

# Headless Chromium for the dashboard's browser tests (Debian's `chromium`), installed as root when missing.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "missing chromium (the dashboard's browser tests); run: sudo apt-get install -y chromium"; exit 1; \
	fi

build: deps
	swift build -c release $(SWIFT_BUILD_FLAGS) --product logbook

# The tests (the dashboard's in headless Chromium), with a throwaway PostgreSQL cluster on loopback for the PostgreSQL
# store's tests (installed as root when missing; started before and stopped after `swift test`, also when it fails;
# its URL in LOGBOOK_TEST_POSTGRES_URL).
test: deps readers browser
	scripts/postgres-test-cluster.sh run swift test --disable-swift-testing $(SWIFT_BUILD_FLAGS)

bench: build
	"$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook" bench engine
	"$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook" bench store
	"$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook" bench sweep
	"$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook" bench query

# The demo sweep on the bundled digits data: 4 batch sizes × 3 learning rates × 3 initializers (zeros among them)
# = 36 configurations × 3 seeds = 108 trials of a 64-128-10 MLP with SGD + momentum, 2 worker processes, recorded
# into $(DEMO_DB); then the leaderboard (mean ± std over the seeds), chosen by validation accuracy on a 10 %
# validation split with the best configuration's test accuracy reported. A release build; a fresh database each time.
demo: build
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	"$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook" sweep run --db $(DEMO_DB) \
		--name digits-demo --data digits --layers 64-128-10 --momentum 0.9 --epochs $(DEMO_EPOCHS) \
		--batch-size 16,32,64,128 --lr 0.01,0.1,0.5 --init zeros,xavier-uniform,he-uniform \
		--seeds $(DEMO_SEEDS) --workers $(DEMO_WORKERS)
	"$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook" report --db $(DEMO_DB) --sweep 1 \
		--out $(DEMO_REPORT)

# Workers on separate hosts: a PostgreSQL server and two machines in network namespaces (nothing shared but TCP,
# each with its own folder) complete one sweep; machine A copies it home and writes the report. As root; elsewhere
# it says so and runs separate processes on loopback.
cluster-demo: build
	scripts/cluster-demo.sh "$$(swift build -c release $(SWIFT_BUILD_FLAGS) --show-bin-path)/logbook"
