/**
 * Where the client keeps its session between page loads: any object with these three methods,
 * each allowed to answer at once or with a promise (a server cookie, IndexedDB, native storage).
 * Values are strings; the client writes JSON.
 */
export interface TokenStore {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
  remove(key: string): void | Promise<void>;
}

/** Kept in this page's memory only: gone on reload, never shared with another tab. The default. */
export function memoryStore(): TokenStore {
  const values = new Map<string, string>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    remove: (key) => void values.delete(key),
  };
}

/**
 * `sessionStorage`: survives reloads, one session per tab (a duplicated tab starts with a copy).
 * Falls back to memory where there is none (Node, edge runtimes, storage blocked).
 */
export function sessionStorageStore(): TokenStore {
  return webStorage('sessionStorage');
}

/**
 * `localStorage`: survives reloads and restarts and is shared by every tab of the origin, so the
 * tabs share one session, refreshed once for all. Readable by any script on the origin: keep the
 * origin free of scripts you do not trust (a strict Content-Security-Policy).
 */
export function localStorageStore(): TokenStore {
  return webStorage('localStorage');
}

function webStorage(name: 'sessionStorage' | 'localStorage'): TokenStore {
  let storage: Storage | undefined;
  try {
    // Reading the property itself throws where storage is blocked (sandboxed frames, some privacy modes).
    storage = (globalThis as { [k: string]: unknown })[name] as Storage | undefined;
  } catch {
    storage = undefined;
  }
  if (!storage) return memoryStore();
  const store = storage;
  return {
    get: (key) => store.getItem(key),
    set: (key, value) => store.setItem(key, value),
    remove: (key) => store.removeItem(key),
  };
}
