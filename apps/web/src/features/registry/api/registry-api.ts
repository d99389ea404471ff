import { infiniteQueryOptions, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  County,
  CreateEnterpriseInput,
  CreatePersonInput,
  EnterpriseDetail,
  EnterpriseSummary,
  Industry,
  LinkPersonInput,
  Page,
  PersonDetail,
  PersonSummary,
  UpdateEnterpriseInput,
  UpdateLinkInput,
  UpdatePersonInput,
} from '@dtp/contracts';
import { api, withQuery } from '../../../lib/api';

export type SortKey = 'createdAt' | 'name';
export type PersonFilters = {
  q: string;
  countyCode: string;
  gender: NonNullable<PersonSummary['gender']> | '';
  employerEnterpriseId: string;
  sort: SortKey;
};
export type EnterpriseFilters = {
  q: string;
  countyCode: string;
  industrySection: string;
  smeStatus: 'small' | 'sme' | 'large' | '';
  sort: SortKey;
};

export const registryKeys = {
  people: ['people'] as const,
  peopleList: (f: PersonFilters) => ['people', 'list', f] as const,
  person: (id: string) => ['people', 'detail', id] as const,
  enterprises: ['enterprises'] as const,
  enterpriseList: (f: EnterpriseFilters) => ['enterprises', 'list', f] as const,
  enterprise: (id: string) => ['enterprises', 'detail', id] as const,
  // Shared with the reference feature's pages through the same keys (features never import each other).
  counties: ['reference', 'counties'] as const,
  sections: ['reference', 'industries', 'sections'] as const,
};

const PAGE_SIZE = 50;
const clean = (f: Record<string, string>) =>
  Object.fromEntries(Object.entries(f).map(([k, v]) => [k, v.trim() || undefined]));

export const peopleListQueryOptions = (f: PersonFilters) =>
  infiniteQueryOptions({
    queryKey: registryKeys.peopleList(f),
    queryFn: ({ pageParam }) =>
      api.get<Page<PersonSummary>>('/api/people', { limit: PAGE_SIZE, cursor: pageParam, ...clean(f) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const enterpriseListQueryOptions = (f: EnterpriseFilters) =>
  infiniteQueryOptions({
    queryKey: registryKeys.enterpriseList(f),
    queryFn: ({ pageParam }) =>
      api.get<Page<EnterpriseSummary>>('/api/enterprises', {
        limit: PAGE_SIZE,
        cursor: pageParam,
        ...clean(f),
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** The export of a list: the same filters and sort as on screen, in the page's language. */
export const exportUrl = (
  what: 'people' | 'enterprises',
  f: PersonFilters | EnterpriseFilters,
  format: 'csv' | 'xlsx',
  locale: string,
  unmasked = false,
) =>
  withQuery(`/api/${what}/export`, {
    ...clean(f as Record<string, string>),
    format,
    locale: locale === 'en' ? 'en' : 'zh-TW',
    unmasked: unmasked ? 'true' : undefined,
  });

export const personQueryOptions = (id: string) =>
  queryOptions({
    queryKey: registryKeys.person(id),
    queryFn: () => api.get<PersonDetail>(`/api/people/${encodeURIComponent(id)}`),
  });

export const enterpriseQueryOptions = (id: string) =>
  queryOptions({
    queryKey: registryKeys.enterprise(id),
    queryFn: () => api.get<EnterpriseDetail>(`/api/enterprises/${encodeURIComponent(id)}`),
  });

export const countiesQueryOptions = queryOptions({
  queryKey: registryKeys.counties,
  queryFn: () => api.get<County[]>('/api/reference/counties'),
  staleTime: 10 * 60_000,
});

export const sectionsQueryOptions = queryOptions({
  queryKey: registryKeys.sections,
  queryFn: () => api.get<Industry[]>('/api/reference/industries', { level: 'section' }),
  staleTime: 10 * 60_000,
});

/** A few matches for a picker (people or enterprises by name, ID number or 統一編號). */
export const searchPeople = (q: string) =>
  api.get<Page<PersonSummary>>('/api/people', { q: q.trim(), limit: 20, sort: 'name' });
export const searchEnterprises = (q: string) =>
  api.get<Page<EnterpriseSummary>>('/api/enterprises', { q: q.trim(), limit: 20, sort: 'name' });

export function useCreatePerson() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreatePersonInput) => api.post<PersonDetail>('/api/people', input),
    onSuccess: (p) => {
      qc.setQueryData(registryKeys.person(p.id), p);
      void qc.invalidateQueries({ queryKey: ['people', 'list'] });
    },
  });
}

export function useUpdatePerson(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdatePersonInput) =>
      api.patch<PersonDetail>(`/api/people/${encodeURIComponent(id)}`, input),
    onSuccess: (p) => {
      qc.setQueryData(registryKeys.person(id), p);
      void qc.invalidateQueries({ queryKey: ['people', 'list'] });
    },
  });
}

export function useRevealNationalId(id: string) {
  return useMutation({
    mutationFn: () =>
      api.post<{ nationalId: string | null }>(`/api/people/${encodeURIComponent(id)}/national-id/reveal`),
  });
}

export function useCreateEnterprise() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateEnterpriseInput) => api.post<EnterpriseDetail>('/api/enterprises', input),
    onSuccess: (e) => {
      qc.setQueryData(registryKeys.enterprise(e.id), e);
      void qc.invalidateQueries({ queryKey: ['enterprises', 'list'] });
    },
  });
}

export function useUpdateEnterprise(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateEnterpriseInput) =>
      api.patch<EnterpriseDetail>(`/api/enterprises/${encodeURIComponent(id)}`, input),
    onSuccess: (e) => {
      qc.setQueryData(registryKeys.enterprise(id), e);
      void qc.invalidateQueries({ queryKey: ['enterprises', 'list'] });
    },
  });
}

export function useLinkPerson(enterpriseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: LinkPersonInput) =>
      api.post<EnterpriseDetail>(`/api/enterprises/${encodeURIComponent(enterpriseId)}/people`, input),
    onSuccess: (e) => qc.setQueryData(registryKeys.enterprise(enterpriseId), e),
  });
}

export function useUpdateLink(enterpriseId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ linkId, ...input }: UpdateLinkInput & { linkId: string }) =>
      api.patch<EnterpriseDetail>(
        `/api/enterprises/${encodeURIComponent(enterpriseId)}/people/${encodeURIComponent(linkId)}`,
        input,
      ),
    onSuccess: (e) => qc.setQueryData(registryKeys.enterprise(enterpriseId), e),
  });
}
