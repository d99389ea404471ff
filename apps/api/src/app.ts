import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Deps } from './context.ts';
import type { KeyRing } from './lib/crypto.ts';
import { newId } from './lib/ids.ts';
import { authPlugin } from './plugins/auth.ts';
import { errorHandlerPlugin } from './plugins/error-handler.ts';
import { rateLimitPlugin } from './plugins/rate-limit.ts';
import { accountsRoutes, createAccountsService } from './modules/accounts/index.ts';
import { auditPersonalData, auditRoutes, createAuditService } from './modules/audit/index.ts';
import { accountPersonalData, authRoutes, createAuthService } from './modules/auth/index.ts';
import { APP_VERSION, healthRoutes } from './modules/health/index.ts';
import { createOutboxService, outboxPersonalData, outboxRoutes } from './modules/outbox/index.ts';
import {
  createPersonalDataService,
  personalDataRoutes,
  rightsPersonalData,
} from './modules/personal-data/index.ts';
import { createPersonalDataProviders } from './lib/personal-data.ts';
import { createSettingsService, settingsRoutes } from './modules/settings/index.ts';
import { createProgrammeService, programmeRoutes } from './modules/programme/index.ts';
import { createReferenceService, referenceRoutes } from './modules/reference/index.ts';
import {
  createEnterpriseImportKind,
  createIdentityService,
  createPersonImportKind,
  createRegistryService,
  identityRoutes,
  registryPersonalData,
  registryRoutes,
} from './modules/registry/index.ts';
import { createKpiService, createMetricRegistry, kpiRoutes } from './modules/kpi/index.ts';
import { createImportsService, importsRoutes } from './modules/imports/index.ts';

export type AppOptions = {
  config: Config;
  database: Database;
  keys: KeyRing;
  now?: () => Date;
  /** Whether this process works the outbox (tests drive it by hand). */
  startWorkers?: boolean;
  /** Called for every route as it is registered (the access-matrix test lists them). */
  onRoute?: (route: RouteOptions) => void;
  /** Where the log goes (default standard output); given, the log is on even in tests. */
  logStream?: NodeJS.WritableStream;
};

/**
 * Query-string keys whose values are logged as they are: paging, sorting and formats, never a
 * search term or a cursor (which holds the last row's sort key, such as a name). A value is kept
 * only when it looks harmless too (a small number, or lowercase words), so an ID never passes.
 */
const LOGGED_QUERY_KEYS = new Set([
  'limit',
  'sort',
  'order',
  'dir',
  'format',
  'year',
  'quarter',
  'by',
  'level',
]);
const HARMLESS_VALUE = /^(\d{1,6}|[a-z_.,-]{1,40})$/;

