import fp from 'fastify-plugin';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody, FieldIssue } from '@dtp/contracts';
import { AppError, HTTP_STATUS } from '../lib/errors.ts';

type ZodLikeIssue = {
  code?: string;
  path?: PropertyKey[];
  message?: string;
  minimum?: unknown;
  maximum?: unknown;
  input?: unknown;
  format?: string;
  expected?: string;
  keys?: string[];
};

/** A zod issue as a field issue the web app translates: `required`, `too_small`, `invalid_format`, … */
export function toFieldIssue(prefix: string, issue: ZodLikeIssue): FieldIssue {
  const field = [prefix, ...(issue.path ?? []).map(String)].filter(Boolean).join('.');
  const params: Record<string, unknown> = {};
  let kind = issue.code ?? 'invalid';
  // zod 4 leaves the input out of issues; its message says when the value was missing.
  if (
    kind === 'invalid_type' &&
    (issue.message?.includes('received undefined') || ('input' in issue && issue.input === undefined))
  ) {
    kind = 'required';
  }
  // A refinement names its issue in its message (`invalid_checksum`, `before_start`).
  if (kind === 'custom' && issue.message && /^[a-z_]+$/.test(issue.message)) kind = issue.message;
  if (kind === 'too_small' && issue.minimum !== undefined) params.min = issue.minimum;
  if (kind === 'too_big' && issue.maximum !== undefined) params.max = issue.maximum;
  if (kind === 'invalid_format' && issue.format) params.format = issue.format;
  if (kind === 'invalid_type' && issue.expected) params.expected = issue.expected;
  if (kind === 'unrecognized_keys' && issue.keys) params.keys = issue.keys;
  return { field: field || '(body)', issue: kind, ...(Object.keys(params).length ? { params } : {}) };
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const requestId = String(req.id);
    const send = (status: number, error: ErrorBody['error']) =>
      reply.status(status).send({ error: { ...error, requestId } } satisfies ErrorBody);

    if (err instanceof AppError) {
      return send(HTTP_STATUS[err.code], {
        code: err.code,
        message: err.message,
        ...(err.reason ? { reason: err.reason } : {}),
        ...(err.params ? { params: err.params } : {}),
        ...(err.fields ? { fields: err.fields } : {}),
      });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const prefix = err.validationContext === 'body' ? '' : (err.validationContext ?? '');
      const fields = err.validation.map((v) =>
        toFieldIssue(prefix, {
          ...(v.params as ZodLikeIssue),
          code: v.keyword,
          message: v.message,
          path: v.instancePath.split('/').filter(Boolean),
        }),
      );
      return send(400, { code: 'VALIDATION', message: 'invalid input', fields });
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response does not match its contract');
      return send(500, { code: 'INTERNAL', message: 'internal error' });
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return send(429, { code: 'LIMIT_EXCEEDED', message: 'too many requests' });
    if (status === 413) return send(413, { code: 'LIMIT_EXCEEDED', message: 'request too large' });
    if (status === 404) return send(404, { code: 'NOT_FOUND', message: 'not found' });
    if (status >= 400 && status < 500) {
      // Malformed JSON, wrong content type and the like: the body as a whole is the field.
      return send(400, {
        code: 'VALIDATION',
        message: 'invalid request',
        fields: [{ field: '(body)', issue: 'malformed', params: { detail: err.code ?? 'bad_request' } }],
      });
    }
    req.log.error({ err }, 'unhandled error');
    // Never leak a database or stack message.
    return send(500, { code: 'INTERNAL', message: 'internal error' });
  });
});
