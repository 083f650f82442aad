/**
 * A baseline HTTP server in a process of its own: `bare` answers a small JSON; `jose` verifies
 * the body's token as the tokens service does (HS256 only, issuer, audience, `typ`, the same
 * required claims and clock tolerance, an HMAC CryptoKey imported once), with no bus and no database.
 * Environment: BENCH_KIND, BENCH_PORT, BENCH_PATH, and for `jose` BENCH_JWT_SECRET, BENCH_JWT_ISSUER,
 * BENCH_JWT_AUDIENCE. Tells the benchmark over IPC once it listens.
 */
import { webcrypto } from 'node:crypto';
import { ajvStringFormats, TokenInBody } from '@headlesskey/contracts';
import Fastify from 'fastify';
import { jwtVerify } from 'jose';
import { exitWithParent } from './children.js';

/** As `services/tokens/src/jwt/verify.ts` asks of every token. */
const REQUIRED = ['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub', 'sid'];
const SKEW_SECONDS = 5;

async function serve(env: NodeJS.ProcessEnv) {
  // The contract's string formats, as the gateway knows them: its schemas name them.
  const app = Fastify({ logger: false, ajv: { customOptions: { formats: ajvStringFormats() } } });
  const path = env.BENCH_PATH ?? '/';
  if (env.BENCH_KIND === 'bare') {
    app.post(path, async () => ({ ok: true }));
    return app;
  }
  const secret = Buffer.from(env.BENCH_JWT_SECRET ?? '', 'utf8');
  const key = await webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
  const options = {
    algorithms: ['HS256'],
    issuer: env.BENCH_JWT_ISSUER ?? '',
    audience: env.BENCH_JWT_AUDIENCE ?? '',
    typ: 'JWT',
    requiredClaims: REQUIRED,
    clockTolerance: SKEW_SECONDS,
  };
  app.post<{ Body: { token?: string } }>(path, { schema: { body: TokenInBody } }, async (request, reply) => {
    try {
      const { payload } = await jwtVerify(request.body.token ?? '', key, options);
      return { valid: true, data: payload };
    } catch (err) {
      return reply.code(401).send({ valid: false, reason: (err as Error).message });
    }
  });
  return app;
}

exitWithParent();
const app = await serve(process.env);
await app.listen({ host: '127.0.0.1', port: Number(process.env.BENCH_PORT) });
process.send?.({ ready: true });
