import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config.ts';
import { AppError } from '../lib/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `'auth'`: a route that takes a password, makes an account or sends mail (sign-in, sign-up,
     * password reset, resend verification, opening an unverified mailbox) gets the tighter flood
     * limit. Only meaningful on a `public` route.
     */
    floodGuard?: 'auth';
  }
}

/**
 * The flood guard (decision 026): a per-process, per-address request limit on every route declared
 * `access: 'public'` (so a new public route is covered without a line of its own), tighter on the
 * sign-in family. It is a coarse guard in front of the sign-in back-off in PostgreSQL (decision 021),
 * which stays the rule across processes. Signed-in routes are not limited here.
 *
 * Register on the root instance before any route: the limit is derived from `config.access` when a
 * route is added.
 */
export const rateLimitPlugin = fp(async (app: FastifyInstance, opts: { config: Config }) => {
  const { config } = opts;
  // Runs before the plugin's own onRoute hook (added below), which reads `config.rateLimit`.
  app.addHook('onRoute', (route: RouteOptions) => {
    const c = route.config;
    if (c?.access !== 'public' || c.rateLimit !== undefined) return;
    const max = c.floodGuard === 'auth' ? config.rateLimitAuthPerMinute : config.rateLimitPublicPerMinute;
    route.config = { ...c, rateLimit: { max, timeWindow: 60_000 } };
  });
  await app.register(rateLimit, {
    global: false,
    // The default key: Fastify's request.ip (the client's address when TRUST_PROXY is on behind a
    // proxy), an IPv6 address taken by its /64 (one subscriber's whole block).
    // Counters kept per route; enough for many distinct addresses before the oldest are dropped.
    cache: 20_000,
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    errorResponseBuilder: (_req, ctx) =>
      new AppError('LIMIT_EXCEEDED', 'too many requests', {
        reason: 'RATE_LIMITED',
        params: { retryAfterSeconds: Math.max(1, Math.ceil(ctx.ttl / 1000)) },
      }),
  });
});
