import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse, RouteOptions } from 'fastify';
import { inject } from 'vitest';
import type { GrantFunction, Role, ScopeKind } from '@dtp/contracts';
import { buildApp } from '../src/app.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { connect, type Database, type Db } from '../src/db/client.ts';
import { accounts, agencies, auditLog, authSessions, grants, outbox } from '../src/db/schema/index.ts';
import { decryptField, keyRingFrom, sha256, type KeyRing } from '../src/lib/crypto.ts';
import { newId, newToken } from '../src/lib/ids.ts';
import { hashPassword } from '../src/lib/passwords.ts';
import './provided.ts';

export const TEST_PASSWORD = 'Correct-Horse-Battery-9';
/** What a sign-up sends with the §8 notice: its version and the required purpose agreed. */
export const SIGN_UP_CONSENTS = { noticeVersion: 1, consents: { programme_administration: true } };

let dbCounter = 0;

/** A clock that runs with real time plus an offset the test moves forward. */
export type TestClock = { now: () => Date; advance: (ms: number) => void; reset: () => void };
export function makeClock(): TestClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance: (ms) => {
      offset += ms;
    },
    reset: () => {
      offset = 0;
    },
  };
}

export type GrantSpec = {
  role: Role;
  scopeKind?: ScopeKind;
  scopeId?: string | null;
  function?: GrantFunction | null;
};

export type TestAccount = {
  id: string;
  email: string;
  displayName: string;
  password: string | undefined;
  grants: { id: string; role: Role; scopeKind: ScopeKind; scopeId: string | null }[];
};

export type TestSession = {
  token: string;
  sessionId: string;
  cookie: string;
  csrf: string;
  /** Headers for `app.inject`: the session cookie and the CSRF token. */
  headers: { cookie: string; 'x-csrf-token': string };
};

/** What `as` sends: a method, a URL, and optionally a JSON body, headers and the client address. */
export type TestRequest = {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
  remoteAddress?: string | undefined;
};

export type TestApp = {
  app: FastifyInstance;
  db: Db;
  database: Database;
  config: Config;
  keys: KeyRing;
  clock: TestClock;
  /** The database made for this test file. */
  databaseName: string;
  close(): Promise<void>;
  createAgency(opts?: { code?: string; name?: string }): Promise<{ id: string; code: string }>;
  createAccount(opts?: {
    roles?: Role[];
    grants?: GrantSpec[];
    email?: string;
    displayName?: string;
    verified?: boolean;
    /** Hashed (argon2, slow-ish) only when given: pass one only when the test signs in through the API. */
    password?: string;
    status?: 'active' | 'disabled';
    locale?: 'zh-TW' | 'en';
    calendar?: 'roc' | 'gregorian';
  }): Promise<TestAccount>;
  signInAs(
    account: { id: string },
    opts?: { stage?: 'signed_in' | 'mfa_required' | 'mfa_enrolment_required' },
  ): Promise<TestSession>;
  /** `app.inject` with a session's cookie and CSRF token. */
  as(session: TestSession | null, opts: TestRequest): Promise<LightMyRequestResponse>;
  auditRows(where?: { action?: string; targetId?: string }): Promise<(typeof auditLog.$inferSelect)[]>;
  outboxRows(to?: string): Promise<(typeof outbox.$inferSelect)[]>;
};

export const uniqueEmail = (prefix = 'user') =>
  `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}@example.com`;

/** The default scope of a role in tests: agency staff need an agency, enterprise staff an enterprise id. */
function defaultScope(role: Role): ScopeKind {
  switch (role) {
    case 'admin':
    case 'pmo':
      return 'global';
    case 'agency':
      return 'agency';
    case 'enterprise':
      return 'enterprise';
    default:
      return 'self';
  }
}

async function createDatabaseFromTemplate(): Promise<{ name: string; url: string }> {
  const adminUrl = inject('pgAdminUrl');
  const template = inject('pgTemplate');
  const name = `dtp_t_${inject('pgRunId')}_${process.pid}_${++dbCounter}_${randomBytes(3).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`,
    );
  } finally {
    await client.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return { name, url: u.toString() };
}

