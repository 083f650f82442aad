import pg from 'pg';

export type ReadPool = pg.Pool;

/**
 * A plain connection pool for point reads on the hot path (validate reads one session row per
 * call). It skips the ORM's query builder, which costs about twice the round trip here, and
 * sends named (prepared) statements. Writes still go through the ORM's transactions.
 */
export function openReadPool(url: string, size: number): ReadPool {
  return new pg.Pool({ connectionString: url, max: size, idleTimeoutMillis: 30_000 });
}