/** A URL for the log: every query value replaced by `[redacted]` but the allow-listed harmless ones. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url
    .slice(q + 1)
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 0) return part;
      const key = part.slice(0, eq);
      const value = part.slice(eq + 1);
      if (value === '') return part;
      let decoded: string;
      try {
        decoded = decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        decoded = value;
      }
      return LOGGED_QUERY_KEYS.has(key) && HARMLESS_VALUE.test(decoded) ? part : `${key}=[redacted]`;
    });
  return `${url.slice(0, q)}?${parts.join('&')}`;
}

const defaultWebDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/** Builds the whole platform as a Fastify instance; never listens. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  const deps: Deps = {
    config,
    database: opts.database,
    keys: opts.keys,
    now: opts.now ?? (() => new Date()),
  };
  const logged = opts.logStream !== undefined || config.env !== 'test';
  const app = Fastify({
    logger: logged
      ? {
          level: config.logLevel,
          ...(opts.logStream ? { stream: opts.logStream } : {}),
          // Query strings carry search terms (an ID number, a name): only harmless values are logged.
          serializers: {
            req: (req: {
              method: string;
              url: string;
              host?: string;
              ip?: string;
              socket?: { remotePort?: number };
            }) => ({
              method: req.method,
              url: redactUrl(req.url),
              host: req.host,
              remoteAddress: req.ip,
              remotePort: req.socket?.remotePort,
            }),
          },
        }
      : false,
    genReqId: () => newId(),
    trustProxy: config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  if (opts.onRoute) app.addHook('onRoute', opts.onRoute);
  if (!config.trustProxy) {
    // Behind a proxy that is not trusted, every client has the proxy's address, so the per-address
    // sign-in limit is shared by everyone (decision 021): say so once, at the first such request.
    let warned = false;
    app.addHook('onRequest', async (req) => {
      if (warned || req.headers['x-forwarded-for'] === undefined) return;
      warned = true;
      app.log.warn(
        'A request arrived with X-Forwarded-For while TRUST_PROXY is off: client addresses are the ' +
          "proxy's, so every client shares one per-address sign-in limit. Set TRUST_PROXY=true behind a reverse proxy.",
      );
    });
  }
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        upgradeInsecureRequests: config.cookieSecure ? [] : null,
      },
    },
    strictTransportSecurity: config.cookieSecure,
  });
  // API responses carry personal data: no cache (shared or the browser's) may keep them. A route
  // that sets its own Cache-Control keeps it; the web app's files are outside /api.
  app.addHook('onSend', async (req, reply) => {
    if (
      (req.url === '/api' || req.url.startsWith('/api/') || req.url.startsWith('/api?')) &&
      !reply.hasHeader('cache-control')
    )
      reply.header('cache-control', 'no-store');
  });
  await app.register(cookie);
  await app.register(errorHandlerPlugin);
  await app.register(swagger, {
    openapi: {
      info: {
        title: '數位人才發展平台 API',
        version: APP_VERSION,
        description: 'Digital Talent Development Platform',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'dtp_session' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(authPlugin, { deps });
  // Before any route: public routes get their flood limit from their `access` (decision 026).
  await app.register(rateLimitPlugin, { config });
  // Caches (sessions, list totals) are trusted only while the change feed listens (decision 014).
  if (config.changeFeed) await opts.database.changes.start();

  const settings = createSettingsService(deps);
  const reference = createReferenceService(deps, settings);
  const metrics = createMetricRegistry();
  const programme = createProgrammeService(deps, { isMeasured: metrics.isMeasured });
  const kpi = createKpiService(deps, { programme, reference, metrics });
  const registry = createRegistryService(deps, kpi);
  const identity = createIdentityService(deps, kpi);
  const imports = createImportsService(deps, [
    createPersonImportKind(deps, kpi),
    createEnterpriseImportKind(kpi),
  ]);
  // What each module holds about a person (個資法 §3): a later module registers its own here.
  const personalDataProviders = createPersonalDataProviders();
  for (const p of [
    accountPersonalData,
    registryPersonalData,
    rightsPersonalData,
    outboxPersonalData,
    auditPersonalData,
  ])
    personalDataProviders.register(p);
  const personalData = createPersonalDataService(deps, {
    identity,
    registry,
    providers: personalDataProviders,
  });
  // A sign-up makes a new person (never takes over an existing record) with the consents given.
  const auth = createAuthService(deps, settings, {
    afterSignUp: async (tx, ctx, account, input) => {
      const personId = await identity.createPersonForAccount(tx, ctx, account);
      await personalData.recordConsents(tx, ctx, {
        personId,
        noticeVersion: input.noticeVersion,
        consents: input.consents,
        source: 'sign_up',
      });
    },
  });
  const accounts = createAccountsService(deps, auth);
  const audit = createAuditService(deps);
  const outbox = createOutboxService(deps);
  // Every module has registered its metrics; facts of new or changed ones are built from the records.
  await kpi.rebuildStaleMetrics();

  app.get('/api/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, async () =>
    app.swagger(),
  );
  await app.register(healthRoutes, { prefix: '/api', deps });
  await app.register(authRoutes, { prefix: '/api/auth', auth, deps });
  await app.register(accountsRoutes, { prefix: '/api', accounts });
  await app.register(auditRoutes, { prefix: '/api', audit });
  await app.register(settingsRoutes, { prefix: '/api', settings });
  await app.register(outboxRoutes, {
    prefix: '/api',
    outbox,
    mailboxOwner: (ctx, input) => auth.unverifiedMailboxOwner(ctx, input),
  });
  await app.register(referenceRoutes, { prefix: '/api/reference', reference });
  await app.register(programmeRoutes, { prefix: '/api', programme });
  await app.register(registryRoutes, { prefix: '/api', registry });
  await app.register(kpiRoutes, { prefix: '/api', kpi });
  await app.register(identityRoutes, { prefix: '/api', identity });
  await app.register(personalDataRoutes, { prefix: '/api', personalData });
  await app.register(importsRoutes, { prefix: '/api', imports });

  // In production the API serves the built web app: one process, one port. Unknown /api paths and
  // other methods answer the JSON 404; other GETs get the app's index.html (client-side routes).
  const webDist = config.webDist ?? defaultWebDist;
  const indexPath = path.join(webDist, 'index.html');
  const indexHtml = fs.existsSync(indexPath) ? fs.readFileSync(indexPath, 'utf8') : null;
  if (indexHtml)
    await app.register(fastifyStatic, { root: webDist, wildcard: false, index: false, maxAge: '1h' });
  app.setNotFoundHandler((req, reply) => {
    if (indexHtml && req.method === 'GET' && !req.url.startsWith('/api/')) {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
    }
    return reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: 'not found', requestId: String(req.id) } });
  });

  if (opts.startWorkers && config.outboxWorker) {
    outbox.startWorker();
    app.addHook('onClose', async () => outbox.stopWorker());
  }
  // Import validation runs in the process that received the upload; the worker also picks up jobs
  // of a process that died (expired leases) and marks commits it left behind as interrupted.
  if (opts.startWorkers) imports.startWorker();
  app.addHook('onClose', async () => imports.stop());
  app.decorate('services', {
    settings,
    auth,
    accounts,
    audit,
    outbox,
    reference,
    programme,
    registry,
    kpi,
    identity,
    personalData,
    imports,
  });
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: {
      settings: ReturnType<typeof createSettingsService>;
      auth: ReturnType<typeof createAuthService>;
      accounts: ReturnType<typeof createAccountsService>;
      audit: ReturnType<typeof createAuditService>;
      outbox: ReturnType<typeof createOutboxService>;
      reference: ReturnType<typeof createReferenceService>;
      programme: ReturnType<typeof createProgrammeService>;
      registry: ReturnType<typeof createRegistryService>;
      kpi: ReturnType<typeof createKpiService>;
      identity: ReturnType<typeof createIdentityService>;
      personalData: ReturnType<typeof createPersonalDataService>;
      imports: ReturnType<typeof createImportsService>;
    };
  }
}