async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

/**
 * A whole app on a database of its own, copied from the migrated template. One per test file
 * (call in `beforeAll`); tests make their own rows with the factories.
 */
export async function createTestApp(
  opts: {
    env?: Record<string, string>;
    poolSize?: number;
    clock?: TestClock;
    onRoute?: (route: RouteOptions) => void;
    /** Where the request log goes (tests of what is logged); by default nothing is logged. */
    logStream?: NodeJS.WritableStream;
  } = {},
): Promise<TestApp> {
  const { name, url } = await createDatabaseFromTemplate();
  const database = connect(url, opts.poolSize ?? 5, inject('pgMode'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dtp-test-data-'));
  const keyMaterial = randomBytes(32).toString('base64');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    FIELD_ENCRYPTION_KEY: keyMaterial,
    DEMO: 'false',
    PUBLIC_URL: 'http://localhost:3000',
    WEB_DIST: path.join(dataDir, 'no-web'),
    OUTBOX_WORKER: 'false',
    // Every test's requests come from a handful of addresses within seconds: the flood guard
    // (decision 026) is raised here; src/rate-limit.test.ts asks for the defaults.
    RATE_LIMIT_AUTH_PER_MINUTE: '1000000',
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    ...opts.env,
  });
  const keys = keyRingFrom(keyMaterial);
  const clock = opts.clock ?? makeClock();
  const app = await buildApp({
    config,
    database,
    keys,
    now: clock.now,
    onRoute: opts.onRoute,
    logStream: opts.logStream,
  });
  await app.ready();
  const { db } = database;

  const t: TestApp = {
    app,
    db,
    database,
    config,
    keys,
    clock,
    databaseName: name,
    async close() {
      await app.close();
      await database.close();
      await dropDatabase(name).catch(() => {});
      fs.rmSync(dataDir, { recursive: true, force: true });
    },

    async createAgency(o = {}) {
      const id = newId();
      const code = o.code ?? `AG-${randomBytes(4).toString('hex').toUpperCase()}`;
      await db.insert(agencies).values({ id, code, name: { 'zh-TW': o.name ?? `測試單位 ${code}` } });
      return { id, code };
    },

    async createAccount(o = {}) {
      const id = newId();
      const email = (o.email ?? uniqueEmail()).toLowerCase();
      const displayName = o.displayName ?? '測試帳號';
      const specs: GrantSpec[] = o.grants ?? (o.roles ?? []).map((role) => ({ role }));
      const made: TestAccount['grants'] = [];
      const rows: (typeof grants.$inferInsert)[] = [];
      for (const s of specs) {
        const scopeKind = s.scopeKind ?? defaultScope(s.role);
        let scopeId = s.scopeId ?? null;
        if (scopeId === null && scopeKind === 'agency') scopeId = (await t.createAgency()).id;
        if (scopeId === null && scopeKind !== 'global' && scopeKind !== 'self') scopeId = newId();
        const gid = newId();
        rows.push({ id: gid, accountId: id, role: s.role, scopeKind, scopeId, function: s.function ?? null });
        made.push({ id: gid, role: s.role, scopeKind, scopeId });
      }
      await db.insert(accounts).values({
        id,
        email,
        displayName,
        passwordHash: o.password ? await hashPassword(o.password) : null,
        status: o.status ?? 'active',
        locale: o.locale ?? 'zh-TW',
        calendar: o.calendar ?? 'roc',
        emailVerifiedAt: o.verified === false ? null : new Date(),
      });
      if (rows.length) await db.insert(grants).values(rows);
      return { id, email, displayName, password: o.password, grants: made };
    },

    async signInAs(account, o = {}) {
      const token = newToken();
      const csrf = newToken(24);
      const sessionId = newId();
      const now = clock.now();
      await db.insert(authSessions).values({
        id: sessionId,
        tokenHash: sha256(token),
        accountId: account.id,
        stage: o.stage ?? 'signed_in',
        csrfToken: csrf,
        ip: '127.0.0.1',
        userAgent: 'vitest',
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + config.sessionAbsoluteHours * 3_600_000),
      });
      const cookie = `dtp_session=${token}`;
      return { token, sessionId, cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } };
    },

    as(session, o) {
      const { remoteAddress, ...rest } = o;
      return app.inject({
        ...rest,
        ...(remoteAddress ? { remoteAddress } : {}),
        headers: { ...(session ? session.headers : {}), ...(o.headers ?? {}) },
      } as InjectOptions) as Promise<LightMyRequestResponse>;
    },

    async auditRows(w = {}) {
      const conds = [
        w.action ? eq(auditLog.action, w.action) : undefined,
        w.targetId ? eq(auditLog.targetId, w.targetId) : undefined,
      ].filter(Boolean);
      return db
        .select()
        .from(auditLog)
        .where(conds.length ? sql.join(conds as never[], sql` and `) : undefined)
        .orderBy(auditLog.at, auditLog.id);
    },

    async outboxRows(to) {
      return db
        .select()
        .from(outbox)
        .where(to ? eq(outbox.toAddress, to.toLowerCase()) : undefined)
        .orderBy(outbox.createdAt, outbox.id);
    },
  };
  return t;
}

