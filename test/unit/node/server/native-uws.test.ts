import { describe, expect, it } from 'vitest';
import { NativeUwsUnavailableError, isNativeFunction, loadNativeUws } from '../../../../node/server/native-uws.js';

describe('uWebSockets.js loading', () => {
  it('loads the native build: uWS.App is native code, not the ws-based fallback', () => {
    const uws = loadNativeUws({});
    expect(isNativeFunction(uws.App)).toBe(true);
    expect(Function.prototype.toString.call(uws.App)).toContain('[native code]');
  });

  it('refuses to start when UWS_USE_FALLBACK asks for the JavaScript imitation', () => {
    expect(() => loadNativeUws({ UWS_USE_FALLBACK: '1' })).toThrow(NativeUwsUnavailableError);
    expect(() => loadNativeUws({ UWS_USE_FALLBACK: 'true' })).toThrow(/UWS_USE_FALLBACK/);
  });

  it('tells JavaScript functions from native ones', () => {
    expect(isNativeFunction(() => 1)).toBe(false);
    expect(isNativeFunction(function App() {})).toBe(false);
    expect(isNativeFunction(Math.max)).toBe(true);
    expect(isNativeFunction(undefined)).toBe(false);
  });
});
