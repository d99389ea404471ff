import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  AuthSessionInfo,
  ChangePasswordInput,
  EmailInput,
  Me,
  MfaCodeInput,
  MfaEnrolment,
  Ok,
  RecoveryCodes,
  ResetPasswordInput,
  SignInInput,
  SignInResult,
  SignUpInput,
  TokenInput,
  UpdateMeInput,
} from '@dtp/contracts';
import type { Actor, Deps } from '../../context.ts';
import { sessionCookieName } from '../../plugins/auth.ts';
import type { AuthService } from './auth.service.ts';

const tags = ['auth'];
const ok = { ok: true } as const;
const actorOf = (a: Actor | null): Actor => a!; // the route's access guarantees a session

export const authRoutes: FastifyPluginAsyncZod<{ auth: AuthService; deps: Deps }> = async (
  app,
  { auth, deps },
) => {
  const cookie = sessionCookieName(deps.config.cookieSecure);
  const setSession = (reply: FastifyReply, token: string) =>
    reply.setCookie(cookie, token, {
      path: '/',
      httpOnly: true,
      secure: deps.config.cookieSecure,
      sameSite: 'lax',
      maxAge: deps.config.sessionAbsoluteHours * 3600,
    });

  app.post(
    '/sign-up',
    {
      schema: { operationId: 'signUp', tags, body: SignUpInput, response: { 201: Ok } },
      config: { access: 'public', floodGuard: 'auth' },
    },
    async (req, reply) => {
      await auth.signUp(req.ctx, req.body);
      return reply.status(201).send(ok);
    },
  );

  app.post(
    '/verify-email',
    {
      schema: { operationId: 'verifyEmail', tags, body: TokenInput, response: { 200: Ok } },
      config: { access: 'public' },
    },
    async (req) => {
      await auth.verifyEmail(req.ctx, req.body.token);
      return ok;
    },
  );

  app.post(
    '/resend-verification',
    {
      schema: { operationId: 'resendVerification', tags, body: EmailInput, response: { 200: Ok } },
      config: { access: 'public', floodGuard: 'auth' },
    },
    async (req) => {
      await auth.resendVerification(req.body.email);
      return ok;
    },
  );

  app.post(
    '/sign-in',
    {
      schema: { operationId: 'signIn', tags, body: SignInInput, response: { 200: SignInResult } },
      config: { access: 'public', floodGuard: 'auth' },
    },
    async (req, reply) => {
      if (req.actor) await auth.signOut(req.ctx, req.actor); // a new sign-in always gets a new session
      const session = await auth.signIn(req.ctx, req.body, req.headers['user-agent'] ?? null);
      setSession(reply, session.token);
      return { stage: session.stage };
    },
  );

  app.post(
    '/mfa/verify',
    {
      schema: { operationId: 'verifyMfa', tags, body: MfaCodeInput, response: { 200: SignInResult } },
      config: { access: 'partial' },
    },
    async (req) => auth.verifyMfa(req.ctx, actorOf(req.actor), req.body.code),
  );

  app.post(
    '/mfa/enrolment',
    {
      schema: { operationId: 'startMfaEnrolment', tags, response: { 200: MfaEnrolment } },
      config: { access: 'partial' },
    },
    async (req) => auth.startMfaEnrolment(req.ctx, actorOf(req.actor)),
  );

  app.post(
    '/mfa/enrolment/confirm',
    {
      schema: {
        operationId: 'confirmMfaEnrolment',
        tags,
        body: MfaCodeInput,
        response: { 200: RecoveryCodes },
      },
      config: { access: 'partial' },
    },
    async (req) => auth.confirmMfaEnrolment(req.ctx, actorOf(req.actor), req.body.code),
  );

  app.post(
    '/mfa/disable',
    {
      schema: { operationId: 'disableMfa', tags, body: MfaCodeInput, response: { 200: Ok } },
      config: { access: 'signed-in' },
    },
    async (req) => {
      await auth.disableMfa(req.ctx, actorOf(req.actor), req.body.code);
      return ok;
    },
  );

  app.post(
    '/mfa/recovery-codes',
    {
      schema: {
        operationId: 'regenerateRecoveryCodes',
        tags,
        body: MfaCodeInput,
        response: { 200: RecoveryCodes },
      },
      config: { access: 'signed-in' },
    },
    async (req) => auth.regenerateRecoveryCodes(req.ctx, actorOf(req.actor), req.body.code),
  );

  app.post(
    '/sign-out',
    { schema: { operationId: 'signOut', tags, response: { 200: Ok } }, config: { access: 'partial' } },
    async (req, reply) => {
      await auth.signOut(req.ctx, actorOf(req.actor));
      reply.clearCookie(cookie, { path: '/' });
      return ok;
    },
  );

  app.post(
    '/password/forgot',
    {
      schema: { operationId: 'forgotPassword', tags, body: EmailInput, response: { 200: Ok } },
      config: { access: 'public', floodGuard: 'auth' },
    },
    async (req) => {
      await auth.forgotPassword(req.body.email);
      return ok;
    },
  );

  app.post(
    '/password/reset',
    {
      schema: { operationId: 'resetPassword', tags, body: ResetPasswordInput, response: { 200: Ok } },
      config: { access: 'public', floodGuard: 'auth' },
    },
    async (req) => {
      await auth.resetPassword(req.ctx, req.body);
      return ok;
    },
  );

  app.post(
    '/password/change',
    {
      schema: { operationId: 'changePassword', tags, body: ChangePasswordInput, response: { 200: Ok } },
      config: { access: 'signed-in' },
    },
    async (req) => {
      await auth.changePassword(req.ctx, actorOf(req.actor), req.body);
      return ok;
    },
  );

  app.get(
    '/me',
    { schema: { operationId: 'getMe', tags, response: { 200: Me } }, config: { access: 'partial' } },
    async (req) => auth.getMe(actorOf(req.actor)),
  );

  app.patch(
    '/me',
    {
      schema: { operationId: 'updateMe', tags, body: UpdateMeInput, response: { 200: Me } },
      config: { access: 'signed-in' },
    },
    async (req) => {
      await auth.updateMe(req.ctx, actorOf(req.actor), req.body);
      return auth.getMe(actorOf(req.actor));
    },
  );

  app.get(
    '/sessions',
    {
      schema: { operationId: 'listMySessions', tags, response: { 200: z.array(AuthSessionInfo) } },
      config: { access: 'signed-in' },
    },
    async (req) => auth.listMySessions(actorOf(req.actor)),
  );

  app.delete(
    '/sessions/:id',
    {
      schema: {
        operationId: 'revokeMySession',
        tags,
        params: z.object({ id: z.uuid() }),
        response: { 200: Ok },
      },
      config: { access: 'signed-in' },
    },
    async (req) => {
      await auth.revokeMySession(req.ctx, actorOf(req.actor), req.params.id);
      return ok;
    },
  );
};
