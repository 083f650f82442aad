/** Put in by the build (vite.config.ts) from `@headlesskey/contracts`' EVENT_TYPES, the catalog's one owner. */
declare const __EVENT_TYPES__: readonly string[];
export const EVENT_TYPES: readonly string[] = __EVENT_TYPES__;
