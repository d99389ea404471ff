import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  Consents,
  County,
  CreateClaimInput,
  CreatePersonalDataRequestInput,
  DecideClaimInput,
  DecideRequestInput,
  DuplicatePair,
  MergePeopleInput,
  MergeResult,
  MyClaim,
  MyPerson,
  Page,
  PersonClaim,
  PersonSummary,
  ClaimInvitation,
  CreateClaimInvitationInput,
  PersonalDataExport,
  PersonalDataRequest,
  PrivacyNotice,
  UpdateConsentsInput,
  UpdateMyPersonInput,
} from '@dtp/contracts';
import { api } from '../../../lib/api';

export const pdKeys = {
  me: ['personal-data', 'me'] as const,
  person: ['personal-data', 'me', 'person'] as const,
  consents: ['personal-data', 'me', 'consents'] as const,
  data: ['personal-data', 'me', 'data'] as const,
  myRequests: ['personal-data', 'me', 'requests'] as const,
  myClaims: ['personal-data', 'me', 'claims'] as const,
  notice: ['privacy-notice'] as const,
  counties: ['reference', 'counties'] as const,
  queue: (f: QueueFilters) => ['personal-data', 'queue', f] as const,
  claims: (status: string) => ['personal-data', 'claims', status] as const,
  duplicates: ['personal-data', 'duplicates'] as const,
};

/** The download link: a plain GET with the session cookie, answered as a JSON attachment. */
export const DOWNLOAD_URL = '/api/me/personal-data/download';

export const noticeQueryOptions = queryOptions({
  queryKey: pdKeys.notice,
  queryFn: () => api.get<PrivacyNotice>('/api/privacy-notice'),
  staleTime: 60 * 60_000,
});
export const countiesQueryOptions = queryOptions({
  queryKey: pdKeys.counties,
  queryFn: () => api.get<County[]>('/api/reference/counties'),
  staleTime: 60 * 60_000,
});
export const myPersonQueryOptions = queryOptions({
  queryKey: pdKeys.person,
  queryFn: () => api.get<MyPerson>('/api/me/person'),
});
export const myConsentsQueryOptions = queryOptions({
  queryKey: pdKeys.consents,
  queryFn: () => api.get<Consents>('/api/me/consents'),
});
export const myDataQueryOptions = queryOptions({
  queryKey: pdKeys.data,
  queryFn: () => api.get<PersonalDataExport>('/api/me/personal-data'),
});
export const myRequestsQueryOptions = queryOptions({
  queryKey: pdKeys.myRequests,
  queryFn: () => api.get<PersonalDataRequest[]>('/api/me/personal-data-requests'),
});
export const myClaimsQueryOptions = queryOptions({
  queryKey: pdKeys.myClaims,
  queryFn: () => api.get<MyClaim[]>('/api/me/person/claims'),
});

const invalidateMine = (qc: ReturnType<typeof useQueryClient>) =>
  qc.invalidateQueries({ queryKey: pdKeys.me });

export function useUpdateMyPerson() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateMyPersonInput) => api.patch<MyPerson>('/api/me/person', input),
    onSuccess: (p) => {
      qc.setQueryData(pdKeys.person, p);
      void invalidateMine(qc);
    },
  });
}
export function useUpdateMyConsents() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateConsentsInput) => api.put<Consents>('/api/me/consents', input),
    onSuccess: (c) => {
      qc.setQueryData(pdKeys.consents, c);
      void invalidateMine(qc);
    },
  });
}
export function useCreateRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreatePersonalDataRequestInput) =>
      api.post<PersonalDataRequest>('/api/me/personal-data-requests', input),
    onSuccess: () => invalidateMine(qc),
  });
}
export function useCreateClaim() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateClaimInput) => api.post<MyClaim>('/api/me/person/claims', input),
    onSuccess: () => invalidateMine(qc),
  });
}
export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => api.post<MyPerson>('/api/me/person/claim-invitations/accept', { token }),
    onSuccess: () => invalidateMine(qc),
  });
}

// ───────────── programme office ─────────────

export type QueueFilters = { status: '' | 'open' | 'decided'; type: string; overdue: '' | 'true' | 'false' };

export const queueQueryOptions = (f: QueueFilters) =>
  infiniteQueryOptions({
    queryKey: pdKeys.queue(f),
    queryFn: ({ pageParam }) =>
      api.get<Page<PersonalDataRequest>>('/api/personal-data-requests', {
        limit: 50,
        cursor: pageParam,
        status: f.status,
        type: f.type,
        overdue: f.overdue,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export function useExtendRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<PersonalDataRequest>(`/api/personal-data-requests/${encodeURIComponent(id)}/extension`, {
        reason,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['personal-data', 'queue'] }),
  });
}
export function useDecideRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: DecideRequestInput & { id: string }) =>
      api.post<PersonalDataRequest>(`/api/personal-data-requests/${encodeURIComponent(id)}/decision`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['personal-data', 'queue'] }),
  });
}

export const claimsQueryOptions = (status: string) =>
  queryOptions({
    queryKey: pdKeys.claims(status),
    queryFn: () => api.get<Page<PersonClaim>>('/api/person-claims', { status, limit: 200 }),
  });
export function useDecideClaim() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: DecideClaimInput & { id: string }) =>
      api.post(`/api/person-claims/${encodeURIComponent(id)}/decision`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['personal-data', 'claims'] }),
  });
}

export const duplicatesQueryOptions = queryOptions({
  queryKey: pdKeys.duplicates,
  queryFn: () => api.get<{ items: DuplicatePair[] }>('/api/people/duplicates'),
});
export function useMergePeople() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: MergePeopleInput) => api.post<MergeResult>('/api/people/merge', input),
    onSuccess: () => qc.invalidateQueries({ queryKey: pdKeys.duplicates }),
  });
}

/** People staff may invite to claim their record (the registry's list, in the caller's scope). */
export const personSearchQueryOptions = (q: string) =>
  queryOptions({
    queryKey: ['personal-data', 'person-search', q],
    queryFn: () => api.get<Page<PersonSummary>>('/api/people', { q, limit: 10 }),
    enabled: q.trim().length > 0,
  });
export function useInviteToClaim() {
  return useMutation({
    mutationFn: ({ personId, ...input }: CreateClaimInvitationInput & { personId: string }) =>
      api.post<ClaimInvitation>(`/api/people/${encodeURIComponent(personId)}/claim-invitations`, input),
  });
}
