# Kubernetes test binaries: the control plane (kube-apiserver, kube-controller-manager, etcd), helm, and
# the node side of the real-pods cluster (kubelet, kube-scheduler, kube-proxy) plus kubectl, built from
# the Go modules pinned in test/kube-tools/go.mod (see docs/development-kube.md).
#
# The binaries go to a cache directory outside the repository, so every clone on the machine shares
# one build:  $${XDG_CACHE_HOME:-$$HOME/.cache}/ringcast/kube-tools/<tag>/  (RINGCAST_KUBE_TOOLS_DIR
# overrides the whole path). The tag names the pinned versions plus a hash of go.mod and go.sum, so
# bumping any version builds into a fresh directory. test/helpers/kube-tools-path.ts computes the same
# path for the tests; keep the two in step.
.PHONY: kube-tools kube-tools-dir dev-cluster

KUBE_TOOLS_MOD := test/kube-tools
KUBE_TOOLS_BINARIES := etcd kube-apiserver kube-controller-manager helm kubelet kube-scheduler kube-proxy kubectl

# Recursively expanded (=) so the shell calls run only when a kube target needs them.
kube_mod_version = $(shell awk '$$1 == "$(1)" && $$2 ~ /^v/ { print $$2; exit }' $(KUBE_TOOLS_MOD)/go.mod)
KUBE_VERSION = $(call kube_mod_version,k8s.io/kubernetes)
KUBE_MINOR = $(word 2,$(subst ., ,$(KUBE_VERSION)))
ETCD_VERSION = $(call kube_mod_version,go.etcd.io/etcd/server/v3)
HELM_VERSION = $(call kube_mod_version,helm.sh/helm/v3)
KUBE_TOOLS_HASH = $(shell cat $(KUBE_TOOLS_MOD)/go.mod $(KUBE_TOOLS_MOD)/go.sum | sha256sum | cut -c1-8)
KUBE_TOOLS_TAG = k8s-$(KUBE_VERSION)_etcd-$(ETCD_VERSION)_helm-$(HELM_VERSION)_$(KUBE_TOOLS_HASH)
KUBE_TOOLS_DIR = $(or $(RINGCAST_KUBE_TOOLS_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ringcast/kube-tools/$(KUBE_TOOLS_TAG))

# Version stamps the release Makefiles would set: the API server reports v1.X.Y (helm and charts check
# it), helm reports its own version and assumes the matching Kubernetes minor in `helm template/lint`.
# -X for a variable a binary does not link is ignored, so one set of flags serves all the binaries.
KUBE_TOOLS_LDFLAGS = -s -w \
  -X k8s.io/component-base/version.gitVersion=$(KUBE_VERSION) \
  -X k8s.io/component-base/version.gitMajor=1 \
  -X k8s.io/component-base/version.gitMinor=$(KUBE_MINOR) \
  -X k8s.io/component-base/version.gitTreeState=clean \
  -X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) \
  -X helm.sh/helm/v3/internal/version.metadata= \
  -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$(KUBE_MINOR) \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$(KUBE_MINOR)

# One `go build` for all of them so the shared packages compile once and links overlap compiles.
# Built into a temporary directory and moved into place, so an interrupted build is never mistaken
# for a finished one. Static (CGO_ENABLED=0), like the upstream release binaries.
kube-tools:
	@dir='$(KUBE_TOOLS_DIR)'; \
	missing=""; for b in $(KUBE_TOOLS_BINARIES); do [ -x "$$dir/$$b" ] || missing="$$missing $$b"; done; \
	if [ -z "$$missing" ]; then echo "kube-tools: up to date in $$dir"; exit 0; fi; \
	command -v go >/dev/null 2>&1 || { echo "kube-tools: 'go' not found; install Go 1.25 or newer (https://go.dev/dl/)" >&2; exit 1; }; \
	echo "kube-tools: building$$missing into $$dir (first build takes several minutes)"; \
	tmp="$$dir.tmp.$$$$"; rm -rf "$$tmp"; mkdir -p "$$dir" "$$tmp" || exit 1; \
	trap 'rm -rf "$$tmp"' EXIT; \
	( cd $(KUBE_TOOLS_MOD) && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS='-mod=readonly -buildvcs=false' \
	  go build -trimpath -ldflags='$(KUBE_TOOLS_LDFLAGS)' -o "$$tmp/" \
	    go.etcd.io/etcd/server/v3 \
	    k8s.io/kubernetes/cmd/kube-apiserver \
	    k8s.io/kubernetes/cmd/kube-controller-manager \
	    k8s.io/kubernetes/cmd/kubelet \
	    k8s.io/kubernetes/cmd/kube-scheduler \
	    k8s.io/kubernetes/cmd/kube-proxy \
	    k8s.io/kubernetes/cmd/kubectl \
	    helm.sh/helm/v3/cmd/helm ) || exit 1; \
	mv "$$tmp/server" "$$tmp/etcd" && \
	for b in $(KUBE_TOOLS_BINARIES); do [ -x "$$tmp/$$b" ] || { echo "kube-tools: $$b was not built" >&2; exit 1; }; done && \
	for b in $(KUBE_TOOLS_BINARIES); do mv -f "$$tmp/$$b" "$$dir/$$b" || exit 1; done && \
	echo "kube-tools: built $(KUBE_TOOLS_BINARIES) in $$dir"

# Prints the directory the binaries live in (for scripts: PATH="$$(make -s kube-tools-dir):$$PATH").
kube-tools-dir:
	@echo '$(KUBE_TOOLS_DIR)'

# Starts etcd + kube-apiserver + kube-controller-manager on loopback (or, with PODS=1, the single-node
# cluster with real pods of `make e2e`), prints the admin KUBECONFIG and keeps running until Ctrl-C,
# then stops everything and removes its temporary directory.
dev-cluster: deps kube-tools $(if $(PODS),node-tools image)
	@RINGCAST_KUBE_TOOLS_DIR='$(KUBE_TOOLS_DIR)' node --import tsx test/helpers/kube-dev-cluster.ts $(if $(PODS),--pods)
