import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import type { Role } from '@dtp/contracts';
import type { Actor, Deps, RequestContext } from '../context.ts';
import { accounts, authSessions } from '../db/schema/index.ts';
import { AppError, forbidden, unauthorized } from '../lib/errors.ts';
import { sha256 } from '../lib/crypto.ts';
import { ChangeCache } from '../db/changes.ts';

/**
 * Who may call a route, declared on every route as `config.access`:
 * - `public`: anyone;
 * - `partial`: a signed-in account at any sign-in stage (MFA still to do);
 * - `signed-in`: a fully signed-in account, whatever its grants;
 * - a list of roles: a fully signed-in account holding one of them.
 * Scope (which agency, enterprise, …) is checked by the service's policy and answers 404.
 */
export type Access = 'public' | 'partial' | 'signed-in' | readonly Role[];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    actor: Actor | null;
    ctx: RequestContext;
  }
}

export const sessionCookieName = (secure: boolean) => (secure ? '__Host-dtp_session' : 'dtp_session');
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOUCH_EVERY_MS = 60_000;

/** The session lookup every request makes: built once per database, run as a prepared statement. */
type ActorQuery = ReturnType<typeof actorQuery>;
type SessionRow = Awaited<ReturnType<ActorQuery['execute']>>[number] | null;
const lookups = new WeakMap<Deps['database'], { query: ActorQuery; cache: ChangeCache<SessionRow> }>();
/** The tables a session row is read from: any change to them drops every cached row (decision 014). */
const SESSION_TABLES = ['auth_sessions', 'accounts', 'grants'] as const;
function actorQuery(db: Deps['database']['db']) {
  return db
    .select({
      sessionId: authSessions.id,
      stage: authSessions.stage,
      csrfToken: authSessions.csrfToken,
      lastSeenAt: authSessions.lastSeenAt,
      expiresAt: authSessions.expiresAt,
      revokedAt: authSessions.revokedAt,
      accountId: accounts.id,
      email: accounts.email,
      displayName: accounts.displayName,
      locale: accounts.locale,
      calendar: accounts.calendar,
      status: accounts.status,
      // One round trip per request: the grants come along as JSON.
      grants: sql<Actor['grants']>`coalesce((select json_agg(json_build_object('id', g.id, 'role', g.role,
        'scopeKind', g.scope_kind, 'scopeId', g.scope_id, 'function', g.function) order by g.created_at, g.id)
        from grants g where g.account_id = ${accounts}.id and g.revoked_at is null), '[]'::json)`,
    })
    .from(authSessions)
    .innerJoin(accounts, eq(accounts.id, authSessions.accountId))
    .where(eq(authSessions.tokenHash, sql.placeholder('tokenHash')))
    .prepare('dtp_load_actor');
}

/**
 * The actor of a session token, or null. The row is read once and kept while the session, account
 * and grant tables are unchanged (a revocation, a new grant or the touch below drops it); expiry and the
 * idle limit are judged on every request against the clock.
 */
export async function loadActor(deps: Deps, token: string): Promise<Actor | null> {
  const { database } = deps;
  const now = deps.now();
  let lookup = lookups.get(database);
  if (!lookup) {
    lookup = { query: actorQuery(database.db), cache: new ChangeCache<SessionRow>(database.changes, 10_000) };
    lookups.set(database, lookup);
  }
  const { query, cache } = lookup;
  const tokenHash = sha256(token);
  const row = await cache.get(tokenHash, SESSION_TABLES, async () => {
    const [found] = await query.execute({ tokenHash });
    return found ?? null;
  });
  if (!row || row.revokedAt || row.status !== 'active') return null;
  const idleLimit = row.lastSeenAt.getTime() + deps.config.sessionIdleMinutes * 60_000;
  if (now.getTime() > row.expiresAt.getTime() || now.getTime() > idleLimit) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await database.db.update(authSessions).set({ lastSeenAt: now }).where(eq(authSessions.id, row.sessionId));
  }
  return {
    accountId: row.accountId,
    email: row.email,
    displayName: row.displayName,
    locale: row.locale,
    calendar: row.calendar,
    sessionId: row.sessionId,
    stage: row.stage,
    csrfToken: row.csrfToken,
    grants: row.grants,
  };
}

/** The checks of one route's `access` against the request's actor. Exported for the matrix test. */
export function checkAccess(
  access: Access,
  actor: Actor | null,
  staleCookie = false,
): { grantId: string | null } {
  if (access === 'public') return { grantId: null };
  // A cookie whose session ended (timed out, revoked, signed out elsewhere) says so.
  if (!actor) throw unauthorized(staleCookie ? 'SESSION_EXPIRED' : undefined);
  if (access === 'partial') return { grantId: null };
  if (actor.stage !== 'signed_in') {
    throw unauthorized(actor.stage === 'mfa_required' ? 'MFA_REQUIRED' : 'MFA_ENROLMENT_REQUIRED');
  }
  if (access === 'signed-in') return { grantId: actor.grants[0]?.id ?? null };
  const grant = actor.grants.find((g) => access.includes(g.role));
  if (!grant) throw forbidden();
  return { grantId: grant.id };
}

export const authPlugin = fp(async (app: FastifyInstance, opts: { deps: Deps }) => {
  const { deps } = opts;
  const cookieName = sessionCookieName(deps.config.cookieSecure);
  app.decorateRequest('actor', null);
  app.decorateRequest('ctx', null as unknown as RequestContext);

  // Every API route must say who may call it; a route without `access` fails at start-up.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api/') && !route.config?.access && !route.url.startsWith('/api/docs')) {
      if (route.url === '/api/openapi.json') return;
      throw new Error(`route ${route.method} ${route.url} declares no access`);
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    req.ctx = { actorAccountId: null, grantId: null, ip: req.ip ?? null, requestId: String(req.id) };
    const token = req.cookies[cookieName];
    if (!token) return;
    req.actor = await loadActor(deps, token);
    if (req.actor) req.ctx.actorAccountId = req.actor.accountId;
  });

  // Before validation: a caller who may not call the route learns nothing about its input rules.
  app.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    const access = req.routeOptions.config?.access;
    if (!access) return;
    if (UNSAFE.has(req.method)) {
      const origin = req.headers.origin;
      if (origin && !sameOrigin(origin, req, deps.config.publicUrl)) {
        throw new AppError('FORBIDDEN', 'cross-origin request refused', { reason: 'CSRF_INVALID' });
      }
      // A request riding a session cookie must echo the session's CSRF token.
      if (req.actor && req.headers['x-csrf-token'] !== req.actor.csrfToken) {
        throw new AppError('FORBIDDEN', 'missing or wrong CSRF token', { reason: 'CSRF_INVALID' });
      }
    }
    const { grantId } = checkAccess(access, req.actor, !req.actor && !!req.cookies[cookieName]);
    req.ctx.grantId = grantId;
    void reply;
  });
});

function sameOrigin(origin: string, req: FastifyRequest, publicUrl: string): boolean {
  if (origin === new URL(publicUrl).origin) return true;
  const host = req.headers.host;
  return !!host && (origin === `http://${host}` || origin === `https://${host}`);
}
