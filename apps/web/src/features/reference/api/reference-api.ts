import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  County,
  Industry,
  IpasItem,
  UpdateCountyInput,
  UpdateIndustryInput,
  UpdateIpasItemInput,
} from '@dtp/contracts';
import { api } from '../../../lib/api';

export const referenceKeys = {
  counties: ['reference', 'counties'] as const,
  industries: ['reference', 'industries', 'all'] as const,
  ipas: ['reference', 'ipas-items'] as const,
};

export const countiesQueryOptions = queryOptions({
  queryKey: referenceKeys.counties,
  queryFn: () => api.get<County[]>('/api/reference/counties'),
  staleTime: 10 * 60_000,
});

/** All 737 codes at once (a few tens of kB): the tree is built and searched in the browser. */
export const industriesQueryOptions = queryOptions({
  queryKey: referenceKeys.industries,
  queryFn: () => api.get<Industry[]>('/api/reference/industries'),
  staleTime: 10 * 60_000,
});

export const ipasQueryOptions = queryOptions({
  queryKey: referenceKeys.ipas,
  queryFn: () => api.get<IpasItem[]>('/api/reference/ipas-items'),
  staleTime: 10 * 60_000,
});

export function useUpdateCounty() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...input }: UpdateCountyInput & { code: string }) =>
      api.patch<County>(`/api/reference/counties/${encodeURIComponent(code)}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: referenceKeys.counties }),
  });
}

export function useUpdateIndustry() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, ...input }: UpdateIndustryInput & { code: string }) =>
      api.patch<Industry>(`/api/reference/industries/${encodeURIComponent(code)}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['reference', 'industries'] }),
  });
}

export function useUpdateIpasItem() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...input }: UpdateIpasItemInput & { id: string }) =>
      api.patch<IpasItem>(`/api/reference/ipas-items/${encodeURIComponent(id)}`, input),
    onSuccess: () => qc.invalidateQueries({ queryKey: referenceKeys.ipas }),
  });
}
