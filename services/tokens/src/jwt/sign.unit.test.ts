import { CompactSign, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { type Algorithm, fromStored, generateMaterial } from '../keys/key-material.js';
import { joseKey } from './jose-key.js';
import { signToken, type TokenClaimsInput } from './sign.js';

const claims: TokenClaimsInput = {
  user: { ID: 7, user_login: 'ada', user_email: 'ada@example.com', roles: ['subscriber'] } as TokenClaimsInput['user'],
  sessionId: '0d5c2f0e-8a51-4f3b-9d0e-2b1c7a9e4f10',
  jti: '5f0b6f7e-2c3d-4e5f-8a9b-0c1d2e3f4a5b',
  issuedAt: 1_700_000_000,
  expiresAt: 1_700_000_900,
  issuer: 'https://auth.example.com',
  audience: 'https://app.example.com',
  extra: { tenant: 'acme' },
};

const material = (alg: Algorithm) => {
  const { kid, stored } = generateMaterial(alg);
  return fromStored(kid, alg, stored);
};

describe('signToken', () => {
  it('signs HS256 byte for byte as jose does, with the same header and claims', async () => {
    const key = material('HS256');
    const token = await signToken(key, claims);
    const [header, payload] = token.split('.');
    const joseToken = await new CompactSign(Buffer.from(payload!, 'base64url'))
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: key.kid })
      .sign(await joseKey(key.signKey));
    expect(token).toBe(joseToken);
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: key.kid });
  });

  it.each(['HS256', 'RS256', 'ES256'] as const)('%s tokens verify with the key and carry every claim', async (alg) => {
    const key = material(alg);
    const token = await signToken(key, claims);
    expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'JWT', kid: key.kid });
    const { payload } = await jwtVerify(token, await joseKey(key.verifyKey), {
      algorithms: [alg],
      issuer: claims.issuer,
      audience: claims.audience,
      currentDate: new Date((claims.issuedAt + 1) * 1000),
    });
    expect(payload).toEqual({
      tenant: 'acme',
      sid: claims.sessionId,
      email: 'ada@example.com',
      data: { ID: 7, user_login: 'ada', roles: ['subscriber'] },
      iss: claims.issuer,
      aud: claims.audience,
      sub: '7',
      jti: claims.jti,
      iat: claims.issuedAt,
      nbf: claims.issuedAt,
      exp: claims.expiresAt,
    });
  });

  it('lets no extra claim replace a claim it sets', async () => {
    const token = await signToken(material('HS256'), { ...claims, extra: { sub: '1', data: { ID: 1 }, exp: 9_999_999_999 } });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ sub: '7', data: { ID: 7 }, exp: claims.expiresAt });
  });

  it('a changed byte breaks an HS256 signature', async () => {
    const key = material('HS256');
    const [h, p, s] = (await signToken(key, claims)).split('.');
    const tampered = `${h}.${Buffer.from(Buffer.from(p!, 'base64url').toString().replace('"ada"', '"eve"')).toString('base64url')}.${s}`;
    await expect(jwtVerify(tampered, await joseKey(key.verifyKey), { currentDate: new Date(claims.issuedAt * 1000) })).rejects.toThrow(
      /signature/,
    );
  });
});
