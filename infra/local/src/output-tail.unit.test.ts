import { describe, expect, it } from 'vitest';
import { OutputTail } from './output-tail.js';

describe('OutputTail', () => {
  it('keeps only the last lines, joining chunks split mid-line', () => {
    const tail = new OutputTail(2);
    tail.write('one\ntw');
    tail.write('o\nthree\nfo');
    expect(tail.text()).toBe('two\nthree\nfo');
  });

  it('cuts a huge line instead of keeping all of it', () => {
    const tail = new OutputTail();
    tail.write(`${'x'.repeat(10_000)}\n`);
    expect(tail.text().length).toBeLessThan(2_100);
  });
});
