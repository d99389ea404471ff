import type { ErrorCode, ErrorReason, FieldIssue } from '@dtp/contracts';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  LIMIT_EXCEEDED: 429,
  INTERNAL: 500,
};

/** The one error type services throw; the error handler maps it to HTTP and the contract body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  readonly params: Record<string, unknown> | undefined;
  readonly fields: FieldIssue[] | undefined;
  constructor(
    code: ErrorCode,
    message: string,
    opts: { reason?: ErrorReason; params?: Record<string, unknown>; fields?: FieldIssue[] } = {},
  ) {
    super(message);
    this.code = code;
    this.reason = opts.reason;
    this.params = opts.params;
    this.fields = opts.fields;
  }
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = () => new AppError('FORBIDDEN', 'not allowed');
export const unauthorized = (reason?: ErrorReason) =>
  new AppError('UNAUTHORIZED', 'sign-in required', reason ? { reason } : {});
export const fieldError = (
  field: string,
  issue: string,
  reason?: ErrorReason,
  params?: Record<string, unknown>,
) =>
  new AppError('VALIDATION', `invalid ${field}`, {
    ...(reason ? { reason } : {}),
    fields: [{ field, issue, ...(params ? { params } : {}) }],
  });

/**
 * The PostgreSQL error behind a failed query (SQLSTATE `code`, `constraint`). Drizzle wraps the
 * driver's error in a DrizzleQueryError whose `cause` is the original, so look there too.
 */
export function pgError(e: unknown): { code?: string; constraint?: string } {
  const err = e as { code?: string; constraint?: string; cause?: { code?: string; constraint?: string } };
  return err?.code ? err : (err?.cause ?? {});
}
