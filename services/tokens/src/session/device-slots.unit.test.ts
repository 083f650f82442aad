import { describe, expect, it } from 'vitest';
import { planLogin } from './device-slots.js';

const live = [
  { id: 'a', namedDevice: 'laptop', lastSeen: 300 },
  { id: 'b', namedDevice: 'phone', lastSeen: 100 },
  { id: 'c', namedDevice: 'tablet', lastSeen: 200 },
];

describe('device slots', () => {
  it('gives the same device its own slot back, even at the limit', () => {
    expect(planLogin(live, 'phone', 3, 'reject')).toEqual({ kind: 'reopen', sessionId: 'b' });
  });

  it('never reopens for a login that names no device: it is a session of its own, counted as any other', () => {
    const unnamed = [...live.slice(0, 2), { id: 'c', namedDevice: null, lastSeen: 200 }];
    expect(planLogin(unnamed, undefined, 0, 'reject')).toEqual({ kind: 'open', evict: [] });
    expect(planLogin(unnamed, undefined, 3, 'reject')).toEqual({ kind: 'reject' });
    expect(planLogin(unnamed, undefined, 3, 'evict_oldest')).toEqual({ kind: 'open', evict: ['b'] });
  });

  it('opens freely with no limit or room left', () => {
    expect(planLogin(live, 'tv', 0, 'reject')).toEqual({ kind: 'open', evict: [] });
    expect(planLogin(live, 'tv', 4, 'reject')).toEqual({ kind: 'open', evict: [] });
  });

  it('refuses a new device at the limit under reject', () => {
    expect(planLogin(live, 'tv', 3, 'reject')).toEqual({ kind: 'reject' });
  });

  it('ends the least recently used sessions under evict_oldest, down to limit - 1', () => {
    expect(planLogin(live, 'tv', 3, 'evict_oldest')).toEqual({ kind: 'open', evict: ['b'] });
    expect(planLogin(live, 'tv', 1, 'evict_oldest')).toEqual({ kind: 'open', evict: ['b', 'c', 'a'] });
  });
});
