import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createDb, DatabaseUnavailableError } from './client.ts';

/** A local port nothing listens on. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });

describe('createDb with DATABASE_URL', () => {
  it('says which server it could not reach and what to do, without the password', async () => {
    const port = await closedPort();
    const err = await createDb({
      databaseUrl: `postgres://app:s3cret-pw@127.0.0.1:${port}/dtp`,
      dataDir: '/nonexistent',
      poolSize: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain(`Cannot use the PostgreSQL server in DATABASE_URL (127.0.0.1:${port}/dtp)`);
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('unset DATABASE_URL to use the embedded server');
    expect(message).not.toContain('s3cret-pw');
  });
});
