import { describe, expect, it } from 'vitest';
import { FORGET_AFTER_MS, recentReplicas } from './replicas.js';

describe('recent replicas', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, pass: (ms: number) => (t += ms) };
  };

  it('offers the replica whose answer came last, then the next freshest not yet tried', () => {
    const c = clock();
    const replicas = recentReplicas(c.now);
    replicas.answered('tokens', 'a');
    c.pass(1);
    replicas.answered('tokens', 'b');
    c.pass(1);
    replicas.answered('tokens', 'a');
    expect(replicas.next('tokens', new Set())).toBe('a');
    expect(replicas.next('tokens', new Set(['a']))).toBe('b');
    expect(replicas.next('tokens', new Set(['a', 'b']))).toBeUndefined();
  });

  it('keeps each service to its own replicas', () => {
    const replicas = recentReplicas();
    replicas.answered('tokens', 'a');
    expect(replicas.next('identity', new Set())).toBeUndefined();
  });

  it('forgets a replica that has gone, and one silent for too long', () => {
    const c = clock();
    const replicas = recentReplicas(c.now);
    replicas.answered('tokens', 'a');
    replicas.answered('tokens', 'b');
    replicas.gone('tokens', 'b');
    expect(replicas.next('tokens', new Set())).toBe('a');
    c.pass(FORGET_AFTER_MS + 1);
    expect(replicas.next('tokens', new Set())).toBeUndefined();
  });
});
