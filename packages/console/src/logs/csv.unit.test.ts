import { describe, expect, it } from 'vitest';
import { field, LOG_COLUMNS, logCsv, toCsv } from './csv.js';
import type { LogEntry } from './entry.js';

const entry = (over: Partial<LogEntry>): LogEntry => ({
  id: '01a24f3e-0000-705b-961e-a361dd5db893',
  occurred_at: '2026-12-07T06:43:13.514Z',
  event: 'auth.login.failed',
  user_id: 2,
  user_login: 'ada',
  ip: '127.0.0.1',
  user_agent: 'curl/8.5.0',
  device: { browser: null, os: null, type: 'unknown' },
  outcome: 'failure',
  trace_id: null,
  data: { reason: 'invalid_credentials' },
  ...over,
});

describe('the log as CSV', () => {
  it('quotes every field and doubles quotes inside, as RFC 4180 writes them', () => {
    expect(toCsv([['a', 'say "hi"', 'x,y', 'two\r\nlines', 7, null]])).toBe('"a","say ""hi""","x,y","two\r\nlines","7",""\r\n');
    expect(toCsv([])).toBe('');
  });

  it('neutralises a field a spreadsheet would run as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(field(`${start}HYPERLINK("http://x")`)).toBe(`"'${start}HYPERLINK(""http://x"")"`);
    }
    // Only at the start: inside a field they are text to a spreadsheet.
    expect(field('a=1+2-3@x')).toBe('"a=1+2-3@x"');
    expect(field("'quoted")).toBe(`"'quoted"`);
  });

  it('writes a header and one row per entry, newest first, nothing left out', () => {
    const older = entry({ id: 'a', occurred_at: '2026-12-07T06:00:00.000Z' });
    const newer = entry({
      id: 'b',
      user_login: '=cmd|"/c calc"!A1',
      user_agent: '<img src=x onerror=alert(1)>',
      device: { browser: 'Chrome 120', os: 'Windows 10', type: 'desktop' },
      trace_id: '25390ae1d6e95916ed56b83d1347e051',
      data: { display_name: 'Ada, "the first"' },
    });
    const lines = logCsv([older, newer]).split('\r\n');
    expect(lines[0]).toBe(LOG_COLUMNS.map((c) => `"${c}"`).join(','));
    expect(lines[1]).toBe(
      [
        '"b"',
        '"2026-12-07T06:43:13.514Z"',
        '"auth.login.failed"',
        '"failure"',
        '"2"',
        `"'=cmd|""/c calc""!A1"`,
        '"127.0.0.1"',
        '"Chrome 120"',
        '"Windows 10"',
        '"desktop"',
        '"<img src=x onerror=alert(1)>"',
        '"25390ae1d6e95916ed56b83d1347e051"',
        '"{""display_name"":""Ada, \\""the first\\""""}"',
      ].join(','),
    );
    expect(lines[2]).toMatch(/^"a","2026-12-07T06:00:00.000Z",.*,"","\{""reason"":""invalid_credentials""\}"$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
  });
});
