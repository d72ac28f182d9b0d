# `make bench`: builds, then runs the quick benchmark set (a few minutes) with the server pinned to core 0
# and the load generator on core 1. With CENTRIFUGO_BIN set, runs the same scenarios against that
# Centrifugo (GOMAXPROCS=1, same config keys and JSON protocol), alternating A/B, and reports ratios.
# Results: test/bench/results/{results.md,results.json,chart.svg} (A/B) or test/bench/results/ringcast-only/.
# See bench/README.md.
#   make bench BENCH_SCENARIOS=fanout,latency BENCH_ROUNDS=2
#   CENTRIFUGO_BIN=… make bench BENCH_SCENARIOS=crossnode BENCH_OUT=test/bench/results/crossnode   # the Redis ring
#   CENTRIFUGO_BIN=… make bench BENCH_SCENARIOS=connect-proxy BENCH_OUT=test/bench/results/connect-proxy
#   make bench-profile    # V8 CPU profile of Ringcast per scenario (fan-out by default), top functions printed
#   make bench-profile BENCH_PROFILE_SCENARIOS=idle,api
#   make bench-proxy-caller   # CPU per call of the HTTP and gRPC proxy callers alone (no server around them)
#   make bench-loopback      # what one small loopback write costs a core: the floor under one write per delivery
.PHONY: bench bench-profile bench-proxy-caller bench-million bench-loopback

# `make bench-million`: one Ringcast node pinned to core 0 (old-space sized for N) and `ringcast bench million`
# on core 1: MILLION_CONNECTIONS clients over 1000 channels, then 500,000 deliveries/s for MILLION_SECONDS.
# As root it raises the kernel limits it needs first and prints what it changed; it refuses to start when
# MemAvailable cannot hold N. `make bench-million MILLION_CONNECTIONS=100000` takes a few minutes.
# MILLION_DELIVERIES (500000) the target deliveries/s; MILLION_CHANNELS (1000) the channels; N/1000 keeps the 1M run's 1000 subscribers per channel at smaller N.
# Results: test/bench/results/million/{results.md,results.json}.
MILLION_CONNECTIONS ?= 1000000
MILLION_SECONDS ?= 60
MILLION_CHANNELS ?= 1000
MILLION_DELIVERIES ?= 500000
MILLION_OUT ?= test/bench/results/million
# MILLION_PROCESSES: Ringcast nodes sharing core 0 and one port (SO_REUSEPORT), joined through a Redis on the
# same core: for more connections than one process's descriptor limit allows. 1 = one plain node.
MILLION_PROCESSES ?= 1

BENCH_SCENARIOS ?= idle,fanout,channels,api,latency,storm,crossnode,connect-proxy
BENCH_ROUNDS ?= 1
# A/B runs write test/bench/results/, Ringcast-only runs test/bench/results/ringcast-only/.
BENCH_OUT ?= test/bench/results$(if $(CENTRIFUGO_BIN),,/ringcast-only)
# Root may raise both processes' priority so other work on the machine disturbs the numbers less.
BENCH_NICE ?= $(shell [ "$$(id -u)" = 0 ] && echo -10)
# Seconds each run waits at most for other processes to quiet down (below 0.3 cores) before it starts.
BENCH_QUIET_WAIT ?= 120
# crossnode variants: <shards>-<history on|off>.
BENCH_CROSSNODE ?= 1-off,2-off,1-on,2-on
# connect-proxy backends: http, grpc.
BENCH_PROXY_BACKENDS ?= http,grpc
# Ringcast only: `ringcast.client.write_delay` for its servers (e.g. 20ms); empty = off, the default.
BENCH_WRITE_DELAY ?=
BENCH_PROFILE_DIR ?= .cache/bench-profile
BENCH_PROFILE_SCENARIOS ?= fanout

# BENCH_NATIVE=1: idle and storm clients live in the Go helper (test/bench/native-subscriber, standard library
# only) instead of the Node.js generator. On this 2-core machine both cost the generator core about the same per
# connect (mostly the kernel's loopback TCP), so the default stays the Node.js generator.
BENCH_NATIVE ?=
NATIVE_SUBSCRIBER_BIN := .cache/bin/native-subscriber

