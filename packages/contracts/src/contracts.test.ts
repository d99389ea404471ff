import { describe, expect, it } from 'vitest';
import {
  CreateGrantInput,
  ErrorBody,
  ErrorCode,
  LocalizedText,
  MfaCodeInput,
  PageQuery,
  Password,
  ROLE_SCOPES,
  ROLES,
  ScopeKind,
  SignUpInput,
  pageOf,
} from './index.ts';
import { z } from 'zod';

describe('access contracts', () => {
  it('gives every role at least one scope kind, all of them known', () => {
    expect(Object.keys(ROLE_SCOPES).sort()).toEqual([...ROLES].sort());
    for (const scopes of Object.values(ROLE_SCOPES)) {
      expect(scopes.length).toBeGreaterThan(0);
      for (const s of scopes) expect(ScopeKind.options).toContain(s);
    }
    expect(ROLE_SCOPES.admin).toEqual(['global']);
    expect(ROLE_SCOPES.learner).toEqual(['self']);
  });

  it('a grant input needs a known role and scope kind; scope id and function are optional', () => {
    expect(CreateGrantInput.safeParse({ role: 'learner', scopeKind: 'self' }).success).toBe(true);
    expect(CreateGrantInput.safeParse({ role: 'agency', scopeKind: 'agency', scopeId: 'x' }).success).toBe(
      false,
    );
    expect(CreateGrantInput.safeParse({ role: 'root', scopeKind: 'global' }).success).toBe(false);
  });
});

describe('auth contracts', () => {
  it('passwords are 12 to 200 characters', () => {
    expect(Password.safeParse('a'.repeat(11)).success).toBe(false);
    expect(Password.safeParse('a'.repeat(12)).success).toBe(true);
    expect(Password.safeParse('a'.repeat(201)).success).toBe(false);
  });

  it('sign-up defaults the locale to zh-TW and trims the name', () => {
    const v = SignUpInput.parse({
      email: 'a@example.com',
      password: 'x'.repeat(12),
      displayName: '  王小明 ',
      noticeVersion: 1,
      consents: { programme_administration: true },
    });
    expect(v).toMatchObject({ locale: 'zh-TW', displayName: '王小明' });
    expect(
      SignUpInput.safeParse({ email: 'a@example.com', password: 'x'.repeat(12), displayName: '   ' }).success,
    ).toBe(false);
    // The §8 notice version and the consents given with it are part of every sign-up.
    expect(
      SignUpInput.safeParse({ email: 'a@example.com', password: 'x'.repeat(12), displayName: '王小明' })
        .success,
    ).toBe(false);
  });

  it('an MFA code is a TOTP code or a recovery code, nothing else', () => {
    for (const ok of ['123456', 'ABCD-EFGH-JKLM', 'abcdefghjklm'])
      expect(MfaCodeInput.safeParse({ code: ok }).success).toBe(true);
    for (const bad of ['12345', '12 34 56', "1' or 1=1", 'x'.repeat(21)])
      expect(MfaCodeInput.safeParse({ code: bad }).success).toBe(false);
  });
});

describe('common contracts', () => {
  it('localized text requires zh-TW', () => {
    expect(LocalizedText.safeParse({ 'zh-TW': '課程' }).success).toBe(true);
    expect(LocalizedText.safeParse({ en: 'Course' }).success).toBe(false);
    expect(LocalizedText.safeParse({ 'zh-TW': '' }).success).toBe(false);
  });

  it('page queries coerce and cap the limit', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 50 });
    expect(PageQuery.parse({ limit: '10' }).limit).toBe(10);
    expect(PageQuery.safeParse({ limit: '201' }).success).toBe(false);
    expect(PageQuery.safeParse({ limit: '0' }).success).toBe(false);
  });

  it('a page has items, a nullable cursor and a capped total', () => {
    const Page = pageOf(z.object({ id: z.string() }));
    expect(
      Page.safeParse({ items: [{ id: 'a' }], nextCursor: null, total: 1, totalCapped: false }).success,
    ).toBe(true);
    expect(Page.safeParse({ items: [], total: 0, totalCapped: false }).success).toBe(false);
  });

  it('an error body carries a known code and optional field issues', () => {
    expect(ErrorCode.options).toEqual([
      'VALIDATION',
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'CONFLICT',
      'PRECONDITION_FAILED',
      'LIMIT_EXCEEDED',
      'INTERNAL',
    ]);
    const body = {
      error: {
        code: 'VALIDATION',
        message: 'invalid input',
        fields: [{ field: 'email', issue: 'required' }],
      },
    };
    expect(ErrorBody.safeParse(body).success).toBe(true);
    expect(ErrorBody.safeParse({ error: { code: 'TEAPOT', message: 'x' } }).success).toBe(false);
    expect(ErrorBody.safeParse({ error: { code: 'FORBIDDEN', reason: 'NOPE', message: 'x' } }).success).toBe(
      false,
    );
  });
});
