# Ringcast — the two commands a user needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

NPM_STAMP := node_modules/.ringcast-install-stamp
DEV_CONFIG := .cache/dev-config.json
# Debian packages the tests drive for real: Chromium for pages, redis-server for the Redis engine, curl as a
# plain HTTP-streaming consumer.

.PHONY: help deps system-deps build typecheck lint run test test-unit test-integration test-e2e clean

help:
	@echo "make run    install, build and start a node on http://localhost:8000 (memory engine, demo page)"
	@echo "make test   install everything the tests need and run all of them"
	@echo "make build | typecheck | lint | kube-tools | dev-cluster | bench"

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NPM_STAMP)

# Installs the Debian packages the tests need, once; skipped when they are already present.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

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

test: deps system-deps kube-tools build typecheck lint
	npx vitest run

test-unit: deps
	npx vitest run --project unit

test-integration: deps system-deps build
	npx vitest run --project integration

test-e2e: deps kube-tools
	npx vitest run --project e2e

clean:
	rm -rf dist .cache

include mk/*.mk