bench: build
	@command -v taskset >/dev/null || { echo "bench: taskset not found (Debian package util-linux)" >&2; exit 1; }
	@[ "$$(nproc)" -ge 2 ] || { echo "bench: needs 2 cores (server on core 0, generator on core 1)" >&2; exit 1; }
	$(if $(BENCH_NATIVE),@mkdir -p .cache/bin && cd test/bench/native-subscriber && go build -o $(abspath $(NATIVE_SUBSCRIBER_BIN)) .)
	taskset -c 1 node --import tsx bench/suite/main.ts \
	  --out-dir $(BENCH_OUT) --scenarios $(BENCH_SCENARIOS) --rounds $(BENCH_ROUNDS) --server-cpus 0 --quiet-max-wait $(BENCH_QUIET_WAIT) --crossnode-variants $(BENCH_CROSSNODE) --connect-proxy-backends $(BENCH_PROXY_BACKENDS) \
	  $(if $(BENCH_NATIVE),--native-subscriber $(NATIVE_SUBSCRIBER_BIN)) \
	  $(if $(BENCH_NICE),--nice=$(BENCH_NICE)) $(if $(BENCH_WRITE_DELAY),--write-delay $(BENCH_WRITE_DELAY)) \
	  --command "$(if $(CENTRIFUGO_BIN),CENTRIFUGO_BIN=$(CENTRIFUGO_BIN) )make bench BENCH_SCENARIOS=$(BENCH_SCENARIOS) BENCH_ROUNDS=$(BENCH_ROUNDS)$(if $(BENCH_WRITE_DELAY), BENCH_WRITE_DELAY=$(BENCH_WRITE_DELAY))$(if $(BENCH_NATIVE), BENCH_NATIVE=1)"

bench-profile: build
	@rm -rf $(BENCH_PROFILE_DIR) && mkdir -p $(BENCH_PROFILE_DIR)
	taskset -c 1 node --import tsx bench/suite/main.ts --out-dir $(BENCH_PROFILE_DIR)/results --scenarios $(BENCH_PROFILE_SCENARIOS) \
	  --server-cpus 0 $(if $(BENCH_NICE),--nice=$(BENCH_NICE)) --cpu-profile-dir $(abspath $(BENCH_PROFILE_DIR)) --command "make bench-profile"
	node --import tsx bench/suite/profile-summary.ts $(BENCH_PROFILE_DIR)/*.cpuprofile

bench-proxy-caller: build
	nice node --import tsx bench/proxy-caller-cost.ts http grpc

bench-million: build
	@command -v taskset >/dev/null || { echo "bench-million: taskset not found (Debian package util-linux)" >&2; exit 1; }
	@command -v prlimit >/dev/null || { echo "bench-million: prlimit not found (Debian package util-linux)" >&2; exit 1; }
	@[ "$$(nproc)" -ge 2 ] || { echo "bench-million: needs 2 cores (server on core 0, generator on core 1)" >&2; exit 1; }
	taskset -c 1 node --max-old-space-size=$$(( $(MILLION_CONNECTIONS) / 128 + 2048 )) --import tsx bench/suite/main.ts \
	  --out-dir $(MILLION_OUT) --scenarios million --million-connections $(MILLION_CONNECTIONS) --million-seconds $(MILLION_SECONDS) --million-channels $(MILLION_CHANNELS) --million-deliveries $(MILLION_DELIVERIES) --million-processes $(MILLION_PROCESSES) \
	  --server-cpus 0 --quiet-max-wait $(BENCH_QUIET_WAIT) $(if $(BENCH_NICE),--nice=$(BENCH_NICE)) \
	  --command "make bench-million MILLION_CONNECTIONS=$(MILLION_CONNECTIONS) MILLION_SECONDS=$(MILLION_SECONDS) MILLION_CHANNELS=$(MILLION_CHANNELS) MILLION_DELIVERIES=$(MILLION_DELIVERIES)$(if $(filter-out 1,$(MILLION_PROCESSES)), MILLION_PROCESSES=$(MILLION_PROCESSES))"

# `make bench-loopback`: the kernel's floor under fan-out that sends each delivery in its own write (each of
# many subscribers gets one message): a Go helper (standard library only) writes LOOPBACK_SIZE-byte messages
# round-robin to LOOPBACK_CONNS loopback sockets from core 0, one write(2) each, a reader drains them on core 1,
# and it prints writes/s and the writer's user and system CPU per write. No WebSocket, no server logic.
LOOPBACK_CONNS ?= 10000
LOOPBACK_SIZE ?= 100
LOOPBACK_SECONDS ?= 10
LOOPBACK_BIN := .cache/bin/loopback-writes

bench-loopback:
	@command -v taskset >/dev/null || { echo "bench-loopback: taskset not found (Debian package util-linux)" >&2; exit 1; }
	@mkdir -p .cache/bin && cd test/bench/loopback-writes && go build -o $(abspath $(LOOPBACK_BIN)) .
	@port=$$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'); \
	  taskset -c 0 $(LOOPBACK_BIN) -mode write -port $$port -conns $(LOOPBACK_CONNS) -size $(LOOPBACK_SIZE) -seconds $(LOOPBACK_SECONDS) & writer=$$!; \
	  taskset -c 1 $(LOOPBACK_BIN) -mode read -port $$port -conns $(LOOPBACK_CONNS) & reader=$$!; \
	  wait $$writer; status=$$?; wait $$reader; exit $$status
