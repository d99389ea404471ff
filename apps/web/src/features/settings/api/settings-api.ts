import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import type { Setting } from '@dtp/contracts';
import { api } from '../../../lib/api';

export const settingsKeys = { all: ['settings'] as const };

export const settingsQueryOptions = queryOptions({
  queryKey: settingsKeys.all,
  queryFn: () => api.get<Setting[]>('/api/settings'),
});

export function useUpdateSetting() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, value }: { key: string; value: unknown }) =>
      api.put<Setting>(`/api/settings/${encodeURIComponent(key)}`, { value }),
    onSuccess: () => qc.invalidateQueries({ queryKey: settingsKeys.all }),
  });
}
