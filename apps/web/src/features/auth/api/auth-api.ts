import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AuthSessionInfo,
  ChangePasswordInput,
  Me,
  MfaEnrolment,
  PrivacyNotice,
  RecoveryCodes,
  ResetPasswordInput,
  SignInInput,
  SignInResult,
  SignUpInput,
  UpdateMeInput,
} from '@dtp/contracts';
import { api, setCsrfToken } from '../../../lib/api';
import { meQueryOptions, sessionKeys } from '../../../lib/session';

export const authKeys = { sessions: ['auth', 'sessions'] as const };

export const sessionsQueryOptions = queryOptions({
  queryKey: authKeys.sessions,
  queryFn: () => api.get<AuthSessionInfo[]>('/api/auth/sessions'),
});

/** Refreshes the signed-in account after anything that changes the session. */
function useRefreshMe() {
  const qc = useQueryClient();
  return () => qc.fetchQuery({ ...meQueryOptions, staleTime: 0 });
}

export function useSignIn() {
  const refresh = useRefreshMe();
  return useMutation({
    mutationFn: (input: SignInInput) => api.post<SignInResult>('/api/auth/sign-in', input),
    onSuccess: async () => {
      await refresh();
    },
  });
}

export function useVerifyMfa() {
  const refresh = useRefreshMe();
  return useMutation({
    mutationFn: (code: string) => api.post<SignInResult>('/api/auth/mfa/verify', { code }),
    onSuccess: async () => {
      await refresh();
    },
  });
}

export const useStartEnrolment = () =>
  useMutation({ mutationFn: () => api.post<MfaEnrolment>('/api/auth/mfa/enrolment') });

export const useConfirmEnrolment = () =>
  useMutation({
    mutationFn: (code: string) => api.post<RecoveryCodes>('/api/auth/mfa/enrolment/confirm', { code }),
  });

export function useDisableMfa() {
  const refresh = useRefreshMe();
  return useMutation({
    mutationFn: (code: string) => api.post('/api/auth/mfa/disable', { code }),
    onSuccess: async () => {
      await refresh();
    },
  });
}

export const useRegenerateCodes = () =>
  useMutation({
    mutationFn: (code: string) => api.post<RecoveryCodes>('/api/auth/mfa/recovery-codes', { code }),
  });

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/api/auth/sign-out'),
    onSettled: () => {
      setCsrfToken(null);
      qc.setQueryData(sessionKeys.me, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' && q.queryKey[0] !== 'health' });
      qc.removeQueries({ queryKey: authKeys.sessions });
    },
  });
}

/** The current 個資法 §8 notice with its consent purposes, in both languages. */
export const privacyNoticeQueryOptions = queryOptions({
  queryKey: ['privacy-notice'],
  queryFn: () => api.get<PrivacyNotice>('/api/privacy-notice'),
  staleTime: 60 * 60_000,
});

export const useSignUp = () =>
  useMutation({ mutationFn: (input: SignUpInput) => api.post('/api/auth/sign-up', input) });

export const useVerifyEmail = () =>
  useMutation({ mutationFn: (token: string) => api.post('/api/auth/verify-email', { token }) });

export const useResendVerification = () =>
  useMutation({ mutationFn: (email: string) => api.post('/api/auth/resend-verification', { email }) });

export const useForgotPassword = () =>
  useMutation({ mutationFn: (email: string) => api.post('/api/auth/password/forgot', { email }) });

export const useResetPassword = () =>
  useMutation({ mutationFn: (input: ResetPasswordInput) => api.post('/api/auth/password/reset', input) });

export const useChangePassword = () =>
  useMutation({ mutationFn: (input: ChangePasswordInput) => api.post('/api/auth/password/change', input) });

export function useUpdateMe() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateMeInput) => api.patch<Me>('/api/auth/me', input),
    onSuccess: (me) => qc.setQueryData(sessionKeys.me, me),
  });
}

export function useRevokeSession() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/auth/sessions/${encodeURIComponent(id)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: authKeys.sessions }),
  });
}
