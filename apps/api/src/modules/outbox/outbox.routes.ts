import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MailDetail, MailPage, MailQuery } from '@dtp/contracts';
import type { OutboxService } from './outbox.service.ts';

/** The mail viewer: what was sent, or, without SMTP, what would have been. */
export const outboxRoutes: FastifyPluginAsyncZod<{ outbox: OutboxService }> = async (app, { outbox }) => {
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
