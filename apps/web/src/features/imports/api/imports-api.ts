import {
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import type {
  County,
  ErrorBody,
  ImportJob,
  ImportKindInfo,
  ImportKindName,
  ImportOnMatch,
  ImportProblem,
  ImportRow,
  ImportRowStatus,
  Page,
} from '@dtp/contracts';
import { api, ApiError } from '../../../lib/api';
import { meQueryOptions } from '../../../lib/session';

export const importKeys = {
  all: ['imports'] as const,
  list: () => ['imports', 'list'] as const,
  job: (id: string) => ['imports', 'job', id] as const,
  rows: (id: string, status: ImportRowStatus | '') => ['imports', 'job', id, 'rows', status] as const,
  problems: (id: string) => ['imports', 'job', id, 'problems'] as const,
  kind: (kind: ImportKindName) => ['imports', 'kind', kind] as const,
};

/** Statuses that change on their own (background validation, a running commit): polled. */
export const isWorking = (s: ImportJob['status']) =>
  s === 'uploaded' || s === 'validating' || s === 'committing';

export const importJobQueryOptions = (id: string) =>
  queryOptions({
    queryKey: importKeys.job(id),
    queryFn: () => api.get<ImportJob>(`/api/imports/${id}`),
    refetchInterval: (q) => (q.state.data && isWorking(q.state.data.status) ? 700 : false),
  });

export const importListQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: importKeys.list(),
    queryFn: ({ pageParam }) => api.get<Page<ImportJob>>('/api/imports', { limit: 20, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const importRowsQueryOptions = (id: string, status: ImportRowStatus | '') =>
  infiniteQueryOptions({
    queryKey: importKeys.rows(id, status),
    queryFn: ({ pageParam }) =>
      api.get<Page<ImportRow>>(`/api/imports/${id}/rows`, { limit: 50, cursor: pageParam, status }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const importProblemsQueryOptions = (id: string) =>
  infiniteQueryOptions({
    queryKey: importKeys.problems(id),
    queryFn: ({ pageParam }) =>
      api.get<Page<ImportProblem>>(`/api/imports/${id}/problems`, { limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const importKindQueryOptions = (kind: ImportKindName) =>
  queryOptions({
    queryKey: importKeys.kind(kind),
    queryFn: () => api.get<ImportKindInfo>(`/api/imports/kinds/${kind}`),
    staleTime: Infinity,
  });

/**
 * Uploads a file as multipart/form-data with XMLHttpRequest, which (unlike fetch) reports upload
 * progress; the session's CSRF token is echoed as on every unsafe request.
 */
export function uploadImport(
  qc: QueryClient,
  kind: ImportKindName,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ImportJob> {
  const csrf = qc.getQueryData(meQueryOptions.queryKey)?.csrfToken ?? '';
  const form = new FormData();
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports?kind=${kind}`);
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onerror = () => reject(new ApiError(0, { code: 'INTERNAL', message: 'network error' }));
    xhr.onload = () => {
      let data: unknown;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as ImportJob);
      else
        reject(
          new ApiError(
            xhr.status,
            (data as ErrorBody | undefined)?.error ?? { code: 'INTERNAL', message: `HTTP ${xhr.status}` },
          ),
        );
    };
    xhr.send(form);
  });
}

function useJobMutation<V>(id: string, run: (v: V) => Promise<ImportJob>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: (job) => {
      qc.setQueryData(importKeys.job(id), job);
      void qc.invalidateQueries({ queryKey: importKeys.all });
    },
    onSettled: () => void qc.invalidateQueries({ queryKey: importKeys.job(id) }),
  });
}

export const useCommitImport = (id: string) =>
  useJobMutation(id, (onMatch: ImportOnMatch) =>
    api.post<ImportJob>(`/api/imports/${id}/commit`, { onMatch }),
  );
export const useRetryImport = (id: string) =>
  useJobMutation(id, () => api.post<ImportJob>(`/api/imports/${id}/retry`));
export const useDiscardImport = (id: string) =>
  useJobMutation(id, () => api.delete<ImportJob>(`/api/imports/${id}`));

/** County names for the preview (the rows carry codes). */
export const countiesQueryOptions = queryOptions({
  queryKey: ['imports', 'counties'] as const,
  queryFn: () => api.get<County[]>('/api/reference/counties'),
  staleTime: Infinity,
});
