/**
 * A timestamp column as ISO 8601 UTC text. The ORM's driver hands timestamps over as PostgreSQL
 * writes them, unparsed, so every query that returns one formats it here.
 */
export const iso = (column: string): string => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