/**
 * The token in the link of the newest e-mail to `to` (`…/verify-email?token=…`). The stored body
 * holds a placeholder (decision 020): the link is read from the encrypted secret, as the worker does.
 */
export async function tokenFromMail(t: TestApp, to: string, pathPart: string): Promise<string> {
  const rows = await t.outboxRows(to);
  for (const row of rows.reverse()) {
    const text =
      row.secretEnc && row.secretKeyId ? decryptField(t.keys, row.secretKeyId, row.secretEnc) : row.bodyText;
    const m = text.match(new RegExp(`${pathPart}\\?token=([^\\s]+)`));
    if (m) return decodeURIComponent(m[1]!);
  }
  throw new Error(`no ${pathPart} link in mail to ${to}`);
}

/** The `error` of a response's error body: `code`, `reason`, `fields[]`, … */
export const errorOf = (res: LightMyRequestResponse) =>
  (
    res.json() as {
      error: {
        code: string;
        reason?: string;
        message: string;
        params?: Record<string, unknown>;
        fields?: { field: string; issue: string; params?: Record<string, unknown> }[];
        requestId?: string;
      };
    }
  ).error;

/** The session cookie set by a response, as a `cookie` header value. */
export function sessionCookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((k) => k.name === 'dtp_session');
  if (!c) throw new Error('no session cookie set');
  return `dtp_session=${c.value}`;
}

let ipCounter = 0;
/** A fresh client address, so per-address sign-in throttling of one test never reaches another. */
export const freshIp = () => `10.${(process.pid >> 8) & 255}.${process.pid & 255}.${++ipCounter % 250}`;

/**
 * Signs in through the API (`POST /api/auth/sign-in`) and reads the CSRF token from `GET /me`.
 * Returns the response of the sign-in and, when a session cookie was set, the session headers.
 */
export async function signInViaApi(
  t: TestApp,
  email: string,
  password: string,
  ip = freshIp(),
): Promise<{ res: LightMyRequestResponse; session: TestSession | null; stage: string | undefined }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email, password },
    remoteAddress: ip,
  });
  if (res.statusCode !== 200) return { res, session: null, stage: undefined };
  const cookie = sessionCookieFrom(res);
  const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  const csrf = (me.json() as { csrfToken: string }).csrfToken;
  const token = cookie.slice('dtp_session='.length);
  const [row] = await t.db
    .select({ id: authSessions.id })
    .from(authSessions)
    .where(eq(authSessions.tokenHash, sha256(token)));
  return {
    res,
    stage: (res.json() as { stage: string }).stage,
    session: { token, sessionId: row!.id, cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } },
  };
}
