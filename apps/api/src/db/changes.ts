import pg from 'pg';

/**
 * Which tables may have changed since a point in time, for caches that must never serve a value a
 * committed write has made wrong (decision 014). Tables that caches read have a statement trigger
 * (migration 0011) that sends `NOTIFY dtp_changes, '<table>'`; PostgreSQL delivers it at commit to
 * every listening process, so several app processes on one database stay in step.
 *
 * A version is a number that grows: a cache keeps a value with the version it was read at and
 * trusts it while `version(tables)` is unchanged. A table's version moves when:
 * - a notification names it;
 * - this process's own write to it commits (`changed`, called by the pool's client as the COMMIT or
 *   the single statement returns: a reader in this process never waits on the notification);
 * - the listening connection is lost or re-made, which moves every table's (a notification may
 *   have been missed).
 * While the feed is not listening, `version` is null and callers read the database.
 */
export type ChangeFeed = {
  version(tables: readonly string[]): number | null;
  /** This process committed a write to these tables (every table when none are named). */
  changed(tables?: Iterable<string>): void;
  readonly listening: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
};

export const CHANGE_CHANNEL = 'dtp_changes';

export function createChangeFeed(url: string, log: (m: string) => void = () => {}): ChangeFeed {
  let seq = 0;
  /** The sequence number at which everything last changed (touch, connection lost or re-made). */
  let all = 0;
  const changed = new Map<string, number>();
  let client: pg.Client | null = null;
  let listening = false;
  let stopped = true;
  let retry: NodeJS.Timeout | undefined;
  let backoff = 250;

  const everything = () => {
    all = ++seq;
  };

  async function listen(): Promise<void> {
    const c = new pg.Client({ connectionString: url, application_name: 'digital-talent-platform:changes' });
    c.on('notification', (n) => {
      if (n.channel === CHANGE_CHANNEL && n.payload) changed.set(n.payload, ++seq);
    });
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    await c.connect();
    await c.query(`listen ${CHANGE_CHANNEL}`);
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    everything(); // writes made before the LISTEN took effect were not heard
    listening = true;
    backoff = 250;
  }

  function lost(c: pg.Client): void {
    if (client !== c) return;
    client = null;
    listening = false;
    everything();
    if (stopped) return;
    log('The change listener lost its connection; caches read the database until it is back.');
    schedule();
  }

  function schedule(): void {
    clearTimeout(retry);
    retry = setTimeout(() => {
      listen().catch(() => {
        backoff = Math.min(backoff * 2, 10_000);
        if (!stopped) schedule();
      });
    }, backoff);
    retry.unref();
  }

  return {
    version(tables) {
      if (!listening) return null;
      let v = all;
      for (const t of tables) {
        const c = changed.get(t);
        if (c !== undefined && c > v) v = c;
      }
      return v;
    },
    changed(tables) {
      if (!tables) return everything();
      const at = ++seq;
      for (const t of tables) changed.set(t, at);
    },
    get listening() {
      return listening;
    },
    /** Listens; if the server refuses (a pooler without LISTEN, say), retries with backoff, never throws. */
    async start() {
      if (!stopped) return;
      stopped = false;
      await listen().catch((e: unknown) => {
        log(`The change listener could not start (${e instanceof Error ? e.message : String(e)}); retrying.`);
        schedule();
      });
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      listening = false;
      everything();
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}

/**
 * Values read from the database, kept while the tables they were read from have not changed.
 * A value read while a change arrived is returned but not kept. Oldest entries go first past `max`.
 */
export class ChangeCache<V> {
  readonly #entries = new Map<string, { version: number; value: V }>();
  readonly #feed: ChangeFeed;
  readonly #max: number;
  constructor(feed: ChangeFeed, max = 1000) {
    this.#feed = feed;
    this.#max = max;
  }

  async get(key: string, tables: readonly string[], load: () => Promise<V>): Promise<V> {
    const version = this.#feed.version(tables);
    if (version === null) return load();
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = await load();
    if (this.#feed.version(tables) === version) {
      this.#entries.delete(key);
      if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, { version, value });
    }
    return value;
  }
}

/** A cached value frozen all the way down, so that no caller can change what the others share. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
