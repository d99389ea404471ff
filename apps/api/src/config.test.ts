import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has working defaults for a newcomer (embedded database, demo on)', () => {
    const c = loadConfig({});
    expect(c.env).toBe('development');
    expect(c.port).toBe(3000);
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.databaseUrl).toBeUndefined();
    expect(c.demo).toBe(true);
    expect(c.cookieSecure).toBe(false);
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.signInMaxFailures).toBe(5);
    expect(c.sessionIdleMinutes).toBe(30);
  });

  it('listens on 127.0.0.1 in demo mode unless HOST is set; on every interface otherwise (issue #8)', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ DEMO: 'true', DATABASE_URL: 'postgres://u@h/db' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ DEMO: 'false' }).host).toBe('0.0.0.0');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db' }).host).toBe('0.0.0.0');
  });

  it('turns demo off by default on an external database and HTTPS on secure cookies', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://u@h/db', PUBLIC_URL: 'https://talent.example.gov.tw' });
    expect(c.demo).toBe(false);
    expect(c.cookieSecure).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@h/db', DEMO: 'yes' }).demo).toBe(true);
  });

  it('coerces numbers and booleans', () => {
    const c = loadConfig({
      PORT: '8080',
      OUTBOX_WORKER: '0',
      TRUST_PROXY: 'true',
      SIGNIN_MAX_FAILURES: '50',
    });
    expect(c.port).toBe(8080);
    expect(c.outboxWorker).toBe(false);
    expect(c.trustProxy).toBe(true);
    expect(c.signInMaxFailures).toBe(50);
  });

  it('reports every bad key at once', () => {
    let err: unknown;
    try {
      loadConfig({
        NODE_ENV: 'staging',
        PORT: '70000',
        DATABASE_URL: 'mysql://x',
        SMTP_URL: 'http://mail',
        PUBLIC_URL: 'not a url',
        DEMO: 'maybe',
        DEMO_PASSWORD: 'short',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(
      ['DATABASE_URL', 'DEMO', 'DEMO_PASSWORD', 'NODE_ENV', 'PORT', 'PUBLIC_URL', 'SMTP_URL'].sort(),
    );
    expect((err as ConfigError).message).toContain('DATABASE_URL: must be a postgres:// URL');
    expect((err as ConfigError).message).toContain('SMTP_URL: must be an smtp:// or smtps:// URL');
  });
  it('reports a rule across keys and a bad key value together with the others', () => {
    const problems = (() => {
      try {
        loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', PORT: 'abc' });
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    })();
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['FIELD_ENCRYPTION_KEY', 'PORT']);
    expect(problems.join('\n')).toContain('openssl rand -base64 32');
    expect(() => loadConfig({ FIELD_ENCRYPTION_KEY: 'c2hvcnQ=' })).toThrow(
      /FIELD_ENCRYPTION_KEY: must be 32 bytes, base64-encoded/,
    );
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', FIELD_ENCRYPTION_KEY: key })
        .fieldEncryptionKey,
    ).toBe(key);
  });
});
