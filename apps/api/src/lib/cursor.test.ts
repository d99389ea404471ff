import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { AppError } from './errors.ts';

describe('keyset cursor', () => {
  it('round-trips the sort key of the last row', () => {
    const c = encodeCursor(['2026-01-02T03:04:05.000000Z', '0193aaaa-0000-7000-8000-000000000001']);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, 2)).toEqual([
      '2026-01-02T03:04:05.000000Z',
      '0193aaaa-0000-7000-8000-000000000001',
    ]);
    expect(decodeCursor(encodeCursor([1, null]), 2)).toEqual([1, null]);
  });

  it('treats no cursor as the first page', () => {
    expect(decodeCursor(undefined, 2)).toBeUndefined();
    expect(decodeCursor('', 2)).toBeUndefined();
  });

  it('refuses a cursor of the wrong arity or garbage as a validation error on `cursor`', () => {
    for (const bad of [
      encodeCursor(['a']),
      'not-base64-json',
      Buffer.from('{"a":1}').toString('base64url'),
    ]) {
      let err: unknown;
      try {
        decodeCursor(bad, 2);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('VALIDATION');
      expect((err as AppError).fields).toEqual([{ field: 'cursor', issue: 'invalid_format' }]);
    }
  });
});
