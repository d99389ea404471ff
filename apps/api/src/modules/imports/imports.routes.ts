import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CommitImportInput,
  IMPORT_MAX_BYTES,
  ImportJob,
  ImportJobPage,
  ImportKindInfo,
  ImportKindName,
  ImportListQuery,
  ImportProblemPage,
  ImportProblemQuery,
  ImportReportQuery,
  ImportRowPage,
  ImportRowQuery,
  ImportUploadQuery,
} from '@dtp/contracts';
import type { Actor } from '../../context.ts';
import { AppError } from '../../lib/errors.ts';
import { attachment, EXPORT_CONTENT_TYPE } from '../../lib/spreadsheet.ts';
import type { ImportsService } from './imports.service.ts';

const IdParams = z.object({ id: z.uuid() });
const KindParams = z.object({ kind: ImportKindName });
/** Agency staff import for their agency; the programme office for the whole programme. */
const staff = ['pmo', 'agency'] as const;
const actorOf = (a: Actor | null): Actor => a!;

/** CSV/XLSX imports: upload, background validation with progress, preview, error report, one-transaction commit. */
export const importsRoutes: FastifyPluginAsyncZod<{ imports: ImportsService }> = async (app, { imports }) => {
  await app.register(multipart, { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 5, parts: 6 } });
  const tags = ['imports'];

  app.get(
    '/imports/kinds/:kind',
    {
      schema: { operationId: 'getImportKind', tags, params: KindParams, response: { 200: ImportKindInfo } },
      config: { access: staff },
    },
    async (req) => imports.kindInfo(req.params.kind),
  );

  app.post(
    '/imports',
    {
      schema: {
        operationId: 'uploadImport',
        tags,
        description:
          'multipart/form-data with one part `file` (CSV in UTF-8, UTF-8 with BOM or Big5; or XLSX).',
        consumes: ['multipart/form-data'],
        querystring: ImportUploadQuery,
        response: { 201: ImportJob },
      },
      config: { access: staff },
    },
    async (req, reply) => {
      if (!req.isMultipart())
        throw new AppError('VALIDATION', 'multipart/form-data expected', {
          reason: 'IMPORT_FILE_MISSING',
          fields: [{ field: 'file', issue: 'required' }],
        });
      const part = await req.file();
      if (!part)
        throw new AppError('VALIDATION', 'no file', {
          reason: 'IMPORT_FILE_MISSING',
          fields: [{ field: 'file', issue: 'required' }],
        });
      const content = await part.toBuffer();
      const job = await imports.upload(req.ctx, actorOf(req.actor), req.query.kind, {
        fileName: part.filename || 'upload',
        content,
      });
      return reply.status(201).send(job);
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        operationId: 'listImports',
        tags,
        querystring: ImportListQuery,
        response: { 200: ImportJobPage },
      },
      config: { access: staff },
    },
    async (req) => imports.listImports(actorOf(req.actor), req.query),
  );

  app.get(
    '/imports/:id',
    {
      schema: { operationId: 'getImport', tags, params: IdParams, response: { 200: ImportJob } },
      config: { access: staff },
    },
    async (req) => imports.getImport(actorOf(req.actor), req.params.id),
  );

  app.get(
    '/imports/:id/rows',
    {
      schema: {
        operationId: 'listImportRows',
        tags,
        params: IdParams,
        querystring: ImportRowQuery,
        response: { 200: ImportRowPage },
      },
      config: { access: staff },
    },
    async (req) => imports.listRows(actorOf(req.actor), req.params.id, req.query),
  );

  app.get(
    '/imports/:id/problems',
    {
      schema: {
        operationId: 'listImportProblems',
        tags,
        params: IdParams,
        querystring: ImportProblemQuery,
        response: { 200: ImportProblemPage },
      },
      config: { access: staff },
    },
    async (req) => imports.listProblems(actorOf(req.actor), req.params.id, req.query),
  );

  app.get(
    '/imports/:id/problems/export',
    {
      schema: { operationId: 'exportImportProblems', tags, params: IdParams, querystring: ImportReportQuery },
      config: { access: staff },
    },
    async (req, reply) => {
      const { stream, fileName } = await imports.problemReport(
        actorOf(req.actor),
        req.params.id,
        req.query.format,
      );
      return reply
        .header('content-type', EXPORT_CONTENT_TYPE[req.query.format])
        .header('content-disposition', attachment(fileName))
        .send(stream);
    },
  );

  app.post(
    '/imports/:id/commit',
    {
      schema: {
        operationId: 'commitImport',
        tags,
        params: IdParams,
        body: CommitImportInput,
        response: { 200: ImportJob },
      },
      config: { access: staff },
    },
    async (req) => imports.commitImport(req.ctx, actorOf(req.actor), req.params.id, req.body),
  );

  app.post(
    '/imports/:id/retry',
    {
      schema: { operationId: 'retryImport', tags, params: IdParams, response: { 200: ImportJob } },
      config: { access: staff },
    },
    async (req) => imports.retryImport(req.ctx, actorOf(req.actor), req.params.id),
  );

  app.delete(
    '/imports/:id',
    {
      schema: { operationId: 'discardImport', tags, params: IdParams, response: { 200: ImportJob } },
      config: { access: staff },
    },
    async (req) => imports.discardImport(req.ctx, actorOf(req.actor), req.params.id),
  );
};
