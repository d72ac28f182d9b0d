# `make bench`: builds, then runs the quick benchmark set (a few minutes) with the server pinned to core 0
# and the load generator on core 1. With CENTRIFUGO_BIN set, runs the same scenarios against that
# Centrifugo (GOMAXPROCS=1, same config keys and JSON protocol), alternating A/B, and reports ratios.
# Results: test/bench/results/{results.md,results.json,chart.svg} (A/B) or test/bench/results/ringcast-only/.
# See bench/README.md.
#   make bench BENCH_SCENARIOS=fanout,latency BENCH_ROUNDS=2
#   make bench-profile    # V8 CPU profile of Ringcast per scenario (fan-out by default), top functions printed
#   make bench-profile BENCH_PROFILE_SCENARIOS=idle,api
.PHONY: bench bench-profile

BENCH_SCENARIOS ?= idle,fanout,channels,api,latency,storm
BENCH_ROUNDS ?= 1
# A/B runs write test/bench/results/, Ringcast-only runs test/bench/results/ringcast-only/.
BENCH_OUT ?= test/bench/results$(if $(CENTRIFUGO_BIN),,/ringcast-only)
# Root may raise both processes' priority so other work on the machine disturbs the numbers less.
BENCH_NICE ?= $(shell [ "$$(id -u)" = 0 ] && echo -10)
BENCH_PROFILE_DIR ?= .cache/bench-profile
BENCH_PROFILE_SCENARIOS ?= fanout

bench: build
	@command -v taskset >/dev/null || { echo "bench: taskset not found (Debian package util-linux)" >&2; exit 1; }
	@[ "$$(nproc)" -ge 2 ] || { echo "bench: needs 2 cores (server on core 0, generator on core 1)" >&2; exit 1; }
	taskset -c 1 node --import tsx bench/suite/main.ts \
	  --out-dir $(BENCH_OUT) --scenarios $(BENCH_SCENARIOS) --rounds $(BENCH_ROUNDS) --server-cpus 0 \
	  $(if $(BENCH_NICE),--nice=$(BENCH_NICE)) \
	  --command "$(if $(CENTRIFUGO_BIN),CENTRIFUGO_BIN=$(CENTRIFUGO_BIN) )make bench BENCH_SCENARIOS=$(BENCH_SCENARIOS) BENCH_ROUNDS=$(BENCH_ROUNDS)"

bench-profile: build
	@rm -rf $(BENCH_PROFILE_DIR) && mkdir -p $(BENCH_PROFILE_DIR)
	taskset -c 1 node --import tsx bench/suite/main.ts --out-dir $(BENCH_PROFILE_DIR)/results --scenarios $(BENCH_PROFILE_SCENARIOS) \
	  --server-cpus 0 $(if $(BENCH_NICE),--nice=$(BENCH_NICE)) --cpu-profile-dir $(abspath $(BENCH_PROFILE_DIR)) --command "make bench-profile"
	node --import tsx bench/suite/profile-summary.ts $(BENCH_PROFILE_DIR)/*.cpuprofile
