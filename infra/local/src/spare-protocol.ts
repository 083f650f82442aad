/** Set in a spare's environment: it waits for a `SpareStart` before running its service. */
export const SPARE_ENV = 'HEADLESSKEY_SPARE';

/** What the supervisor sends a spare to make it a replica: that replica's environment. */
export interface SpareStart {
  env: Record<string, string>;
}

/** What a spare tells the supervisor once it has loaded its modules. */
export interface SpareLoaded {
  loaded: true;
}
