import type { tokensCommands } from '@headlesskey/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api.js';

/** The API's own shapes, as types only: nothing of the contracts' schemas reaches the bundle. */
export type KeyState = tokensCommands.KeyState;
export type KeySource = tokensCommands.KeySource;
/** A signing key as `GET /keys` shows it: never its secret or private part. */
export type KeyView = tokensCommands.KeyView;
export interface KeyList {
  algorithm: string;
  keys: KeyView[];
}
export interface Rotated {
  kid: string;
  alg: string;
  retired: string[];
}
export interface Imported extends Rotated {
  state: KeyState;
}

export const KEYS = ['keys'];

export function useKeys() {
  const api = useApi();
  return useQuery({ queryKey: KEYS, queryFn: () => api.get<KeyList>('/keys') });
}

export function useRotate() {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.send<Rotated>('POST', '/keys/rotate'),
    onSettled: () => queries.invalidateQueries({ queryKey: KEYS }),
  });
}

/**
 * `POST /keys/import`. `read` gives the body when it is sent, so the PEM is never a mutation's
 * variables (which the query client keeps): it lives only in the field and the request.
 */
export function useImportKey(read: () => { algorithm: string; private_key: string; activate: boolean }) {
  const api = useApi();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.send<Imported>('POST', '/keys/import', read()),
    onSettled: () => queries.invalidateQueries({ queryKey: KEYS }),
  });
}
