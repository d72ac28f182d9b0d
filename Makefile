# Ringcast — the two commands a user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

NPM_STAMP := node_modules/.ringcast-install-stamp
DEV_CONFIG := .cache/dev-config.json
# The official Centrifugo Python SDK and API client, for the compatibility tests (test/python-sdk/).
PYENV := .cache/pyenv
PYENV_STAMP := $(PYENV)/.ringcast-install-stamp
# Debian packages the tests drive for real: Chromium for pages, redis-server for the Redis engine (and the
# Redis image), nats-server for the NATS broker, tarantool for the Tarantool engine, curl as a plain
# HTTP-streaming consumer, python3 (with venv) for the official Python SDK; for the real-pods cluster runc
# (containers), nftables (kube-proxy) and mmdebstrap (the image's Debian base); prometheus for the autoscaling
# and dashboard tests (the package's service is not started: the tests run their own).

.PHONY: help deps system-deps python-sdk build typecheck lint run test test-unit test-integration test-e2e e2e e2e-kind clean

help:
	@echo "make run    install, build and start a node on http://localhost:8000 (memory engine, demo page)"
	@echo "make run-cluster   two local Redis shards and three nodes on :8000, :8001, :8002 (one cluster)"
	@echo "make test   install everything the tests need and run all of them"
	@echo "make e2e    build the cluster tools and images, start a single-node cluster with real pods, run the pods tests"
	@echo "make build | typecheck | lint | image | image-docker | e2e-kind | kube-tools | node-tools | grpc-tools | dev-cluster [PODS=1] | bench | bench-million"
	@echo "make chart  copy the CRD into the chart and render the Grafana dashboards (dashboards/*.ts) into it"

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NPM_STAMP)

# Installs the Debian packages the tests need, once; skipped when they are already present.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v nats-server >/dev/null 2>&1 || missing="$$missing nats-server"; \
	command -v tarantool >/dev/null 2>&1 || missing="$$missing tarantool"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	command -v runc >/dev/null 2>&1 || missing="$$missing runc"; \
	command -v nft >/dev/null 2>&1 || missing="$$missing nftables"; \
	command -v mmdebstrap >/dev/null 2>&1 || missing="$$missing mmdebstrap"; \
	command -v prometheus >/dev/null 2>&1 || missing="$$missing prometheus"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# A project-local virtualenv with the pinned Python SDK packages (from PyPI), rebuilt when the pins change.
$(PYENV_STAMP): test/python-sdk/requirements.txt
	@command -v python3 >/dev/null 2>&1 || { echo "python-sdk: python3 not found; the Python SDK tests need it (Debian: apt-get install python3 python3-venv, or run make system-deps)" >&2; exit 1; }
	@python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || { echo "python-sdk: python3 cannot create a virtualenv (Debian: apt-get install python3-venv)" >&2; exit 1; }
	rm -rf $(PYENV)
	python3 -m venv $(PYENV)
	$(PYENV)/bin/pip install --quiet --disable-pip-version-check --no-input -r test/python-sdk/requirements.txt
	@touch $@

python-sdk: $(PYENV_STAMP)

build: deps
	npm run --silent build

typecheck: deps
	npm run --silent typecheck

lint: deps
	npm run --silent lint

$(DEV_CONFIG): | build
	@mkdir -p $(dir $@)
	node dist/node/cli/main.js genconfig --dev --output $@

run: build $(DEV_CONFIG)
	node dist/node/cli/main.js serve --config $(DEV_CONFIG) --dev-banner

# Everything, the real-pods layer included (it needs root: namespaces, cgroups, mounts).
test: deps system-deps python-sdk kube-tools node-tools grpc-tools prometheus-adapter build image typecheck lint
	npx vitest run

test-unit: deps
	npx vitest run --project unit

test-integration: deps system-deps python-sdk grpc-tools build
	npx vitest run --project integration

# The control-plane layer (no kubelet): fast, unprivileged.
test-e2e: deps system-deps kube-tools prometheus-adapter
	npx vitest run --project e2e

# The real-pods layer on the local namespaced cluster (root), or on a kind cluster (Docker + kind).
e2e: deps system-deps kube-tools node-tools prometheus-adapter image
	npx vitest run --project pods

e2e-kind: deps system-deps image-app
	RINGCAST_E2E_PROVIDER=kind npx vitest run --project pods

clean:
	rm -rf dist .cache

include mk/*.mk
