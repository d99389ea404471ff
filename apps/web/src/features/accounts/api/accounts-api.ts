import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AccountDetail,
  AccountStatus,
  Agency,
  CreateAccountInput,
  CreateAgencyInput,
  CreateGrantInput,
  Grant,
  GrantRequest,
  Page,
  AccountSummary,
  Role,
  UpdateAccountInput,
} from '@dtp/contracts';
import { api } from '../../../lib/api';

export type AccountFilters = { q: string; role: Role | ''; status: AccountStatus | '' };

export const accountKeys = {
  all: ['accounts'] as const,
  list: (f: AccountFilters) => ['accounts', 'list', f] as const,
  detail: (id: string) => ['accounts', 'detail', id] as const,
  agencies: ['agencies'] as const,
  grantRequests: ['accounts', 'grant-requests'] as const,
};

const PAGE_SIZE = 50;

export const accountListQueryOptions = (f: AccountFilters) =>
  infiniteQueryOptions({
    queryKey: accountKeys.list(f),
    queryFn: ({ pageParam }) =>
      api.get<Page<AccountSummary>>('/api/accounts', {
        limit: PAGE_SIZE,
        cursor: pageParam,
        q: f.q.trim(),
        role: f.role,
        status: f.status,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const accountQueryOptions = (id: string) =>
  queryOptions({
    queryKey: accountKeys.detail(id),
    queryFn: () => api.get<AccountDetail>(`/api/accounts/${encodeURIComponent(id)}`),
  });

export const agenciesQueryOptions = queryOptions({
  queryKey: accountKeys.agencies,
  queryFn: () => api.get<Agency[]>('/api/agencies'),
});

export function useInviteAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateAccountInput) => api.post<AccountDetail>('/api/accounts', input),
    onSuccess: (a) => {
      qc.setQueryData(accountKeys.detail(a.id), a);
      void qc.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}

export function useUpdateAccount(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateAccountInput) =>
      api.patch<AccountDetail>(`/api/accounts/${encodeURIComponent(id)}`, input),
    onSuccess: (a) => {
      qc.setQueryData(accountKeys.detail(id), a);
      void qc.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}

export function useAddGrant(id: string) {
  const qc = useQueryClient();
  return useMutation({
    // A GrantRequest (status `pending`) when a second administrator must approve (decision 020).
    mutationFn: (input: CreateGrantInput) =>
      api.post<Grant | GrantRequest>(`/api/accounts/${encodeURIComponent(id)}/grants`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

export function useRevokeGrant(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (grantId: string) =>
      api.delete(`/api/accounts/${encodeURIComponent(id)}/grants/${encodeURIComponent(grantId)}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.all }),
  });
}

export function useCreateAgency() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateAgencyInput) => api.post<Agency>('/api/agencies', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.agencies }),
  });
}

/** Clears the account's sign-in back-off (after failed sign-ins) and its MFA lock; audited. */
export function useUnlockSignIn(id: string) {
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>(`/api/accounts/${encodeURIComponent(id)}/sign-in-unlock`),
  });
}

/** Grants waiting for a second administrator (decision 020). */
export const grantRequestsQueryOptions = queryOptions({
  queryKey: accountKeys.grantRequests,
  queryFn: () => api.get<GrantRequest[]>('/api/grant-requests'),
});

export function useDecideGrantRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision }: { id: string; decision: 'approve' | 'reject' }) =>
      api.post(`/api/grant-requests/${encodeURIComponent(id)}/${decision}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: accountKeys.all }),
  });
}
