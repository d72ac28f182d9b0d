# Container images. `make image` builds them here without Docker or a registry (images/build-local-images.ts):
#   .cache/images/ringcast.tar  images.invalid/ringcast:dev  Node.js 24 + native uWebSockets.js, Debian 13 base
#   .cache/images/redis.tar     images.invalid/redis:dev     the host's Debian redis-server and its libraries
#   .cache/images/pause.tar     images.invalid/pause:ringcast the pod sandbox program (node-tools)
# `make image-docker` builds the user-facing images/Dockerfile with Docker instead.
.PHONY: image image-app image-builder image-docker

IMAGE_BUILDER_MOD := images/builder
IMAGE_BUILDER_HASH = $(shell cat $(IMAGE_BUILDER_MOD)/go.mod $(IMAGE_BUILDER_MOD)/go.sum $(IMAGE_BUILDER_MOD)/main.go | sha256sum | cut -c1-8)
IMAGE_BUILDER_DIR = $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/ringcast/image-builder/$(IMAGE_BUILDER_HASH)
IMAGE_ASSEMBLE = $(IMAGE_BUILDER_DIR)/ringcast-image-assemble
IMAGE_OUT_DIR := .cache/images
IMAGE_DOCKER_TAG ?= ringcast:dev

image-builder:
	@[ -x '$(IMAGE_ASSEMBLE)' ] && exit 0; \
	command -v go >/dev/null 2>&1 || { echo "image-builder: 'go' not found; install Go 1.25 or newer" >&2; exit 1; }; \
	mkdir -p '$(IMAGE_BUILDER_DIR)' && \
	( cd $(IMAGE_BUILDER_MOD) && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS='-mod=readonly -buildvcs=false' \
	  go build -trimpath -ldflags='-s -w' -o '$(IMAGE_ASSEMBLE).tmp' . ) && \
	mv -f '$(IMAGE_ASSEMBLE).tmp' '$(IMAGE_ASSEMBLE)' && echo "image-builder: built $(IMAGE_ASSEMBLE)"

image: build system-deps image-builder node-tools
	@node --import tsx images/build-local-images.ts --assemble '$(IMAGE_ASSEMBLE)' \
	  --pause '$(NODE_TOOLS_DIR)/pause' --out-dir $(IMAGE_OUT_DIR)

# Ringcast and Redis only (kind brings its own pause image; no node-tools needed).
image-app: build system-deps image-builder
	@node --import tsx images/build-local-images.ts --assemble '$(IMAGE_ASSEMBLE)' \
	  --only ringcast,redis --out-dir $(IMAGE_OUT_DIR)

image-docker:
	docker build -f images/Dockerfile -t $(IMAGE_DOCKER_TAG) .
