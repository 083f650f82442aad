export { type ClientOptions, createClient, type HeadlessKeyClient } from './client.js';
export type * from './contract.js';
export { HeadlessKeyError } from './errors.js';
export type { HttpOptions } from './http.js';
export { type Api, createApi } from './routes.js';
export type { Session } from './session.js';
export type { AuthEvent, AuthListener } from './session-keeper.js';
export { localStorageStore, memoryStore, sessionStorageStore, type TokenStore } from './store.js';
