export { HeadlessKeyError } from '../errors.js';
export { bearerVerifier, type ErrorBody, expressGuard, fastifyGuard, type RequestLike, refusalOf } from './guard.js';
export { type JwksOptions, jwksKeys, type KeySource, secretKey } from './keys.js';
export { createVerifier, type TokenClaims, type Verifier, type VerifyOptions, verifyToken } from './verify.js';
