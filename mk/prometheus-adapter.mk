# prometheus-adapter for the autoscaling tests: it serves Prometheus series as the custom.metrics.k8s.io API the
# HorizontalPodAutoscaler reads. Pinned in test/prometheus-adapter/go.mod (a `tool` line) and built like
# kube-tools (mk/kube.mk) into $${XDG_CACHE_HOME:-$$HOME/.cache}/ringcast/prometheus-adapter/<tag>/
# (RINGCAST_PROMETHEUS_ADAPTER_DIR overrides the whole path). test/helpers/prometheus-adapter-path.ts computes
# the same path; keep the two in step. Prometheus itself is Debian's package (system-deps).
.PHONY: prometheus-adapter prometheus-adapter-dir

ADAPTER_MOD := test/prometheus-adapter
ADAPTER_VERSION = $(shell awk '$$1 == "require" && $$2 == "sigs.k8s.io/prometheus-adapter" { print $$3; exit } $$1 == "sigs.k8s.io/prometheus-adapter" && $$2 ~ /^v/ { print $$2; exit }' $(ADAPTER_MOD)/go.mod)
ADAPTER_HASH = $(shell cat $(ADAPTER_MOD)/go.mod $(ADAPTER_MOD)/go.sum | sha256sum | cut -c1-8)
ADAPTER_TAG = prometheus-adapter-$(ADAPTER_VERSION)_$(ADAPTER_HASH)
ADAPTER_DIR = $(or $(RINGCAST_PROMETHEUS_ADAPTER_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ringcast/prometheus-adapter/$(ADAPTER_TAG))

# Static, into a temporary directory moved into place only once the binary exists.
prometheus-adapter:
	@dir='$(ADAPTER_DIR)'; \
	if [ -x "$$dir/prometheus-adapter" ]; then echo "prometheus-adapter: up to date in $$dir"; exit 0; fi; \
	command -v go >/dev/null 2>&1 || { echo "prometheus-adapter: 'go' not found; install Go 1.25 or newer (https://go.dev/dl/)" >&2; exit 1; }; \
	echo "prometheus-adapter: building $(ADAPTER_VERSION) into $$dir (first build takes a few minutes)"; \
	tmp="$$dir.tmp.$$$$"; rm -rf "$$tmp"; mkdir -p "$$dir" "$$tmp" || exit 1; \
	trap 'rm -rf "$$tmp"' EXIT; \
	( cd $(ADAPTER_MOD) && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS='-mod=readonly -buildvcs=false' \
	  go build -trimpath -ldflags='-s -w' -o "$$tmp/prometheus-adapter" sigs.k8s.io/prometheus-adapter/cmd/adapter ) || exit 1; \
	mv -f "$$tmp/prometheus-adapter" "$$dir/prometheus-adapter" && \
	echo "prometheus-adapter: built in $$dir"

prometheus-adapter-dir:
	@echo '$(ADAPTER_DIR)'
