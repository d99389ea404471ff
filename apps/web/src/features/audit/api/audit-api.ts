import { infiniteQueryOptions } from '@tanstack/react-query';
import type { AuditEntry, Page } from '@dtp/contracts';
import { api } from '../../../lib/api';

export type AuditFilters = { action: string; targetType: string; targetId: string; from: string; to: string };

export const auditKeys = { list: (f: AuditFilters) => ['audit', 'list', f] as const };

export const auditListQueryOptions = (f: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: auditKeys.list(f),
    queryFn: ({ pageParam }) =>
      api.get<Page<AuditEntry>>('/api/audit', {
        limit: 50,
        cursor: pageParam,
        action: f.action.trim(),
        targetType: f.targetType.trim(),
        targetId: f.targetId.trim(),
        from: f.from,
        to: f.to,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
