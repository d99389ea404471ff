import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditPage, AuditQuery } from '@dtp/contracts';
import type { createAuditService } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: ReturnType<typeof createAuditService> }> = async (
  app,
  { audit },
) => {
  app.get(
    '/audit',
    {
      schema: {
        operationId: 'listAuditEntries',
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditPage },
      },
      config: { access: ['admin', 'pmo'] },
    },
    async (req) => audit.listAuditEntries(req.query),
  );
};
