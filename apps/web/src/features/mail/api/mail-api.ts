import { infiniteQueryOptions, queryOptions, useMutation } from '@tanstack/react-query';
import type { MailDetail, MailMessage, MyMail, Page, SignInInput } from '@dtp/contracts';
import { api } from '../../../lib/api';

export type MailFilters = { to: string; status: string };

export const mailKeys = {
  list: (f: MailFilters) => ['mail', 'list', f] as const,
  detail: (id: string) => ['mail', 'detail', id] as const,
  mine: ['mail', 'mine'] as const,
};

export const mailListQueryOptions = (f: MailFilters) =>
  infiniteQueryOptions({
    queryKey: mailKeys.list(f),
    queryFn: ({ pageParam }) =>
      api.get<Page<MailMessage>>('/api/mail', {
        limit: 50,
        cursor: pageParam,
        to: f.to.trim(),
        status: f.status,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const mailQueryOptions = (id: string) =>
  queryOptions({
    queryKey: mailKeys.detail(id),
    queryFn: () => api.get<MailDetail>(`/api/mail/${encodeURIComponent(id)}`),
  });

/** The signed-in recipient's own mail, links included (decision 020). */
export const myMailQueryOptions = queryOptions({
  queryKey: mailKeys.mine,
  queryFn: () => api.get<MyMail>('/api/mail/mine'),
});

/** Without SMTP: a newcomer not yet verified opens its mail with its password. */
export const useOpenMailbox = () =>
  useMutation({ mutationFn: (input: SignInInput) => api.post<MyMail>('/api/mail/mine', input) });
