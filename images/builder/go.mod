// The registry-free image assembler behind `make image`: stacks layer tarballs into an image with a
// config (entrypoint, user, env) and writes a docker-archive that `ctr images import`, `docker load`
// and `kind load image-archive` read. Built by mk/image.mk into the user cache.
module ringcast.dev/images/builder

go 1.25.0

require github.com/google/go-containerregistry v0.22.1

require (
	github.com/klauspost/compress v1.19.2 // indirect
	github.com/opencontainers/go-digest v1.0.0 // indirect
	github.com/opencontainers/image-spec v1.1.1 // indirect
)
