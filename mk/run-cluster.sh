#!/usr/bin/env bash
# `make run-cluster`: two local redis-server shards and three Ringcast nodes on them, one cluster, until Ctrl-C.
# Ports: Redis 16391 and 16392, nodes 8000, 8001, 8002 (override with CLUSTER_REDIS_PORTS / CLUSTER_NODE_PORTS).
set -euo pipefail
config="$1"
state=.cache/cluster
redis_ports=(${CLUSTER_REDIS_PORTS:-16391 16392})
node_ports=(${CLUSTER_NODE_PORTS:-8000 8001 8002})
mkdir -p "$state"
pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

addresses=()
for port in "${redis_ports[@]}"; do
  mkdir -p "$state/redis-$port"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$state/redis-$port" --save '' --appendonly no \
    --logfile "$PWD/$state/redis-$port/redis.log" &
  pids+=($!)
  addresses+=("redis://127.0.0.1:$port")
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
echo "Redis shards: ${addresses[*]}"

first=1
for port in "${node_ports[@]}"; do
  banner=()
  [ "$first" = 1 ] && banner=(--dev-banner) && first=0
  RINGCAST_ENGINE_TYPE=redis RINGCAST_ENGINE_REDIS_ADDRESS="${addresses[*]}" RINGCAST_NODE_NAME="node-$port" \
    node dist/node/cli/main.js serve --config "$config" --port "$port" "${banner[@]}" &
  pids+=($!)
done
echo "Nodes: ${node_ports[*]/#/http://localhost:} — the same API key and tokens work on every node; Ctrl-C stops all."
wait -n "${pids[@]}"
