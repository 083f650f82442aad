import { HeadlessKeyError } from '../errors.js';
import { createVerifier, type TokenClaims, type VerifyOptions } from './verify.js';

/** What a guard reads of a request: its headers, as Node, Fastify and Express give them. */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
}

/** The error body HeadlessKey answers (docs/api.md, Errors), for a guard's refusal. */
export interface ErrorBody {
  code: string;
  message: string;
  data: Record<string, unknown> & { status: number };
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * The claims of a request's `Authorization: Bearer` token, verified; a refusal is a
 * `HeadlessKeyError` (`headlesskey_unauthorized` without a token).
 */
export function bearerVerifier(opts: VerifyOptions): (request: RequestLike) => Promise<TokenClaims> {
  const verify = createVerifier(opts);
  return (request) => {
    const header = request.headers.authorization;
    const token = BEARER.exec(typeof header === 'string' ? header : '')?.[1];
    if (!token)
      return Promise.reject(new HeadlessKeyError('headlesskey_unauthorized', 401, 'Send a token as Authorization: Bearer <token>.'));
    return verify(token);
  };
}

/** A refusal as HeadlessKey's own answer would be: status, `WWW-Authenticate` on a 401, and the body. */
export function refusalOf(err: unknown): { status: number; headers: Record<string, string>; body: ErrorBody } {
  const e =
    err instanceof HeadlessKeyError ? err : new HeadlessKeyError('headlesskey_internal_error', 500, 'An unexpected error occurred.');
  const status = e.status || 503;
  return {
    status,
    headers: status === 401 ? { 'www-authenticate': 'Bearer' } : {},
    body: { code: e.code, message: e.message, data: { ...e.data, status } },
  };
}

type Refusal = ReturnType<typeof refusalOf>;

/** The step both guards share: the claims put on `request.user`, or the refusal to answer with. */
function userGuard(opts: VerifyOptions) {
  const verify = bearerVerifier(opts);
  return async (request: RequestLike & { user?: TokenClaims }): Promise<Refusal | undefined> => {
    try {
      request.user = await verify(request);
      return undefined;
    } catch (err) {
      return refusalOf(err);
    }
  };
}

interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(body: unknown): unknown;
}

/**
 * A Fastify `preHandler`: the verified claims go to `request.user`; a request without a valid
 * token is answered 401 (503 when the server could not be asked) and goes no further.
 */
export function fastifyGuard(opts: VerifyOptions) {
  const guard = userGuard(opts);
  return async (request: RequestLike & { user?: TokenClaims }, reply: FastifyLikeReply) => {
    const refusal = await guard(request);
    if (refusal) return reply.code(refusal.status).headers(refusal.headers).send(refusal.body);
  };
}

interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  set(values: Record<string, string>): ExpressLikeResponse;
  json(body: unknown): unknown;
}

/** The same as Express middleware: `app.use(expressGuard({ issuer, audience, jwksUrl }))`. */
export function expressGuard(opts: VerifyOptions) {
  const guard = userGuard(opts);
  return (request: RequestLike & { user?: TokenClaims }, response: ExpressLikeResponse, next: (err?: unknown) => void) => {
    void guard(request).then((refusal) => {
      if (refusal) response.status(refusal.status).set(refusal.headers).json(refusal.body);
      else next();
    }, next);
  };
}
