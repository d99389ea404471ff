import { z } from 'zod';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Relative paths in the environment (DATA_DIR) are taken from the repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The demo password the README publishes: it opens nothing outside demo mode (issue #8). */
export const PUBLISHED_DEMO_PASSWORD = 'Demo-Password-2026';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every environment variable the platform reads. Nothing else reads `process.env`. */
const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Default: 127.0.0.1 in demo mode (its accounts' password is published), else every interface. */
  HOST: z.string().min(1).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Public origin used in e-mailed links. */
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Demo mode: on by default only on the embedded database. */
  DEMO: bool.optional(),
  DEMO_PASSWORD: z.string().min(12).default(PUBLISHED_DEMO_PASSWORD),
  /** 32-byte keys, base64; when unset on the embedded database they are made and kept in DATA_DIR. */
  FIELD_ENCRYPTION_KEY: z
    .string()
    .refine(
      (v) => Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes, base64-encoded (make one: openssl rand -base64 32)',
    )
    .optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  MAIL_FROM: z.string().default('數位人才發展平台 <no-reply@talent.example.gov.tw>'),
  /** Cookies need HTTPS for the `__Host-` prefix; plain http on localhost uses a different name. */
  COOKIE_SECURE: bool.optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  /** Throttling of failed sign-ins; raise for load tests. */
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  SIGNIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Failed sign-ins from one address (any accounts) in the window before that address backs off. */
  SIGNIN_ADDRESS_MAX_FAILURES: z.coerce.number().int().min(1).default(100),
  /** Flood guard (decision 026): requests a minute from one address to each sign-in-family route… */
  RATE_LIMIT_AUTH_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(30),
  /** …and to each other public route. Per process; raise only for load tests. */
  RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(300),
  WEB_DIST: z.string().optional(),
  OUTBOX_WORKER: bool.default(true),
  /** Sessions and list totals cached, kept exact by LISTEN/NOTIFY (decision 014); off behind a transaction-mode pooler. */
  CHANGE_FEED: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize: number;
  demo: boolean;
  demoPassword: string;
  fieldEncryptionKey: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  cookieSecure: boolean;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  signInMaxFailures: number;
  signInLockMinutes: number;
  signInAddressMaxFailures: number;
  rateLimitAuthPerMinute: number;
  rateLimitPublicPerMinute: number;
  webDist: string | undefined;
  outboxWorker: boolean;
  changeFeed: boolean;
  logLevel: string;
  trustProxy: boolean;
};

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Validates the whole environment at once and reports every bad key together. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = Env.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  // Rules across keys, checked on the raw values so they are reported with the others.
  if (env.DATABASE_URL && env.NODE_ENV === 'production' && !env.FIELD_ENCRYPTION_KEY) {
    problems.push(
      'FIELD_ENCRYPTION_KEY: required with DATABASE_URL in production, or the encrypted data is lost ' +
        'with the machine (make one: openssl rand -base64 32)',
    );
  }
  if (!parsed.success || problems.length) throw new ConfigError(problems);
  const e = parsed.data;
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  const demo = e.DEMO ?? !e.DATABASE_URL;
  return {
    env: e.NODE_ENV,
    host: e.HOST ?? (demo ? '127.0.0.1' : '0.0.0.0'),
    port: e.PORT,
    publicUrl,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(REPO_ROOT, e.DATA_DIR),
    poolSize: e.DATABASE_POOL_SIZE,
    demo,
    demoPassword: e.DEMO_PASSWORD,
    fieldEncryptionKey: e.FIELD_ENCRYPTION_KEY,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    cookieSecure: e.COOKIE_SECURE ?? publicUrl.startsWith('https://'),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: e.SESSION_ABSOLUTE_HOURS,
    signInMaxFailures: e.SIGNIN_MAX_FAILURES,
    signInLockMinutes: e.SIGNIN_LOCK_MINUTES,
    signInAddressMaxFailures: e.SIGNIN_ADDRESS_MAX_FAILURES,
    rateLimitAuthPerMinute: e.RATE_LIMIT_AUTH_PER_MINUTE,
    rateLimitPublicPerMinute: e.RATE_LIMIT_PUBLIC_PER_MINUTE,
    webDist: e.WEB_DIST,
    outboxWorker: e.OUTBOX_WORKER,
    changeFeed: e.CHANGE_FEED,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
  };
}
