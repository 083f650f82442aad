import { describe, expect, it } from 'vitest';
import { isDatabaseOutage } from './outage.js';

describe('isDatabaseOutage', () => {
  it.each([
    ['a fast restart', { code: '57P01', message: 'terminating connection due to administrator command' }],
    ['a server starting up', { code: '57P03', message: 'the database system is starting up' }],
    ['a lost connection', { code: '08006', message: 'connection failure' }],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
    ['a connection cut mid-statement', new Error('Connection terminated unexpectedly')],
    ['a pool that could not connect in time', new Error('timeout exceeded when trying to connect')],
  ])('is true for %s', (_, err) => {
    expect(isDatabaseOutage(err)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
    ['a syntax error', { code: '42601', message: 'syntax error at or near "selec"' }],
    ['a deadlock', { code: '40P01', message: 'deadlock detected' }],
    ['a plain error', new Error('session is absent')],
    ['nothing', undefined],
  ])('is false for %s', (_, err) => {
    expect(isDatabaseOutage(err)).toBe(false);
  });
});
