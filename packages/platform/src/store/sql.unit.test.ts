import { describe, expect, it } from 'vitest';
import { positional } from './sql.js';

describe('positional', () => {
  it('numbers each placeholder in order', () => {
    expect(positional('select * from t where a = ? and b in (select jsonb_array_elements_text(?::jsonb))')).toBe(
      'select * from t where a = $1 and b in (select jsonb_array_elements_text($2::jsonb))',
    );
  });

  it('leaves question marks inside quoted literals and identifiers alone', () => {
    expect(positional(`select '?' as "why?", ? as x where y = 'it''s ?'`)).toBe(`select '?' as "why?", $1 as x where y = 'it''s ?'`);
  });

  it('keeps a statement without placeholders as it is', () => {
    expect(positional("update sessions set status = 'ended'")).toBe("update sessions set status = 'ended'");
  });
});
