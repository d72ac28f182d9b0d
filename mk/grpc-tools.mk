# grpcurl for the gRPC API tests, pinned in test/grpc-tools/go.mod and built like kube-tools (mk/kube.mk) into
# $${XDG_CACHE_HOME:-$$HOME/.cache}/ringcast/grpc-tools/<tag>/ (RINGCAST_GRPC_TOOLS_DIR overrides).
# test/helpers/grpc-tools-path.ts computes the same path; keep the two in step.
.PHONY: grpc-tools grpc-tools-dir

GRPC_TOOLS_MOD := test/grpc-tools
GRPCURL_VERSION = $(shell awk '$$1 == "github.com/fullstorydev/grpcurl" && $$2 ~ /^v/ { print $$2; exit }' $(GRPC_TOOLS_MOD)/go.mod)
GRPC_TOOLS_HASH = $(shell cat $(GRPC_TOOLS_MOD)/go.mod $(GRPC_TOOLS_MOD)/go.sum | sha256sum | cut -c1-8)
GRPC_TOOLS_TAG = grpcurl-$(GRPCURL_VERSION)_$(GRPC_TOOLS_HASH)
GRPC_TOOLS_DIR = $(or $(RINGCAST_GRPC_TOOLS_DIR),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ringcast/grpc-tools/$(GRPC_TOOLS_TAG))

grpc-tools:
	@dir='$(GRPC_TOOLS_DIR)'; \
	if [ -x "$$dir/grpcurl" ]; then echo "grpc-tools: up to date in $$dir"; exit 0; fi; \
	command -v go >/dev/null 2>&1 || { echo "grpc-tools: 'go' not found; install Go 1.25 or newer (https://go.dev/dl/)" >&2; exit 1; }; \
	echo "grpc-tools: building grpcurl into $$dir"; \
	tmp="$$dir.tmp.$$$$"; rm -rf "$$tmp"; mkdir -p "$$dir" "$$tmp" || exit 1; \
	trap 'rm -rf "$$tmp"' EXIT; \
	( cd $(GRPC_TOOLS_MOD) && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS='-mod=readonly -buildvcs=false' \
	  go build -trimpath -ldflags='-s -w -X main.version=$(GRPCURL_VERSION)' -o "$$tmp/" github.com/fullstorydev/grpcurl/cmd/grpcurl ) || exit 1; \
	mv -f "$$tmp/grpcurl" "$$dir/grpcurl" && echo "grpc-tools: built grpcurl in $$dir"

grpc-tools-dir:
	@echo '$(GRPC_TOOLS_DIR)'
