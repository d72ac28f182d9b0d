# Node-side binaries of the real-pods test cluster (test/cluster/): containerd, its runc shim and ctr;
# the CNI plugins bridge, host-local, loopback and portmap; a CoreDNS with the plugins the cluster uses;
# nsfwd (a TCP forwarder into the cluster's network namespace) and pause (the sandbox image's program,
# also PID 1 of the cluster's PID namespace). Pinned in test/node-tools/go.mod and built like kube-tools
# (mk/kube.mk) into $${XDG_CACHE_HOME:-$$HOME/.cache}/ringcast/node-tools/<tag>/ (RINGCAST_NODE_TOOLS_DIR
# overrides). test/cluster/node-tools-path.ts computes the same path; keep the two in step.
# kubelet, kube-scheduler, kube-proxy and kubectl come from kube-tools (same Kubernetes version as the
# API server); runc and nft are Debian's (system-deps).
.PHONY: node-tools node-tools-dir

NODE_TOOLS_MOD := test/node-tools
NODE_TOOLS_BINARIES := containerd containerd-shim-runc-v2 ctr bridge host-local loopback portmap coredns nsfwd pause

node_mod_version = $(shell awk '$$1 == "$(1)" && $$2 ~ /^v/ { print $$2; exit }' $(NODE_TOOLS_MOD)/go.mod)
CONTAINERD_VERSION = $(call node_mod_version,github.com/containerd/containerd/v2)
CNI_PLUGINS_VERSION = $(call node_mod_version,github.com/containernetworking/plugins)
COREDNS_VERSION = $(call node_mod_version,github.com/coredns/coredns)
NODE_TOOLS_HASH = $(shell cat $(NODE_TOOLS_MOD)/go.mod $(NODE_TOOLS_MOD)/go.sum $(NODE_TOOLS_MOD)/*/main.go | sha256sum | cut -c1-8)
NODE_TOOLS_TAG = containerd-$(CONTAINERD_VERSION)_cni-$(CNI_PLUGINS_VERSION)_coredns-$(COREDNS_VERSION)_$(NODE_TOOLS_HASH)
NODE_TOOLS_DIR = $(or $(RINGCAST_NODE_TOOLS_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ringcast/node-tools/$(NODE_TOOLS_TAG))

# Version stamps as containerd's and CoreDNS's own Makefiles set them (the node reports
# `containerd://v2.2.9`; `coredns -version` reports its release).
NODE_TOOLS_LDFLAGS = -s -w \
  -X github.com/containerd/containerd/v2/version.Version=$(CONTAINERD_VERSION) \
  -X github.com/containerd/containerd/v2/version.Revision=module \
  -X github.com/coredns/coredns/coremain.GitCommit=module

# One `go build` for all ten (shared packages compile once), static, into a temporary directory that is
# moved into place only when every binary exists.
node-tools:
	@dir='$(NODE_TOOLS_DIR)'; \
	missing=""; for b in $(NODE_TOOLS_BINARIES); do [ -x "$$dir/$$b" ] || missing="$$missing $$b"; done; \
	if [ -z "$$missing" ]; then echo "node-tools: up to date in $$dir"; exit 0; fi; \
	command -v go >/dev/null 2>&1 || { echo "node-tools: 'go' not found; install Go 1.25 or newer (https://go.dev/dl/)" >&2; exit 1; }; \
	echo "node-tools: building$$missing into $$dir (first build takes a few minutes)"; \
	tmp="$$dir.tmp.$$$$"; rm -rf "$$tmp"; mkdir -p "$$dir" "$$tmp" || exit 1; \
	trap 'rm -rf "$$tmp"' EXIT; \
	( cd $(NODE_TOOLS_MOD) && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS='-mod=readonly -buildvcs=false' \
	  go build -trimpath -ldflags='$(NODE_TOOLS_LDFLAGS)' -o "$$tmp/" \
	    github.com/containerd/containerd/v2/cmd/containerd \
	    github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2 \
	    github.com/containerd/containerd/v2/cmd/ctr \
	    github.com/containernetworking/plugins/plugins/main/bridge \
	    github.com/containernetworking/plugins/plugins/ipam/host-local \
	    github.com/containernetworking/plugins/plugins/main/loopback \
	    github.com/containernetworking/plugins/plugins/meta/portmap \
	    ./coredns ./nsfwd ./pause ) || exit 1; \
	for b in $(NODE_TOOLS_BINARIES); do [ -x "$$tmp/$$b" ] || { echo "node-tools: $$b was not built" >&2; exit 1; }; done && \
	for b in $(NODE_TOOLS_BINARIES); do mv -f "$$tmp/$$b" "$$dir/$$b" || exit 1; done && \
	echo "node-tools: built $(NODE_TOOLS_BINARIES) in $$dir"

node-tools-dir:
	@echo '$(NODE_TOOLS_DIR)'
