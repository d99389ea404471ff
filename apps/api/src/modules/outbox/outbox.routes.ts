import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MailDetail, MailPage, MailQuery, MyMail, SignInInput } from '@dtp/contracts';
import type { RequestContext } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import type { OutboxService } from './outbox.service.ts';

/**
 * The mail viewer: what was sent, or, without SMTP, what would have been; secret links withheld.
 * "My mail": the recipient's own messages with their links (decision 020). `mailboxOwner` proves
 * a not-yet-verified account by its password (the auth module's check, throttled like sign-in).
 */
export const outboxRoutes: FastifyPluginAsyncZod<{
  outbox: OutboxService;
  mailboxOwner: (ctx: RequestContext, input: SignInInput) => Promise<string>;
}> = async (app, { outbox, mailboxOwner }) => {
  app.get(
    '/mail/mine',
    {
      schema: { operationId: 'getMyMail', tags: ['mail'], response: { 200: MyMail } },
      config: { access: 'signed-in' },
    },
    async (req) => outbox.myMail(req.actor!.accountId),
  );
  app.post(
    '/mail/mine',
    {
      schema: {
        operationId: 'openMailbox',
        tags: ['mail'],
        body: SignInInput,
        response: { 200: MyMail },
      },
      config: { access: 'public', floodGuard: 'auth' },
    },
    async (req) => {
      if (!outbox.mailboxOpen()) {
        throw new AppError('PRECONDITION_FAILED', 'e-mail is sent by SMTP', {
          reason: 'MAILBOX_UNAVAILABLE',
        });
      }
      return outbox.myMail(await mailboxOwner(req.ctx, req.body));
    },
  );
  app.get(
    '/mail',
    {
      schema: {
        operationId: 'listMail',
        tags: ['mail'],
        querystring: MailQuery,
        response: { 200: MailPage },
      },
      config: { access: ['admin'] },
    },
    async (req) => outbox.listMail(req.query),
  );
  app.get(
    '/mail/:id',
    {
      schema: {
        operationId: 'getMail',
        tags: ['mail'],
        params: z.object({ id: z.uuid() }),
        response: { 200: MailDetail },
      },
      config: { access: ['admin'] },
    },
    async (req) => outbox.getMail(req.params.id),
  );
};
