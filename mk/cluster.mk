# A local cluster to try: two redis-server shards and three nodes (see mk/run-cluster.sh for ports).
.PHONY: run-cluster

run-cluster: build system-deps $(DEV_CONFIG)
	@bash mk/run-cluster.sh $(DEV_CONFIG)
