import { afterEach, describe, expect, it, vi } from 'vitest';
import { localStorageStore, memoryStore, sessionStorageStore } from './store.js';

/** A Storage of the Web Storage API, in memory. */
function fakeStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (i) => [...values.keys()][i] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, String(value)),
  };
}

const globals = globalThis as { localStorage?: Storage; sessionStorage?: Storage };

describe('stores', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    delete globals.localStorage;
    delete globals.sessionStorage;
  });

  it('memoryStore keeps values per store', async () => {
    const a = memoryStore();
    await a.set('k', 'v');
    expect(await a.get('k')).toBe('v');
    expect(await memoryStore().get('k')).toBeUndefined();
    await a.remove('k');
    expect(await a.get('k')).toBeUndefined();
  });

  it('sessionStorageStore and localStorageStore write through to the browser’s storage', async () => {
    globals.localStorage = fakeStorage();
    globals.sessionStorage = fakeStorage();
    await localStorageStore().set('k', 'local');
    await sessionStorageStore().set('k', 'session');
    expect(globals.localStorage.getItem('k')).toBe('local');
    expect(await localStorageStore().get('k')).toBe('local');
    expect(await sessionStorageStore().get('k')).toBe('session');
    await localStorageStore().remove('k');
    expect(globals.localStorage.getItem('k')).toBeNull();
  });

  it('fall back to memory where there is no storage, or reading it throws', async () => {
    // Node 25 has a localStorage of its own (22 and 24 behind --experimental-webstorage).
    vi.stubGlobal('localStorage', undefined);
    const store = localStorageStore();
    await store.set('k', 'v');
    expect(await store.get('k')).toBe('v');
    Object.defineProperty(globalThis, 'sessionStorage', {
      configurable: true,
      get() {
        throw new DOMException('blocked', 'SecurityError');
      },
    });
    const blocked = sessionStorageStore();
    await blocked.set('k', 'v');
    expect(await blocked.get('k')).toBe('v');
  });
});
