import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkTarget, guardedLookup, RefusedTarget, type Resolver } from './guard.js';

/** A resolver that answers from a table: no network. */
const table =
  (entries: Record<string, LookupAddress[]>): Resolver =>
  async (host) => {
    const found = entries[host];
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found;
  };

const resolve = table({
  'public.example': [{ address: '93.184.216.34', family: 4 }],
  'dual.example': [
    { address: '93.184.216.34', family: 4 },
    { address: '2606:2800:220:1::1', family: 6 },
  ],
  'internal.example': [{ address: '10.0.0.5', family: 4 }],
  'mixed.example': [
    { address: '93.184.216.34', family: 4 },
    { address: '127.0.0.1', family: 4 },
  ],
  'metadata.example': [{ address: 'fe80::1', family: 6 }],
  'imds.example': [{ address: '169.254.169.254', family: 4 }],
  'imds6.example': [{ address: 'fd00:ec2::254', family: 6 }],
});
const guarded = { allowPrivate: false, resolve };

describe('checkTarget', () => {
  it('allows a host whose every address is public', async () => {
    expect(await checkTarget('https://public.example/hook', guarded)).toEqual({ ok: true });
    expect(await checkTarget('https://dual.example/hook', guarded)).toEqual({ ok: true });
    expect(await checkTarget('http://93.184.216.34/hook', guarded)).toEqual({ ok: true });
  });

  it('refuses literal internal addresses in any spelling', async () => {
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://0x7f.1/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://0.0.0.0/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://100.64.0.1/',
    ]) {
      expect(await checkTarget(url, guarded), url).toMatchObject({ ok: false, reason: expect.stringMatching(/^url points to /) });
    }
  });

  it('refuses a host when any of its addresses is internal', async () => {
    expect(await checkTarget('https://internal.example/', guarded)).toEqual({
      ok: false,
      reason: 'url names a host that resolves to 10.0.0.5, a private address.',
    });
    expect(await checkTarget('https://mixed.example/', guarded)).toMatchObject({ ok: false });
    expect(await checkTarget('https://metadata.example/', guarded)).toMatchObject({ ok: false });
  });

  it('refuses a host that does not resolve', async () => {
    expect(await checkTarget('https://nowhere.example/', guarded)).toEqual({
      ok: false,
      reason: 'url names a host that does not resolve.',
    });
  });

  it('checks the form even when the address rule is lifted, and nothing more', async () => {
    expect(await checkTarget('http://127.0.0.1:9/', { allowPrivate: true, resolve })).toEqual({ ok: true });
    expect(await checkTarget('ftp://127.0.0.1/', { allowPrivate: true, resolve })).toMatchObject({ ok: false });
    expect(await checkTarget('http://a:b@127.0.0.1/', { allowPrivate: true, resolve })).toMatchObject({ ok: false });
    expect(await checkTarget('https://internal.example/', { allowPrivate: true, resolve })).toEqual({ ok: true });
    expect(await checkTarget('https://nowhere.example/', { allowPrivate: true, resolve })).toEqual({ ok: true });
  });

  it('refuses cloud metadata addresses even when the address rule is lifted, in every spelling', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/',
      'http://0xa9fea9fe/',
      'http://0251.0376.0251.0376/',
      'http://169.254.43518/',
      'http://[::ffff:169.254.169.254]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[fd00:ec2::254]/',
      'http://169.254.170.2/v2/credentials',
      'https://imds.example/',
      'https://imds6.example/',
    ]) {
      for (const allowPrivate of [false, true]) {
        expect(await checkTarget(url, { allowPrivate, resolve }), url).toMatchObject({
          ok: false,
          reason: expect.stringMatching(/metadata/),
        });
      }
    }
  });
});

describe('guardedLookup', () => {
  const lookup = guardedLookup(guarded);
  const call = (host: string, options: { all?: boolean; family?: number }) =>
    new Promise<{ err: Error | null; address: unknown; family?: number }>((done) =>
      lookup(host, options, (err, address, family) => done({ err, address, family })),
    );

  it('answers only the addresses it checked', async () => {
    expect(await call('public.example', {})).toEqual({ err: null, address: '93.184.216.34', family: 4 });
    expect(await call('dual.example', { all: true })).toMatchObject({
      err: null,
      address: [{ address: '93.184.216.34' }, { address: '2606:2800:220:1::1' }],
    });
    expect(await call('dual.example', { family: 6 })).toEqual({ err: null, address: '2606:2800:220:1::1', family: 6 });
  });

  it('refuses the connection when any address is internal', async () => {
    const { err } = await call('mixed.example', { all: true });
    expect(err).toBeInstanceOf(RefusedTarget);
    expect(err?.message).toBe('refused: mixed.example resolves to 127.0.0.1, a loopback address');
    expect((await call('internal.example', {})).err).toBeInstanceOf(RefusedTarget);
  });

  it('refuses a metadata address even when the address rule is lifted', async () => {
    const open = guardedLookup({ allowPrivate: true, resolve });
    const err = await new Promise<Error | null>((done) => open('imds.example', {}, (e) => done(e)));
    expect(err).toBeInstanceOf(RefusedTarget);
    expect(err?.message).toBe('refused: imds.example resolves to 169.254.169.254, a cloud metadata address');
    expect(await new Promise((done) => open('internal.example', {}, (e, address) => done(e ?? address)))).toBe('10.0.0.5');
  });

  it('passes a resolution failure on', async () => {
    expect((await call('nowhere.example', {})).err).toMatchObject({ code: 'ENOTFOUND' });
  });
});
