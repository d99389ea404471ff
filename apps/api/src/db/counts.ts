import { getTableName, type SQL, type Table } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { ChangeCache } from './changes.ts';
import type { Database } from './client.ts';

const dialect = new PgDialect();
const caches = new WeakMap<Database['changes'], ChangeCache<number>>();

/**
 * The `n` of a counting query (`select count(*)::int as n …`), kept until one of the tables it
 * reads changes (decision 014): a list's total is its dearest part (up to TOTAL_CAP rows read),
 * and the same filter is asked for page after page. Name every table the query reads.
 */
export async function countOf(database: Database, tables: readonly Table[], query: SQL): Promise<number> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  let cache = caches.get(database.changes);
  if (!cache) caches.set(database.changes, (cache = new ChangeCache<number>(database.changes)));
  return cache.get(`${text}\u0000${JSON.stringify(params)}`, tables.map(getTableName), async () => {
    const r = await database.pool.query<{ n: number }>(text, params);
    return r.rows[0]?.n ?? 0;
  });
}
