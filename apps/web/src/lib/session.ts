import { queryOptions, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  formatDate,
  formatDateTime,
  quarterLabel,
  type CalendarStyle,
  type DateStyle,
  type Health,
  type Me,
  type Role,
} from '@dtp/contracts';
import { api, ApiError, setCsrfToken } from './api';

export const sessionKeys = { me: ['auth', 'me'] as const, health: ['health'] as const };

/** The signed-in account, or null when signed out (GET /api/auth/me answers 401). */
export const meQueryOptions = queryOptions({
  queryKey: sessionKeys.me,
  queryFn: async (): Promise<Me | null> => {
    try {
      const me = await api.get<Me>('/api/auth/me');
      setCsrfToken(me.csrfToken);
      return me;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw e;
    }
  },
  staleTime: 60_000,
  retry: false,
});

export const healthQueryOptions = queryOptions({
  queryKey: sessionKeys.health,
  queryFn: () => api.get<Health>('/api/health'),
  staleTime: 5 * 60_000,
  retry: 1,
});

export const useMe = () => useQuery(meQueryOptions).data ?? null;

export const rolesOf = (me: Me | null): Role[] => (me ? [...new Set(me.grants.map((g) => g.role))] : []);

const CAL_KEY = 'dtp.calendar';
export function storedCalendar(): CalendarStyle {
  try {
    return localStorage.getItem(CAL_KEY) === 'gregorian' ? 'gregorian' : 'roc';
  } catch {
    return 'roc';
  }
}
export function storeCalendar(c: CalendarStyle) {
  try {
    localStorage.setItem(CAL_KEY, c);
  } catch {
    // no storage: the choice lasts for this page only
  }
}

/** Date formatters following the user's calendar preference and the current language. */
export function useDates() {
  const me = useMe();
  const { i18n } = useTranslation();
  const calendar: CalendarStyle = me?.account.calendar ?? storedCalendar();
  return {
    calendar,
    date: (v: string | null | undefined, style: DateStyle = 'short') =>
      formatDate(v, calendar, i18n.language, style),
    dateTime: (v: string | null | undefined) => formatDateTime(v, calendar, i18n.language),
    /** A quarter: 115年第1季 / 2026 Q1. */
    quarter: (year: number, q: number) => quarterLabel(year, q, calendar, i18n.language),
  };
}
