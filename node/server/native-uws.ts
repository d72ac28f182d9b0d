import { createRequire } from 'node:module';
import type * as UwsTypes from 'uWebSockets.js';

/** Raised when only uWebSockets.js's slow JavaScript fallback is available; the node refuses to start. */
export class NativeUwsUnavailableError extends Error {
  readonly code = 'UWS_NOT_NATIVE';
  constructor(reason: string, options?: { cause?: unknown }) {
    super(
      `uWebSockets.js native build is not available (${reason}). Ringcast runs only on the native build: ` +
        `the installed uWebSockets.js package needs a binary for ${process.platform}-${process.arch} and Node.js ` +
        `ABI ${process.versions.modules} (${process.version}); see the README on which package serves which ` +
        'Node.js, and unset UWS_USE_FALLBACK.',
      options,
    );
    this.name = 'NativeUwsUnavailableError';
  }
}

export type Uws = typeof UwsTypes;

/**
 * Loads uWebSockets.js and proves the native addon loaded. The republished package silently falls back to a
 * `ws`-based imitation when its binary does not load or UWS_USE_FALLBACK is set; that must never serve.
 */
export function loadNativeUws(env: Record<string, string | undefined> = process.env): Uws {
  const fallbackFlag = env['UWS_USE_FALLBACK'];
  if (fallbackFlag && ['1', 'true', 'True', 'TRUE'].includes(fallbackFlag)) {
    throw new NativeUwsUnavailableError('UWS_USE_FALLBACK is set');
  }
  const require = createRequire(import.meta.url);
  let uws: Uws;
  try {
    uws = require('uWebSockets.js') as Uws;
  } catch (err) {
    throw new NativeUwsUnavailableError('the package failed to load', { cause: err });
  }
  if (!isNativeFunction(uws.App)) throw new NativeUwsUnavailableError('uWS.App is not native code');
  return uws;
}

export function isNativeFunction(fn: unknown): boolean {
  return typeof fn === 'function' && /\{\s*\[native code\]\s*\}\s*$/.test(Function.prototype.toString.call(fn));
}
