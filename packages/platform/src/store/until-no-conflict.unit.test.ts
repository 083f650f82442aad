import { describe, expect, it } from 'vitest';
import { ConcurrencyError, untilNoConflict } from './event-store.js';

const sqlError = (code: string) => Object.assign(new Error(code), { code });

describe('untilNoConflict', () => {
  it.each([
    ['a concurrent append', () => new ConcurrencyError('moved')],
    ['a deadlock the server broke', () => sqlError('40P01')],
    ['a serialization failure', () => sqlError('40001')],
  ])('runs the attempt again after %s', async (_, conflict) => {
    const attempts: number[] = [];
    const result = await untilNoConflict(async (n) => {
      attempts.push(n);
      if (n < 3) throw conflict();
      return 'done';
    });
    expect(result).toBe('done');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up after eight attempts, with the last conflict', async () => {
    let attempts = 0;
    const failed = untilNoConflict(async () => {
      attempts += 1;
      throw sqlError('40P01');
    });
    await expect(failed).rejects.toMatchObject({ code: '40P01' });
    expect(attempts).toBe(8);
  });

  it('never runs again after any other error', async () => {
    let attempts = 0;
    const failed = untilNoConflict(async () => {
      attempts += 1;
      throw sqlError('23505');
    });
    await expect(failed).rejects.toMatchObject({ code: '23505' });
    expect(attempts).toBe(1);
  });
});
