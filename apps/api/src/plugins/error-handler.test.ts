import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toFieldIssue } from './error-handler.ts';

const issuesOf = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected a failure');
  return r.error.issues;
};

describe('toFieldIssue', () => {
  const Body = z.object({
    email: z.email(),
    name: z.string().min(2).max(5),
    age: z.number(),
    nested: z.object({ role: z.enum(['a', 'b']) }).optional(),
  });

  it('names the field by its dotted path and a stable issue key', () => {
    const issues = issuesOf(Body, { email: 'nope', name: 'x', age: 'old', nested: { role: 'c' } }).map((i) =>
      toFieldIssue('', i as never),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        { field: 'email', issue: 'invalid_format', params: { format: 'email' } },
        { field: 'name', issue: 'too_small', params: { min: 2 } },
        { field: 'age', issue: 'invalid_type', params: { expected: 'number' } },
        { field: 'nested.role', issue: 'invalid_value' },
      ]),
    );
  });

  it('reports a missing value as `required`', () => {
    const [issue] = issuesOf(Body, { name: 'abc', age: 1 }).map((i) => toFieldIssue('', i as never));
    expect(issue).toEqual({ field: 'email', issue: 'required' });
  });

  it('reports too_big with its maximum, and prefixes query and params fields', () => {
    const [issue] = issuesOf(Body.pick({ name: true }), { name: 'toolong' }).map((i) =>
      toFieldIssue('querystring', i as never),
    );
    expect(issue).toEqual({ field: 'querystring.name', issue: 'too_big', params: { max: 5 } });
  });

  it('reports unknown keys of a strict object', () => {
    const [issue] = issuesOf(z.strictObject({ a: z.string() }), { a: 'x', b: 1 }).map((i) =>
      toFieldIssue('', i as never),
    );
    expect(issue).toEqual({ field: '(body)', issue: 'unrecognized_keys', params: { keys: ['b'] } });
  });

  it('names the body as a whole when the issue has no path', () => {
    expect(toFieldIssue('', { code: 'custom', path: [] })).toEqual({ field: '(body)', issue: 'custom' });
    expect(toFieldIssue('', {})).toEqual({ field: '(body)', issue: 'invalid' });
  });
});
