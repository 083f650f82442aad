import { type KeyObject, webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

const imported = new WeakMap<KeyObject, Promise<CryptoKey>>();

/**
 * The key as jose should get it. jose caches its conversion of asymmetric KeyObjects but imports
 * an HMAC secret again on every sign and verify; importing it once here halves the cost of an
 * HS256 verify, the hot path of `/token/validate`.
 */
export function joseKey(key: KeyObject): KeyObject | Promise<CryptoKey> {
  if (key.type !== 'secret') return key;
  let cryptoKey = imported.get(key);
  if (!cryptoKey) {
    cryptoKey = webcrypto.subtle.importKey('raw', key.export(), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    imported.set(key, cryptoKey);
  }
  return cryptoKey;
}
